// editor.js: one SOP: the diagram with pan, zoom and selection, and a side
// panel to inspect, edit as YAML, edit with AI, read lint findings and
// comment. Edits travel over the live connection (live.js, docs/live.md):
// everyone on the page sees them as they are made, and who else is here.
// A change of a field shows at once and is marked pending until the server
// acknowledges it; everything else is drawn from the server's state.
import * as api from './api.js';
import { h, replace, select, badge, isTyping } from './dom.js';
import { announce, showError, confirm, prompt, dialog, findingText } from './ui.js';
import { createDiagram } from './diagram.js';
import { connectLive } from './live.js';
import { createPresence } from './presence.js';
import { drawInspector } from './inspector.js';
import { createYamlTab } from './yamltab.js';
import { createAiTab } from './aiedit.js';
import { createComments } from './comments.js';
import { createTabs } from './tabs.js';
import { lintBadge, duplicate, archive } from './library.js';

export const EXPORTS = ['svg', 'png', 'pdf', 'bpmn', 'mermaid', 'plantuml', 'drawio', 'dot', 'd2', 'yaml'];
const TRANSITIONS = {
  draft: [['in-review', 'Submit for review']],
  'in-review': [['approved', 'Approve'], ['draft', 'Back to draft']],
  approved: [['retired', 'Retire']],
  retired: [],
};
const SHORTCUTS = [
  ['?', 'Show this help'], ['Escape', 'Clear the selection, cancel connecting'], ['Delete', 'Delete the selected step'],
  ['+ / -', 'Zoom in / out'], ['0', 'Fit the whole diagram'], ['1', 'Fit the diagram\u2019s height'], ['Ctrl+Z', 'Undo'], ['Ctrl+Shift+Z, Ctrl+Y', 'Redo'],
  ['Ctrl+S', 'Save the YAML tab'], ['Enter on a focused shape', 'Select it'],
];

