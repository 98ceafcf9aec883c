// shortcuts.js: the SOP editor's keyboard shortcuts and the help dialog
// that lists them.
import { h, isTyping } from './dom.js';
import { announce, dialog } from './ui.js';

const SHORTCUTS = [
  ['?', 'Show this help'], ['Escape', 'Clear the selection, cancel connecting'], ['Delete', 'Delete the selected step'],
  ['+ / -', 'Zoom in / out'], ['0', 'Fit the whole diagram'], ['1', 'Fit the diagram\u2019s height'], ['Ctrl+Z', 'Undo'], ['Ctrl+Shift+Z, Ctrl+Y', 'Redo'],
  ['Ctrl+S', 'Save the YAML tab'], ['Enter on a focused shape', 'Select it'],
  ['Alt+↑ / Alt+↓', 'Move the selected step to the lane above / below'],
  ['Alt+← / Alt+→', 'Move the selected step to the phase before / after'],
];

// MOUSE lists what the pointer does, under the shortcuts.
const MOUSE = [
  ['Drag the background', 'Pan'], ['Drag a step', 'Move it to another lane (owner) or phase'], ['Wheel', 'Zoom'],
];

export function showHelp() {
  const rows = (list, tag) => list.map(([k, what]) => h('tr', null, h('th', { scope: 'row' }, h(tag, { text: k })), h('td', { text: what })));
  dialog('Keyboard shortcuts', () => h('table', { class: 'shortcuts' },
    h('tbody', null, rows(SHORTCUTS, 'kbd'), rows(MOUSE, 'span'))));
}

/** createKeys returns the keydown handler for ctx, the editor's shared parts (editor.js). */
export function createKeys(ctx) {
  const { ed, diagram, tabs, yaml } = ctx;
  return async function onKey(e) {
    if (document.querySelector('dialog[open]')) return;
    const mod = e.ctrlKey || e.metaKey;
    if (mod && e.key.toLowerCase() === 's') {
      e.preventDefault();
      if (ed.canEdit) { tabs.show('yaml'); yaml.save(); }
      return;
    }
    if (isTyping(e.target)) return;
    if (mod && e.key.toLowerCase() === 'z') { e.preventDefault(); (e.shiftKey ? ctx.redo : ctx.undo)(); return; }
    if (mod && e.key.toLowerCase() === 'y') { e.preventDefault(); ctx.redo(); return; }
    if (e.altKey && !mod && e.key.startsWith('Arrow')) { moveSelected(e); return; }
    if (mod || e.altKey) return;
    switch (e.key) {
      case '?': e.preventDefault(); showHelp(); break;
      case 'Escape': ctx.cancelConnect(); ctx.selectElement(null); break;
      case '+': case '=': diagram.zoomIn(); break;
      case '-': diagram.zoomOut(); break;
      case '0': diagram.fit(); break;
      case '1': diagram.fitHeight(); break;
      case 'Delete': case 'Backspace':
        if (ed.canEdit && ed.sel && ed.sel.kind === 'step') { e.preventDefault(); ctx.deleteStep(ed.sel.id); }
        break;
      default:
    }
  };

  /**
   * moveSelected moves the selected step one lane up or down, or one phase
   * back or on, as dragging it there would: the keyboard's way to move it.
   */
  function moveSelected(e) {
    const step = ed.canEdit && ed.sel && ed.sel.kind === 'step' && ((ed.model && ed.model.steps) || []).find((s) => s.id === ed.sel.id);
    if (!step) return;
    e.preventDefault();
    const lanes = (e.key === 'ArrowUp' || e.key === 'ArrowDown');
    const [field, list, current] = lanes ? ['owner', ed.model.roles || [], step.owner] : ['phase', ed.model.phases || [], step.phase];
    const i = list.findIndex((x) => x.id === current);
    const next = list[i + (e.key === 'ArrowUp' || e.key === 'ArrowLeft' ? -1 : 1)];
    if (i < 0 || !next) { announce(`${step.id} is in the ${lanes ? 'first or last lane' : 'first or last phase'} already.`); return; }
    ctx.applyOps([{ op: 'set', kind: 'step', id: step.id, field, value: next.id }],
      `Moved ${step.id} to the ${lanes ? 'lane' : 'phase'} “${next.name || next.id}”.`);
  }
}
