// Package live runs live co-editing (docs/live.md): it orders the edits of
// everyone on an SOP's editor page, stores each before it acknowledges it,
// and passes it to the others, over WebSocket. Every document with someone
// on its page has a room in this process; when several server processes
// share one PostgreSQL database, the store's Fanout tells the others'
// rooms that there is something new to read.
package live

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"sync"
	"time"

	"github.com/coder/websocket"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/workspace"
)

// Options tune a Hub; the zero value gives the defaults.
type Options struct {
	// CheckpointIdle is how long after the last edit live edits are saved
	// into the history as a revision. Default 3 s.
	CheckpointIdle time.Duration
	// CheckpointEvery bounds how long edits go on without a revision.
	// Default 1 minute.
	CheckpointEvery time.Duration
	// MaxBehind is how many operations a reconnecting client may have
	// missed and still be sent them one by one; beyond, it gets a
	// snapshot. Default 1000.
	MaxBehind int64
	// Heartbeat is how often a connection is pinged, and its user's
	// membership of the workspace checked again. Default 30 s.
	Heartbeat time.Duration
	// Rate is how many messages a second one connection may send, with
	// bursts of twice as many. Default 30.
	Rate float64
	// Logger gets errors and connection events; default: discard.
	Logger *slog.Logger
}

// Hub is the live editing of one server process.
type Hub struct {
	svc      *workspace.Service
	store    relsop.Store
	fanout   relsop.Fanout // nil when the store is not shared
	instance string        // tells this process's fan-out messages from others'
	opts     Options
	log      *slog.Logger
	metrics  *metrics // nil: not counted
	names    nameCache

	outbox chan fanoutMsg // notes for the other servers (fanout.go)

	undo undoMemory // the undo of clients' latest batches, for after a reconnect

	mu    sync.Mutex
	rooms map[int64]*room
}

// New returns a Hub over the workspace service. When the service's store
// implements relsop.Fanout, Run must be called for edits to travel between
// processes.
func New(svc *workspace.Service, opts Options) *Hub {
	if opts.CheckpointIdle <= 0 {
		opts.CheckpointIdle = 3 * time.Second
	}
	if opts.CheckpointEvery <= 0 {
		opts.CheckpointEvery = time.Minute
	}
	if opts.MaxBehind <= 0 {
		opts.MaxBehind = 1000
	}
	if opts.Heartbeat <= 0 {
		opts.Heartbeat = 30 * time.Second
	}
	if opts.Rate <= 0 {
		opts.Rate = 30
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	var b [8]byte
	rand.Read(b[:])
	h := &Hub{svc: svc, store: svc.Store(), instance: hex.EncodeToString(b[:]), opts: opts,
		log: opts.Logger, rooms: map[int64]*room{}, outbox: make(chan fanoutMsg, outboxSize)}
	h.names.store = h.store
	h.fanout, _ = h.store.(relsop.Fanout)
	svc.OnChange(h.changed)
	return h
}

// Instrument counts what the hub does in reg's metrics; call it before
// serving.
func (h *Hub) Instrument(reg prometheus.Registerer) { h.metrics = newMetrics(reg) }

// Run carries fan-out messages from other server processes until ctx
// ends; without a shared store it just waits.
func (h *Hub) Run(ctx context.Context) error {
	if h.fanout == nil {
		<-ctx.Done()
		return nil
	}
	go h.sendNotes(ctx)
	return h.fanout.Subscribe(ctx, h.received)
}

// Close ends every live connection (browsers reconnect, to another
// server or to this one restarted) and saves every room's pending live
// edits as revisions. Call it after the HTTP server stopped taking
// requests.
func (h *Hub) Close(ctx context.Context) {
	rooms := h.allRooms()
	for _, r := range rooms {
		r.mu.Lock()
		for c := range r.clients {
			c.close(websocket.StatusGoingAway, "the server is restarting")
		}
		r.mu.Unlock()
	}
	for _, r := range rooms {
		r.checkpoint(ctx)
	}
}

// room returns the room of a document, making it when there is none.
func (h *Hub) room(id int64) *room {
	h.mu.Lock()
	defer h.mu.Unlock()
	r := h.rooms[id]
	if r == nil {
		r = newRoom(h, id)
		h.rooms[id] = r
	}
	return r
}

// existing returns the room of a document, or nil.
func (h *Hub) existing(id int64) *room {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.rooms[id]
}

// drop forgets a room that has no clients left. The room is marked closed
// under both locks, so that a client that got the room just before cannot
// join it: it makes a new one instead (errClosed). Otherwise one document
// could have two rooms here, and the clients of one would not hear the
// other's edits.
func (h *Hub) drop(r *room) {
	h.mu.Lock()
	defer h.mu.Unlock()
	r.mu.Lock()
	defer r.mu.Unlock()
	if h.rooms[r.id] == r && len(r.clients) == 0 {
		delete(h.rooms, r.id)
		r.closed = true
		if r.timer != nil && r.pending.IsZero() {
			r.timer.Stop()
		}
	}
}

// dropIfEmpty drops the room of a document when nobody is in it: a room
// made for a batch from the API.
func (h *Hub) dropIfEmpty(id int64) {
	if r := h.existing(id); r != nil {
		h.drop(r)
	}
}

// changed is told by the workspace service that a save replaced a
// document's source.
func (h *Hub) changed(id int64) {
	if r := h.existing(id); r != nil {
		r.catchUp()
	}
	h.publishAsync(fanoutMsg{Doc: id})
}

// allRooms lists the rooms open now.
func (h *Hub) allRooms() []*room {
	h.mu.Lock()
	defer h.mu.Unlock()
	rooms := make([]*room, 0, len(h.rooms))
	for _, r := range h.rooms {
		rooms = append(rooms, r)
	}
	return rooms
}

// nameCache remembers users' names for the messages that carry them.
type nameCache struct {
	store relsop.Store
	mu    sync.Mutex
	names map[int64]string
}

func (c *nameCache) name(ctx context.Context, id int64) string {
	c.mu.Lock()
	n, ok := c.names[id]
	c.mu.Unlock()
	if ok {
		return n
	}
	u, err := c.store.UserByID(ctx, id)
	if err != nil {
		return "someone"
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.names == nil || len(c.names) > 10000 {
		c.names = map[int64]string{}
	}
	c.names[id] = u.Name
	return u.Name
}
