// What an editor receives: reading a connection's messages, checking the
// numbering, and recording acknowledgements and deliveries.

package main

import (
	"bytes"
	"context"
	"encoding/json"

	"github.com/coder/websocket"
)

// incoming is the part of a server message the editors read.
type incoming struct {
	Type      string `json:"type"`
	Seq       int64  `json:"seq"`
	Client    string `json:"client"`
	ClientSeq int64  `json:"client_seq"`
	Code      string `json:"code"`
}

// read handles one connection's messages until it ends. After a
// reconnect, the catch-up's ops count as deliveries (late ones); at ready
// the batches not yet acknowledged are sent again with their client_seq.
func (r *runState) read(e *editor, conn *websocket.Conn) error {
	var buf bytes.Buffer
	ctx := context.Background()
	resync := false // a snapshot came: the numbers up to ready are not checked
	for {
		_, rd, err := conn.Reader(ctx)
		if err == nil {
			buf.Reset()
			_, err = buf.ReadFrom(rd)
		}
		if err != nil {
			return err
		}
		at := int64(r.now())
		var m incoming
		if err := json.Unmarshal(buf.Bytes(), &m); err != nil {
			e.errs["bad json"]++
			continue
		}
		switch m.Type {
		case "op", "replace":
			select {
			case <-e.ready:
			default:
				continue // the first catch-up: before the load
			}
			if !resync {
				last := e.lastSeq.Load()
				switch {
				case m.Seq == last+1:
				case m.Seq > last+1:
					e.gaps += m.Seq - last - 1
				default:
					e.disorder++
				}
				if m.Seq > last {
					e.lastSeq.Store(m.Seq)
				}
			}
			if m.Type == "op" {
				r.received(e, m, at)
			}
		case "snapshot":
			select {
			case <-e.ready:
				resync = true
				e.snapshots++
			default:
			}
		case "ready":
			e.lastSeq.Store(m.Seq)
			resync = false
			select {
			case <-e.ready:
				e.waiting.Store(false)
				r.resend(e, conn)
			default:
				close(e.ready)
			}
		case "reject":
			code := m.Code
			if b := e.batch(m.ClientSeq); b != nil {
				if code == "duplicate" { // stored before: an acknowledgement
					b.ackAt.CompareAndSwap(0, at)
				} else {
					b.rejected.Store(&code)
				}
			}
			e.errs["reject "+code]++
		case "error":
			e.errs["error "+m.Code]++
		case "revision":
			e.revs++
		case "hello", "presence":
		default:
			e.errs["unknown type "+m.Type]++
		}
	}
}

// received counts an op: the sender's acknowledgement, or a delivery.
func (r *runState) received(e *editor, m incoming, at int64) {
	if m.Client == e.client {
		if b := e.batch(m.ClientSeq); b == nil || !b.ackAt.CompareAndSwap(0, at) {
			e.dups++
		} else {
			b.seq.Store(m.Seq)
		}
		return
	}
	s := r.byClient[m.Client]
	if s == nil {
		e.unknown++
		return
	}
	b := s.batch(m.ClientSeq)
	if b == nil {
		e.unknown++
		return
	}
	bit := uint64(1) << e.peer
	if b.seenBy.Or(bit)&bit != 0 {
		e.dups++
		return
	}
	if t := int64(b.sentAt); t >= r.tStart.Load() && t < r.tEnd.Load() {
		e.lat = append(e.lat, at-t)
	}
}
