// toolbar.js: the editor's toolbar (release type, zoom, undo and redo,
// status changes, duplicate, archive, the export menu, help) and the undo
// and redo stacks it drives: each entry holds the server's inverse operations.
import * as api from './api.js';
import { h, replace, select } from './dom.js';
import { duplicate, archive } from './library.js';
import { showHelp } from './shortcuts.js';

export const EXPORTS = ['svg', 'png', 'pdf', 'document', 'markdown', 'bpmn', 'mermaid', 'plantuml', 'drawio', 'dot', 'd2', 'yaml'];

// exportLabel names a format in the menu: the diagram formats by their
// names, the two documents by what they are.
const exportLabel = (f) => ({ pdf: 'PDF diagram', document: 'PDF document', markdown: 'Markdown document' })[f] || f.toUpperCase();
const TRANSITIONS = {
  draft: [['in-review', 'Submit for review']],
  'in-review': [['approved', 'Approve'], ['draft', 'Back to draft']],
  approved: [['retired', 'Retire']],
  retired: [],
};

/** createToolbar returns {drawToolbar, undoButtons, undo, redo, showType} for ctx, the editor's shared parts (editor.js). */
export function createToolbar(ctx) {
  const { ed, toolbar, diagram, zoomLevel } = ctx;
  let toolbarKey = '';

  function drawToolbar() {
    // The release types of the live source (variants, in the opened
    // document), not the list saved with the last revision (release_types).
    const types = (ed.doc.variants || []).map((v) => [v.id, v.name || v.id]);
    const key = JSON.stringify([ed.doc.status, ed.doc.archived, types, ed.canEdit, ed.type, ed.doc.export_notes]);
    if (key === toolbarKey) { undoButtons(); return; }
    toolbarKey = key;
    const d = ed.doc;
    const typeSelect = select([['', 'Base flow'], ...types], ed.type, {
      id: 'release-type',
      onchange: (e) => showType(e.target.value),
    });
    const btn = (id, text, onclick, props = {}) => h('button', { type: 'button', class: 'btn', id, text, onclick, ...props });
    const editing = ed.canEdit ? [
      h('span', { class: 'sep', 'aria-hidden': 'true' }),
      btn('undo', 'Undo', undo, { disabled: !ed.undo.length, title: 'Ctrl+Z' }),
      btn('redo', 'Redo', redo, { disabled: !ed.redo.length, title: 'Ctrl+Shift+Z' }),
      h('span', { class: 'sep', 'aria-hidden': 'true' }),
      ...(TRANSITIONS[d.status] || []).map(([to, label]) => btn(`status-${to}`, label, () => ctx.setStatus(to))),
      btn('duplicate', 'Duplicate', () => duplicate(d)),
      btn('archive', d.archived ? 'Unarchive' : 'Archive', () => archive(d, async () => { await ctx.reload(); ctx.drawHead(); drawToolbar(); })),
    ] : [];
    replace(toolbar,
      h('label', { for: 'release-type', class: 'inline-label', text: 'Release type' }), typeSelect,
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

  /**
   * exportMenu links each export format; a format whose own tool is known
   * to fail on this SOP (Mermaid and D2 on large ones) is marked, with the
   * server's note under the list.
   */
  /** showType draws the release type id ('' for the base flow) and its side panel. */
  async function showType(id) {
    ed.type = id;
    toolbarKey = '';
    drawToolbar();
    if (ed.sel) ctx.selectElement(null, false);
    await ctx.loadDiagram(false);
    ctx.drawSide();
  }

  function exportMenu() {
    const q = (f) => `/api/sops/${ed.id}/export${api.query({ format: f, type: ed.type })}`;
    const notes = ed.doc.export_notes || {};
    const noteId = (f) => `export-note-${f}`;
    return h('details', { class: 'menu', id: 'export-menu' }, h('summary', { class: 'btn', text: 'Export' }),
      h('ul', null, EXPORTS.map((f) => h('li', null, h('a', { href: q(f), download: '', dataset: { format: f }, 'aria-describedby': notes[f] ? noteId(f) : null },
        exportLabel(f), notes[f] ? h('span', { class: 'menu-warn', 'aria-hidden': 'true', text: ' ⚠' }) : null))),
      EXPORTS.filter((f) => notes[f]).map((f) => h('li', { class: 'menu-note hint', id: noteId(f) },
        h('strong', { text: `⚠ ${exportLabel(f)}: ` }), notes[f]))));
  }

  function undoButtons() {
    const u = toolbar.querySelector('#undo'), r = toolbar.querySelector('#redo');
    if (u) u.disabled = !ed.undo.length;
    if (r) r.disabled = !ed.redo.length;
  }

  async function undo() {
    if (!ed.canEdit || !ed.undo.length) return;
    const entry = ed.undo.pop();
    undoButtons();
    await ctx.applyOps(entry.ops, 'Undone.', 'undo');
  }

  async function redo() {
    if (!ed.canEdit || !ed.redo.length) return;
    const entry = ed.redo.pop();
    undoButtons();
    await ctx.applyOps(entry.ops, 'Redone.', 'redo');
  }

  return { drawToolbar, undoButtons, undo, redo, showType };
}
