// comments.js: threads on the SOP or on one step, with replies, resolve and
// reopen, and highlighted @mentions. Comment text is only ever text.
import * as api from './api.js';
import { h, replace, field, time } from './dom.js';
import { guard, announce } from './ui.js';

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * bodyText renders a comment body with its @mentions highlighted. The
 * server lists the ids of the members a comment mentions; when it found
 * none, "@word" is ordinary text. names (members' names and emails, when
 * known) let "@Ada Lovelace" be highlighted whole.
 */
export function bodyText(body, mentions, names = []) {
  if (!(mentions || []).length) return [body];
  const known = names.filter(Boolean).sort((a, b) => b.length - a.length).map(escape);
  const re = new RegExp(`(@(?:${[...known, '[\\w.+-]+'].join('|')}))`, 'gi');
  return body.split(re).map((part, i) => (i % 2 === 1 ? h('span', { class: 'mention', text: part }) : part));
}

export function createComments(ed) {
  let all = [];
  let names = null; // members' names and emails, for highlighting mentions
  let onlyStep = false;
  let wanted = 0; // a comment to bring into view once drawn (#/sops/ID/comments/CID)
  const list = h('div', { class: 'threads', id: 'comment-threads', 'aria-live': 'polite' });
  const scope = h('input', { type: 'checkbox', id: 'comments-on-step' });
  const scopeLabel = h('label', { for: 'comments-on-step', text: 'Only the selected step' });
  const body = h('textarea', { id: 'comment-body', rows: '3', placeholder: 'Write a comment. @name mentions a member.' });
  const target = h('p', { class: 'muted', id: 'comment-target' });
  const form = h('form', { class: 'stack', id: 'comment-form' }, target, field('New comment', body),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-primary', id: 'comment-post', text: 'Comment' })));
  scope.addEventListener('change', () => { onlyStep = scope.checked; draw(); });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!body.value.trim()) return;
    const step = stepId();
    await guard(async () => {
      await api.post(`/api/sops/${ed.id}/comments`, { body: body.value, step_id: step || undefined });
      body.value = '';
      announce('Comment posted.');
      await load();
    });
  });

  const stepId = () => (ed.sel && ed.sel.kind === 'step' ? ed.sel.id : '');

  async function load() {
    if (!names) {
      names = [];
      try {
        const res = await api.get(`/api/workspaces/${ed.doc.workspace_id}/members`);
        names = res.members.flatMap((m) => [m.name, m.email]);
      } catch (e) { /* not allowed to list members: highlight single words */ }
    }
    const res = await guard(() => api.get(`/api/sops/${ed.id}/comments`));
    if (res) { all = res.comments || []; draw(); }
  }

  function draw() {
    const step = stepId();
    target.textContent = step ? `On the step “${stepName(step)}”.` : 'On the whole SOP (select a step to comment on it).';
    scope.disabled = !step;
    const roots = all.filter((c) => !c.parent_id && (!onlyStep || !step || c.step_id === step));
    ed.setCommentCount(all.filter((c) => !c.parent_id && !c.resolved).length);
    if (!roots.length) { replace(list, h('p', { class: 'muted', text: 'No comments yet.' })); return; }
    replace(list, roots.map((c) => thread(c, all.filter((r) => r.parent_id === c.id))));
    if (wanted) bringIntoView();
  }

  // bringIntoView marks the wanted comment, scrolls to it and opens its
  // thread's reply, ready to answer; it says so when the comment is gone.
  function bringIntoView() {
    const id = wanted;
    wanted = 0;
    const c = all.find((x) => x.id === id);
    const el = c && list.querySelector(`.comment[data-id="${id}"]`);
    if (!el) { announce('That comment is no longer here.'); return; }
    if (c.step_id && !(ed.sel && ed.sel.id === c.step_id)) ed.select({ kind: 'step', id: c.step_id });
    const target = list.querySelector(`.comment[data-id="${id}"]`); // selecting a step may draw the list again
    target.classList.add('wanted');
    target.scrollIntoView({ block: 'center' });
    const threadEl = target.closest('.thread');
    threadEl.querySelector('.reply').hidden = false;
    threadEl.querySelector('.reply textarea').focus({ preventScroll: true });
  }

  function stepName(id) {
    const s = ed.model && (ed.model.steps || []).find((x) => x.id === id);
    return s ? s.name : id;
  }

  function comment(c) {
    return h('div', { class: 'comment', dataset: { id: String(c.id) } },
      h('div', { class: 'comment-head' }, h('strong', { text: c.author_name || 'someone' }), ' ', time(c.created_at)),
      h('p', { class: 'comment-body' }, bodyText(c.body || '', c.mentions, names)));
  }

  function thread(c, replies) {
    const reply = h('textarea', { rows: '2', 'aria-label': `Reply to ${c.author_name || 'the comment'}` });
    const replyForm = h('form', { class: 'reply', hidden: true },
      reply, h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-small btn-primary', text: 'Reply' })));
    replyForm.addEventListener('submit', async (e) => {
      e.preventDefault();
      if (!reply.value.trim()) return;
      await guard(async () => {
        await api.post(`/api/sops/${ed.id}/comments`, { body: reply.value, parent_id: c.id, step_id: c.step_id || undefined });
        announce('Reply posted.');
        await load();
      });
    });
    return h('article', { class: ['thread', c.resolved && 'resolved'], dataset: { id: String(c.id) } },
      c.step_id ? h('button', { type: 'button', class: 'linklike step-ref', text: `Step: ${stepName(c.step_id)}`,
        onclick: () => ed.select({ kind: 'step', id: c.step_id }) }) : null,
      comment(c), replies.map(comment),
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'btn btn-small', text: 'Reply', onclick: () => { replyForm.hidden = false; reply.focus(); } }),
        h('button', { type: 'button', class: 'btn btn-small', text: c.resolved ? 'Reopen' : 'Resolve',
          onclick: () => guard(async () => {
            await api.post(`/api/comments/${c.id}/resolve`, { resolved: !c.resolved });
            announce(c.resolved ? 'Reopened.' : 'Resolved.');
            await load();
          }) })),
      replyForm);
  }

  return {
    element: h('div', { class: 'comments stack' }, h('div', { class: 'field-check' }, scope, scopeLabel), list, form),
    load,
    refresh: draw,
    /** show brings comment id into view once the comments are drawn. */
    show: (id) => { wanted = id; },
  };
}
