// The simulated editor: its batches, its state, and its connection with
// the session that reconnects when it drops.

package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
)

// batch is one ops message of an editor.
type batch struct {
	sentAt   time.Duration // first send, since the run's epoch; set before the batch is published
	step     int           // what it sets
	field    int           //
	ackAt    atomic.Int64  // since the epoch; 0 while not acknowledged
	seq      atomic.Int64  // its number, from the acknowledgement
	seenBy   atomic.Uint64 // the peers (bit = peer index) that received its op
	rejected atomic.Pointer[string]
	written  atomic.Bool // went out on a connection at least once
}

// editor is one simulated tab: a user, a connection, a document.
type editor struct {
	idx    int
	doc    int // index into docs
	peer   int // its bit among the document's editors
	client string
	token  string

	mu      sync.Mutex      // orders writes; guards conn, down, rng
	conn    *websocket.Conn // the current connection
	down    bool            // disconnected: batches wait for the reconnect
	rng     *rand.Rand
	batches []batch      // client_seq-1 → batch; fixed capacity, so lookups need no lock
	nsent   atomic.Int64 // batches published
	lastSeq atomic.Int64 // the last seq seen, for base_seq

	// the session goroutine's own; read after done is closed
	ready      chan struct{} // closed at the first ready
	done       chan struct{}
	lat        []int64 // ns, send → received here, of others' timed batches
	gaps       int64   // seqs skipped
	disorder   int64   // seqs not above the last one
	dups       int64   // an op received twice
	unknown    int64   // an op of a client this run does not know
	errs       map[string]int
	revs       int
	reconnects int
	waiting    atomic.Bool // reconnected, waiting for ready
	resent     int
	snapshots  int // snapshots after a reconnect: numbers skipped unchecked
}

func (e *editor) batch(clientSeq int64) *batch {
	if clientSeq < 1 || clientSeq > e.nsent.Load() {
		return nil
	}
	return &e.batches[clientSeq-1]
}

// dial opens a connection of the editor, from seq since.
func (r *runState) dial(e *editor, since int64) (*websocket.Conn, error) {
	u := strings.Replace(r.base, "http", "ws", 1) + fmt.Sprintf("/api/sops/%d/live?client=%s&since=%d", r.docs[e.doc], e.client, since)
	h := http.Header{}
	h.Set("Authorization", "Bearer "+e.token)
	h.Set("Origin", r.base)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, resp, err := websocket.Dial(ctx, u, &websocket.DialOptions{HTTPHeader: h})
	if err != nil {
		if resp != nil {
			return nil, fmt.Errorf("editor %d: %w (HTTP %d)", e.idx, err, resp.StatusCode)
		}
		return nil, fmt.Errorf("editor %d: %w", e.idx, err)
	}
	conn.SetReadLimit(4 << 20)
	return conn, nil
}

// session is the editor's one goroutine that reads: it connects, reads
// until the connection drops, and connects again from the last seq it
// saw, as a browser tab does (docs/live.md, Reconnecting), until the end.
func (r *runState) session(e *editor, first *websocket.Conn) {
	defer close(e.done)
	conn := first
	for {
		err := r.read(e, conn)
		if r.ending.Load() {
			return
		}
		e.mu.Lock()
		e.down = true
		e.mu.Unlock()
		e.errs["disconnect: "+err.Error()]++
		for {
			time.Sleep(500 * time.Millisecond)
			if r.ending.Load() {
				return
			}
			conn, err = r.dial(e, e.lastSeq.Load())
			if err == nil {
				break
			}
			e.errs["reconnect failed: "+err.Error()]++
		}
		e.reconnects++
		e.waiting.Store(true)
		e.mu.Lock()
		e.conn = conn
		e.mu.Unlock()
		if r.ending.Load() { // closeAll may have missed it
			conn.Close(websocket.StatusNormalClosure, "")
		}
	}
}
