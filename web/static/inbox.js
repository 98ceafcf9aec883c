// inbox.js: what waits for the signed-in member in the workspace: gates
// of releases in progress they may sign, SOPs in review they may approve,
// comments mentioning them they have not answered, SOPs whose last
// release suggests reviewing them, and SOPs they keep whose scheduled
// review falls due within a week or is overdue. The library lists them;
// the top bar counts them.
import * as api from './api.js';
import { h, replace, time, badge } from './dom.js';

let pending = null; // {wsId, promise}: the top bar and the library ask at the same moment

/** loadInbox fetches the inbox of workspace wsId; null when it cannot. A
 * request still on its way is shared; a finished one is not reused, so
 * what the member just did shows at once. */
export function loadInbox(wsId) {
  if (!pending || pending.wsId !== wsId) {
    const promise = api.get(`/api/workspaces/${wsId}/inbox`).catch(() => null);
    pending = { wsId, promise };
    promise.then(() => { if (pending && pending.promise === promise) pending = null; });
  }
  return pending.promise;
}

/** inboxCount is the number of things waiting, for the top bar. */
export async function inboxCount(wsId) {
  const res = await loadInbox(wsId);
  return res ? res.gates.length + (res.reviews || []).length + res.mentions.length + (res.suggested || []).length
    + (res.due || []).length : 0;
}

/** drawInbox fills el with what waits for the member; hidden when nothing does. */
export async function drawInbox(el, wsId) {
  const res = await loadInbox(wsId);
  const gates = (res && res.gates) || [];
  const reviews = (res && res.reviews) || [];
  const mentions = (res && res.mentions) || [];
  const suggested = (res && res.suggested) || [];
  const due = (res && res.due) || [];
  el.hidden = !gates.length && !reviews.length && !mentions.length && !suggested.length && !due.length;
  if (!el.hidden) {
    replace(el, h('h2', { text: 'Waiting for you' }),
      h('ul', { class: 'cards' }, gates.map(gateCard), reviews.map(reviewCard), mentions.map(mentionCard),
        suggested.map(suggestedCard), due.map(dueCard)));
  }
  el.dataset.loaded = 'true';
}

function gateCard(g) {
  const r = g.release;
  const name = g.gate.name || g.gate.step;
  // A gate past its escalation time waits for the holders of its
  // escalation role too: they decide once it is escalated.
  const what = g.roles.length ? h('strong', { text: `Sign “${name}”` }) : h('strong', { text: `“${name}” is overdue` });
  const due = g.overdue ? [' · escalation to ', g.gate.escalate_to, ' was due ', time(g.gate.escalate_at)]
    : g.gate.escalate_at ? [` · escalates to ${g.gate.escalate_to} `, time(g.gate.escalate_at)] : null;
  return h('li', { class: `card inbox-gate${g.overdue ? ' overdue' : ''}` },
    h('a', { href: `#/sops/${r.sop_id}/releases/${r.id}`, dataset: { release: String(r.id), gate: g.gate.step } },
      what, ` in release ${r.name} of ${r.sop_title}`),
    r.rehearsal ? [' ', badge('rehearsal', 'rehearsal')] : null,
    g.overdue ? [' ', badge('overdue', 'late')] : null,
    h('div', { class: 'muted' },
      g.roles.length ? `as ${g.roles.join(' or ')} · ` : `its escalation path goes to you (${g.escalation}) · `,
      'ready ', time(g.gate.since),
      g.gate.late ? [' · ', badge(`late ${g.gate.late}`, 'late')] : null,
      due));
}

// reviewCard is an SOP in review the member may approve: they changed
// none of it since its last approval.
function reviewCard(r) {
  return h('li', { class: 'card inbox-review' },
    h('a', { href: `#/sops/${r.sop.id}/review`, dataset: { review: String(r.sop.id) } },
      h('strong', { text: `Review “${r.sop.title}”` })),
    h('div', { class: 'muted' }, `submitted by ${r.submitted_by || 'someone'} `, time(r.since),
      r.approved ? ` · changes since revision ${r.approved}` : ' · never approved'));
}

// suggestedCard is an SOP the member kept in a release that went wrong
// (or was an emergency or major one): time to review it. The editor says
// why, above the diagram.
function suggestedCard(sg) {
  return h('li', { class: 'card inbox-suggested' },
    h('a', { href: `#/sops/${sg.sop.id}`, dataset: { suggested: String(sg.sop.id) } },
      h('strong', { text: `Review “${sg.sop.title}”` }), ` after release ${sg.release.name}`),
    h('div', { class: 'muted' }, `${capital(sg.lessons.join('; '))} · ended `, time(sg.ended)));
}

// dueCard is an SOP the member keeps whose scheduled review (its
// review.cadence after its review.last_reviewed) falls due within a week
// or is overdue. The editor says so too, and records the review.
function dueCard(d) {
  return h('li', { class: `card inbox-due${d.overdue ? ' overdue' : ''}` },
    h('a', { href: `#/sops/${d.sop.id}`, dataset: { due: String(d.sop.id) } },
      h('strong', { text: `Scheduled review of “${d.sop.title}”` })),
    d.overdue ? [' ', badge('overdue', 'late')] : null,
    h('div', { class: 'muted', text: d.overdue ? `overdue since ${d.due}` : `due on ${d.due}` }));
}

// capital starts a sentence: "It was aborted".
function capital(text) { return text.charAt(0).toUpperCase() + text.slice(1); }

function mentionCard(c) {
  return h('li', { class: 'card inbox-mention' },
    h('a', { href: `#/sops/${c.sop_id}/comments/${c.id}`, dataset: { comment: String(c.id) } },
      h('strong', { text: `${c.author_name || 'Someone'} mentioned you` }), ` on ${c.sop_title}`),
    h('p', { class: 'comment-body excerpt', text: excerpt(c.body) }),
    h('div', { class: 'muted' }, time(c.created_at)));
}

// excerpt keeps a card short: the first 200 characters of a comment.
function excerpt(body) {
  const chars = Array.from(body || '');
  return chars.length > 200 ? `${chars.slice(0, 200).join('')}…` : chars.join('');
}
