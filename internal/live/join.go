package live

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/generate/edit"
)

// Joining and leaving a room: what a client is sent when it connects (the
// operations it missed, or a snapshot), and what happens when the last one
// leaves.

// errClosed is a room dropped from the hub before the client joined it.
var errClosed = errors.New("live: the room was closed")

// join adds a client to the room: hello, then the operations it missed or
// a snapshot, then ready; everyone else learns that it arrived.
func (r *room) join(c *client, since int64) error {
	ctx, cancel := storeCtx()
	defer cancel()
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return errClosed
	}
	if err := r.loadLocked(ctx); err != nil {
		return err
	}
	if err := r.catchUpLocked(ctx); err != nil {
		return err
	}
	if last, err := r.hub.store.LastClientOp(ctx, r.id, c.id); err == nil {
		c.lastSeq = last.ClientSeq
	} else if relsop.ErrorCode(err) != relsop.ENOTFOUND {
		return err
	}
	c.send(encode(helloMsg{Type: typeHello, Seq: r.seq, Revision: r.revision, Role: string(c.role), You: c.presence}))
	ready := readyMsg{Type: typeReady, Seq: r.seq, Acked: c.lastSeq, Peers: r.peersLocked(c)}
	if !r.sendMissedLocked(ctx, c, since) {
		c.send(encode(snapshotMsg{Type: typeSnapshot, Seq: r.seq, Revision: r.revision, Source: string(r.source)}))
		// Its batches stored meanwhile come as acked, not as operations:
		// their undo comes with ready.
		ready.Inverses = r.hub.undo.all(r.id, c.id)
	}
	c.send(encode(ready))
	r.clients[c] = struct{}{}
	p := c.presence
	p.Type = typePresence
	r.broadcastLocked(encode(p), c)
	r.hub.publishAsync(fanoutMsg{Doc: r.id, Presence: &p})
	return nil
}

// sendMissedLocked sends the operations after since, one by one; false
// when a snapshot serves better (a fresh start, too far behind, or a
// replacement among them).
func (r *room) sendMissedLocked(ctx context.Context, c *client, since int64) bool {
	if since <= 0 || since > r.seq || r.seq-since > r.hub.opts.MaxBehind {
		return false
	}
	var msgs [][]byte
	for seq := since; seq < r.seq; {
		ops, err := r.hub.store.OpsSince(ctx, r.id, seq, 1000)
		if err != nil || len(ops) == 0 {
			return false
		}
		for _, op := range ops {
			if op.Seq > r.seq {
				break
			}
			var list []edit.Op
			if len(op.Ops) == 0 || json.Unmarshal(op.Ops, &list) != nil {
				return false
			}
			m := opMsg{Type: typeOp, Seq: op.Seq, Author: person{op.AuthorID, r.hub.names.name(ctx, op.AuthorID)},
				Client: op.ClientID, ClientSeq: op.ClientSeq, Ops: list}
			if op.ClientID == c.id {
				m.Inverse = r.hub.undo.inverse(r.id, c.id, op.ClientSeq) // a batch whose acknowledgement was lost
			}
			msgs = append(msgs, encode(m))
			seq = op.Seq
		}
	}
	for _, m := range msgs {
		c.send(m)
	}
	return true
}

// leave takes a client out of its room; the last one out saves the
// room's edits as a revision.
func (h *Hub) leave(r *room, c *client) {
	r.mu.Lock()
	delete(r.clients, c)
	p := c.presence
	p.Type, p.Left, p.Selection, p.Cursor = typePresence, true, nil, nil
	r.broadcastLocked(encode(p), nil)
	last := len(r.clients) == 0
	r.mu.Unlock()
	h.publishAsync(fanoutMsg{Doc: r.id, Presence: &p})
	if last {
		ctx, cancel := storeCtx()
		r.checkpoint(ctx)
		cancel()
		h.drop(r)
	}
}

// sortPeers orders a presence list by name, then client id.
func sortPeers(list []presence) {
	slices.SortFunc(list, func(a, b presence) int {
		if c := strings.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		return strings.Compare(a.Client, b.Client)
	})
}
