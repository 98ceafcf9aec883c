package live

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/coder/websocket"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/generate/edit"
	"github.com/relsop/relsop/internal/workspace"
)

// Limits on what one connection may send (docs/live.md).
const (
	MaxMessage   = 256 << 10 // bytes in one message
	maxRefused   = 100       // messages refused for the rate in a row before the connection is closed
	sendQueue    = 1024
	inboxSize    = 128 // batches waiting for the room, per connection
	writeTimeout = 30 * time.Second
)

// Request is a live connection, checked by the HTTP layer: the user is
// signed in and may read the document.
type Request struct {
	Document int64
	ClientID string // query client: see ValidClientID
	Since    int64  // query since
	Origins  []string
}

// ValidClientID says whether id may be a tab's own id: 8 to 64 letters,
// digits, - or _ (docs/live.md).
func ValidClientID(id string) bool {
	if len(id) < 8 || len(id) > 64 {
		return false
	}
	for _, c := range []byte(id) {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// client is one connected editor tab.
type client struct {
	id        string
	user      *relsop.User
	role      relsop.MemberRole
	workspace int64
	conn      *websocket.Conn
	out       chan []byte
	cancel    context.CancelFunc
	closeOnce sync.Once

	// guarded by the room's mutex
	lastSeq  int64 // the latest client_seq stored
	presence presence

	lastFanOut time.Time // of a cursor move; read loop only
	lastSel    string
}

// send queues a message; a client too slow to take its messages is
// dropped: it reconnects and catches up.
func (c *client) send(b []byte) {
	select {
	case c.out <- b:
	default:
		c.close(websocket.StatusTryAgainLater, "too slow to keep up; reconnect")
	}
}

func (c *client) close(code websocket.StatusCode, reason string) {
	c.closeOnce.Do(func() {
		// Close sends the status and waits for the other side's answer;
		// cancelling first would cut the connection before the status
		// went out.
		go func() {
			c.conn.Close(code, reason)
			c.cancel()
		}()
	})
}

// shouldFanOut says whether a presence change is worth telling other
// servers: selection changes always, cursor moves at most 5 times a
// second.
func (c *client) shouldFanOut(sel json.RawMessage) bool {
	now := time.Now()
	if string(sel) != c.lastSel || now.Sub(c.lastFanOut) >= 200*time.Millisecond {
		c.lastSel, c.lastFanOut = string(sel), now
		return true
	}
	return false
}

// Serve upgrades the HTTP request to a WebSocket and runs the connection
// until it ends. ctx carries the signed-in user; the caller has checked
// that the user may read the document (LiveDocument).
func (h *Hub) Serve(w http.ResponseWriter, r *http.Request, req Request, d *relsop.Document, m *relsop.Member) {
	user := workspace.UserFrom(r.Context())
	// The HTTP server's read and write timeouts would stay on the
	// connection after the upgrade and cut it; pings keep it honest.
	rc := http.NewResponseController(w)
	rc.SetReadDeadline(time.Time{})
	rc.SetWriteDeadline(time.Time{})
	conn, err := websocket.Accept(w, r, &websocket.AcceptOptions{OriginPatterns: req.Origins})
	if err != nil {
		return // Accept has answered
	}
	conn.SetReadLimit(MaxMessage)
	ctx, cancel := context.WithCancel(context.WithoutCancel(r.Context()))
	defer cancel()
	c := &client{id: req.ClientID, user: user, role: m.Role, workspace: d.WorkspaceID, conn: conn,
		out: make(chan []byte, sendQueue), cancel: cancel}
	c.presence = presence{Client: c.id, UserID: user.ID, Name: user.Name, Color: colorOf(user.ID)}
	h.metrics.connected(1)
	defer h.metrics.connected(-1)

	done := make(chan struct{})
	go func() { defer close(done); c.writeLoop(ctx, h) }()

	rm := h.room(req.Document)
	err = rm.join(c, req.Since)
	for errors.Is(err, errClosed) {
		rm = h.room(req.Document)
		err = rm.join(c, req.Since)
	}
	if err != nil {
		h.log.Error("live: cannot open a document", slog.Int64("doc", req.Document), slog.Any("err", err))
		c.close(websocket.StatusInternalError, "the SOP cannot be opened")
		<-done
		h.leave(rm, c)
		return
	}
	c.readLoop(ctx, h, rm)
	c.close(websocket.StatusNormalClosure, "")
	<-done
	h.leave(rm, c)
}

// writeLoop sends the queued messages, and pings now and then; with each
// ping it checks that the user still belongs to the workspace.
func (c *client) writeLoop(ctx context.Context, h *Hub) {
	ping := time.NewTicker(h.opts.Heartbeat)
	defer ping.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case b := <-c.out:
			wctx, cancel := context.WithTimeout(ctx, writeTimeout)
			err := c.conn.Write(wctx, websocket.MessageText, b)
			cancel()
			if err != nil {
				c.close(websocket.StatusGoingAway, "")
				return
			}
		case <-ping.C:
			if err := h.svc.MayRead(workspace.WithUser(ctx, c.user), c.workspace); relsop.ErrorCode(err) == relsop.ENOTFOUND || relsop.ErrorCode(err) == relsop.EUNAUTHORIZED {
				c.close(websocket.StatusPolicyViolation, "you are no longer a member of this workspace")
				return
			}
			pctx, cancel := context.WithTimeout(ctx, writeTimeout)
			err := c.conn.Ping(pctx)
			cancel()
			if err != nil {
				c.close(websocket.StatusGoingAway, "no answer to ping")
				return
			}
		}
	}
}

