// livesync.js: what the SOP editor does with each message of the live
// connection (live.js, docs/live.md): acknowledgements and refusals of this
// tab's batches, others' edits and saves, new revisions, the connection's
// state, and notices about others' edits that touched this user's work.
import { h } from './dom.js';
import { announce, showError } from './ui.js';

/**
 * createLiveSync returns {onHello, onSource, onOp, onReady, onReject,
 * onRevision, onState, nextRevision} for ctx, the editor's shared parts
 * (editor.js), which hands the handlers to connectLive.
 */
export function createLiveSync(ctx) {
  const { ed, yaml, presence, liveState, notices } = ctx;
  const revisionWaiters = [];

  function onHello(msg) {
    ed.me = msg.you || null;
    ed.doc.revision = msg.revision;
    if (msg.role) ed.canEdit = msg.role !== 'viewer';
    ctx.revisionLabel();
  }

  /** onSource takes a snapshot or a replacement: the whole source. */
  function onSource(msg) {
    if (typeof msg.revision === 'number') ed.doc.revision = msg.revision;
    if (msg.type === 'snapshot' && msg.source === ed.doc.source) return;
    if (msg.type === 'replace' && !ctx.isRestBusy()) { // not this tab's own status change or whole save
      if (msg.author && msg.author.user_id !== (ed.me || {}).user_id) announce(`${msg.author.name} saved a new version of the SOP.`);
      yaml.othersChanged();
    }
    ctx.refresh();
  }

  function onOp(msg, batch) {
    if (batch) acknowledged(msg, batch);
    else if (msg.client !== ed.live.client) {
      yaml.othersChanged();
      const author = (msg.author && msg.author.name) || 'Someone';
      const sel = ed.sel;
      if (sel && (msg.ops || []).some((op) => op.op === `remove_${sel.kind}` && op.id === sel.id)) {
        ctx.selectElement(null, false);
        notice(`${author} deleted the ${sel.kind === 'role' ? 'role (lane)' : sel.kind} you had selected.`);
      }
    }
    for (const o of msg.overwrote || []) {
      if (o.client !== ed.live.client || msg.client === ed.live.client) continue;
      const value = Array.isArray(o.value) ? o.value.map((v) => (v && typeof v === 'object' ? v.title : v)).join(', ') : String(o.value ?? '');
      const what = o.kind === 'sop' ? 'the SOP' : `${o.kind} ${o.id}`;
      notice(`${(msg.author && msg.author.name) || 'Someone'} changed ${o.field} of ${what} after you; your value “${value}” was replaced.`);
    }
    ctx.refresh();
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
      ctx.undoButtons();
    }
    const s = ctx.sent.get(batch.msg.client_seq);
    ctx.sent.delete(batch.msg.client_seq);
    ctx.refresh().then(() => {
      if (s) { if (s.message) announce(s.message); s.resolve(true); }
    });
  }

  function onReady(msg, done) {
    presence.reset(msg.peers);
    // Batches stored while the connection was down: their undo comes with ready.
    for (const b of done) acknowledged({ inverse: (msg.inverses || {})[b.msg.client_seq] }, b);
    if (ed.sel) ed.live.select(ed.sel);
    ctx.busy();
  }

  function onReject(msg, batch) {
    if (msg.code === 'duplicate') { if (batch) acknowledged(null, batch); return; }
    const s = batch && ctx.sent.get(batch.msg.client_seq);
    if (batch) ctx.sent.delete(batch.msg.client_seq);
    const origin = batch ? batch.meta.origin : '';
    ctx.refresh().then(() => {
      if (batch && batch.meta.yaml) { if (s) s.resolve(false, msg); return; }
      const text = origin === 'undo' || origin === 'redo'
        ? `This can no longer be ${origin === 'undo' ? 'undone' : 'redone'}: ${msg.error}` : msg.error;
      showError(new Error(text || 'The change was not applied.'));
      if (s) s.resolve(false, msg);
    });
  }

  function onRevision(msg) {
    if (msg.revision > ed.doc.revision) ed.doc.revision = msg.revision;
    ctx.revisionLabel();
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
    ctx.busy();
  }

  /** notice shows a message about others' edits until dismissed (at most three at a time). */
  function notice(text) {
    const item = h('p', { class: 'live-notice' }, h('span', { text }),
      h('button', { type: 'button', class: 'btn btn-quiet', 'aria-label': 'Dismiss', text: '×', onclick: () => item.remove() }));
    notices.append(item);
    while (notices.children.length > 3) notices.firstElementChild.remove();
    announce(text);
  }

  return { onHello, onSource, onOp, onReady, onReject, onRevision, onState, nextRevision };
}
