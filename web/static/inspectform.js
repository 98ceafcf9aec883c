// inspectform.js: the parts the side panel's forms share: an Apply form
// that sends the set operations of the fields the user changed.
import { h } from './dom.js';

/** textInput is a one-line text field, disabled when ro (read-only). */
export function textInput(id, value, ro) {
  return h('input', { type: 'text', id, value: value || '', disabled: ro });
}

/** textArea is a text box of rows lines, disabled when ro. */
export function textArea(id, value, ro, rows = 3) {
  return h('textarea', { id, rows: String(rows), value: value || '', disabled: ro });
}

/** nameOf is the name of the element id in list (steps, roles, phases), or the id. */
export function nameOf(list, id) {
  return ((list || []).find((x) => x.id === id) || {}).name || id;
}

/** changed is a set operation for a field whose value the user changed, or null. */
export function changed(kind, id, f, before, after) {
  if ((before || '') === after) return null;
  const op = { op: 'set', kind, field: f, value: after };
  if (id !== null) op.id = id;
  return op;
}

/** changedList is changed for a list field, edited as one item per line. */
export function changedList(kind, id, f, before, text) {
  const after = lines(text);
  if (JSON.stringify(before || []) === JSON.stringify(after)) return null;
  return { op: 'set', kind, id, field: f, value: after };
}

/**
 * changedSet is changed for a list of role ids picked with checkboxes,
 * whose order means nothing: the ids kept stay in their order, new ones
 * follow; null when the same ids are picked.
 */
export function changedSet(kind, id, f, before, picked) {
  const old = before || [];
  if (old.length === picked.length && picked.every((x) => old.includes(x))) return null;
  const after = [...old.filter((x) => picked.includes(x)), ...picked.filter((x) => !old.includes(x))];
  return { op: 'set', kind, id, field: f, value: after };
}

/** lines splits a textarea's value into its non-empty, trimmed lines. */
export function lines(text) {
  return text.split('\n').map((s) => s.trim()).filter(Boolean);
}

/**
 * form is a panel's form: a title, its fields and an Apply button that
 * sends what ops() returns (null entries are fields left as they were).
 */
export function form(title, fields, ro, ops, ed) {
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