export async function editor(main, idText) {
  const ed = {
    id: Number(idText), doc: null, model: null, sel: null, type: '', canEdit: false,
    undo: [], redo: [], connectFrom: null, live: null, me: null,
  };
  // Refreshes are debounced: a burst of operations costs one.
  let refreshTimer = 0, refreshing = false, restBusy = false, waiters = [], yamlForce = false;
  let toolbarKey = '', presence = null;
  // Batches this tab sent, by client_seq: what to say and whom to resolve when they are answered.
  const sent = new Map();
  const revisionWaiters = [];
  await reload();

  const head = h('div', { class: 'editor-head' });
  const toolbar = h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Diagram tools' });
  const banner = h('div', { class: 'banner', id: 'mode-banner', hidden: true, role: 'status' });
  const zoomLevel = h('output', { id: 'zoom-level', class: 'zoom-level', title: 'Zoom' });
  const diagram = createDiagram({ onSelect: (sel) => onDiagramClick(sel), label: 'Swimlane diagram',
    onView: ({ scale }) => { zoomLevel.textContent = `${Math.round(scale * 100)}%`; if (presence) presence.rescale(); } });
  presence = createPresence(diagram);
  const liveState = h('span', { class: 'live-state', id: 'live-state', role: 'status', dataset: { state: 'connecting' }, text: 'connecting…' });
  const notices = h('div', { class: 'live-notices', id: 'live-notices', 'aria-live': 'polite' });
  const diagramMsg = h('div', { class: 'diagram-message', hidden: true });
  const inspectPanel = h('div', { id: 'inspector' });
  const lintPanel = h('div', { id: 'lint-panel' });
  const yaml = createYamlTab(ed);
  const ai = createAiTab(ed);
  const comments = createComments(ed);
  const tabs = createTabs([
    { id: 'inspect', label: 'Inspect', panel: inspectPanel },
    { id: 'yaml', label: 'YAML', panel: yaml.element },
    { id: 'ai', label: 'Edit with AI', panel: ai.element },
    { id: 'lint', label: 'Lint', panel: lintPanel },
    { id: 'comments', label: 'Comments', panel: comments.element },
  ], 'SOP panels');

  Object.assign(ed, {
    reload, applyOps, saveSource, saveYaml, select: selectElement,
    addStepAfter, startConnect, deleteStep, addRole,
    setCommentCount: (n) => tabs.label('comments', n ? `Comments (${n})` : 'Comments'),
  });

  // aria-busy is true while a change is saved and drawn again.
  const root = h('section', { class: 'editor', id: 'editor', 'aria-busy': 'true', dataset: { id: String(ed.id) } },
    head, toolbar, banner, notices,
    h('div', { class: 'editor-body' },
      h('div', { class: 'diagram-wrap' }, diagram.element, diagramMsg),
      h('aside', { class: 'side', 'aria-label': 'SOP panels' }, tabs.element)));
  replace(main, root);

  // Keeps what the user typed in the side panel while others' edits redraw it.
  inspectPanel.addEventListener('input', (e) => { if (e.target.matches('input, textarea, select')) e.target.dataset.edited = '1'; });
  inspectPanel.addEventListener('change', (e) => { if (e.target.matches('input, select')) e.target.dataset.edited = '1'; });
  diagram.element.addEventListener('pointermove', (e) => {
    if (ed.live) ed.live.point(diagram.point(e.clientX, e.clientY));
  });
  diagram.element.addEventListener('pointerleave', () => { if (ed.live) ed.live.point(null); });

  await redraw({ fit: true });
  comments.load();
  ed.live = connectLive(ed.id, {
    hello: onHello, snapshot: onSource, replace: onSource, op: onOp, ready: onReady, reject: onReject,
    presence: (p) => presence.update(p), revision: onRevision, state: onState,
    error: (msg) => console.warn(`live: ${msg.code}: ${msg.error}`),
  });
  // A hook for tests and the curious: drop() cuts the connection as a lost
  // network would, resume() lets it reconnect.
  window.__relsopLive = { drop: () => ed.live && ed.live.drop(), resume: () => ed.live && ed.live.resume(),
    get state() { return ed.live ? ed.live.state : ''; }, get unsent() { return ed.live ? ed.live.unsent : 0; } };
  busy();

  // ---- drawing ----

  // reload fetches the document and its model at once: neither needs the other.
  async function reload() {
    const [res, m] = await Promise.all([
      api.get(`/api/sops/${ed.id}`),
      api.get(`/api/sops/${ed.id}/export?format=json`).catch(() => null), // null: the YAML does not load; the YAML tab shows why
    ]);
    ed.doc = res.document;
    ed.canEdit = ed.doc.role !== 'viewer';
    ed.model = typeof m === 'string' ? JSON.parse(m) : m;
  }

  async function redraw({ fit = false, yamlForce = false } = {}) {
    drawHead();
    drawToolbar();
    await loadDiagram(fit);
    drawSide();
    drawLint();
    if (yamlForce) yaml.setSource(ed.doc.source, true);
    else yaml.update(ed.doc.source);
    ai.setEnabled(ed.canEdit);
    comments.refresh();
  }

  function drawHead() {
    const d = ed.doc;
    const title = (ed.model && ed.model.title) || d.title;
    document.title = `${title} — relsop`;
    replace(head,
      h('div', { class: 'crumbs' }, h('a', { href: '#/', text: 'Library' }), ' / '),
      h('h1', { id: 'sop-heading', text: title || '(untitled)' }),
      h('div', { class: 'meta' },
        badge(d.status, `status-${d.status}`), lintBadge(d.lint),
        d.archived ? badge('archived', 'archived') : null,
        h('span', { id: 'revision', text: `revision ${d.revision}` }),
        ed.canEdit ? null : badge('view only', 'role'),
        h('a', { href: `#/sops/${ed.id}/history`, id: 'history-link', text: 'History' }),
        liveState, presence.element));
  }

  /** drawSide draws the side panel again, keeping what the user typed there and not yet applied. */
  function drawSide() {
    const key = ed.sel ? `${ed.sel.kind}:${ed.sel.id}` : '';
    const kept = inspectPanel.dataset.sel === key ? [...inspectPanel.querySelectorAll('[data-edited]')].map((el) => ({
      key: el.id || `${el.type}:${el.value}`, value: el.value, checked: el.checked, focus: el === document.activeElement,
      start: el.selectionStart, end: el.selectionEnd })) : [];
    drawInspector(inspectPanel, ed);
    inspectPanel.dataset.sel = key;
    for (const k of kept) {
      const el = [...inspectPanel.querySelectorAll('input, textarea, select')].find((x) => (x.id || `${x.type}:${x.value}`) === k.key);
      if (!el) continue;
      if (el.type === 'checkbox') el.checked = k.checked; else el.value = k.value;
      el.dataset.edited = '1';
      if (k.focus) { el.focus(); try { el.setSelectionRange(k.start, k.end); } catch (e) { /* not a text field */ } }
    }
  }

  function drawToolbar() {
    const key = JSON.stringify([ed.doc.status, ed.doc.archived, ed.doc.release_types, ed.canEdit, ed.type]);
    if (key === toolbarKey) { undoButtons(); return; }
    toolbarKey = key;
    const d = ed.doc;
    const types = select([['', 'Base flow'], ...(d.release_types || []).map((t) => [t, t])], ed.type, {
      id: 'release-type',
      onchange: async (e) => { ed.type = e.target.value; toolbarKey = ''; await loadDiagram(false); },
    });
    const btn = (id, text, onclick, props = {}) => h('button', { type: 'button', class: 'btn', id, text, onclick, ...props });
    const editing = ed.canEdit ? [
      h('span', { class: 'sep', 'aria-hidden': 'true' }),
      btn('undo', 'Undo', undo, { disabled: !ed.undo.length, title: 'Ctrl+Z' }),
      btn('redo', 'Redo', redo, { disabled: !ed.redo.length, title: 'Ctrl+Shift+Z' }),
      h('span', { class: 'sep', 'aria-hidden': 'true' }),
      ...(TRANSITIONS[d.status] || []).map(([to, label]) => btn(`status-${to}`, label, () => setStatus(to))),
      btn('duplicate', 'Duplicate', () => duplicate(d)),
      btn('archive', d.archived ? 'Unarchive' : 'Archive', () => archive(d, async () => { await reload(); drawHead(); drawToolbar(); })),
    ] : [];
    replace(toolbar,
      h('label', { for: 'release-type', class: 'inline-label', text: 'Release type' }), types,
      h('span', { class: 'sep', 'aria-hidden': 'true' }),
      btn('zoom-out', '−', diagram.zoomOut, { 'aria-label': 'Zoom out', title: 'Zoom out (-)' }),
      btn('zoom-in', '+', diagram.zoomIn, { 'aria-label': 'Zoom in', title: 'Zoom in (+)' }),
      zoomLevel,
      btn('zoom-fit', 'Fit all', diagram.fit, { title: 'Show the whole diagram (0)' }),
      btn('zoom-height', 'Fit height', diagram.fitHeight, { title: 'Fit the diagram\u2019s height to the view (1)' }),
      ...editing,
      exportMenu(),
      btn('help', '?', showHelp, { 'aria-label': 'Keyboard shortcuts', title: 'Keyboard shortcuts (?)' }));
  }

  function exportMenu() {
    const q = (f) => `/api/sops/${ed.id}/export${api.query({ format: f, type: ed.type })}`;
    return h('details', { class: 'menu', id: 'export-menu' }, h('summary', { class: 'btn', text: 'Export' }),
      h('ul', null, EXPORTS.map((f) => h('li', null, h('a', { href: q(f), download: '', dataset: { format: f }, text: f.toUpperCase() })))));
  }

  async function loadDiagram(fit) {
    const src = `/api/sops/${ed.id}/diagram.svg${api.query({ type: ed.type })}`;
    try {
      await diagram.load(src, { keepView: !fit, view: `sop-${ed.id}` });
      markPending();
      presence.draw();
      diagramMsg.hidden = true;
      diagram.element.hidden = false;
    } catch (err) {
      diagram.element.hidden = true;
      replace(diagramMsg, h('p', { text: `The diagram cannot be drawn: ${err.message}` }),
        (err.findings || []).length ? h('ul', null, err.findings.map((f) => h('li', { text: findingText(f) }))) : null,
        h('p', { class: 'muted', text: 'Fix the problems in the YAML tab.' }));
      diagramMsg.hidden = false;
    }
  }

  function drawLint() {
    const list = ed.doc.findings || [];
    tabs.label('lint', list.length ? `Lint (${list.length})` : 'Lint');
    if (!list.length) { replace(lintPanel, h('p', { class: 'ok', text: 'No findings: this SOP follows the checked practice.' })); return; }
    replace(lintPanel, h('ul', { class: 'findings', id: 'lint-findings' }, list.map((f) => {
      const target = f.element ? elementOf(f.element) : null;
      return h('li', { class: `sev-${f.severity}` },
        h('button', { type: 'button', class: 'linklike', text: findingText(f),
          onclick: () => { if (target) { selectElement(target); tabs.show('inspect'); } else if (f.line) { tabs.show('yaml'); yaml.goTo(f.line, f.col); } } }),
        f.hint ? h('small', { class: 'hint', text: f.hint }) : null);
    })));
  }

  function elementOf(id) {
    const m = ed.model || {};
    if ((m.steps || []).some((s) => s.id === id)) return { kind: 'step', id };
    if ((m.roles || []).some((s) => s.id === id)) return { kind: 'role', id };
    if ((m.phases || []).some((s) => s.id === id)) return { kind: 'phase', id };
    return null;
  }

  // ---- selection ----

  function onDiagramClick(sel) {
    if (ed.connectFrom && sel && sel.kind === 'step') {
      const from = ed.connectFrom;
      cancelConnect();
      if (from !== sel.id) applyOps([{ op: 'connect', from, to: sel.id }], `Connected ${from} to ${sel.id}.`);
      return;
    }
    selectElement(sel, false);
  }

  /** selectElement selects a shape, panning to it when reveal is set and it is out of view. */
  function selectElement(sel, reveal = true) {
    ed.sel = sel;
    diagram.select(sel);
    if (sel && reveal) diagram.reveal(sel);
    drawSide();
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

  // ---- changes ----

  /** busy tells tests and assistive technology that a change is on its way or being drawn. */
  function busy() {
    const on = !ed.live || ed.live.unsent > 0 || refreshing || restBusy || refreshTimer !== 0;
    root.setAttribute('aria-busy', String(Boolean(on)));
  }

  /** refresh draws the server's state again, soon; it resolves once that is done. */
  function refresh({ yaml: force = false } = {}) {
    if (force) yamlForce = true;
    return new Promise((resolve) => {
      waiters.push(resolve);
      if (!refreshing && !refreshTimer) refreshTimer = setTimeout(runRefresh, 150);
      busy();
    });
  }

  async function runRefresh() {
    refreshTimer = 0;
    refreshing = true;
    busy();
    const done = waiters, force = yamlForce;
    waiters = []; yamlForce = false;
    try {
      await reload();
      pendingOps().forEach((op) => applyLocal(op));
      await redraw({ yamlForce: force });
    } catch (err) {
      showError(err);
    }
    refreshing = false;
    done.forEach((r) => r());
    if (waiters.length) refreshTimer = setTimeout(runRefresh, 150);
    busy();
  }

  /** pendingOps are this tab's set operations the server has not acknowledged yet. */
  function pendingOps() {
    if (!ed.live) return [];
    return ed.live.pending.flatMap((b) => (b.msg.type === 'ops' ? b.msg.ops : [])).filter((op) => op.op === 'set');
  }

  /** applyLocal shows a set operation in the model before the server has it. */
  function applyLocal(op) {
    const m = ed.model;
    if (!m || op.op !== 'set') return;
    const lists = { step: m.steps, role: m.roles, phase: m.phases };
    const target = op.kind === 'sop' ? m : (lists[op.kind] || []).find((x) => x.id === op.id);
    if (!target) return;
    if (op.value === '' || op.value === null || op.value === undefined) delete target[op.field];
    else target[op.field] = op.value;
  }

  /** markPending marks the shapes whose change is not yet acknowledged, showing a new step name at once. */
  function markPending() {
    const svg = diagram.svg;
    if (!svg) return;
    for (const g of svg.querySelectorAll('.pending')) g.classList.remove('pending');
    for (const op of pendingOps()) {
      const g = op.kind === 'sop' ? null : diagram.shape({ kind: op.kind, id: op.id });
      if (!g) continue;
      g.classList.add('pending');
      if (op.kind === 'step' && op.field === 'name' && op.value) relabel(g, String(op.value));
    }
  }

  /** relabel writes a step's new name into its lines of text, as the server would wrap it, roughly. */
  function relabel(g, name) {
    const lines = [...g.querySelectorAll(':scope > text')];
    if (!lines.length) return;
    const width = Math.max(8, ...lines.map((t) => t.textContent.length));
    const out = [''];
    for (const word of name.split(/\s+/)) {
      const last = out[out.length - 1];
      if (!last) out[out.length - 1] = word;
      else if ((last + ' ' + word).length <= width) out[out.length - 1] = `${last} ${word}`;
      else out.push(word);
    }
    if (out.length > lines.length) out.splice(lines.length - 1, Infinity, `${out.slice(lines.length - 1).join(' ').slice(0, width - 1)}…`);
    // Fewer lines than before stay centred where the old ones were.
    const ys = lines.map((t) => parseFloat(t.getAttribute('y')));
    const step = ys.length > 1 ? (ys[ys.length - 1] - ys[0]) / (ys.length - 1) : 0;
    const shift = ((lines.length - out.length) / 2) * step;
    const shape = g.querySelector(':scope > .shape');
    const box = shape ? shape.getBBox() : null;
    lines.forEach((t, i) => {
      t.textContent = out[i] || '';
      if (Number.isFinite(ys[i])) t.setAttribute('y', String(ys[i] + shift));
      if (box) { t.setAttribute('x', String(box.x + box.width / 2)); t.setAttribute('text-anchor', 'middle'); }
    });
    const title = g.querySelector(':scope > title');
    if (title) title.textContent = [name, ...title.textContent.split(' · ').slice(1)].join(' · ');
  }

  /**
   * applyOps sends a batch of edits. It resolves true once the server has
   * applied it and the page shows the result, false when it was refused
   * (the error is shown).
   */
  function applyOps(ops, message, origin = 'edit') {
    if (!ed.canEdit || !ed.live) return Promise.resolve(false);
    return track(ed.live.ops(ops, { origin }), message, () => {
      for (const el of inspectPanel.querySelectorAll('[data-edited]')) delete el.dataset.edited;
      ops.forEach((op) => applyLocal(op));
      if (ops.some((op) => op.op === 'set')) {
        drawHead();
        markPending();
        drawSide();
      }
    });
  }

  /** saveYaml sends a text edit of the YAML tab; it resolves {ok, code, error}. */
  function saveYaml(from, to) {
    if (!ed.canEdit || !ed.live) return Promise.resolve({ ok: false, code: 'forbidden', error: 'You cannot edit this SOP.' });
    return new Promise((resolve) => {
      const b = ed.live.yaml(from, to, { origin: 'edit', yaml: true });
      sent.set(b.msg.client_seq, { message: 'Saved.', resolve: (ok, msg) => resolve(ok ? { ok } : { ok, code: msg.code, error: msg.error }) });
      busy();
    });
  }

  function track(batch, message, optimistic) {
    return new Promise((resolve) => {
      sent.set(batch.msg.client_seq, { message, resolve });
      optimistic();
      busy();
    });
  }

  // ---- what the live connection says ----

  function onHello(msg) {
    ed.me = msg.you || null;
    ed.doc.revision = msg.revision;
    if (msg.role) ed.canEdit = msg.role !== 'viewer';
    revisionLabel();
  }

  function revisionLabel() {
    const el = head.querySelector('#revision');
    if (el) el.textContent = `revision ${ed.doc.revision}`;
  }

  /** onSource takes a snapshot or a replacement: the whole source. */
  function onSource(msg) {
    if (typeof msg.revision === 'number') ed.doc.revision = msg.revision;
    if (msg.type === 'snapshot' && msg.source === ed.doc.source) return;
    if (msg.type === 'replace' && !restBusy) { // not this tab's own status change or whole save
      if (msg.author && msg.author.user_id !== (ed.me || {}).user_id) announce(`${msg.author.name} saved a new version of the SOP.`);
      yaml.othersChanged();
    }
    refresh();
  }

  function onOp(msg, batch) {
    if (batch) acknowledged(msg, batch);
    else if (msg.client !== ed.live.client) {
      yaml.othersChanged();
      const author = (msg.author && msg.author.name) || 'Someone';
      if (ed.sel && ed.sel.kind === 'step' && (msg.ops || []).some((op) => op.op === 'remove_step' && op.id === ed.sel.id)) {
        selectElement(null, false);
        notice(`${author} deleted the step you had selected.`);
      }
    }
    for (const o of msg.overwrote || []) {
      if (o.client !== ed.live.client || msg.client === ed.live.client) continue;
      const value = Array.isArray(o.value) ? o.value.join(', ') : String(o.value ?? '');
      const what = o.kind === 'sop' ? 'the SOP' : `${o.kind} ${o.id}`;
      notice(`${(msg.author && msg.author.name) || 'Someone'} changed ${o.field} of ${what} after you; your value “${value}” was replaced.`);
    }
    refresh();
  }

  function acknowledged(msg, batch) {
    const origin = batch.meta.origin;
    if (msg && msg.inverse && msg.inverse.length) {
      const entry = { ops: msg.inverse };
      if (origin === 'undo') ed.redo.push(entry);
      else {
        ed.undo.push(entry);
        if (origin !== 'redo') ed.redo = [];
      }
      undoButtons();
    }
    const s = sent.get(batch.msg.client_seq);
    sent.delete(batch.msg.client_seq);
    refresh().then(() => {
      if (s) { if (s.message) announce(s.message); s.resolve(true); }
    });
  }

  function onReady(msg, done) {
    presence.reset(msg.peers);
    for (const b of done) acknowledged(null, b);
    if (ed.sel) ed.live.select(ed.sel);
    busy();
  }

  function onReject(msg, batch) {
    if (msg.code === 'duplicate') { if (batch) acknowledged(null, batch); return; }
    const s = batch && sent.get(batch.msg.client_seq);
    if (batch) sent.delete(batch.msg.client_seq);
    const origin = batch ? batch.meta.origin : '';
    refresh().then(() => {
      if (batch && batch.meta.yaml) { if (s) s.resolve(false, msg); return; }
      const text = origin === 'undo' || origin === 'redo'
        ? `This can no longer be ${origin === 'undo' ? 'undone' : 'redone'}: ${msg.error}` : msg.error;
      showError(new Error(text || 'The change was not applied.'));
      if (s) s.resolve(false, msg);
    });
  }

  function onRevision(msg) {
    if (msg.revision > ed.doc.revision) ed.doc.revision = msg.revision;
    revisionLabel();
    revisionWaiters.splice(0).forEach((r) => r());
  }

  /** nextRevision resolves when live edits next become a revision, or after ms. */
  function nextRevision(ms) {
    return new Promise((resolve) => { revisionWaiters.push(resolve); setTimeout(resolve, ms); });
  }

  function onState({ state, unsent }) {
    const edits = `${unsent} unsent edit${unsent === 1 ? '' : 's'}`;
    let text = 'connected';
    if (state === 'connected') text = unsent ? 'saving…' : 'connected';
    else if (state === 'connecting') text = 'connecting…';
    else if (state === 'offline' || unsent) text = unsent ? `offline – ${edits}` : 'offline';
    else text = 'reconnecting…';
    liveState.textContent = text;
    liveState.dataset.state = state;
    if (state !== 'connected') presence.reset([]); // who is here is known again when back
    liveState.title = state === 'connected' ? 'Live: you see others\u2019 edits as they make them.'
      : 'The live connection is down; edits you make are kept and sent when it is back.';
    busy();
  }

  /** notice shows a message about others' edits until dismissed (at most three at a time). */
  function notice(text) {
    const item = h('p', { class: 'live-notice' }, h('span', { text }),
      h('button', { type: 'button', class: 'btn btn-quiet', 'aria-label': 'Dismiss', text: '×', onclick: () => item.remove() }));
    notices.append(item);
    while (notices.children.length > 3) notices.firstElementChild.remove();
    announce(text);
  }

  // ---- undo, REST changes ----

  function undoButtons() {
    const u = toolbar.querySelector('#undo'), r = toolbar.querySelector('#redo');
    if (u) u.disabled = !ed.undo.length;
    if (r) r.disabled = !ed.redo.length;
  }

  async function undo() {
    if (!ed.canEdit || !ed.undo.length) return;
    const entry = ed.undo.pop();
    undoButtons();
    await applyOps(entry.ops, 'Undone.', 'undo');
  }

  async function redo() {
    if (!ed.canEdit || !ed.redo.length) return;
    const entry = ed.redo.pop();
    undoButtons();
    await applyOps(entry.ops, 'Redone.', 'redo');
  }

  /**
   * rest runs a call that answers with the new document (status, a whole
   * save); a stale revision is read again and tried once more, since live
   * edits move the revision on.
   */
  async function rest(call, message) {
    restBusy = true;
    busy();
    try {
      try {
        await call(ed.doc.revision);
      } catch (err) {
        if (!(err.status === 409 && err.code === 'conflict')) throw err;
        // A revision this tab has not heard of yet: read it. Else live
        // edits not yet in the history: wait until they are. Then once more.
        const was = ed.doc.revision;
        await reload();
        if (ed.doc.revision === was) { await nextRevision(5000); await reload(); }
        await call(ed.doc.revision);
      }
      await refresh({ yaml: true });
      announce(message);
      return true;
    } catch (err) {
      showError(err);
      return false;
    } finally {
      restBusy = false;
      busy();
    }
  }

  /** saveSource saves a whole source (Edit with AI, the YAML tab's Save as a whole): it replaces the live source. */
  function saveSource(source, message) {
    return rest((rev) => api.put(`/api/sops/${ed.id}`, { source, base_revision: rev, message }), 'Saved.');
  }

  function setStatus(status) {
    return rest((rev) => api.post(`/api/sops/${ed.id}/status`, { status, base_revision: rev }), `Status: ${status}.`);
  }

  async function addStepAfter(after) {
    const name = await prompt('Add a step', 'Name of the new step');
    if (!name) return;
    const prev = ed.model.steps.find((s) => s.id === after) || {};
    const known = new Set(ed.model.steps.map((s) => s.id));
    const ok = await applyOps([{ op: 'add_step', after, step: { name, owner: prev.owner, phase: prev.phase } }], `Added “${name}”.`);
    const added = ok && ed.model && ed.model.steps.find((s) => !known.has(s.id) && s.name === name);
    if (added) selectElement({ kind: 'step', id: added.id });
  }

  async function deleteStep(id) {
    if (!await confirm(`Delete the step “${id}”? Flows through it are reconnected.`, 'Delete')) return;
    if (await applyOps([{ op: 'remove_step', id }], `Deleted ${id}.`)) selectElement(null);
  }

  async function addRole() {
    const name = await prompt('Add a role', 'Name of the role (a new lane)');
    if (name) await applyOps([{ op: 'add_role', role: { name } }], `Added the role “${name}”.`);
  }

  function showHelp() {
    dialog('Keyboard shortcuts', () => h('table', { class: 'shortcuts' },
      h('tbody', null, SHORTCUTS.map(([k, what]) => h('tr', null, h('th', { scope: 'row' }, h('kbd', { text: k })), h('td', { text: what }))))));
  }

  // ---- keyboard ----

  async function onKey(e) {
    if (document.querySelector('dialog[open]')) return;
    const mod = e.ctrlKey || e.metaKey;
    if (mod && e.key.toLowerCase() === 's') {
      e.preventDefault();
      if (ed.canEdit) { tabs.show('yaml'); yaml.save(); }
      return;
    }
    if (isTyping(e.target)) return;
    if (mod && e.key.toLowerCase() === 'z') { e.preventDefault(); (e.shiftKey ? redo : undo)(); return; }
    if (mod && e.key.toLowerCase() === 'y') { e.preventDefault(); redo(); return; }
    if (mod || e.altKey) return;
    switch (e.key) {
      case '?': e.preventDefault(); showHelp(); break;
      case 'Escape': cancelConnect(); selectElement(null); break;
      case '+': case '=': diagram.zoomIn(); break;
      case '-': diagram.zoomOut(); break;
      case '0': diagram.fit(); break;
      case '1': diagram.fitHeight(); break;
      case 'Delete': case 'Backspace':
        if (ed.canEdit && ed.sel && ed.sel.kind === 'step') { e.preventDefault(); deleteStep(ed.sel.id); }
        break;
      default:
    }
  }
  document.addEventListener('keydown', onKey);
  return () => {
    document.removeEventListener('keydown', onKey);
    document.title = 'relsop';
    if (ed.live) ed.live.close();
    delete window.__relsopLive;
  };
}
