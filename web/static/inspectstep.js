// inspectstep.js: the side panel's form for the selected step. It shows the
// fields every step has and those of its kind: where a deploy or rollback
// goes, what runs an automated step, where a notify step's message goes,
// a gate's criteria and approvers.
import { h, replace, field, select } from './dom.js';
import { changed, changedList, changedSet, form, lines, nameOf, textArea, textInput } from './inspectform.js';
import { skipButton } from './inspectvariant.js';

export const KINDS = ['task', 'automated', 'gate', 'deploy', 'rollback', 'notify', 'start', 'end'];

const HAS_ENVIRONMENT = new Set(['deploy', 'rollback']);
const HAS_TOOL = new Set(['automated', 'deploy', 'rollback']);

/**
 * stepPanel fills panel with the form of step (ed: see drawInspector);
 * variant is the release type the diagram shows, or null for the base flow.
 */
export function stepPanel(panel, ed, step, variant) {
  const { model } = ed;
  const ro = !ed.canEdit;
  const roles = (model.roles || []).map((r) => [r.id, r.name || r.id]);
  const phases = (model.phases || []).map((p) => [p.id, p.name || p.id]);
  const environments = (model.environments || []).map((e) => [e.id, e.name || e.id]);
  const kind = step.kind || 'task';
  const text = (id, value) => textInput(id, value, ro);
  const area = (id, value, rows = 3) => textArea(id, value, ro, rows);

  const name = text('step-name', step.name);
  const kindSel = select(KINDS, kind, { id: 'step-kind', disabled: ro });
  const owner = select(roles, step.owner || '', { id: 'step-owner', disabled: ro });
  const phase = select(phases, step.phase || '', { id: 'step-phase', disabled: ro });
  const desc = area('step-description', step.description, 4);
  const duration = text('step-duration', step.duration);
  const sla = text('step-sla', step.sla);
  const evidence = area('step-evidence', (step.evidence || []).join('\n'));
  const notes = area('step-notes', step.notes);
  const links = area('step-links', (step.links || []).map((l) => (l.title === l.url ? l.url : `${l.title} | ${l.url}`)).join('\n'));
  const fields = [field('Name', name), field('Kind', kindSel), field('Owner role', owner), field('Phase', phase)];
  const ops = [
    () => changed('step', step.id, 'name', step.name, name.value),
    () => changed('step', step.id, 'kind', kind, kindSel.value),
    () => changed('step', step.id, 'owner', step.owner, owner.value),
    () => changed('step', step.id, 'phase', step.phase, phase.value),
    () => changed('step', step.id, 'description', step.description, desc.value),
    () => changed('step', step.id, 'duration', step.duration, duration.value.trim()),
    () => changed('step', step.id, 'sla', step.sla, sla.value.trim()),
    () => changedList('step', step.id, 'evidence', step.evidence, evidence.value),
    () => changed('step', step.id, 'notes', step.notes, notes.value),
    () => changedLinks(step, links.value),
  ];

  if (HAS_ENVIRONMENT.has(kind)) {
    const env = select([['', '—'], ...environments], step.environment || '', { id: 'step-environment', disabled: ro });
    fields.push(field('Environment', env, kind === 'deploy' ? 'Where this step deploys.' : 'Where this step rolls back.'));
    ops.push(() => changed('step', step.id, 'environment', step.environment, env.value));
  }
  if (HAS_TOOL.has(kind)) {
    const tool = text('step-tool', step.tool);
    fields.push(field('Tool', tool, 'What runs it: a CI job, a script, a deploy tool.'));
    ops.push(() => changed('step', step.id, 'tool', step.tool, tool.value));
  }
  if (kind === 'notify') {
    const channel = text('step-channel', step.channel);
    fields.push(field('Channel', channel, 'Where the message goes, such as #releases or the status page.'));
    ops.push(() => changed('step', step.id, 'channel', step.channel, channel.value));
  }
  fields.push(field('Description', desc));
  if (kind === 'gate') {
    const criteria = area('gate-criteria', (step.criteria || []).join('\n'), 4);
    const approvers = h('fieldset', { class: 'checks', id: 'gate-approvers' }, h('legend', { text: 'Approvers' }),
      roles.map(([id, label]) => h('label', { class: 'check' },
        h('input', { type: 'checkbox', value: id, checked: (step.approvers || []).includes(id), disabled: ro }), ` ${label}`)));
    const escalation = escalationFields(model, step, ro);
    fields.push(field('Criteria', criteria, 'One criterion per line.'), approvers, escalation.element);
    ops.push(() => changedList('step', step.id, 'criteria', step.criteria, criteria.value),
      () => changedApprovers(step, approvers), escalation.ops);
  }
  fields.push(flowList(model, step, ro, ed));
  if (kind !== 'start' && kind !== 'end') {
    const others = (model.steps || []).filter((s) => s.id !== step.id && s.kind !== 'start').map((s) => [s.id, s.name || s.id]);
    const onFailure = select([['', '—'], ...others], step.on_failure || '', { id: 'step-on-failure', disabled: ro });
    fields.push(field('On failure', onFailure, 'The rollback or contingency step taken when this one fails: a dashed red path.'));
    ops.push(() => changed('step', step.id, 'on_failure', step.on_failure, onFailure.value));
  }
  const raci = raciMatrix(model.roles || [], step, ro);
  fields.push(raci.element);
  ops.push(...raci.ops);
  fields.push(h('div', { class: 'row' },
    field('Duration', duration, 'Expected time, like 30m, 2h or 1d.'),
    field('SLA', sla, 'The longest it may take.')));
  fields.push(field('Evidence', evidence, 'Records the step leaves behind, one per line.'),
    field('Links', links, 'Runbooks and dashboards, one per line: Title | https://…'), field('Notes', notes));
  const exception = exceptionFields(roles, step, ro);
  fields.push(exception.element);
  ops.push(exception.ops);

  if (variant) fields.unshift(h('p', { class: 'muted', id: 'base-flow-note', text: `Changes here are to the base flow, which ${variant.name || variant.id} and every other release type build on.` }));
  replace(panel, form(`Step ${step.id}`, fields, ro, () => ops.flatMap((f) => f()), ed), ro ? null : h('div', { class: 'actions' },
    h('button', { type: 'button', class: 'btn', id: 'add-after', text: 'Add step after', onclick: () => ed.addStepAfter(step.id) }),
    h('button', { type: 'button', class: 'btn', id: 'connect', text: 'Connect to…', onclick: () => ed.startConnect(step.id) }),
    skipButton(ed, variant, step),
    h('button', { type: 'button', class: 'btn btn-danger', id: 'delete-step', text: 'Delete step', onclick: () => ed.deleteStep(step.id) })));
}

