// history.js: the revisions of one SOP: view one, compare two (as a list of
// changes and as a diagram with the changes highlighted), restore one.
import * as api from './api.js';
import { h, replace, time, badge } from './dom.js';
import { go } from './session.js';
import { guard, announce, confirm, showError } from './ui.js';
import { createDiagram } from './diagram.js';

export async function historyScreen(main, idText) {
  const id = Number(idText);
  const [{ document: doc }, { revisions }] = await Promise.all([
    api.get(`/api/sops/${id}`), api.get(`/api/sops/${id}/revisions`)]);
  const canEdit = doc.role !== 'viewer';
  const latest = revisions.length ? Math.max(...revisions.map((r) => r.number)) : doc.revision;
  let from = revisions.length > 1 ? revisions[1].number : latest;
  let to = latest;

  const viewTitle = h('h2', { id: 'view-title' });
  const changes = h('div', { class: 'changes', id: 'compare-list' });
  const zoomLevel = h('output', { class: 'zoom-level', title: 'Zoom' });
  const view = createDiagram({ label: 'Revision diagram', onView: ({ scale }) => { zoomLevel.textContent = `${Math.round(scale * 100)}%`; } });
  const btn = (text, onclick, props = {}) => h('button', { type: 'button', class: 'btn', text, onclick, ...props });
  const tools = h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Diagram tools' },
    btn('−', view.zoomOut, { 'aria-label': 'Zoom out' }), btn('+', view.zoomIn, { 'aria-label': 'Zoom in' }), zoomLevel,
    btn('Fit all', view.fit), btn('Fit height', view.fitHeight));
  const viewer = h('section', { class: 'history-view', 'aria-labelledby': 'view-title' }, viewTitle, changes, tools,
    h('div', { class: 'diagram-wrap' }, view.element));

  const rows = revisions.map((r) => h('tr', { dataset: { rev: String(r.number) } },
    h('td', null, radio('from', r.number, r.number === from, () => { from = r.number; })),
    h('td', null, radio('to', r.number, r.number === to, () => { to = r.number; })),
    h('th', { scope: 'row', text: String(r.number) }),
    h('td', { text: r.author_name || '' }),
    h('td', null, time(r.created_at)),
    h('td', { class: 'msg', text: r.message || '' }),
    h('td', null, r.status ? badge(r.status, `status-${r.status}`) : null),
    h('td', { class: 'row-actions' },
      h('button', { type: 'button', class: 'btn btn-small', text: 'View', 'aria-label': `View revision ${r.number}`, onclick: () => show(r.number) }),
      canEdit && r.number !== latest ? h('button', { type: 'button', class: 'btn btn-small', text: 'Restore',
        'aria-label': `Restore revision ${r.number}`, dataset: { restore: String(r.number) }, onclick: () => restore(r.number) }) : null)));

  replace(main, h('section', { class: 'page history' },
    h('div', { class: 'crumbs' }, h('a', { href: '#/', text: 'Library' }), ' / ', h('a', { href: `#/sops/${id}`, text: doc.title }), ' / '),
    h('h1', { text: `History of ${doc.title}` }),
    h('div', { class: 'table-wrap' }, h('table', { class: 'revisions', id: 'revisions' },
      h('caption', { class: 'sr-only', text: 'Revisions, newest first' }),
      h('thead', null, h('tr', null, ['From', 'To', '#', 'Author', 'When', 'Message', 'Status', ''].map((t) => h('th', { scope: 'col', text: t })))),
      h('tbody', null, rows))),
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'btn btn-primary', id: 'compare', text: 'Compare the selected revisions', onclick: compare })),
    viewer));

  await show(latest);

  async function show(n) {
    replace(changes);
    viewTitle.textContent = `Revision ${n}`;
    await guard(() => view.load(`/api/sops/${id}/revisions/${n}/diagram.svg`, { keepView: false }));
  }

  async function compare() {
    if (from === to) { showError(new Error('Choose two different revisions to compare.')); return; }
    viewTitle.textContent = `Changes from revision ${from} to ${to}`;
    await guard(async () => {
      const res = await api.get(`/api/sops/${id}/compare${api.query({ from, to, format: 'json' })}`);
      drawChanges(changes, res);
      await view.load(`/api/sops/${id}/compare${api.query({ from, to, format: 'svg' })}`, { keepView: false });
    });
  }

  async function restore(n) {
    if (!await confirm(`Restore revision ${n}? It becomes a new revision; nothing is lost.`, 'Restore')) return;
    await guard(async () => {
      const cur = await api.get(`/api/sops/${id}`);
      await api.post(`/api/sops/${id}/revisions/${n}/restore`, { base_revision: cur.document.revision });
      announce(`Restored revision ${n}.`);
      go(`#/sops/${id}/history`);
    });
  }
}

function radio(name, n, checked, onchange) {
  return h('input', { type: 'radio', name, value: String(n), checked, onchange, 'aria-label': `${name === 'from' ? 'Compare from' : 'Compare to'} revision ${n}` });
}

/**
 * drawChanges lists a semantic diff (internal/sopdiff as JSON): metadata
 * field changes, then elements added, removed or changed, field by field.
 */
export function drawChanges(el, res) {
  const diff = res.diff || res;
  const meta = diff.metadata || [];
  const list = diff.changes || [];
  if (!meta.length && !list.length) { replace(el, h('p', { class: 'muted', text: 'The two revisions mean the same.' })); return; }
  replace(el, h('ul', { class: 'change-list', id: 'change-list' },
    meta.map((f) => h('li', { class: 'change change-changed' }, badge('changed', 'changed'), ' ', fieldText(f))),
    list.map((c) => h('li', { class: `change change-${c.op}` },
      badge(c.op, c.op), ' ', h('strong', { text: `${String(c.kind).replace('_', ' ')} ` }),
      c.name ? `${c.name} (${c.id})` : c.id,
      (c.fields || []).length ? h('ul', null, c.fields.map((f) => h('li', { text: fieldText(f) }))) : null))));
}

function fieldText(f) {
  return `${f.field}: ${f.old === '' ? '(not set)' : f.old} → ${f.new === '' ? '(not set)' : f.new}`;
}
