// inspectvariant.js: the side panel for the release type chosen in the
// toolbar: its name, description and emergency flag, and the base-flow
// steps it skips, each of which can be restored. The steps it adds and
// changes are step definitions of their own, edited in the YAML tab.
import { h, replace, field } from './dom.js';
import { changed, form, nameOf, textArea, textInput } from './inspectform.js';

/** variantPanel fills panel for the release type v (from ed.doc.variants). */
export function variantPanel(panel, ed, v) {
  const ro = !ed.canEdit;
  const name = textInput('variant-name', v.name, ro);
  const desc = textArea('variant-description', v.description, ro);
  const emergency = h('input', { type: 'checkbox', id: 'variant-emergency', checked: Boolean(v.emergency), disabled: ro });
  const stepName = (id) => nameOf(ed.model.steps, id);
  const skipped = h('fieldset', { class: 'checks', id: 'variant-skipped' }, h('legend', { text: 'Skips these steps of the base flow' }),
    v.remove.length ? h('ul', { class: 'env-list' }, v.remove.map((id) => h('li', { class: 'env-item', dataset: { id } },
      h('span', { class: 'grow', text: stepName(id) }),
      ro ? null : h('button', { type: 'button', class: 'btn btn-small btn-quiet', text: 'Restore', 'aria-label': `Restore the step ${id} in ${v.id}`,
        onclick: () => ed.applyOps([{ op: 'set', kind: 'release_type', id: v.id, field: 'remove', value: v.remove.filter((x) => x !== id) }],
          `${v.name || v.id} no longer skips “${stepName(id)}”.`) }))))
      : h('p', { class: 'muted', text: 'None. Select a step in the diagram to skip it in this release type.' }));
  const more = [v.adds.length ? `adds ${v.adds.join(', ')}` : '', v.changes.length ? `changes ${v.changes.join(', ')}` : ''].filter(Boolean);
  replace(panel, form(`Release type ${v.id}`, [
    field('Name', name), field('Description', desc),
    h('label', { class: 'field-check' }, emergency, 'Emergency: an expedited release, still authorised and reviewed afterwards'),
    v.base ? h('p', { class: 'muted', text: `Builds on the release type ${v.base}.` }) : null,
    skipped,
    more.length ? h('p', { class: 'muted', id: 'variant-more', text: `It also ${more.join(' and ')}: edit those steps in the YAML tab.` }) : null,
  ], ro, () => [
    changed('release_type', v.id, 'name', v.name, name.value.trim()),
    changed('release_type', v.id, 'description', v.description, desc.value),
    Boolean(v.emergency) === emergency.checked ? null : { op: 'set', kind: 'release_type', id: v.id, field: 'emergency', value: emergency.checked },
  ], ed),
  h('p', { class: 'muted', text: 'Choose “Base flow” in the toolbar to edit the SOP itself.' }),
  ro ? null : h('div', { class: 'actions' },
    h('button', { type: 'button', class: 'btn btn-danger', id: 'remove-variant', text: 'Remove this release type', onclick: () => ed.removeVariant(v.id) })));
}

/** skipButton is the step panel's button that skips a base-flow step in the release type v. */
export function skipButton(ed, v, step) {
  if (!v || v.remove.includes(step.id) || step.kind === 'start' || step.kind === 'end') return null;
  return h('button', { type: 'button', class: 'btn', id: 'skip-in-variant', text: `Skip in ${v.name || v.id}`,
    onclick: async () => {
      if (await ed.applyOps([{ op: 'set', kind: 'release_type', id: v.id, field: 'remove', value: [...v.remove, step.id] }],
        `${v.name || v.id} skips “${step.name || step.id}”.`)) ed.select(null);
    } });
}