// readLoop handles the client's messages until the connection ends.
// Batches go to a worker of their own, in order: applying one waits for
// the room, and meanwhile the loop must go on reading, or it would not
// see the answers to its pings.
func (c *client) readLoop(ctx context.Context, h *Hub, rm *room) {
	inbox := make(chan incoming, inboxSize)
	worked := make(chan struct{})
	go func() {
		defer close(worked)
		for in := range inbox {
			if !c.edit(ctx, h, rm, in) {
				for range inbox { // the connection is closing: drop the rest
				}
				return
			}
		}
	}()
	defer func() { close(inbox); <-worked }()

	bucket := newBucket(h.opts.Rate, 2*h.opts.Rate)
	refused := 0
	for {
		_, data, err := c.conn.Read(ctx)
		if err != nil {
			if websocket.CloseStatus(err) == websocket.StatusMessageTooBig {
				h.log.Info("live: message too big", slog.Int64("user", c.user.ID))
			}
			return
		}
		var in incoming
		jsonErr := json.Unmarshal(data, &in)
		if !bucket.take(time.Now()) {
			refused++
			if refused >= maxRefused {
				c.close(websocket.StatusPolicyViolation, "too many messages")
				return
			}
			// A refused batch is answered as a batch, so that its sender
			// knows it was not applied (and does not send it again later,
			// when its number may look like a repeat).
			msg := fmt.Sprintf("Too many messages: at most %g a second. This one was not applied.", h.opts.Rate)
			if jsonErr == nil && (in.Type == typeOps || in.Type == typeYAML) {
				c.send(encode(rejectMsg{Type: typeReject, ClientSeq: in.ClientSeq, Code: codeRateLimited, Error: msg}))
			} else {
				c.send(encode(errorMsg{Type: typeError, Code: codeRateLimited, Error: msg}))
			}
			continue
		}
		refused = 0
		if jsonErr != nil {
			c.send(encode(errorMsg{Type: typeError, Code: codeInvalid, Error: "The message is not valid JSON: " + jsonErr.Error()}))
			continue
		}
		switch in.Type {
		case typePresence:
			sel, ok1 := cleanSelection(in.Selection)
			cur, ok2 := cleanCursor(in.Cursor)
			if !ok1 || !ok2 {
				c.send(encode(errorMsg{Type: typeError, Code: codeInvalid, Error: "A presence has a selection {kind, id} (kind step, role, phase or sop) and a cursor {x, y}, each or both null."}))
				continue
			}
			rm.setPresence(c, sel, cur)
		case typeOps, typeYAML:
			select {
			case inbox <- in:
			default:
				c.send(encode(rejectMsg{Type: typeReject, ClientSeq: in.ClientSeq, Code: codeConflict, Error: "The server is behind with your edits; this one was not applied. Send it again in a moment."}))
			}
		default:
			c.send(encode(errorMsg{Type: typeError, Code: codeInvalid, Error: fmt.Sprintf("Unknown message type %q; see docs/live.md.", in.Type)}))
		}
	}
}

// edit checks and applies a batch; false when the connection must end
// (the user is no longer a member).
func (c *client) edit(ctx context.Context, h *Hub, rm *room, in incoming) bool {
	reject := func(code, msg string) bool {
		c.send(encode(rejectMsg{Type: typeReject, ClientSeq: in.ClientSeq, Code: code, Error: msg}))
		h.metrics.reject()
		return true
	}
	if in.ClientSeq <= 0 {
		return reject(codeInvalid, "Each batch needs a client_seq: 1, 2, 3, ... per client.")
	}
	err := h.svc.MayEdit(workspace.WithUser(ctx, c.user), c.workspace)
	switch relsop.ErrorCode(err) {
	case "":
	case relsop.ENOTFOUND, relsop.EUNAUTHORIZED:
		c.close(websocket.StatusPolicyViolation, "you are no longer a member of this workspace")
		return false
	case relsop.EFORBIDDEN:
		return reject(codeForbidden, relsop.ErrorMessage(err))
	default:
		return reject(codeInternal, "Your permissions could not be checked; try again.")
	}
	ops := in.Ops
	if in.Type == typeYAML {
		if len(in.From) > workspace.MaxSource || len(in.To) > workspace.MaxSource {
			return reject(codeInvalid, "The SOP is too large.")
		}
		diff, err := edit.DiffOps([]byte(in.From), []byte(in.To))
		var unsupported *edit.UnsupportedChangeError
		switch {
		case errors.As(err, &unsupported):
			return reject(codeUnsupported, capitalise(err.Error())+".")
		case err != nil:
			return reject(codeInvalid, capitalise(err.Error())+".")
		case len(diff) == 0:
			return reject(codeInvalid, "The text has no changes to apply.")
		}
		ops = diff
	}
	if len(ops) == 0 {
		return reject(codeInvalid, "A batch needs at least one operation.")
	}
	if err := workspace.CheckOps(ops); err != nil {
		return reject(codeInvalid, relsop.ErrorMessage(err))
	}
	rm.apply(c, in.ClientSeq, in.BaseSeq, ops, in.Undoable)
	return true
}
