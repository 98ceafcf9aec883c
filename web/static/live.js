// live.js: the live co-editing connection of one SOP (docs/live.md). It
// keeps the batches this tab sent until the server acknowledges them, sends
// them again after a reconnect, and reconnects on its own with backoff.
// What the messages mean for the page is up to the handlers.

const BACKOFF_MIN = 500, BACKOFF_MAX = 10000;
const PRESENCE_EVERY = 100; // ms between presence messages: ~10 a second
const HEARTBEAT = 25000;

/**
 * tabIdentity makes this page's client id. It is new on every page load:
 * the unacknowledged batches live in this page's memory, so a reload has
 * nothing to resume, and a duplicated tab (which copies sessionStorage)
 * must not share an id, or the server would take its batches for resends.
 */
function tabIdentity() {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  const client = 't' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return { client, seq: 0 };
}

/**
 * connectLive opens the live connection of a document. handlers (all
 * optional): hello(msg), snapshot(msg), op(msg, batch), replace(msg),
 * ready(msg), reject(msg, batch), presence(msg), revision(msg),
 * error(msg), state({state, unsent}). batch is this tab's own batch the
 * message answers, or null. It returns the connection's controls.
 */
export function connectLive(docId, handlers = {}) {
  const id = tabIdentity();
  const call = (name, ...args) => { if (handlers[name]) handlers[name](...args); };
  let ws = null, ready = false, closed = false, held = false;
  let seq = 0;          // the last seq seen
  let attempt = 0, retryTimer = 0, heartbeat = 0;
  let state = 'connecting';
  const queue = [];     // batches sent (or to send) and not yet acknowledged, oldest first
  let presence = { selection: null, cursor: null }, presenceTimer = 0, presenceAt = 0;

  const setState = (s) => { state = s; call('state', { state, unsent: queue.length }); };

  function open() {
    clearTimeout(retryTimer);
    if (closed || held) return;
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const url = `${proto}//${location.host}/api/sops/${docId}/live?client=${encodeURIComponent(id.client)}&since=${seq}`;
    const sock = new WebSocket(url);
    ws = sock;
    ready = false;
    sock.onmessage = (e) => { if (ws === sock) receive(e.data); };
    sock.onclose = () => {
      if (ws !== sock) return;
      ws = null;
      ready = false;
      clearInterval(heartbeat);
      if (closed) return;
      setState(held ? 'offline' : 'reconnecting');
      if (!held) retry();
    };
  }

  function retry() {
    const base = Math.min(BACKOFF_MAX, BACKOFF_MIN * 2 ** attempt);
    attempt++;
    const wait = base / 2 + Math.random() * base / 2; // jitter: between half and all of it
    retryTimer = setTimeout(open, wait);
  }

  function receive(text) {
    let msg;
    try { msg = JSON.parse(text); } catch (e) { return; }
    // hello's seq is where catch-up will end, not what was seen: only what came counts.
    if (typeof msg.seq === 'number' && msg.type === 'op') seq = Math.max(seq, msg.seq);
    switch (msg.type) {
      case 'hello': call('hello', msg); break;
      case 'snapshot': seq = msg.seq; call('snapshot', msg); break;
      case 'replace': seq = msg.seq; call('replace', msg); break;
      case 'op': {
        let batch = null;
        if (msg.client === id.client) {
          const i = queue.findIndex((b) => b.msg.client_seq === msg.client_seq);
          if (i >= 0) batch = queue.splice(i, 1)[0];
        }
        call('op', msg, batch);
        if (batch) setState(state);
        break;
      }
      case 'ready': {
        seq = Math.max(seq, msg.seq);
        // Batches the server stored before a drop whose op did not come
        // (a snapshot instead): acknowledged all the same.
        const acked = msg.acked || 0;
        const done = [];
        while (queue.length && queue[0].msg.client_seq <= acked) done.push(queue.shift());
        ready = true;
        attempt = 0;
        setState('connected');
        call('ready', msg, done);
        for (const b of queue) transmit(b);
        clearInterval(heartbeat);
        heartbeat = setInterval(() => sendPresence(true), HEARTBEAT);
        if (presence.selection || presence.cursor) sendPresence(true);
        break;
      }
      case 'reject': {
        const i = queue.findIndex((b) => b.msg.client_seq === msg.client_seq);
        const batch = i >= 0 ? queue.splice(i, 1)[0] : null;
        setState(state);
        call('reject', msg, batch);
        break;
      }
      case 'presence': call('presence', msg); break;
      case 'revision': call('revision', msg); break;
      case 'error':
        // A refused batch comes back as a reject; an error is about some
        // other message (presence, or one that was not JSON).
        call('error', msg);
        break;
      default:
    }
  }

  function transmit(batch) {
    if (ws && ready && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(batch.msg));
  }

  /** submit queues a message that carries a batch (type ops or yaml) and sends it when connected. */
  function submit(fields, meta) {
    id.seq++;
    const batch = { msg: { ...fields, client_seq: id.seq, base_seq: seq }, meta: meta || {} };
    queue.push(batch);
    setState(state);
    transmit(batch);
    return batch;
  }

  function sendPresence(now) {
    if (!ws || !ready || ws.readyState !== WebSocket.OPEN) return;
    const go = () => {
      presenceTimer = 0;
      presenceAt = Date.now();
      if (ws && ready) ws.send(JSON.stringify({ type: 'presence', selection: presence.selection, cursor: presence.cursor }));
    };
    if (now) { clearTimeout(presenceTimer); go(); return; }
    if (presenceTimer) return;
    presenceTimer = setTimeout(go, Math.max(0, PRESENCE_EVERY - (Date.now() - presenceAt)));
  }

  open();

  return {
    get client() { return id.client; },
    get seq() { return seq; },
    get state() { return state; },
    get unsent() { return queue.length; },
    /** pending lists the batches not yet acknowledged, oldest first. */
    get pending() { return queue.slice(); },
    /** ops sends a batch of structured edits; undoable asks for its inverse. */
    ops(ops, meta = {}) { return submit({ type: 'ops', ops, undoable: true }, meta); },
    /** yaml sends a text edit of the YAML tab: from is the text the user started from. */
    yaml(from, to, meta = {}) { return submit({ type: 'yaml', from, to, undoable: true }, meta); },
    /** select tells the others what this tab has selected ({kind, id} or null). */
    select(selection) { presence.selection = selection ? { kind: selection.kind, id: selection.id } : null; sendPresence(true); },
    /** point tells the others where the pointer is, in diagram units, or null; throttled. */
    point(cursor) { presence.cursor = cursor; sendPresence(false); },
    /** drop closes the socket as a lost network would, and holds reconnecting until resume (for tests). */
    drop() { held = true; if (ws) ws.close(); else setState('offline'); },
    resume() { held = false; attempt = 0; if (!ws) { setState('reconnecting'); open(); } },
    close() {
      closed = true;
      clearTimeout(retryTimer); clearTimeout(presenceTimer); clearInterval(heartbeat);
      if (ws) ws.close(1000);
      ws = null;
    },
  };
}
