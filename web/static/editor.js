// editor.js: one SOP: the diagram with pan, zoom and selection, and a side
// panel to inspect, edit as YAML, edit with AI, read lint findings and
// comment. Every change is saved on the server with the revision it was
// based on, so a concurrent save is reported, never overwritten.
import * as api from './api.js';
import { h, replace, select, badge, isTyping } from './dom.js';
import { announce, showError, confirm, prompt, dialog, findingText } from './ui.js';
import { createDiagram } from './diagram.js';
import { drawInspector } from './inspector.js';
import { createYamlTab } from './yamltab.js';
import { createAiTab } from './aiedit.js';
import { createComments } from './comments.js';
import { createTabs } from './tabs.js';
import { lintBadge, duplicate, archive } from './library.js';

export const EXPORTS = ['svg', 'png', 'pdf', 'bpmn', 'mermaid', 'plantuml', 'drawio', 'dot', 'd2', 'yaml'];
const TRANSITIONS = {
  draft: [['in-review', 'Submit for review']],
  'in-review': [['approved', 'Approve'], ['draft', 'Back to draft']],
  approved: [['retired', 'Retire']],
  retired: [],
};
const SHORTCUTS = [
  ['?', 'Show this help'], ['Escape', 'Clear the selection, cancel connecting'], ['Delete', 'Delete the selected step'],
  ['+ / -', 'Zoom in / out'], ['0', 'Fit the whole diagram'], ['1', 'Fit the diagram\u2019s height'], ['Ctrl+Z', 'Undo'], ['Ctrl+Shift+Z, Ctrl+Y', 'Redo'],
  ['Ctrl+S', 'Save the YAML tab'], ['Enter on a focused shape', 'Select it'],
];

