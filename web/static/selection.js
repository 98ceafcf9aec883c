// selection.js: what the user does to the diagram's shapes: select one
// (clicks, lint links, after an edit), connect two steps, add or delete a
// step, add a role. The inspector reaches these through the editor API.
import { h, replace } from './dom.js';
import { announce, confirm, prompt } from './ui.js';

/**
 * createSelection returns {onDiagramClick, selectElement, startConnect,
 * cancelConnect, addStepAfter, deleteStep, addRole} for ctx, the editor's
 * shared parts (editor.js).
 */
export function createSelection(ctx) {
  const { ed, diagram, banner, comments } = ctx;

  function onDiagramClick(sel) {
    if (ed.connectFrom && sel && sel.kind === 'step') {
      const from = ed.connectFrom;
      cancelConnect();
      if (from !== sel.id) ctx.applyOps([{ op: 'connect', from, to: sel.id }], `Connected ${from} to ${sel.id}.`);
      return;
    }
    selectElement(sel, false);
  }

  /** selectElement selects a shape, panning to it when reveal is set and it is out of view. */
  function selectElement(sel, reveal = true) {
    ed.sel = sel;
    diagram.select(sel);
    if (sel && reveal) diagram.reveal(sel);
    ctx.drawSide();
    if (ed.live) ed.live.select(sel);
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

  async function addStepAfter(after) {
    const name = await prompt('Add a step', 'Name of the new step');
    if (!name) return;
    const prev = ed.model.steps.find((s) => s.id === after) || {};
    const known = new Set(ed.model.steps.map((s) => s.id));
    const ok = await ctx.applyOps([{ op: 'add_step', after, step: { name, owner: prev.owner, phase: prev.phase } }], `Added “${name}”.`);
    const added = ok && ed.model && ed.model.steps.find((s) => !known.has(s.id) && s.name === name);
    if (added) selectElement({ kind: 'step', id: added.id });
  }

  async function deleteStep(id) {
    if (!await confirm(`Delete the step “${id}”? Flows through it are reconnected.`, 'Delete')) return;
    if (await ctx.applyOps([{ op: 'remove_step', id }], `Deleted ${id}.`)) selectElement(null);
  }

  async function addRole() {
    const name = await prompt('Add a role', 'Name of the role (a new lane)');
    if (name) await ctx.applyOps([{ op: 'add_role', role: { name } }], `Added the role “${name}”.`);
  }

  return { onDiagramClick, selectElement, startConnect, cancelConnect, addStepAfter, deleteStep, addRole };
}
