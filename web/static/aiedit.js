// aiedit.js: "Edit with AI": a plain-language instruction, previewed as a
// unified diff, accepted or discarded. Accepting sends the change over the
// live connection as a text edit, so it merges with others' edits made
// meanwhile; a change with no structured form is saved whole, and only when
// nobody else changed the SOP since the preview.
import * as api from './api.js';
import { h, replace, field } from './dom.js';
import { showError } from './ui.js';

const EXAMPLES = [
  'add a security review after run unit tests owned by the security engineer',
  'move the QA lead lane above the release manager',
  'add a Hypercare phase after post-release',
  'make the CTO accountable for go/no-go',
  'keep the support lead informed about deploy to production',
  'escalate go/no-go to the VP engineering after 4 hours',
  'make a hotfix variant that skips the canary analysis but needs the incident commander',
  'after monitoring, hold a retrospective with the team',
  'mark the SOP as reviewed today',
];

export function createAiTab(ed) {
  const instruction = h('textarea', { id: 'ai-instruction', rows: '3',
    placeholder: 'Add a security review gate before the production deploy, owned by the CISO' });
  const preview = h('div', { class: 'ai-preview', id: 'ai-preview', 'aria-live': 'polite' });
  const run = h('button', { type: 'submit', class: 'btn btn-primary', id: 'ai-run', text: 'Preview the edit' });
  // Kinds of instruction, to fill in and adapt to this SOP's names.
  const examples = h('details', { class: 'ai-examples', id: 'ai-examples' }, h('summary', { text: 'Examples' }),
    h('ul', null, EXAMPLES.map((ex) => h('li', null, h('button', { type: 'button', class: 'linklike', text: ex,
      onclick: () => { instruction.value = ex; instruction.focus(); } })))));
  const form = h('form', { class: 'stack' }, field('Instruction', instruction), examples, h('div', { class: 'actions' }, run));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!instruction.value.trim()) return;
    run.disabled = true;
    replace(preview, h('p', { class: 'muted', text: 'Working…' }));
    try {
      const from = ed.doc.source;
      const res = await api.post(`/api/sops/${ed.id}/edit`, { instruction: instruction.value, base_revision: ed.doc.revision });
      if (ed.doc.source !== from) throw new Error('The SOP changed while the edit was prepared. Preview the edit again.');
      show(res, from);
    } catch (err) {
      replace(preview);
      showError(err);
    } finally {
      run.disabled = false;
    }
  });

  function show(res, from) {
    // Focusable, so that keyboard users can scroll a long diff.
    const diff = h('pre', { class: 'diff', id: 'ai-diff', tabindex: '0', role: 'region', 'aria-label': 'Proposed changes to the YAML' }, diffLines(res.diff || ''));
    replace(preview,
      summary(res.summary),
      (res.diff || '').trim() ? diff : h('p', { class: 'muted', text: 'The instruction changes nothing.' }),
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'btn btn-primary', id: 'ai-accept', text: 'Accept', disabled: !(res.diff || '').trim(),
          onclick: async () => {
            let r = await ed.saveYaml(from, res.source);
            if (!r.ok && r.code === 'unsupported' && ed.doc.source === from) {
              r = { ok: await ed.saveSource(res.source, `Edit with AI: ${instruction.value.trim()}`) };
            } else if (!r.ok) {
              showError(new Error(r.error || 'The edit was not applied.'));
            }
            if (r.ok) { replace(preview, h('p', { class: 'ok', text: 'Saved.' })); instruction.value = ''; }
          } }),
        h('button', { type: 'button', class: 'btn', id: 'ai-discard', text: 'Discard', onclick: () => replace(preview) })));
  }

  const element = h('div', { class: 'ai-tab stack' },
    h('p', { class: 'muted', text: 'Describe a change in plain language. You see the change before anything is saved.' }),
    form, preview);
  return {
    element,
    setEnabled(on) { instruction.disabled = !on; run.disabled = !on; },
  };
}

function summary(s) {
  if (!s || !s.length) return null;
  if (!Array.isArray(s)) return h('p', { class: 'summary', text: s });
  return h('ul', { class: 'summary', id: 'ai-summary' }, s.map((line) => h('li', { text: line })));
}

/** diffLines colours a unified diff line by line, as text. */
export function diffLines(diff) {
  return diff.split('\n').map((line) => {
    let cls = 'ctx';
    if (line.startsWith('+++') || line.startsWith('---')) cls = 'file';
    else if (line.startsWith('@@')) cls = 'hunk';
    else if (line.startsWith('+')) cls = 'add';
    else if (line.startsWith('-')) cls = 'del';
    return h('span', { class: `diff-${cls}`, text: `${line}\n` });
  });
}
