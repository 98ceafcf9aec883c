// selection.js: what the user does to the diagram's shapes: select one
// (clicks, lint links, after an edit), connect two steps, add or delete a
// step, add, move or remove a role, phase or environment. The inspector reaches
// these through the editor API.
import { h, replace, field } from './dom.js';
import { announce, confirm, dialog, prompt } from './ui.js';

/**
 * createSelection returns {onDiagramClick, selectElement, startConnect,
 * cancelConnect, addStepAfter, deleteStep, addRole, addPhase,
 * addEnvironment, moveElement, removeElement, addVariant, removeVariant} for ctx, the editor's shared parts
 * (editor.js).
 */
export function createSelection(ctx) {
  const { ed, diagram, banner, comments } = ctx;

  async function onDiagramClick(sel) {
    if (ed.connectFrom && sel && sel.kind === 'step') {
      const from = ed.connectFrom;
      cancelConnect();
      if (from === sel.id) return;
      const op = { op: 'connect', from, to: sel.id };
      const gate = ((ed.model && ed.model.steps) || []).find((s) => s.id === from && s.kind === 'gate');
      if (gate) { // a gate's flows are its outcomes: which one leads there?
        op.label = await prompt('Which outcome?', `The outcome of ${from} that leads to ${sel.id}, such as go, no-go or escalate`);
        if (!op.label) return;
      }
      await ctx.applyOps([op], `Connected ${from} to ${sel.id}${op.label ? ` on ${op.label}` : ''}.`);
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

  /** addRole adds a lane after the role after (default: the last) and selects it. */
  async function addRole(after) {
    const name = await prompt('Add a role', 'Name of the role (a new lane)');
    if (name) await addElement('role', { op: 'add_role', after, role: { name } }, `Added the role “${name}”.`);
  }

  /** addPhase adds a phase band after the phase after (default: the last) and selects it. */
  async function addPhase(after) {
    const name = await prompt('Add a phase', 'Name of the phase (a new column)');
    if (name) await addElement('phase', { op: 'add_phase', after, phase: { name } }, `Added the phase “${name}”.`);
  }

  /** addEnvironment adds a deployment target after the last one. */
  async function addEnvironment() {
    const env = await dialog('Add an environment', (close) => {
      const name = h('input', { type: 'text', id: 'environment-new-name', required: true });
      const production = h('input', { type: 'checkbox', id: 'environment-new-production' });
      setTimeout(() => name.focus(), 0);
      return h('form', { class: 'stack', onsubmit: (e) => { e.preventDefault(); close({ name: name.value.trim(), production: production.checked }); } },
        field('Name', name, 'Such as staging, canary or production.'),
        h('label', { class: 'field-check' }, production, 'Production: it serves customers'),
        h('div', { class: 'actions' },
          h('button', { type: 'submit', class: 'btn btn-primary', text: 'Add' }),
          h('button', { type: 'button', class: 'btn', text: 'Cancel', onclick: () => close(null) })));
    });
    if (env && env.name) await ctx.applyOps([{ op: 'add_environment', environment: env }], `Added the environment “${env.name}”.`);
  }

  /**
   * removeElement removes a role, phase or environment. The server refuses
   * while steps still name it, and says which.
   */
  async function removeElement(kind, id) {
    const what = { role: 'role (and its lane)', phase: 'phase', environment: 'environment' }[kind];
    if (!await confirm(`Remove the ${what} “${id}”? Steps that name it must be changed first.`, 'Remove')) return;
    const ok = await ctx.applyOps([{ op: `remove_${kind}`, id }], `Removed the ${kind} ${id}.`);
    if (ok && ed.sel && ed.sel.kind === kind && ed.sel.id === id) selectElement(null);
  }

  /** addVariant adds a release type, a copy of the base flow, and shows it. */
  async function addVariant() {
    const name = await prompt('Add a release type', 'Name of the release type (such as Hotfix)');
    const id = (name || '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
    if (!id) return;
    if (await ctx.applyOps([{ op: 'add_release_type', release_type: { id, name } }], `Added the release type “${name}”.`)) await ctx.showType(id);
  }

  /** removeVariant removes a release type and goes back to the base flow. */
  async function removeVariant(id) {
    if (!await confirm(`Remove the release type “${id}”, with the steps it adds and changes?`, 'Remove')) return;
    if (await ctx.applyOps([{ op: 'remove_release_type', id }], `Removed the release type ${id}.`)) await ctx.showType('');
  }

  /** moveElement moves a role, phase or environment; where is {after} or {before}, an id. */
  async function moveElement(kind, id, where) {
    await ctx.applyOps([{ op: `move_${kind}`, id, ...where }], `Moved the ${kind} ${id}.`);
  }

  /** addElement applies op, which adds a role or phase, and selects what it added. */
  async function addElement(kind, op, message) {
    const list = () => (kind === 'role' ? ed.model.roles : ed.model.phases) || [];
    const known = new Set(list().map((x) => x.id));
    const ok = await ctx.applyOps([op], message);
    const added = ok && ed.model && list().find((x) => !known.has(x.id));
    if (added) selectElement({ kind, id: added.id });
  }

  return { onDiagramClick, selectElement, startConnect, cancelConnect, addStepAfter, deleteStep, addRole, addPhase, addEnvironment, moveElement, removeElement, addVariant, removeVariant };
}
