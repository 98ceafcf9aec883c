// inspector.js: the side panel that edits the selected step, lane (role) or
// phase — or the SOP itself when nothing is selected — through structured
// operations.
import { h, replace, field, select } from './dom.js';

export const KINDS = ['task', 'automated', 'gate', 'deploy', 'rollback', 'notify', 'start', 'end'];

/**
 * drawInspector fills panel for ed (the editor: model, sel, canEdit,
 * applyOps, addStepAfter, startConnect, deleteStep).
 */
export function drawInspector(panel, ed) {
  const { model, sel } = ed;
  if (!model) return replace(panel, h('p', { class: 'muted', text: 'The SOP does not load; fix it in the YAML tab.' }));
  const ro = !ed.canEdit;
  const roles = (model.roles || []).map((r) => [r.id, r.name || r.id]);
  const phases = (model.phases || []).map((p) => [p.id, p.name || p.id]);

  if (!sel) {
    const title = h('input', { type: 'text', id: 'sop-title', value: model.title || '', disabled: ro });
    const owner = select([['', '—'], ...roles], model.owner || '', { id: 'sop-owner', disabled: ro });
    return replace(panel, form('SOP', [field('Title', title), field('Owner role', owner)], ro, () => [
      changed('sop', null, 'title', model.title, title.value),
      changed('sop', null, 'owner', model.owner, owner.value),
    ], ed), h('p', { class: 'muted hint-select', text: 'Select a step, lane or phase in the diagram to edit it.' }),
    ro ? null : h('button', { type: 'button', class: 'btn', id: 'add-role', text: 'Add a role', onclick: () => ed.addRole() }));
  }

  if (sel.kind === 'role' || sel.kind === 'phase') {
    const list = sel.kind === 'role' ? model.roles : model.phases;
    const item = (list || []).find((x) => x.id === sel.id);
    if (!item) return replace(panel, h('p', { class: 'muted', text: `No ${sel.kind} “${sel.id}” in the base flow.` }));
    const name = h('input', { type: 'text', id: `${sel.kind}-name`, value: item.name || '', disabled: ro });
    return replace(panel, form(sel.kind === 'role' ? `Role (lane) ${item.id}` : `Phase ${item.id}`,
      [field('Name', name)], ro, () => [changed(sel.kind, item.id, 'name', item.name, name.value)], ed));
  }

  const step = (model.steps || []).find((s) => s.id === sel.id);
  if (!step) return replace(panel, h('p', { class: 'muted', text: `The step “${sel.id}” is not in the base flow (it comes from a release type).` }));
  const kind = step.kind || 'task';
  const name = h('input', { type: 'text', id: 'step-name', value: step.name || '', disabled: ro });
  const kindSel = select(KINDS, kind, { id: 'step-kind', disabled: ro });
  const owner = select(roles, step.owner || '', { id: 'step-owner', disabled: ro });
  const phase = select(phases, step.phase || '', { id: 'step-phase', disabled: ro });
  const desc = h('textarea', { id: 'step-description', rows: '4', value: step.description || '', disabled: ro });
  const fields = [field('Name', name), field('Kind', kindSel), field('Owner role', owner), field('Phase', phase), field('Description', desc)];
  let gateFields = () => [];
  if (kind === 'gate') {
    const criteria = h('textarea', { id: 'gate-criteria', rows: '4', value: (step.criteria || []).join('\n'), disabled: ro });
    const approvers = h('fieldset', { class: 'checks' }, h('legend', { text: 'Approvers' }),
      roles.map(([id, label]) => h('label', { class: 'check' },
        h('input', { type: 'checkbox', value: id, checked: (step.approvers || []).includes(id), disabled: ro }), ` ${label}`)));
    fields.push(field('Criteria', criteria, 'One criterion per line.'), approvers);
    gateFields = () => [
      changedList('criteria', step.criteria, criteria.value.split('\n').map((s) => s.trim()).filter(Boolean)),
      changedList('approvers', step.approvers, [...approvers.querySelectorAll('input:checked')].map((i) => i.value)),
    ];
  }
  const changedList = (f, before, after) => (JSON.stringify(before || []) === JSON.stringify(after) ? null
    : { op: 'set', kind: 'step', id: step.id, field: f, value: after });
  replace(panel, form(`Step ${step.id}`, fields, ro, () => [
    changed('step', step.id, 'name', step.name, name.value),
    changed('step', step.id, 'kind', kind, kindSel.value),
    changed('step', step.id, 'owner', step.owner, owner.value),
    changed('step', step.id, 'phase', step.phase, phase.value),
    changed('step', step.id, 'description', step.description, desc.value),
    ...gateFields(),
  ], ed), ro ? null : h('div', { class: 'actions' },
    h('button', { type: 'button', class: 'btn', id: 'add-after', text: 'Add step after', onclick: () => ed.addStepAfter(step.id) }),
    h('button', { type: 'button', class: 'btn', id: 'connect', text: 'Connect to…', onclick: () => ed.startConnect(step.id) }),
    h('button', { type: 'button', class: 'btn btn-danger', id: 'delete-step', text: 'Delete step', onclick: () => ed.deleteStep(step.id) })));
}

function changed(kind, id, f, before, after) {
  if ((before || '') === after) return null;
  const op = { op: 'set', kind, field: f, value: after };
  if (id !== null) op.id = id;
  return op;
}

function form(title, fields, ro, ops, ed) {
  const f = h('form', { class: 'stack inspector', id: 'inspector-form' },
    h('h3', { text: title }), fields,
    ro ? h('p', { class: 'muted', text: 'You can view this SOP; editing needs the editor role.' })
      : h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-primary', id: 'apply', text: 'Apply' })));
  f.addEventListener('submit', (e) => {
    e.preventDefault();
    const list = ops().filter(Boolean);
    if (list.length) ed.applyOps(list, 'Applied the change.');
  });
  return f;
}
