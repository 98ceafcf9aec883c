// editor.js: one SOP: the diagram with pan, zoom and selection, and a side
// panel to inspect, edit as YAML, edit with AI, read lint findings,
// comment and carry out releases (releases.js). Edits travel over the live
// connection (live.js, docs/live.md): everyone on the page sees them as they
// are made, and who else is here. A change of a field shows at once and is
// marked pending until the server acknowledges it; everything else is drawn
// from the server's state.
//
// This file builds the page and wires its parts, which share one object,
// ctx (the editor state ed, the page's elements and each part's functions):
// editorview.js draws, toolbar.js holds the toolbar and undo, selection.js
// the diagram's selection and structural edits, changes.js sends changes and
// refreshes, pending.js shows unacknowledged ones, livesync.js handles the
// live connection's messages and shortcuts.js the keyboard.
import * as api from './api.js';
import { h, replace } from './dom.js';
import { createDiagram } from './diagram.js';
import { connectLive } from './live.js';
import { createPresence } from './presence.js';
import { createYamlTab } from './yamltab.js';
import { createAiTab } from './aiedit.js';
import { createComments } from './comments.js';
import { createReleases } from './releases.js';
import { createTabs } from './tabs.js';
import { createView } from './editorview.js';
import { createToolbar } from './toolbar.js';
import { createSelection } from './selection.js';
import { createChanges } from './changes.js';
import { createLiveSync } from './livesync.js';
import { createKeys } from './shortcuts.js';
import { createDragStep } from './dragstep.js';

export { EXPORTS } from './toolbar.js';