const RACI = [['accountable', 'A', 'Accountable: answerable for the outcome'], ['consulted', 'C', 'Consulted before or during the step'],
  ['informed', 'I', 'Informed once it is done']];

/**
 * raciMatrix is the step's RACI as a small matrix, a row per role and a
 * column per letter; the owner is the responsible role (R). It returns the
 * table and the functions that give its set operations.
 */
function raciMatrix(roles, step, ro) {
  const current = step.raci || {};
  const boxes = {};
  const rows = roles.map((r) => h('tr', null,
    h('th', { scope: 'row', text: r.name || r.id }),
    h('td', { class: 'raci-r', text: r.id === step.owner ? 'R' : '' }),
    RACI.map(([key, letter]) => {
      const box = h('input', { type: 'checkbox', id: `raci-${key}-${r.id}`, value: r.id, checked: (current[key] || []).includes(r.id), disabled: ro,
        'aria-label': `${r.name || r.id}: ${letter}` });
      (boxes[key] = boxes[key] || []).push(box);
      return h('td', null, box);
    })));
  const element = h('fieldset', { class: 'checks raci', id: 'step-raci' }, h('legend', { text: 'RACI' }),
    h('table', null,
      h('thead', null, h('tr', null, h('th', { scope: 'col', text: 'Role' }), h('th', { scope: 'col', text: 'R', title: 'Responsible: the owner' }),
        RACI.map(([, letter, title]) => h('th', { scope: 'col', text: letter, title })))),
      h('tbody', null, rows)));
  const ops = RACI.map(([key]) => () => changedSet('step', step.id, `raci.${key}`, current[key],
    (boxes[key] || []).filter((b) => b.checked).map((b) => b.value)));
  return { element, ops };
}

/**
 * escalationFields edit who decides when the gate is blocked or times out,
 * after how long, and the step that leads to. ops gives the role first
 * when there is one, and takes it away last: an escalation needs its role.
 */
