// inspector.js: the side panel that edits the selected step, lane (role) or
// phase — or the SOP itself, with its environments, when nothing is
// selected — through structured operations.
import { h, replace, field, select } from './dom.js';
import { changed, form } from './inspectform.js';
import { stepPanel } from './inspectstep.js';

/**
 * drawInspector fills panel for ed (the editor: model, sel, canEdit,
 * applyOps, addStepAfter, startConnect, deleteStep, addRole, addPhase,
 * addEnvironment, removeElement).
 */
export function drawInspector(panel, ed) {
  const { model, sel } = ed;
  if (!model) return replace(panel, h('p', { class: 'muted', text: 'The SOP does not load; fix it in the YAML tab.' }));
  if (!sel) return sopPanel(panel, ed);
  if (sel.kind === 'role' || sel.kind === 'phase') return elementPanel(panel, ed, sel);
  const step = (model.steps || []).find((s) => s.id === sel.id);
  if (!step) return replace(panel, h('p', { class: 'muted', text: `The step “${sel.id}” is not in the base flow (it comes from a release type).` }));
  return stepPanel(panel, ed, step);
}

/** sopPanel edits the SOP's own fields and its environments, and adds roles and phases. */
function sopPanel(panel, ed) {
  const { model } = ed;
  const ro = !ed.canEdit;
  const roles = (model.roles || []).map((r) => [r.id, r.name || r.id]);
  const text = (id, value) => h('input', { type: 'text', id, value: value || '', disabled: ro });
  const area = (id, value) => h('textarea', { id, rows: '3', value: value || '', disabled: ro });
  const title = text('sop-title', model.title);
  const version = text('sop-version', model.version);
  const owner = select([['', '—'], ...roles], model.owner || '', { id: 'sop-owner', disabled: ro });
  const scope = area('sop-scope', model.scope);
  const desc = area('sop-description', model.description);
  const envs = (model.environments || []).map((env) => ({ env, name: text(`environment-name-${env.id}`, env.name) }));
  const fields = [field('Title', title), h('div', { class: 'row' }, field('Version', version), field('Owner role', owner)),
    field('Scope', scope, 'What the SOP covers and what it does not.'), field('Description', desc),
    environmentList(envs, ro, ed)];
  replace(panel, form('SOP', fields, ro, () => [
    changed('sop', null, 'title', model.title, title.value),
    changed('sop', null, 'version', model.version, version.value.trim()),
    changed('sop', null, 'owner', model.owner, owner.value),
    changed('sop', null, 'scope', model.scope, scope.value),
    changed('sop', null, 'description', model.description, desc.value),
    ...envs.map(({ env, name }) => changed('environment', env.id, 'name', env.name, name.value)),
  ], ed), h('p', { class: 'muted hint-select', text: 'Select a step, lane or phase in the diagram to edit it.' }),
  ro ? null : h('div', { class: 'actions' },
    h('button', { type: 'button', class: 'btn', id: 'add-role', text: 'Add a role', onclick: () => ed.addRole() }),
    h('button', { type: 'button', class: 'btn', id: 'add-phase', text: 'Add a phase', onclick: () => ed.addPhase() })));
}

/**
 * environmentList lists the deployment targets, first to last, each with
 * its name to edit and a button to remove it; deploy and rollback steps
 * name them.
 */
function environmentList(envs, ro, ed) {
  const items = envs.map(({ env, name }) => {
    name.setAttribute('aria-label', `Name of the environment ${env.id}`);
    return h('li', { class: 'env-item', dataset: { id: env.id } }, name,
      env.production ? h('span', { class: 'badge badge-production', text: 'production', title: 'Serves customers' }) : null,
      ro ? null : h('button', { type: 'button', class: 'btn btn-small btn-quiet', text: 'Remove', 'aria-label': `Remove the environment ${env.id}`,
        onclick: () => ed.removeElement('environment', env.id) }));
  });
  return h('fieldset', { class: 'checks environments', id: 'environments' }, h('legend', { text: 'Environments' }),
    items.length ? h('ol', { class: 'env-list' }, items) : h('p', { class: 'muted', text: 'No environments yet.' }),
    ro ? null : h('button', { type: 'button', class: 'btn btn-small', id: 'add-environment', text: 'Add an environment', onclick: () => ed.addEnvironment() }));
}

/** elementPanel edits a role (a lane) or a phase, and adds or removes one. */
function elementPanel(panel, ed, sel) {
  const { model } = ed;
  const ro = !ed.canEdit;
  const isRole = sel.kind === 'role';
  const item = ((isRole ? model.roles : model.phases) || []).find((x) => x.id === sel.id);
  if (!item) return replace(panel, h('p', { class: 'muted', text: `No ${sel.kind} “${sel.id}” in the base flow.` }));
  const name = h('input', { type: 'text', id: `${sel.kind}-name`, value: item.name || '', disabled: ro });
  const desc = h('textarea', { id: `${sel.kind}-description`, rows: '3', value: item.description || '', disabled: ro });
  const noun = isRole ? 'role' : 'phase';
  replace(panel, form(isRole ? `Role (lane) ${item.id}` : `Phase ${item.id}`,
    [field('Name', name), field('Description', desc)], ro, () => [
      changed(sel.kind, item.id, 'name', item.name, name.value),
      changed(sel.kind, item.id, 'description', item.description, desc.value),
    ], ed),
  ro ? null : h('div', { class: 'actions' },
    h('button', { type: 'button', class: 'btn', id: `add-${noun}-after`, text: `Add a ${noun} after`,
      onclick: () => (isRole ? ed.addRole(item.id) : ed.addPhase(item.id)) }),
    h('button', { type: 'button', class: 'btn btn-danger', id: `remove-${noun}`, text: `Remove ${noun}`,
      onclick: () => ed.removeElement(sel.kind, item.id) })));
}