// editor opens SOP idText; panel and itemText, from #/sops/ID/releases/RID
// or #/sops/ID/comments/CID, open a release or a comment in its tab.
export async function editor(main, idText, panel, itemText) {
  const ed = {
    id: Number(idText), doc: null, model: null, sel: null, type: '', canEdit: false,
    undo: [], redo: [], connectFrom: null, live: null, me: null,
  };
  const ctx = { ed, reload, presence: null };
  await reload();

  const head = h('div', { class: 'editor-head' });
  const toolbar = h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Diagram tools' });
  const banner = h('div', { class: 'banner', id: 'mode-banner', hidden: true, role: 'status' });
  const zoomLevel = h('output', { id: 'zoom-level', class: 'zoom-level', title: 'Zoom' });
  const diagram = createDiagram({ onSelect: (sel) => ctx.onDiagramClick(sel), label: 'Swimlane diagram', drag: createDragStep(ctx),
    onView: ({ scale }) => { zoomLevel.textContent = `${Math.round(scale * 100)}%`; if (ctx.presence) ctx.presence.rescale(); } });
  const presence = createPresence(diagram);
  ctx.presence = presence;
  const liveState = h('span', { class: 'live-state', id: 'live-state', role: 'status', dataset: { state: 'connecting' }, text: 'connecting…' });
  const notices = h('div', { class: 'live-notices', id: 'live-notices', 'aria-live': 'polite' });
  const diagramMsg = h('div', { class: 'diagram-message', hidden: true });
  const runLegend = h('div', { class: 'run-legend', id: 'run-legend', hidden: true });
  const inspectPanel = h('div', { id: 'inspector' });
  const lintPanel = h('div', { id: 'lint-panel' });
  const yaml = createYamlTab(ed);
  const ai = createAiTab(ed);
  const comments = createComments(ed);
  const releases = createReleases(ed);
  const tabs = createTabs([
    { id: 'inspect', label: 'Inspect', panel: inspectPanel },
    { id: 'yaml', label: 'YAML', panel: yaml.element },
    { id: 'ai', label: 'Edit with AI', panel: ai.element },
    { id: 'lint', label: 'Lint', panel: lintPanel },
    { id: 'comments', label: 'Comments', panel: comments.element },
    { id: 'releases', label: 'Releases', panel: releases.element, onShow: () => releases.load(), onHide: () => ed.showRun(null) },
  ], 'SOP panels');

  Object.assign(ctx, { head, toolbar, banner, zoomLevel, diagram, liveState, notices, diagramMsg, inspectPanel, lintPanel, yaml, ai, comments, tabs });
  for (const part of [createView, createToolbar, createSelection, createChanges, createLiveSync]) Object.assign(ctx, part(ctx));

  Object.assign(ed, {
    reload, applyOps: ctx.applyOps, recordReview: ctx.recordReview, saveSource: ctx.saveSource, saveYaml: ctx.saveYaml,
    select: ctx.selectElement,
    addStepAfter: ctx.addStepAfter, startConnect: ctx.startConnect, deleteStep: ctx.deleteStep, addRole: ctx.addRole,
    addPhase: ctx.addPhase, addEnvironment: ctx.addEnvironment, moveElement: ctx.moveElement, removeElement: ctx.removeElement,
    addVariant: ctx.addVariant, removeVariant: ctx.removeVariant,
    setCommentCount: (n) => tabs.label('comments', n ? `Comments (${n})` : 'Comments'),
    showRun: (states, label, note, onHide) => showRun(diagram, runLegend, states, label, note, onHide),
  });

  // aria-busy is true while a change is saved and drawn again.
  const root = h('section', { class: 'editor', id: 'editor', 'aria-busy': 'true', dataset: { id: String(ed.id) } },
    head, toolbar, banner, runLegend, notices,
    h('div', { class: 'editor-body' },
      h('div', { class: 'diagram-wrap' }, diagram.element, diagramMsg),
      h('aside', { class: 'side', 'aria-label': 'SOP panels' }, tabs.element)));
  ctx.root = root;
  replace(main, root);

  // Keeps what the user typed in the side panel while others' edits redraw it.
  inspectPanel.addEventListener('input', (e) => { if (e.target.matches('input, textarea, select')) e.target.dataset.edited = '1'; });
  inspectPanel.addEventListener('change', (e) => { if (e.target.matches('input, select')) e.target.dataset.edited = '1'; });
  diagram.element.addEventListener('pointermove', (e) => {
    if (ed.live) ed.live.point(diagram.point(e.clientX, e.clientY));
  });
  diagram.element.addEventListener('pointerleave', () => { if (ed.live) ed.live.point(null); });

  await ctx.redraw({ fit: true });
  ed.drawHead = ctx.drawHead; // for the Releases tab, which learns of suggestions too
  // Whether a release suggests reviewing the SOP: not needed to edit, so
  // asked after the first drawing.
  api.get(`/api/sops/${ed.id}/releases`).then((res) => {
    ed.suggestion = (res && res.review_suggested) || null;
    if (ed.suggestion) ctx.drawHead();
  }).catch(() => {}).finally(() => { root.dataset.suggestionsLoaded = 'true'; });
  if (panel === 'comments') { tabs.show('comments'); comments.show(Number(itemText)); }
  comments.load();
  if (panel === 'releases') { releases.select(Number(itemText)); tabs.show('releases'); }
  ed.live = connectLive(ed.id, {
    hello: ctx.onHello, snapshot: ctx.onSource, replace: ctx.onSource, op: ctx.onOp, ready: ctx.onReady, reject: ctx.onReject,
    presence: (p) => presence.update(p), revision: ctx.onRevision, state: ctx.onState,
    error: (msg) => console.warn(`live: ${msg.code}: ${msg.error}`),
  });
  // A hook for tests and the curious: drop() cuts the connection as a lost
  // network would, resume() lets it reconnect.
  window.__relsopLive = { drop: () => ed.live && ed.live.drop(), resume: () => ed.live && ed.live.resume(),
    get state() { return ed.live ? ed.live.state : ''; }, get unsent() { return ed.live ? ed.live.unsent : 0; } };
  ctx.busy();

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

  const onKey = createKeys(ctx);
  document.addEventListener('keydown', onKey);
  return () => {
    document.removeEventListener('keydown', onKey);
    document.title = 'relsop';
    if (ed.live) ed.live.close();
    delete window.__relsopLive;
  };
}

const RUN_LEGEND = [['done', '✓', 'done'], ['ready', '●', 'ready now'], ['waiting', '…', 'waiting for a branch'], ['failed', '✗', 'failed'], ['skipped', '–', 'skipped']];

/**
 * showRun marks a release's step states (a Map of step id → state) on the
 * diagram, with a legend of the states it has above it; null clears them.
 * onHide is called when the member hides them from the legend.
 */
function showRun(diagram, legend, states, label, note, onHide) {
  diagram.mark(states);
  if (!states || !states.size) { legend.hidden = true; replace(legend); return; }
  const present = new Set(states.values());
  replace(legend, h('strong', { text: label }),
    RUN_LEGEND.filter(([state]) => present.has(state)).map(([state, sign, words]) =>
      h('span', {}, h('span', { class: `sign sign-${state}`, 'aria-hidden': 'true', text: sign }), words)),
    note ? h('span', { class: 'muted', text: note }) : null,
    h('button', { type: 'button', class: 'btn btn-small', id: 'run-legend-hide', text: 'Hide', onclick: onHide }));
  legend.hidden = false;
}