export async function editor(main, idText) {
  const ed = {
    id: Number(idText), doc: null, model: null, sel: null, type: '', canEdit: false,
    undo: [], redo: [], connectFrom: null,
  };
  await reload();

  const head = h('div', { class: 'editor-head' });
  const toolbar = h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Diagram tools' });
  const banner = h('div', { class: 'banner', id: 'mode-banner', hidden: true, role: 'status' });
  const zoomLevel = h('output', { id: 'zoom-level', class: 'zoom-level', title: 'Zoom' });
  const diagram = createDiagram({ onSelect: (sel) => onDiagramClick(sel), label: 'Swimlane diagram',
    onView: ({ scale }) => { zoomLevel.textContent = `${Math.round(scale * 100)}%`; } });
  const diagramMsg = h('div', { class: 'diagram-message', hidden: true });
  const inspectPanel = h('div', { id: 'inspector' });
  const lintPanel = h('div', { id: 'lint-panel' });
  const yaml = createYamlTab(ed);
  const ai = createAiTab(ed);
  const comments = createComments(ed);
  const tabs = createTabs([
    { id: 'inspect', label: 'Inspect', panel: inspectPanel },
    { id: 'yaml', label: 'YAML', panel: yaml.element },
    { id: 'ai', label: 'Edit with AI', panel: ai.element },
    { id: 'lint', label: 'Lint', panel: lintPanel },
    { id: 'comments', label: 'Comments', panel: comments.element },
  ], 'SOP panels');

  Object.assign(ed, {
    reload, applyOps, saveSource, select: selectElement,
    addStepAfter, startConnect, deleteStep, addRole,
    setCommentCount: (n) => tabs.label('comments', n ? `Comments (${n})` : 'Comments'),
  });

  // aria-busy is true while a change is saved and drawn again.
  const root = h('section', { class: 'editor', id: 'editor', 'aria-busy': 'true', dataset: { id: String(ed.id) } },
    head, toolbar, banner,
    h('div', { class: 'editor-body' },
      h('div', { class: 'diagram-wrap' }, diagram.element, diagramMsg),
      h('aside', { class: 'side', 'aria-label': 'SOP panels' }, tabs.element)));
  replace(main, root);

  await redraw({ fit: true });
  root.setAttribute('aria-busy', 'false');
  comments.load();

  // ---- drawing ----

  // reload fetches the document and its model at once: neither needs the other.
  async function reload() {
    const [res, m] = await Promise.all([
      api.get(`/api/sops/${ed.id}`),
      api.get(`/api/sops/${ed.id}/export?format=json`).catch(() => null), // null: the YAML does not load; the YAML tab shows why
    ]);
    ed.doc = res.document;
    ed.canEdit = ed.doc.role !== 'viewer';
    ed.model = typeof m === 'string' ? JSON.parse(m) : m;
  }

  async function redraw({ fit = false } = {}) {
    drawHead();
    drawToolbar();
    await loadDiagram(fit);
    drawInspector(inspectPanel, ed);
    drawLint();
    yaml.setSource(ed.doc.source);
    ai.setEnabled(ed.canEdit);
    comments.refresh();
  }

  function drawHead() {
    const d = ed.doc;
    document.title = `${d.title} — relsop`;
    replace(head,
      h('div', { class: 'crumbs' }, h('a', { href: '#/', text: 'Library' }), ' / '),
      h('h1', { id: 'sop-heading', text: d.title || '(untitled)' }),
      h('div', { class: 'meta' },
        badge(d.status, `status-${d.status}`), lintBadge(d.lint),
        d.archived ? badge('archived', 'archived') : null,
        h('span', { id: 'revision', text: `revision ${d.revision}` }),
        ed.canEdit ? null : badge('view only', 'role'),
        h('a', { href: `#/sops/${ed.id}/history`, id: 'history-link', text: 'History' })));
  }

  function drawToolbar() {
    const d = ed.doc;
    const types = select([['', 'Base flow'], ...(d.release_types || []).map((t) => [t, t])], ed.type, {
      id: 'release-type',
      onchange: async (e) => { ed.type = e.target.value; await loadDiagram(false); },
    });
    const btn = (id, text, onclick, props = {}) => h('button', { type: 'button', class: 'btn', id, text, onclick, ...props });
    const editing = ed.canEdit ? [
      h('span', { class: 'sep', 'aria-hidden': 'true' }),
      btn('undo', 'Undo', undo, { disabled: !ed.undo.length, title: 'Ctrl+Z' }),
      btn('redo', 'Redo', redo, { disabled: !ed.redo.length, title: 'Ctrl+Shift+Z' }),
      h('span', { class: 'sep', 'aria-hidden': 'true' }),
      ...(TRANSITIONS[d.status] || []).map(([to, label]) => btn(`status-${to}`, label, () => setStatus(to))),
      btn('duplicate', 'Duplicate', () => duplicate(d)),
      btn('archive', d.archived ? 'Unarchive' : 'Archive', () => archive(d, async () => { await reload(); drawHead(); drawToolbar(); })),
    ] : [];
    replace(toolbar,
      h('label', { for: 'release-type', class: 'inline-label', text: 'Release type' }), types,
      h('span', { class: 'sep', 'aria-hidden': 'true' }),
      btn('zoom-out', '−', diagram.zoomOut, { 'aria-label': 'Zoom out', title: 'Zoom out (-)' }),
      btn('zoom-in', '+', diagram.zoomIn, { 'aria-label': 'Zoom in', title: 'Zoom in (+)' }),
      zoomLevel,
      btn('zoom-fit', 'Fit all', diagram.fit, { title: 'Show the whole diagram (0)' }),
      btn('zoom-height', 'Fit height', diagram.fitHeight, { title: 'Fit the diagram\u2019s height to the view (1)' }),
      ...editing,
      exportMenu(),
      btn('help', '?', showHelp, { 'aria-label': 'Keyboard shortcuts', title: 'Keyboard shortcuts (?)' }));
  }

  function exportMenu() {
    const q = (f) => `/api/sops/${ed.id}/export${api.query({ format: f, type: ed.type })}`;
    return h('details', { class: 'menu', id: 'export-menu' }, h('summary', { class: 'btn', text: 'Export' }),
      h('ul', null, EXPORTS.map((f) => h('li', null, h('a', { href: q(f), download: '', dataset: { format: f }, text: f.toUpperCase() })))));
  }

  async function loadDiagram(fit) {
    const src = `/api/sops/${ed.id}/diagram.svg${api.query({ type: ed.type })}`;
    try {
      await diagram.load(src, { keepView: !fit, view: `sop-${ed.id}` });
      diagramMsg.hidden = true;
      diagram.element.hidden = false;
    } catch (err) {
      diagram.element.hidden = true;
      replace(diagramMsg, h('p', { text: `The diagram cannot be drawn: ${err.message}` }),
        (err.findings || []).length ? h('ul', null, err.findings.map((f) => h('li', { text: findingText(f) }))) : null,
        h('p', { class: 'muted', text: 'Fix the problems in the YAML tab.' }));
      diagramMsg.hidden = false;
    }
  }

  function drawLint() {
    const list = ed.doc.findings || [];
    tabs.label('lint', list.length ? `Lint (${list.length})` : 'Lint');
    if (!list.length) { replace(lintPanel, h('p', { class: 'ok', text: 'No findings: this SOP follows the checked practice.' })); return; }
    replace(lintPanel, h('ul', { class: 'findings', id: 'lint-findings' }, list.map((f) => {
      const target = f.element ? elementOf(f.element) : null;
      return h('li', { class: `sev-${f.severity}` },
        h('button', { type: 'button', class: 'linklike', text: findingText(f),
          onclick: () => { if (target) { selectElement(target); tabs.show('inspect'); } else if (f.line) { tabs.show('yaml'); yaml.goTo(f.line, f.col); } } }),
        f.hint ? h('small', { class: 'hint', text: f.hint }) : null);
    })));
  }

  function elementOf(id) {
    const m = ed.model || {};
    if ((m.steps || []).some((s) => s.id === id)) return { kind: 'step', id };
    if ((m.roles || []).some((s) => s.id === id)) return { kind: 'role', id };
    if ((m.phases || []).some((s) => s.id === id)) return { kind: 'phase', id };
    return null;
  }

  // ---- selection ----

  function onDiagramClick(sel) {
    if (ed.connectFrom && sel && sel.kind === 'step') {
      const from = ed.connectFrom;
      cancelConnect();
      if (from !== sel.id) applyOps([{ op: 'connect', from, to: sel.id }], `Connected ${from} to ${sel.id}.`);
      return;
    }
    selectElement(sel, false);
  }

  /** selectElement selects a shape, panning to it when reveal is set and it is out of view. */
  function selectElement(sel, reveal = true) {
    ed.sel = sel;
    diagram.select(sel);
    if (sel && reveal) diagram.reveal(sel);
    drawInspector(inspectPanel, ed);
    comments.refresh();
    if (sel) announce(`Selected the ${sel.kind} ${sel.id}.`);
  }

  function startConnect(from) {
    ed.connectFrom = from;
    replace(banner, `Click the step that should follow “${from}”. `,
      h('button', { type: 'button', class: 'btn btn-small', text: 'Cancel', onclick: cancelConnect }));
    banner.hidden = false;
    diagram.element.focus();
  }

  function cancelConnect() {
    ed.connectFrom = null;
    banner.hidden = true;
  }

  // ---- changes ----

  /** commit runs one saving call; false when it failed (the error is shown). */
  async function commit(call, message, onConflict) {
    root.setAttribute('aria-busy', 'true');
    try {
      return await save(call, message, onConflict);
    } finally {
      root.setAttribute('aria-busy', 'false');
    }
  }

  async function save(call, message, onConflict) {
    try {
      await call(ed.doc.revision);
    } catch (err) {
      if (err.status === 409 && err.code === 'conflict') {
        if (onConflict) { onConflict(); return false; }
        showError(new Error('Someone else saved this SOP after you loaded it. Reload to see their version, then make your change again.'),
          { label: 'Reload', run: async () => { root.setAttribute('aria-busy', 'true'); await reload(); await redraw(); root.setAttribute('aria-busy', 'false'); } });
      } else {
        showError(err);
      }
      return false;
    }
    await reload();
    await redraw();
    announce(message);
    return true;
  }

  async function change(call, message, onConflict) {
    const before = ed.doc.source;
    const ok = await commit(call, message, onConflict);
    if (ok) { ed.undo.push(before); ed.redo = []; drawToolbar(); }
    return ok;
  }

  function applyOps(ops, message) {
    return change((rev) => api.post(`/api/sops/${ed.id}/ops`, { base_revision: rev, ops }), message);
  }

  function saveSource(source, message, { onConflict } = {}) {
    return change((rev) => api.put(`/api/sops/${ed.id}`, { source, base_revision: rev, message }), 'Saved.', onConflict)
      .then((ok) => { if (ok) yaml.setSource(ed.doc.source, true); return ok; });
  }

  async function undo() {
    if (!ed.canEdit || !ed.undo.length) return;
    const source = ed.undo.pop(), current = ed.doc.source;
    const ok = await commit((rev) => api.put(`/api/sops/${ed.id}`, { source, base_revision: rev, message: 'Undo' }), 'Undone.');
    if (ok) { ed.redo.push(current); yaml.setSource(ed.doc.source, true); } else ed.undo.push(source);
    drawToolbar();
  }

  async function redo() {
    if (!ed.canEdit || !ed.redo.length) return;
    const source = ed.redo.pop(), current = ed.doc.source;
    const ok = await commit((rev) => api.put(`/api/sops/${ed.id}`, { source, base_revision: rev, message: 'Redo' }), 'Redone.');
    if (ok) { ed.undo.push(current); yaml.setSource(ed.doc.source, true); } else ed.redo.push(source);
    drawToolbar();
  }

  async function setStatus(status) {
    await commit((rev) => api.post(`/api/sops/${ed.id}/status`, { status, base_revision: rev }), `Status: ${status}.`);
  }

  async function addStepAfter(after) {
    const name = await prompt('Add a step', 'Name of the new step');
    if (!name) return;
    const prev = ed.model.steps.find((s) => s.id === after) || {};
    const known = new Set(ed.model.steps.map((s) => s.id));
    const ok = await applyOps([{ op: 'add_step', after, step: { name, owner: prev.owner, phase: prev.phase } }], `Added “${name}”.`);
    const added = ok && ed.model && ed.model.steps.find((s) => !known.has(s.id));
    if (added) selectElement({ kind: 'step', id: added.id });
  }

  async function deleteStep(id) {
    if (!await confirm(`Delete the step “${id}”? Flows through it are reconnected.`, 'Delete')) return;
    if (await applyOps([{ op: 'remove_step', id }], `Deleted ${id}.`)) selectElement(null);
  }

  async function addRole() {
    const name = await prompt('Add a role', 'Name of the role (a new lane)');
    if (name) await applyOps([{ op: 'add_role', role: { name } }], `Added the role “${name}”.`);
  }

  function showHelp() {
    dialog('Keyboard shortcuts', () => h('table', { class: 'shortcuts' },
      h('tbody', null, SHORTCUTS.map(([k, what]) => h('tr', null, h('th', { scope: 'row' }, h('kbd', { text: k })), h('td', { text: what }))))));
  }

  // ---- keyboard ----

  async function onKey(e) {
    if (document.querySelector('dialog[open]')) return;
    const mod = e.ctrlKey || e.metaKey;
    if (mod && e.key.toLowerCase() === 's') {
      e.preventDefault();
      if (ed.canEdit) { tabs.show('yaml'); yaml.save(); }
      return;
    }
    if (isTyping(e.target)) return;
    if (mod && e.key.toLowerCase() === 'z') { e.preventDefault(); (e.shiftKey ? redo : undo)(); return; }
    if (mod && e.key.toLowerCase() === 'y') { e.preventDefault(); redo(); return; }
    if (mod || e.altKey) return;
    switch (e.key) {
      case '?': e.preventDefault(); showHelp(); break;
      case 'Escape': cancelConnect(); selectElement(null); break;
      case '+': case '=': diagram.zoomIn(); break;
      case '-': diagram.zoomOut(); break;
      case '0': diagram.fit(); break;
      case '1': diagram.fitHeight(); break;
      case 'Delete': case 'Backspace':
        if (ed.canEdit && ed.sel && ed.sel.kind === 'step') { e.preventDefault(); deleteStep(ed.sel.id); }
        break;
      default:
    }
  }
  document.addEventListener('keydown', onKey);
  return () => { document.removeEventListener('keydown', onKey); document.title = 'relsop'; };
}
