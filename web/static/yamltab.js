// yamltab.js: the YAML source with line numbers, live validation and Save.
import * as api from './api.js';
import { h, replace, field, debounce } from './dom.js';
import { findingText } from './ui.js';

/** createYamlTab returns {element, setSource, save, dirty}. ed: editor API. */
export function createYamlTab(ed) {
  const gutter = h('pre', { class: 'gutter', 'aria-hidden': 'true' });
  const area = h('textarea', { class: 'code', id: 'yaml-source', spellcheck: false, wrap: 'off',
    'aria-label': 'SOP source (YAML)', autocomplete: 'off', autocapitalize: 'off' });
  const findings = h('ul', { class: 'findings', id: 'yaml-findings', 'aria-live': 'polite' });
  const state = h('span', { class: 'muted', id: 'yaml-state' });
  const message = h('input', { type: 'text', id: 'yaml-message', placeholder: 'What changed (optional)' });
  const notice = h('div', { class: 'notice', role: 'alert', id: 'yaml-conflict', hidden: true });
  let loaded = '';

  const lines = () => {
    const n = area.value.split('\n').length;
    gutter.textContent = Array.from({ length: n }, (_, i) => i + 1).join('\n');
  };
  const markDirty = () => { state.textContent = tab.dirty ? 'Unsaved changes' : 'Saved'; };
  const validate = debounce(async () => {
    try {
      const res = await api.post('/api/validate', { source: area.value });
      drawFindings(res.findings || []);
    } catch (err) {
      drawFindings(err.findings && err.findings.length ? err.findings : [{ severity: 'error', message: err.message }]);
    }
  }, 400);

  function drawFindings(list) {
    if (!list.length) { replace(findings, h('li', { class: 'ok', text: 'No problems found.' })); return; }
    replace(findings, list.map((f) => h('li', { class: `sev-${f.severity || 'error'}` },
      h('button', { type: 'button', class: 'linklike', text: findingText(f), title: f.hint || '', onclick: () => goTo(f.line, f.col) }),
      f.hint ? h('small', { class: 'hint', text: f.hint }) : null)));
  }

  function goTo(line, col) {
    if (!line) return;
    const rows = area.value.split('\n');
    let pos = 0;
    for (let i = 0; i < line - 1 && i < rows.length; i++) pos += rows[i].length + 1;
    pos += Math.max(0, (col || 1) - 1);
    area.focus();
    area.setSelectionRange(pos, pos);
    area.scrollTop = Math.max(0, (line - 4) * parseFloat(getComputedStyle(area).lineHeight || 18));
  }

  area.addEventListener('input', () => { lines(); markDirty(); validate(); });
  area.addEventListener('scroll', () => { gutter.scrollTop = area.scrollTop; });

  async function save() {
    if (!ed.canEdit) return;
    const ok = await ed.saveSource(area.value, message.value.trim() || 'Edited the YAML', {
      onConflict: (latest) => conflict(latest),
    });
    if (ok) { message.value = ''; notice.hidden = true; }
  }

  function conflict() {
    const mine = area.value;
    replace(notice,
      h('p', { text: 'Someone else saved this SOP after you opened it. Load their version; your text stays below to copy from.' }),
      h('button', { type: 'button', class: 'btn btn-primary', id: 'yaml-reload', text: 'Load the latest version',
        onclick: async () => {
          await ed.reload();
          tab.setSource(ed.doc.source, true);
          replace(notice, h('details', { open: true }, h('summary', { text: 'Your unsaved text' }),
            h('textarea', { class: 'code', rows: '8', readonly: true, value: mine, 'aria-label': 'Your unsaved text' })));
        } }));
    notice.hidden = false;
  }

  const saveBtn = h('button', { type: 'button', class: 'btn btn-primary', id: 'yaml-save', text: 'Save', onclick: save });
  const tab = {
    element: h('div', { class: 'yaml-tab stack' },
      notice,
      h('div', { class: 'code-wrap' }, gutter, area),
      h('div', { class: 'row' }, field('Message', message), saveBtn, state),
      h('h3', { text: 'Problems' }), findings),
    get dirty() { return area.value !== loaded; },
    /** setSource shows the saved source unless the user has unsaved edits (or force). */
    setSource(src, force = false) {
      if (tab.dirty && !force) return;
      loaded = src || '';
      area.value = loaded;
      area.readOnly = !ed.canEdit;
      saveBtn.disabled = !ed.canEdit;
      message.disabled = !ed.canEdit;
      lines(); markDirty(); validate();
    },
    save,
    goTo,
  };
  return tab;
}
