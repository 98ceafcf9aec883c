// yamltab.js: the YAML source with line numbers, validation as you type and
// Save. Save sends the difference between the text the user started from
// and theirs (docs/live.md, the yaml message): the server applies it as
// structured edits, so it merges with what others changed meanwhile. While
// the user has unsaved text, others' edits never overwrite it.
import * as api from './api.js';
import { h, replace, debounce } from './dom.js';
import { findingText } from './ui.js';

/** createYamlTab returns {element, setSource, update, othersChanged, save, goTo, dirty}. ed: editor API. */
export function createYamlTab(ed) {
  const gutter = h('pre', { class: 'gutter', 'aria-hidden': 'true' });
  const area = h('textarea', { class: 'code', id: 'yaml-source', spellcheck: false, wrap: 'off',
    'aria-label': 'SOP source (YAML)', autocomplete: 'off', autocapitalize: 'off' });
  const findings = h('ul', { class: 'findings', id: 'yaml-findings', 'aria-live': 'polite' });
  const state = h('span', { class: 'muted', id: 'yaml-state' });
  const others = h('p', { class: 'notice notice-info', id: 'yaml-others', role: 'status', hidden: true });
  const notice = h('div', { class: 'notice', role: 'alert', id: 'yaml-conflict', hidden: true });
  let loaded = '';   // the text the user's edit started from: the live source when they began
  let changes = 0;   // others' changes since then
  let saving = false;

  const lines = () => {
    const n = area.value.split('\n').length;
    gutter.textContent = Array.from({ length: n }, (_, i) => i + 1).join('\n');
  };
  const markDirty = () => {
    state.textContent = saving ? 'Saving…' : tab.dirty ? 'Unsaved changes' : 'Saved';
    if (!tab.dirty) changes = 0;
    others.hidden = !(tab.dirty && changes);
    others.textContent = `${changes} change${changes === 1 ? '' : 's'} by others since you started; Save merges yours with theirs.`;
  };
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
    if (!ed.canEdit || saving) return;
    if (!tab.dirty) { state.textContent = 'No changes to save'; return; }
    const from = loaded, to = area.value;
    saving = true; saveBtn.disabled = true; markDirty();
    notice.hidden = true;
    const res = await ed.saveYaml(from, to);
    saving = false; saveBtn.disabled = !ed.canEdit;
    if (res.ok) {
      // Typed on while it was saved: what is left to save is what came after.
      if (area.value === to) tab.setSource(ed.doc.source, true);
      else { loaded = to; changes = 0; markDirty(); }
      return;
    }
    markDirty();
    refused(res, from);
  }

  /** refused says why a save was not applied; the text stays for the user to fix or copy. */
  function refused(res, from) {
    const whole = res.code === 'unsupported' && ed.doc.source === from; // nobody changed the SOP since: nothing to lose
    replace(notice,
      h('p', { text: res.error || 'The change was not applied.' }),
      res.code === 'unsupported' ? h('p', { class: 'muted', text: whole
        ? 'Nobody else has changed the SOP since you started, so your text can replace it as a whole.'
        : 'Others changed the SOP since you started, so saving your text as a whole would undo their changes. Your text stays here: copy what you need, then load the latest version.' }) : null,
      h('div', { class: 'actions' },
        whole ? h('button', { type: 'button', class: 'btn btn-primary', id: 'yaml-save-whole', text: 'Save as a whole',
          onclick: async () => {
            if (ed.doc.source !== from) { refused(res, from); return; }
            if (await ed.saveSource(area.value, 'Edited the YAML')) { notice.hidden = true; tab.setSource(ed.doc.source, true); }
          } }) : null,
        h('button', { type: 'button', class: 'btn', id: 'yaml-reload', text: 'Load the latest version',
          onclick: () => {
            const mine = area.value;
            tab.setSource(ed.doc.source, true);
            replace(notice, h('details', { open: true }, h('summary', { text: 'Your unsaved text' }),
              h('textarea', { class: 'code', rows: '8', readonly: true, value: mine, 'aria-label': 'Your unsaved text' })));
          } })));
    notice.hidden = false;
  }

  const saveBtn = h('button', { type: 'button', class: 'btn btn-primary', id: 'yaml-save', text: 'Save', onclick: save });
  const tab = {
    element: h('div', { class: 'yaml-tab stack' },
      notice, others,
      h('div', { class: 'code-wrap' }, gutter, area),
      h('div', { class: 'row' }, saveBtn, state),
      h('h3', { text: 'Problems' }), findings),
    get dirty() { return area.value !== loaded; },
    /** setSource shows the live source unless the user has unsaved edits (or force). */
    setSource(src, force = false) {
      if ((tab.dirty || saving) && !force) return;
      const next = src || '', same = area.value === next;
      loaded = next;
      changes = 0;
      if (!same) {
        const focused = document.activeElement === area, start = area.selectionStart, end = area.selectionEnd;
        area.value = next;
        if (focused) area.setSelectionRange(Math.min(start, next.length), Math.min(end, next.length));
      }
      area.readOnly = !ed.canEdit;
      saveBtn.disabled = !ed.canEdit;
      lines(); markDirty();
      if (!same) validate();
    },
    /** update takes a new live source: shown unless the user is editing. */
    update(src) { tab.setSource(src); },
    /** othersChanged counts an edit by someone else, shown while the user has unsaved text. */
    othersChanged() { if (tab.dirty || saving) { changes++; markDirty(); } },
    save,
    goTo,
  };
  return tab;
}