function escalationFields(model, step, ro) {
  const esc = step.escalation || {};
  const roles = (model.roles || []).map((r) => [r.id, r.name || r.id]);
  const steps = (model.steps || []).filter((s) => s.id !== step.id).map((s) => [s.id, s.name || s.id]);
  const role = select([['', '— no escalation —'], ...roles], esc.role || '', { id: 'escalation-role', disabled: ro });
  const after = textInput('escalation-after', esc.after, ro);
  const to = select([['', '—'], ...steps], esc.to || '', { id: 'escalation-to', disabled: ro });
  const element = h('fieldset', { class: 'checks', id: 'step-escalation' }, h('legend', { text: 'Escalation' }),
    field('Escalate to', role, 'Who decides when the gate is blocked or times out.'),
    field('After', after, 'How long the gate may wait, like 4h or 2d.'),
    field('Leads to step', to, 'Optional: drawn as a dotted amber path.'));
  const ops = () => {
    const keep = role.value !== '';
    const list = [
      changed('step', step.id, 'escalation.role', esc.role, role.value),
      changed('step', step.id, 'escalation.after', esc.after, keep ? after.value.trim() : ''),
      changed('step', step.id, 'escalation.to', esc.to, keep ? to.value : ''),
    ];
    return keep ? list : list.reverse();
  };
  return { element, ops };
}

/**
 * flowList lists where the step leads (a gate: by outcome), each flow with
 * a button that removes it; "Connect to…" adds one.
 */
function flowList(model, step, ro, ed) {
  const next = step.next === undefined ? [] : [].concat(step.next);
  const flows = [...Object.entries(step.outcomes || {}).map(([label, to]) => ({ label, to })), ...next.map((to) => ({ label: '', to }))];
  return h('fieldset', { class: 'checks', id: 'step-flows' }, h('legend', { text: step.kind === 'gate' ? 'Outcomes' : 'Leads to' }),
    flows.length ? h('ul', { class: 'env-list' }, flows.map(({ label, to }) => h('li', { class: 'env-item', dataset: { to } },
      h('span', { class: 'grow', text: `${label ? `${label} → ` : '→ '}${nameOf(model.steps, to)}` }),
      ro ? null : h('button', { type: 'button', class: 'btn btn-small btn-quiet', text: '×', 'aria-label': `Remove the flow from ${step.id} to ${to}`,
        title: 'Remove this flow', onclick: () => ed.applyOps([{ op: 'disconnect', from: step.id, to }], `${step.id} no longer leads to ${to}.`) }))))
      : h('p', { class: 'muted', text: 'Nothing: use “Connect to…” to draw a flow.' }));
}

/**
 * exceptionFields record a deliberate departure from release practice
 * (a production deploy with no earlier environment, say): why, and who
 * approved it. The reason is given first and taken away last: an
 * exception needs one.
 */
function exceptionFields(roles, step, ro) {
  const exc = step.exception || {};
  const reason = textArea('exception-reason', exc.reason, ro, 2);
  const approvedBy = select([['', '—'], ...roles], exc.approved_by || '', { id: 'exception-approved-by', disabled: ro });
  const element = h('fieldset', { class: 'checks', id: 'step-exception' }, h('legend', { text: 'Exception to practice' }),
    field('Reason', reason, 'Why this step may depart from release practice; lint accepts it then.'),
    field('Approved by', approvedBy));
  const ops = () => {
    const keep = reason.value.trim() !== '';
    const list = [
      changed('step', step.id, 'exception.reason', exc.reason, reason.value.trim()),
      changed('step', step.id, 'exception.approved_by', exc.approved_by, keep ? approvedBy.value : ''),
    ];
    return keep ? list : list.reverse();
  };
  return { element, ops };
}

/** changedLinks is the set operation for links written one per line as "Title | URL" (or a bare URL), or null. */
function changedLinks(step, text) {
  const after = lines(text).map((line) => {
    const bar = line.indexOf('|');
    if (bar < 0) return { title: line, url: line };
    return { title: line.slice(0, bar).trim(), url: line.slice(bar + 1).trim() };
  });
  const before = (step.links || []).map((l) => ({ title: l.title, url: l.url }));
  if (JSON.stringify(before) === JSON.stringify(after)) return null;
  return { op: 'set', kind: 'step', id: step.id, field: 'links', value: after };
}

function changedApprovers(step, fieldset) {
  return changedSet('step', step.id, 'approvers', step.approvers, [...fieldset.querySelectorAll('input:checked')].map((i) => i.value));
}
