package live

import (
	"context"
	"encoding/json"
	"log/slog"
	"time"

	"github.com/relsop/relsop"
)

// What travels between server processes sharing a store (relsop.Fanout):
// small notes that say where to look, never the edits themselves, which
// the other processes read from the store. Notes queue up and go out
// together, a few milliseconds' worth in one message: under load one
// NOTIFY carries the news of many documents, and a document that changed
// ten times meanwhile is named once.

// fanoutMsg is one note: a document has operations up to Seq, a new
// revision, or someone's presence changed.
type fanoutMsg struct {
	Doc      int64     `json:"d"`
	Seq      int64     `json:"s,omitempty"`
	Revision int       `json:"r,omitempty"`
	Presence *presence `json:"p,omitempty"`
}

// fanoutBatch is the payload of one Publish.
type fanoutBatch struct {
	Instance string      `json:"i"`
	Notes    []fanoutMsg `json:"n"`
}

const (
	outboxSize  = 4096                 // notes waiting to go out; more are dropped (the others catch up on the next)
	gatherDelay = 2 * time.Millisecond // how long the sender waits for more notes to go with the first
)

// publishAsync queues a note for the other servers.
func (h *Hub) publishAsync(m fanoutMsg) {
	if h.fanout == nil {
		return
	}
	select {
	case h.outbox <- m:
	default:
		h.log.Warn("live: the notes to other servers are backed up; dropping one", slog.Int64("doc", m.Doc))
	}
}

// sendNotes publishes queued notes until ctx ends.
func (h *Hub) sendNotes(ctx context.Context) {
	for {
		var first fanoutMsg
		select {
		case <-ctx.Done():
			return
		case first = <-h.outbox:
		}
		timer := time.NewTimer(gatherDelay)
		notes := []fanoutMsg{first}
	gather:
		for {
			select {
			case m := <-h.outbox:
				notes = append(notes, m)
			case <-timer.C:
				break gather
			}
		}
		for _, payload := range h.payloads(merge(notes)) {
			pctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			if err := h.fanout.Publish(pctx, payload); err != nil && ctx.Err() == nil {
				h.log.Warn("live: cannot tell other servers", slog.Any("err", err))
			}
			cancel()
		}
	}
}

// merge keeps, per document, the latest of its operation notes; presence
// and revision notes stay as they are, in order.
func merge(notes []fanoutMsg) []fanoutMsg {
	latest := map[int64]int{} // doc → index in out of its operation note
	var out []fanoutMsg
	for _, n := range notes {
		if n.Presence != nil || n.Revision > 0 {
			out = append(out, n)
			continue
		}
		if i, ok := latest[n.Doc]; ok {
			out[i].Seq = max(out[i].Seq, n.Seq)
			continue
		}
		latest[n.Doc] = len(out)
		out = append(out, n)
	}
	return out
}

// payloads packs notes into messages under the store's size limit; a
// note too big to go at all (a presence with a huge id) is dropped.
func (h *Hub) payloads(notes []fanoutMsg) [][]byte {
	var out [][]byte
	batch := fanoutBatch{Instance: h.instance}
	flush := func() {
		if len(batch.Notes) > 0 {
			out = append(out, encode(batch))
			batch.Notes = nil
		}
	}
	for _, n := range notes {
		batch.Notes = append(batch.Notes, n)
		if len(encode(batch)) <= relsop.MaxFanoutPayload {
			continue
		}
		batch.Notes = batch.Notes[:len(batch.Notes)-1]
		flush()
		batch.Notes = []fanoutMsg{n}
		if len(encode(batch)) > relsop.MaxFanoutPayload {
			batch.Notes = nil
		}
	}
	flush()
	return out
}

// received handles a payload from the fan-out; nil means notes may have
// been lost, so every room reads its document again.
func (h *Hub) received(payload []byte) {
	if payload == nil {
		for _, r := range h.allRooms() {
			r.catchUp()
		}
		return
	}
	var b fanoutBatch
	if err := json.Unmarshal(payload, &b); err != nil || b.Instance == h.instance {
		return
	}
	caughtUp := map[int64]bool{}
	for _, m := range b.Notes {
		r := h.existing(m.Doc)
		if r == nil {
			continue
		}
		switch {
		case m.Presence != nil:
			r.remotePresence(*m.Presence)
		case m.Revision > 0:
			r.broadcast(encode(revisionMsg{Type: typeRevision, Revision: m.Revision, Seq: m.Seq}), nil)
		case !caughtUp[m.Doc]:
			caughtUp[m.Doc] = true
			r.catchUp()
		}
	}
}
