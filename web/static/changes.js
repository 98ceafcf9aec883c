// changes.js: sending this tab's changes and drawing the server's state
// again. Edits go over the live connection as batches, resolved when the
// server answers them (livesync.js); status changes and whole saves go over
// REST. Refreshes are debounced: a burst of operations costs one. busy()
// keeps the editor's aria-busy true while any of this is under way.
import * as api from './api.js';
import { announce, showError } from './ui.js';
import { pendingOps, applyLocal, markPending } from './pending.js';

/**
 * createChanges returns {sent, isRestBusy, busy, refresh, applyOps, saveYaml,
 * saveSource, setStatus} for ctx, the editor's shared parts (editor.js).
 * sent holds the batches this tab sent, by client_seq: what to say and whom
 * to resolve when they are answered.
 */
export function createChanges(ctx) {
  const { ed, diagram, inspectPanel } = ctx;
  let refreshTimer = 0, refreshing = false, restBusy = false, waiters = [], yamlForce = false;
  const sent = new Map();

  /** busy tells tests and assistive technology that a change is on its way or being drawn. */
  function busy() {
    const on = !ed.live || ed.live.unsent > 0 || refreshing || restBusy || refreshTimer !== 0;
    ctx.root.setAttribute('aria-busy', String(Boolean(on)));
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
      await ctx.reload();
      pendingOps(ed).forEach((op) => applyLocal(ed, op));
      await ctx.redraw({ yamlForce: force });
    } catch (err) {
      showError(err);
    }
    refreshing = false;
    done.forEach((r) => r());
    if (waiters.length) refreshTimer = setTimeout(runRefresh, 150);
    busy();
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
      ops.forEach((op) => applyLocal(ed, op));
      if (ops.some((op) => op.op === 'set')) {
        ctx.drawHead();
        markPending(ed, diagram);
        ctx.drawSide();
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
        await ctx.reload();
        if (ed.doc.revision === was) { await ctx.nextRevision(5000); await ctx.reload(); }
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

  return { sent, isRestBusy: () => restBusy, busy, refresh, applyOps, saveYaml, saveSource, setStatus };
}
