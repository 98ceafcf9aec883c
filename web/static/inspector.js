// inspector.js: the side panel that edits the selected step, lane (role) or
// phase — or the SOP itself, with its environments, when nothing is
// selected — through structured operations.
import { h, replace, field, select } from './dom.js';
import { changed, form, textInput, textArea } from './inspectform.js';
import { stepPanel } from './inspectstep.js';
import { variantPanel } from './inspectvariant.js';

/**
 * drawInspector fills panel for ed (the editor: model, sel, canEdit,
 * applyOps, recordReview, addStepAfter, startConnect, deleteStep, addRole,
 * addPhase, addEnvironment, moveElement, removeElement).
 */
export function drawInspector(panel, ed) {
  const { model, sel } = ed;
  if (!model) return replace(panel, h('p', { class: 'muted', text: 'The SOP does not load; fix it in the YAML tab.' }));
  const variant = ed.type ? (ed.doc.variants || []).find((v) => v.id === ed.type) : null;
  if (!sel && variant) return variantPanel(panel, ed, variant);
  if (!sel) return sopPanel(panel, ed);
  if (sel.kind === 'role' || sel.kind === 'phase') return elementPanel(panel, ed, sel);
  const step = (model.steps || []).find((s) => s.id === sel.id);
  if (!step) return replace(panel, h('p', { class: 'muted', text: `The step “${sel.id}” is not in the base flow (it comes from a release type).` }));
  return stepPanel(panel, ed, step, variant);
}

/** sopPanel edits the SOP's own fields and its environments, and adds roles and phases. */
function sopPanel(panel, ed) {
  const { model } = ed;
  const ro = !ed.canEdit;
  const roles = (model.roles || []).map((r) => [r.id, r.name || r.id]);
  const text = (id, value) => textInput(id, value, ro);
  const area = (id, value) => textArea(id, value, ro);
  const title = text('sop-title', model.title);
  const version = text('sop-version', model.version);
  const owner = select([['', '—'], ...roles], model.owner || '', { id: 'sop-owner', disabled: ro });
  const scope = area('sop-scope', model.scope);
  const desc = area('sop-description', model.description);
  const envs = (model.environments || []).map((env) => ({ env, name: text(`environment-name-${env.id}`, env.name),
    production: h('input', { type: 'checkbox', id: `environment-production-${env.id}`, checked: Boolean(env.production), disabled: ro }) }));
  const review = model.review || {};
  const cadence = text('review-cadence', review.cadence);
  const reviewed = h('input', { type: 'date', id: 'review-last-reviewed', value: review.last_reviewed || '', disabled: ro });
  const fields = [field('Title', title), h('div', { class: 'row' }, field('Version', version), field('Owner role', owner)),
    field('Scope', scope, 'What the SOP covers and what it does not.'), field('Description', desc),
    h('fieldset', { class: 'checks', id: 'review' }, h('legend', { text: 'Review' }),
      h('div', { class: 'row' },
        field('Cadence', cadence, 'weekly, monthly, quarterly, annually, or like 90d'),
        field('Last reviewed', reviewed)),
      ro ? null : h('button', { type: 'button', class: 'btn btn-small', id: 'reviewed-today', text: 'Reviewed today',
        onclick: () => ed.recordReview() })),
    environmentList(envs, ro, ed)];
  replace(panel, form('SOP', fields, ro, () => [
    changed('sop', null, 'title', model.title, title.value),
    changed('sop', null, 'version', model.version, version.value.trim()),
    changed('sop', null, 'owner', model.owner, owner.value),
    changed('sop', null, 'scope', model.scope, scope.value),
    changed('sop', null, 'description', model.description, desc.value),
    changed('sop', null, 'review.cadence', review.cadence, cadence.value.trim()),
    changed('sop', null, 'review.last_reviewed', review.last_reviewed, reviewed.value),
    ...envs.flatMap(({ env, name, production }) => [
      changed('environment', env.id, 'name', env.name, name.value),
      Boolean(env.production) === production.checked ? null
        : { op: 'set', kind: 'environment', id: env.id, field: 'production', value: production.checked },
    ]),
  ], ed), h('p', { class: 'muted hint-select', text: 'Select a step, lane or phase in the diagram to edit it.' }),
  ro ? null : h('div', { class: 'actions' },
    h('button', { type: 'button', class: 'btn', id: 'add-role', text: 'Add a role', onclick: () => ed.addRole() }),
    h('button', { type: 'button', class: 'btn', id: 'add-phase', text: 'Add a phase', onclick: () => ed.addPhase() }),
    h('button', { type: 'button', class: 'btn', id: 'add-variant', text: 'Add a release type', onclick: () => ed.addVariant() })));
}

/**
 * environmentList lists the deployment targets, first to last, each with
 * its name and production flag to edit and buttons to move it along the
 * way to production or remove it; deploy and rollback steps name them.
 */
function environmentList(envs, ro, ed) {
  const items = envs.map(({ env, name, production }, i) => {
    name.setAttribute('aria-label', `Name of the environment ${env.id}`);
    const small = (text, label, onclick, disabled = false) => h('button', { type: 'button', class: 'btn btn-small btn-quiet', text, 'aria-label': label, title: label, disabled, onclick });
    return h('li', { class: 'env-item', dataset: { id: env.id } }, name,
      h('label', { class: 'env-production', title: 'It serves customers' }, production, 'production'),
      ro ? null : [
        small('↑', `Move the environment ${env.id} earlier`, () => ed.moveElement('environment', env.id, { before: envs[i - 1].env.id }), i === 0),
        small('↓', `Move the environment ${env.id} later`, () => ed.moveElement('environment', env.id, { after: envs[i + 1].env.id }), i === envs.length - 1),
        small('Remove', `Remove the environment ${env.id}`, () => ed.removeElement('environment', env.id)),
      ]);
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
  const name = textInput(`${sel.kind}-name`, item.name, ro);
  const desc = textArea(`${sel.kind}-description`, item.description, ro);
  const noun = isRole ? 'role' : 'phase';
  const list = (isRole ? model.roles : model.phases) || [];
  const at = list.indexOf(item);
  // Lanes are rows and phases columns in the workspace's diagram.
  const [earlier, later] = isRole ? ['Move up', 'Move down'] : ['Move left', 'Move right'];
  replace(panel, form(isRole ? `Role (lane) ${item.id}` : `Phase ${item.id}`,
    [field('Name', name), field('Description', desc)], ro, () => [
      changed(sel.kind, item.id, 'name', item.name, name.value),
      changed(sel.kind, item.id, 'description', item.description, desc.value),
    ], ed),
  ro ? null : h('div', { class: 'actions' },
    h('button', { type: 'button', class: 'btn', id: `move-${noun}-earlier`, text: earlier, disabled: at === 0,
      onclick: () => ed.moveElement(sel.kind, item.id, { before: list[at - 1].id }) }),
    h('button', { type: 'button', class: 'btn', id: `move-${noun}-later`, text: later, disabled: at === list.length - 1,
      onclick: () => ed.moveElement(sel.kind, item.id, { after: list[at + 1].id }) })),
  ro ? null : h('div', { class: 'actions' },
    h('button', { type: 'button', class: 'btn', id: `add-${noun}-after`, text: `Add a ${noun} after`,
      onclick: () => (isRole ? ed.addRole(item.id) : ed.addPhase(item.id)) }),
    h('button', { type: 'button', class: 'btn btn-danger', id: `remove-${noun}`, text: `Remove ${noun}`,
      onclick: () => ed.removeElement(sel.kind, item.id) })));
}
