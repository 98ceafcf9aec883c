// review.js: the review page of one SOP (#/sops/ID/review), where the
// inbox's "Review" cards lead: who submitted it and who changed it since
// its last approval, the changes themselves (listed, and highlighted on
// the diagram), and the decision (approve, or send back to draft) for a
// member who may take it.
import * as api from './api.js';
import { h, replace, time, badge } from './dom.js';
import { guard, announce, showError } from './ui.js';
import { createDiagram } from './diagram.js';
import { drawChanges } from './history.js';

export async function reviewScreen(main, idText) {
  const id = Number(idText);
  const viewTitle = h('h2', { id: 'review-view-title' });
  const changes = h('div', { class: 'changes', id: 'compare-list' });
  const view = createDiagram({ label: 'Changes under review' });
  const btn = (text, onclick, props = {}) => h('button', { type: 'button', class: 'btn', text, onclick, ...props });
  const tools = h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Diagram tools' },
    btn('−', view.zoomOut, { 'aria-label': 'Zoom out' }), btn('+', view.zoomIn, { 'aria-label': 'Zoom in' }),
    btn('Fit all', view.fit), btn('Fit height', view.fitHeight));
  const summary = h('div', { class: 'review-summary', id: 'review-summary' });
  const decision = h('div', { class: 'actions review-decision', id: 'review-decision' });

  const page = h('section', { class: 'page history review' },
    h('div', { class: 'crumbs' }, h('a', { href: '#/', text: 'Library' }), ' / '),
    h('h1', { id: 'review-title', text: 'Review' }),
    summary, decision,
    h('section', { class: 'history-view', 'aria-labelledby': 'review-view-title' }, viewTitle, changes, tools,
      h('div', { class: 'diagram-wrap' }, view.element)));
  replace(main, page);
  await draw();

  async function draw() {
    const [{ document: doc }, rv] = await Promise.all([api.get(`/api/sops/${id}`), api.get(`/api/sops/${id}/review`)]);
    const crumbs = page.querySelector('.crumbs');
    replace(crumbs, h('a', { href: '#/', text: 'Library' }), ' / ', h('a', { href: `#/sops/${id}`, text: doc.title }), ' / ',
      h('a', { href: `#/sops/${id}/history`, text: 'History' }), ' / ');
    page.querySelector('#review-title').textContent = `Review of ${doc.title}`;
    drawSummary(doc, rv);
    drawDecision(doc, rv);
    if (rv.approved && rv.approved !== doc.revision) {
      viewTitle.textContent = `Changes since revision ${rv.approved}, the last approved`;
      await guard(async () => {
        drawChanges(changes, await api.get(`/api/sops/${id}/compare${api.query({ from: rv.approved, to: doc.revision, format: 'json' })}`));
        await view.load(`/api/sops/${id}/compare${api.query({ from: rv.approved, to: doc.revision, format: 'svg' })}`, { keepView: false });
      });
    } else {
      viewTitle.textContent = rv.approved ? `Revision ${doc.revision}, as approved` : `Revision ${doc.revision}: never approved, so all of it is new`;
      replace(changes);
      await guard(() => view.load(`/api/sops/${id}/revisions/${doc.revision}/diagram.svg`, { keepView: false }));
    }
  }

  function drawSummary(doc, rv) {
    const sub = rv.submitted;
    replace(summary,
      h('p', null, badge(doc.status, `status-${doc.status}`), ' ',
        sub ? ['Submitted for review by ', h('strong', { text: sub.author_name || 'someone' }), ' ', time(sub.created_at), ` as revision ${sub.number}.`]
          : `This SOP is ${doc.status === 'in-review' ? 'in review' : doc.status}, not waiting for a review.`),
      h('p', { class: 'muted' }, rv.approved
        ? `Revision ${rv.approved} was the last approved${rv.authors.length ? `; changed since by ${rv.authors.join(', ')}` : ''}.`
        : `Never approved${rv.authors.length ? `; written by ${rv.authors.join(', ')}` : ''}.`));
  }

  function drawDecision(doc, rv) {
    if (rv.status !== 'in-review' || doc.role === 'viewer') {
      replace(decision, rv.status === 'in-review' ? h('p', { class: 'muted', id: 'review-why', text: rv.why }) : null);
      return;
    }
    replace(decision,
      rv.may_approve ? h('button', { type: 'button', class: 'btn btn-primary', id: 'review-approve', text: 'Approve', onclick: () => decide(doc, 'approved') }) : null,
      h('button', { type: 'button', class: 'btn', id: 'review-back', text: 'Send back to draft', onclick: () => decide(doc, 'draft') }),
      rv.may_approve ? null : h('p', { class: 'muted', id: 'review-why', text: rv.why }));
  }

  async function decide(doc, status) {
    for (const b of decision.querySelectorAll('button')) b.disabled = true;
    try {
      await api.post(`/api/sops/${id}/status`, { status, base_revision: doc.revision });
      announce(status === 'approved' ? `Approved ${doc.title}.` : `Sent ${doc.title} back to draft.`);
      await draw();
    } catch (err) {
      showError(err);
      for (const b of decision.querySelectorAll('button')) b.disabled = false;
    }
  }
}
