// releases.js: the Releases tab: releases carried out through this SOP
// (docs/releases.md). The server checks every record against the procedure
// and says why it refuses one; this tab offers what the signed-in member
// may do now (the server's "you") and shows where the release stands.
// Every record is the member's own: the API takes no author.
import * as api from './api.js';
import { h, replace, field, select, time, badge } from './dom.js';
import { guard, announce } from './ui.js';

// POLL_MS is how often a release shown is looked at for others' records.
const POLL_MS = 4000;

export function createReleases(ed) {
  const box = h('div', { class: 'releases stack', id: 'releases', 'aria-live': 'polite' });
  let members = null; // the workspace's members, for the roster
  let open = 0; // the release shown, 0 for the list
  let watching = null; // the timer that looks for others' records
  let onDiagram = true; // the release shown is marked on the editor's diagram

  // paintRun marks the release shown on the editor's diagram, or clears it.
  function paintRun(v) {
    if (!v || !onDiagram) { ed.showRun(null); return; }
    const note = v.release.revision !== ed.doc.revision
      ? `It runs through revision ${v.release.revision}; the diagram shows revision ${ed.doc.revision}.` : '';
    const states = runStates(v.status);
    for (const step of (ed.model && ed.model.steps) || []) { // a release begins by passing its start
      if (step.kind === 'start' && !states.has(step.id)) states.set(step.id, 'done');
    }
    ed.showRun(states, `Release ${v.release.name}:`, note, () => {
      onDiagram = false;
      const toggle = box.querySelector('#release-on-diagram');
      if (toggle) toggle.checked = false;
      ed.showRun(null);
    });
  }

  // watch looks every few seconds, while the release is shown and runs,
  // for records others made, and shows them unless the member is typing
  // in the tab (then a notice offers to show them).
  function watch(v) {
    clearInterval(watching);
    if (v.status.state !== 'in-progress') return;
    watching = setInterval(async () => {
      const panel = box.closest('[role=tabpanel]');
      if (!box.isConnected || open !== v.release.id) { clearInterval(watching); return; }
      if (document.hidden || (panel && panel.hidden)) return;
      const next = await api.get(`/api/releases/${v.release.id}`).catch(() => null);
      if (!next || next.status.head === v.status.head || open !== v.release.id) return;
      const typing = [...box.querySelectorAll('input:not([type=checkbox]), textarea')].some((el) => el.value.trim());
      if (!typing) { draw(next); return; }
      const notice = box.querySelector('#release-moved');
      if (notice) notice.hidden = false;
    }, POLL_MS);
  }

  // load draws the tab; aria-busy is true until it is drawn.
  async function load() {
    box.setAttribute('aria-busy', 'true');
    try {
      if (open) await showRelease(open);
      else await showList();
    } finally {
      box.setAttribute('aria-busy', 'false');
    }
  }

  async function memberList() {
    if (!members) {
      const res = await api.get(`/api/workspaces/${ed.doc.workspace_id}/members`).catch(() => ({ members: [] }));
      members = res.members || [];
    }
    return members;
  }

  async function showList() {
    open = 0;
    clearInterval(watching);
    ed.showRun(null);
    const res = await guard(() => api.get(`/api/sops/${ed.id}/releases`));
    if (!res) return;
    ed.suggestion = res.review_suggested || null; // a release that just ended may suggest a review
    if (ed.drawHead) ed.drawHead();
    const rels = res.releases || [];
    const list = rels.length
      ? h('ul', { class: 'cards', id: 'release-list' }, rels.map((r) => h('li', {},
        h('button', { type: 'button', class: 'card release-card', dataset: { id: String(r.id) }, onclick: () => showRelease(r.id) },
          h('strong', { text: r.name }), ' ', badge(r.state, `release-${r.state}`), r.rehearsal ? [' ', badge('rehearsal', 'rehearsal')] : null,
          h('div', { class: 'muted' }, `revision ${r.revision} · ${r.records} records · started by ${r.creator_name} `, time(r.created_at))))))
      : h('p', { class: 'muted', text: 'No release has been carried out through this SOP yet.' });
    // A start form the member began to fill in is kept as it is.
    const begun = box.querySelector('#release-start-form');
    const keep = begun && [...begun.querySelectorAll('input:not([type=checkbox]), select[data-role]')].some((el) => el.value);
    replace(box, h('h3', { text: 'Releases' }), list, !ed.canEdit ? null : keep ? begun : await startForm());
  }

  // startForm starts a release: its name, release type, whether it is a
  // rehearsal, and the member who holds each role that signs a gate.
  async function startForm() {
    const name = h('input', { id: 'release-name', required: true, placeholder: '2.4.0 or CHG-1042', autocomplete: 'off' });
    const types = [['', 'Base flow'], ...(ed.doc.release_types || []).map((t) => [t, t])];
    const type = select(types, '', { id: 'release-start-type' });
    const approved = ed.doc.status === 'approved';
    const rehearsal = h('input', { type: 'checkbox', id: 'release-rehearsal', checked: !approved });
    const roster = h('div', { class: 'stack', id: 'release-roster' });
    const people = (await memberList()).map((m) => [m.email, `${m.name} <${m.email}>`]);
    const drawRoster = async () => {
      const model = type.value
        ? await api.get(`/api/sops/${ed.id}/export?format=json&type=${encodeURIComponent(type.value)}`).then((m) => (typeof m === 'string' ? JSON.parse(m) : m)).catch(() => ed.model)
        : ed.model;
      const roles = signingRoles(model);
      replace(roster, roles.length
        ? roles.map((r) => field(`${roleName(model, r)} signs for`, select([['', 'Choose a member'], ...people], '', { dataset: { role: r }, required: true })))
        : h('p', { class: 'muted', text: 'No gate to sign in this flow.' }));
    };
    type.addEventListener('change', () => guard(drawRoster));
    await drawRoster();
    const form = h('form', { class: 'stack card', id: 'release-start-form' },
      h('h4', { text: 'Start a release' }),
      h('p', { class: 'muted', text: approved
        ? `Runs through revision ${ed.doc.revision}, as approved.`
        : 'This SOP is not approved: only a rehearsal may run through it.' }),
      field('Release', name, 'A version or a change number.'),
      field('Release type', type),
      h('div', { class: 'field-check' }, rehearsal, h('label', { for: 'release-rehearsal', text: 'Rehearsal (practice, not a real release)' })),
      h('fieldset', { class: 'stack' }, h('legend', { text: 'Who signs each gate role' }), roster),
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-primary', id: 'release-start', text: 'Start release' })));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const chosen = {};
      for (const s of roster.querySelectorAll('select[data-role]')) if (s.value) chosen[s.dataset.role] = [s.value];
      guard(async () => {
        const v = await api.post(`/api/sops/${ed.id}/releases`, { name: name.value, type: type.value, rehearsal: rehearsal.checked, roster: chosen });
        announce(`Release ${v.release.name} started.`);
        open = v.release.id;
        draw(v);
      });
    });
    return form;
  }

  async function showRelease(id) {
    open = id;
    const v = await guard(() => api.get(`/api/releases/${id}`));
    if (v) draw(v);
  }

  // record sends one record, made on the state the member saw (head):
  // if the release moved on since, the server refuses it and the tab shows
  // the release as it now is.
  async function record(v, rec, done) {
    const res = await guard(async () => {
      const next = await api.post(`/api/releases/${v.release.id}/records`, { ...rec, head: v.status.head });
      announce(done);
      return next;
    });
    if (res) draw(res);
    else showRelease(v.release.id);
  }

  function draw(v) {
    const st = v.status;
    const ended = st.state !== 'in-progress';
    watch(v);
    replace(box,
      h('button', { type: 'button', class: 'linklike', id: 'release-back', text: '← All releases', onclick: () => showList() }),
      h('div', { id: 'release-view', class: 'stack', dataset: { id: String(v.release.id), state: st.state, head: st.head } },
        h('h3', {}, `Release ${v.release.name} `, badge(st.state, `release-${st.state}`), st.rehearsal ? [' ', badge('rehearsal', 'rehearsal')] : null),
        h('p', { class: 'banner', id: 'release-moved', role: 'status', hidden: true }, 'Others recorded since. ',
          h('button', { type: 'button', class: 'btn btn-small', text: 'Show', onclick: () => showRelease(v.release.id) })),
        h('p', { class: 'muted' }, `Revision ${v.release.revision}${st.release_type ? `, release type ${st.release_type}` : ', base flow'}; started by ${st.started_by} `, time(st.started)),
        h('div', { class: 'field-check' },
          h('input', { type: 'checkbox', id: 'release-on-diagram', checked: onDiagram,
            onchange: (e) => { onDiagram = e.target.checked; paintRun(v); } }),
          h('label', { for: 'release-on-diagram', text: 'Show its progress on the diagram' })),
        v.problems.length ? h('div', { class: 'banner', role: 'alert' }, h('strong', { text: 'The trail has problems: ' }),
          v.problems.map((p) => h('div', { text: `line ${p.line}: ${p.message}` }))) : null,
        ended ? null : readyList(v),
        st.waiting.length ? h('div', {}, h('h4', { text: 'Waiting for a branch to join' }),
          h('ul', {}, st.waiting.map((w) => h('li', { text: `${stepName(w.step)} waits for ${w.waits_for.map(stepName).join(', ')}` })))) : null,
        rosterView(v),
        h('figure', { id: 'release-progress' },
          h('img', { src: `/api/releases/${v.release.id}/progress.svg?v=${st.head}`, alt: `The flow with release ${v.release.name}'s progress marked` }),
          h('figcaption', {}, h('a', { href: `/api/releases/${v.release.id}/progress.svg`, target: '_blank', rel: 'noopener', text: 'Open the progress diagram' }))),
        recordsView(st),
        ended ? null : noteForm(v),
        h('div', { class: 'actions' },
          h('a', { class: 'btn btn-small', href: `/api/releases/${v.release.id}/report?format=pdf`, id: 'release-report', text: 'Report (PDF)' }),
          h('a', { class: 'btn btn-small', href: `/api/releases/${v.release.id}/report?format=markdown`, text: 'Report (Markdown)' }),
          h('a', { class: 'btn btn-small', href: `/api/releases/${v.release.id}/trail`, id: 'release-trail', text: 'Trail' })),
        h('p', { class: 'muted hint' }, 'Chain head ', h('code', { text: st.head }), '. Keep it with the change record: ',
          h('code', { text: 'relsop release verify TRAIL --head HEAD' }), ' proves later that no record up to it changed.'),
        !ended && v.you.record ? abortForm(v) : null));
    paintRun(v);
  }

  function readyList(v) {
    const st = v.status;
    if (!st.ready.length) return h('p', { class: 'muted', text: 'Nothing is ready: the release waits for branches to join.' });
    return h('div', {}, h('h4', { text: 'Ready now' }),
      h('ul', { class: 'cards', id: 'release-ready' }, st.ready.map((r) => h('li', { class: 'card ready-step', dataset: { step: r.step } },
        h('strong', { text: r.name || r.step }), ' ', h('span', { class: 'muted', text: `${r.kind}, ${roleName(ed.model, r.owner)}` }),
        r.late ? [' ', badge(`late ${r.late}`, 'late')] : null,
        r.kind === 'gate' ? gateActions(v, r) : stepActions(v, r)))));
  }

  function stepActions(v, r) {
    if (!v.you.record) return h('p', { class: 'muted', text: 'An editor records this step.' });
    const step = modelStep(r.step);
    const evidence = h('textarea', { rows: '2', class: 'release-evidence', placeholder: (step && step.evidence || []).join('\n') || 'Links, tickets, reports: one per line' });
    const note = h('input', { class: 'release-note', placeholder: 'Note; the reason for a skip or what failed' });
    const evidenceList = () => evidence.value.split('\n').map((s) => s.trim()).filter(Boolean);
    const act = (type, words) => h('button', { type: 'button', class: ['btn btn-small', type === 'done' && 'btn-primary'], dataset: { action: type }, text: words,
      onclick: () => record(v, { type, step: r.step, note: note.value, evidence: type === 'skip' ? [] : evidenceList() }, `${words}: ${r.name || r.step}.`) });
    return h('div', { class: 'stack' },
      field(step && (step.evidence || []).length ? `Evidence (${step.evidence.join('; ')})` : 'Evidence', evidence),
      field('Note', note),
      h('div', { class: 'actions' }, act('done', 'Done'), act('skip', 'Skip'), act('fail', 'Failed')));
  }

  function gateActions(v, r) {
    const step = modelStep(r.step);
    const outcomes = Object.keys((step && step.outcomes) || {});
    const roster = v.status.roster || {};
    const needs = (r.unsigned || []).map((role) => `${roleName(ed.model, role)}${roster[role] ? ` (${roster[role].join(' or ')})` : ''}`);
    const mine = v.you.sign[r.step] || [];
    const note = h('input', { class: 'release-note', placeholder: 'Note on the decision' });
    return h('div', { class: 'stack' },
      h('p', {}, `Proceeds on “${r.proceed}” from every approver. Still to sign: ${needs.join(', ') || 'no one'}.`),
      (r.signed || []).length ? h('ul', { class: 'muted' }, r.signed.map((s) => h('li', { text: `${roleName(ed.model, s.role)}: ${s.by} signed ${s.outcome}` }))) : null,
      r.escalated && step && step.escalation ? h('p', { text: `Escalated: ${roleName(ed.model, step.escalation.role)} may decide alone.` }) : null,
      mine.length ? [field('Note', note), mine.map((role) => h('div', { class: 'actions sign-as', dataset: { role } },
        h('span', { text: `As ${roleName(ed.model, role)}:` }),
        outcomes.map((o) => h('button', { type: 'button', class: ['btn btn-small', o === r.proceed && 'btn-primary'], dataset: { action: 'sign', outcome: o, role },
          text: `Sign ${o}`, onclick: () => record(v, { type: 'sign', step: r.step, outcome: o, role, note: note.value }, `Signed ${o} on ${r.name || r.step}.`) }))))]
        : h('p', { class: 'muted', text: 'The roster gives you no role still to sign this gate.' }),
      v.you.record && r.escalate_to && !r.escalated ? h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'btn btn-small', dataset: { action: 'escalate' }, text: `Escalate to ${roleName(ed.model, r.escalate_to)}`,
          onclick: () => record(v, { type: 'escalate', step: r.step, note: note.value }, `Escalated ${r.name || r.step}.`) })) : null);
  }

  function rosterView(v) {
    const roster = v.status.roster || {};
    const roles = Object.keys(roster);
    if (!roles.length) return null;
    let form = null;
    if (v.you.assign && v.status.state === 'in-progress') {
      const role = select(roles.map((r) => [r, roleName(ed.model, r)]), roles[0], { id: 'assign-role' });
      const who = select((members || []).map((m) => [m.email, `${m.name} <${m.email}>`]), '', { id: 'assign-member' });
      const reason = h('input', { id: 'assign-reason', placeholder: 'Why the role changes hands' });
      form = h('details', {}, h('summary', { text: 'Hand a role to someone else' }),
        h('form', { class: 'stack', onsubmit: (e) => { e.preventDefault(); record(v, { type: 'assign', role: role.value, people: [who.value], note: reason.value }, 'The roster changed.'); } },
          field('Role', role), field('Member', who), field('Reason', reason),
          h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-small', text: 'Hand over' }))));
      memberList().then((ms) => replace(who, ms.map((m) => h('option', { value: m.email, text: `${m.name} <${m.email}>` }))));
    }
    return h('div', {}, h('h4', { text: 'Roster' }),
      h('ul', { id: 'release-roster-view' }, roles.map((r) => h('li', { text: `${roleName(ed.model, r)}: ${roster[r].join(', ')}` }))), form);
  }

  function recordsView(st) {
    return h('div', {}, h('h4', { text: `Trail (${st.records.length} records)` }),
      h('ol', { id: 'release-records', class: 'release-records' }, st.records.map((r) => h('li', {},
        h('span', { class: 'muted' }, time(r.at), ` ${r.by}: `), r.text))));
  }

  function noteForm(v) {
    const note = h('input', { id: 'release-note', placeholder: 'A note on the release' });
    return h('form', { class: 'actions', onsubmit: (e) => { e.preventDefault(); if (note.value.trim()) record(v, { type: 'note', note: note.value }, 'Note added.'); } },
      note, h('button', { type: 'submit', class: 'btn btn-small', text: 'Add note' }));
  }

  function abortForm(v) {
    const reason = h('input', { id: 'abort-reason', placeholder: 'Why the release stops' });
    return h('details', {}, h('summary', { text: 'Abort the release' }),
      h('form', { class: 'actions', onsubmit: (e) => { e.preventDefault(); record(v, { type: 'abort', note: reason.value }, 'The release was aborted.'); } },
        reason, h('button', { type: 'submit', class: 'btn btn-small btn-danger', text: 'Abort' })));
  }

  function modelStep(id) {
    return ed.model && (ed.model.steps || []).find((s) => s.id === id);
  }

  function stepName(id) {
    const s = modelStep(id);
    return s && s.name ? s.name : id;
  }

  // select shows release id when the tab is next drawn.
  const selectRelease = (id) => { open = id; };

  return { element: box, load, select: selectRelease };
}

/** signingRoles lists the roles that sign a gate of a flow: approvers (the owner when none), then escalation roles. */
export function signingRoles(model) {
  const out = [];
  for (const s of (model && model.steps) || []) {
    if (s.kind !== 'gate') continue;
    const roles = (s.approvers && s.approvers.length ? s.approvers : [s.owner]).concat(s.escalation && s.escalation.role ? [s.escalation.role] : []);
    for (const r of roles) if (r && !out.includes(r)) out.push(r);
  }
  return out;
}

function roleName(model, id) {
  const r = model && (model.roles || []).find((x) => x.id === id);
  return r && r.name ? r.name : id;
}

/**
 * runStates is where each step of a release stands, for the diagram: the
 * last of its records (done, skipped, failed; a gate is done once decided),
 * then what is ready or waiting now, which a loop back may make again.
 */
function runStates(st) {
  const states = new Map();
  const word = { done: 'done', skip: 'skipped', fail: 'failed' };
  for (const r of st.records || []) if (r.step && word[r.type]) states.set(r.step, word[r.type]);
  for (const d of st.decisions || []) states.set(d.gate, 'done');
  for (const r of st.ready || []) states.set(r.step, 'ready');
  for (const w of st.waiting || []) states.set(w.step, 'waiting');
  return states;
}
