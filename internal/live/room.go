package live

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/generate/edit"
	"github.com/relsop/relsop/internal/workspace"
)

// recentOps is how many of its latest operations a room remembers, to
// tell an editor whose value a concurrent edit replaced.
const recentOps = 256

// storeTimeout bounds one store call made for a room. Store calls do not
// use the connection's context: an edit whose sender hung up is still
// stored whole, or not at all.
const storeTimeout = 10 * time.Second

// room is one document being edited live in this process. Its mutex
// orders everything: operations are applied, stored and sent to the
// clients one at a time, so every client receives them in number order.
type room struct {
	hub *Hub
	id  int64

	mu        sync.Mutex
	closed    bool // dropped from the hub: a client about to join must find the new room
	loaded    bool
	workspace int64
	source    []byte        // the live source at seq
	session   *edit.Session // source, kept loaded for the next batch
	seq       int64
	revision  int
	status    relsop.Status // of the live source
	recent    []applied     // the latest operations, oldest first
	clients   map[*client]struct{}
	remote    map[string]remotePeer // editors connected to other servers
	pending   time.Time             // when the oldest edit not yet in a revision was applied; zero when none
	timer     *time.Timer           // the next checkpoint
}

// applied is an operation as the room remembers it.
type applied struct {
	seq       int64
	author    person
	client    string
	clientSeq int64
	ops       []edit.Op
}

type remotePeer struct {
	p  presence
	at time.Time
}

func newRoom(h *Hub, id int64) *room {
	return &room{hub: h, id: id, clients: map[*client]struct{}{}, remote: map[string]remotePeer{}}
}

func storeCtx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), storeTimeout)
}

// loadLocked reads the document when the room has not yet.
func (r *room) loadLocked(ctx context.Context) error {
	if r.loaded {
		return nil
	}
	d, err := r.hub.store.DocumentByID(ctx, r.id)
	if err != nil {
		return err
	}
	r.reset(d)
	r.loaded = true
	if d.Seq != d.RevisionSeq {
		r.edited() // edits from before a restart, not yet in a revision
	}
	return nil
}

// reset takes a document's state as the room's.
func (r *room) reset(d *relsop.Document) {
	r.workspace, r.source, r.seq, r.revision = d.WorkspaceID, d.Source, d.Seq, d.Revision
	r.session = edit.NewSession(d.Source)
	r.status = ""
	if sop := r.session.SOP(); sop != nil { // loaded once, for this and the next batch
		r.status = sop.Status
	}
	r.recent = nil
}

// catchUp reads operations other servers (or saves) stored and passes them
// on.
func (r *room) catchUp() {
	ctx, cancel := storeCtx()
	defer cancel()
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.loaded {
		return
	}
	if err := r.catchUpLocked(ctx); err != nil {
		r.hub.log.Error("live: cannot read new operations", slog.Int64("doc", r.id), slog.Any("err", err))
	}
}

// catchUpLocked applies the operations stored after the room's number and
// sends them to the clients. A replacement, or an operation that does not
// apply here (it always should), makes the room read the whole document
// again and send it as a replace.
func (r *room) catchUpLocked(ctx context.Context) error {
	for {
		ops, err := r.hub.store.OpsSince(ctx, r.id, r.seq, 1000)
		if err != nil {
			return err
		}
		if len(ops) == 0 {
			return nil
		}
		for _, op := range ops {
			if op.Seq != r.seq+1 || !r.replay(ctx, op) {
				return r.reloadLocked(ctx, op.AuthorID)
			}
		}
	}
}

// replay applies a stored operation; false when it is a replacement or
// does not apply.
func (r *room) replay(ctx context.Context, op relsop.LiveOp) bool {
	if len(op.Ops) == 0 {
		return false
	}
	var ops []edit.Op
	if err := json.Unmarshal(op.Ops, &ops); err != nil {
		return false
	}
	res, next, err := r.session.Apply(ops)
	if err != nil {
		return false
	}
	a := applied{seq: op.Seq, author: person{op.AuthorID, r.hub.names.name(ctx, op.AuthorID)}, client: op.ClientID, clientSeq: op.ClientSeq, ops: ops}
	r.commitLocked(a, res, next, 0, nil, false, nil)
	return true
}

// reloadLocked reads the whole document again and sends it as a replace.
func (r *room) reloadLocked(ctx context.Context, author int64) error {
	d, err := r.hub.store.DocumentByID(ctx, r.id)
	if err != nil {
		return err
	}
	r.reset(d)
	msg := snapshotMsg{Type: typeReplace, Seq: d.Seq, Revision: d.Revision, Source: string(d.Source)}
	if author != 0 {
		msg.Author = &person{author, r.hub.names.name(ctx, author)}
	}
	r.broadcastLocked(encode(msg), nil)
	if d.Seq != d.RevisionSeq {
		r.edited()
	}
	return nil
}

// commitLocked makes a stored operation the room's state and sends it to
// every client: to its sender with the batch that undoes it when asked
// (inverse, when the caller has it already; else worked out here).
func (r *room) commitLocked(a applied, res *edit.Result, next *edit.Session, baseSeq int64, sender *client, undoable bool, inverse []edit.Op) {
	before := r.source
	r.source, r.session, r.seq = res.Source, next, a.seq
	for _, op := range a.ops {
		if op.Op == "set" && op.Kind == "sop" && op.Field == "status" {
			r.status = relsop.Status(fmt.Sprint(op.Value)) // only the server sets it: to draft
		}
	}
	msg := opMsg{Type: typeOp, Seq: a.seq, Author: a.author, Client: a.client, ClientSeq: a.clientSeq, Ops: a.ops,
		Summary: strings.Join(res.Summary, "; ")}
	if sender != nil {
		msg.Overwrote = r.overwrites(a, baseSeq)
	}
	r.remember(a)
	all := encode(msg)
	var mine []byte // the sender's acknowledgement, with its undo when asked
	if sender != nil && undoable && inverse == nil {
		if inv, err := edit.InverseOps(before, res.Source); err == nil {
			inverse = inv
		}
	}
	if sender != nil && undoable && inverse != nil {
		r.hub.undo.remember(r.id, a.client, a.clientSeq, inverse)
		m := msg
		m.Inverse = inverse
		mine = encode(m)
	}
	for c := range r.clients {
		if c == sender && mine != nil {
			c.send(mine)
			continue
		}
		c.send(all)
	}
	if _, joined := r.clients[sender]; sender != nil && !joined {
		sender.send(all) // a batch from the API: its acknowledgement
	}
	r.edited()
	r.hub.metrics.op()
}

// overwrites lists the values a's set operations replaced that were set
// concurrently: by another client, after the last operation a's sender
// had seen (baseSeq). Last writer wins; the loser is told.
func (r *room) overwrites(a applied, baseSeq int64) []overwrite {
	var out []overwrite
	seen := map[string]bool{}
	for _, op := range a.ops {
		if op.Op != "set" {
			continue
		}
		for i := len(r.recent) - 1; i >= 0; i-- {
			e := r.recent[i]
			if e.seq <= baseSeq {
				break
			}
			if e.client == a.client {
				continue
			}
			for _, eo := range e.ops {
				key := e.client + "\x00" + eo.Kind + "\x00" + eo.ID + "\x00" + eo.Field
				if eo.Op == "set" && eo.Kind == op.Kind && eo.ID == op.ID && eo.Field == op.Field && !seen[key] {
					seen[key] = true
					out = append(out, overwrite{Client: e.client, UserID: e.author.UserID, Name: e.author.Name,
						Kind: eo.Kind, ID: eo.ID, Field: eo.Field, Value: eo.Value})
				}
			}
		}
	}
	return out
}

func (r *room) remember(a applied) {
	if len(r.recent) == recentOps {
		copy(r.recent, r.recent[1:])
		r.recent = r.recent[:recentOps-1]
	}
	r.recent = append(r.recent, a)
}

// errStale is a batch that could not be given a number before the store
// calls' time ran out: other servers kept taking them first.
var errStale = errors.New("the SOP is changing too fast on other servers; send the edit again")

// apply gives a client's batch the next number, stores it, and sends it to
// everyone, the sender included (its acknowledgement). A batch that does
// not apply is refused whole.
//
// It returns false, having done nothing, when the room was closed: only a
// batch from the API, whose sender is in no room, can find it so; it is
// then given to the document's new room.
func (r *room) apply(c *client, clientSeq, baseSeq int64, ops []edit.Op, undoable bool) bool {
	ctx, cancel := storeCtx()
	defer cancel()
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return false
	}
	if err := r.loadLocked(ctx); err != nil {
		c.send(encode(rejectMsg{Type: typeReject, ClientSeq: clientSeq, Code: codeInternal, Error: "The SOP could not be read; the edit was not applied. Try again."}))
		return true
	}
	if baseSeq < 0 {
		baseSeq = r.seq // the API's batches were made on the latest state
	}
	if clientSeq <= c.lastSeq {
		r.resendLocked(c, clientSeq)
		return true
	}
	// A number another server took first means that server made progress,
	// so the batch is tried again, after catching up, for as long as the
	// store calls may take: while other servers send a burst, this one may
	// lose the race many times in a row, and refusing the edit then would
	// make its editor send it again by hand.
	for ctx.Err() == nil {
		full := workspace.AsContentChange(r.status, ops)
		// The undo of a batch of set operations is read off the SOP before
		// it (ten times cheaper than comparing both versions); a batch
		// that also makes the SOP a draft again is undone the long way.
		var inverse []edit.Op
		if undoable && len(full) == len(ops) {
			inverse, _ = edit.SetInverse(r.session.SOP(), ops)
		}
		res, next, err := r.session.Apply(full)
		if err != nil {
			c.send(encode(rejectMsg{Type: typeReject, ClientSeq: clientSeq, Code: codeInvalid, Error: r.explain(err)}))
			r.hub.metrics.reject()
			return true
		}
		body, _ := json.Marshal(full)
		op := &relsop.LiveOp{DocumentID: r.id, Seq: r.seq + 1, AuthorID: c.user.ID, ClientID: c.id, ClientSeq: clientSeq, Ops: body}
		err = r.hub.store.AppendOp(ctx, op, res.Source)
		if relsop.ErrorCode(err) == relsop.ECONFLICT {
			// Another server took the number, or this batch is stored
			// already (sent twice across a reconnect).
			if err := r.catchUpLocked(ctx); err != nil {
				break
			}
			if last, err := r.hub.store.LastClientOp(ctx, r.id, c.id); err == nil && last.ClientSeq >= clientSeq {
				c.lastSeq = last.ClientSeq
				r.resendLocked(c, clientSeq)
				return true
			}
			continue
		}
		if err != nil {
			r.hub.log.Error("live: cannot store an operation", slog.Int64("doc", r.id), slog.Any("err", err))
			c.send(encode(rejectMsg{Type: typeReject, ClientSeq: clientSeq, Code: codeInternal, Error: "The edit could not be stored; it was not applied. Try again."}))
			return true
		}
		c.lastSeq = clientSeq
		r.commitLocked(applied{seq: op.Seq, author: person{c.user.ID, c.user.Name}, client: c.id, clientSeq: clientSeq, ops: full}, res, next, baseSeq, c, undoable, inverse)
		r.hub.publishAsync(fanoutMsg{Doc: r.id, Seq: op.Seq})
		return true
	}
	c.send(encode(rejectMsg{Type: typeReject, ClientSeq: clientSeq, Code: codeConflict, Error: "The edit could not be ordered: " + errStale.Error() + "."}))
	return true
}

// resendLocked answers a batch the room has already stored: with its
// operation when it still remembers it, else with a duplicate notice.
func (r *room) resendLocked(c *client, clientSeq int64) {
	for _, a := range r.recent {
		if a.client == c.id && a.clientSeq == clientSeq {
			c.send(encode(opMsg{Type: typeOp, Seq: a.seq, Author: a.author, Client: a.client, ClientSeq: a.clientSeq, Ops: a.ops,
				Inverse: r.hub.undo.inverse(r.id, c.id, clientSeq)}))
			return
		}
	}
	c.send(encode(rejectMsg{Type: typeReject, ClientSeq: clientSeq, Code: codeDuplicate, Error: "This edit was applied already."}))
}

// explain turns an edit error into a sentence for the editor, saying who
// removed what the edit refers to when a recent operation did.
func (r *room) explain(err error) string {
	msg := err.Error()
	var oe *edit.OpError
	if errors.As(err, &oe) {
		msg = oe.Err.Error()
	}
	for i := len(r.recent) - 1; i >= 0; i-- {
		for _, op := range r.recent[i].ops {
			if op.Op == "remove_step" && strings.Contains(msg, `"`+op.ID+`"`) {
				return "The step “" + op.ID + "” was deleted by " + r.recent[i].author.Name + " while you were editing it; your change was not applied."
			}
		}
	}
	return "Your change was not applied: " + capitalise(msg) + "."
}

// capitalise starts a sentence made of an error's text: its first letter
// upper case, its final full stop dropped (the caller adds its own).
func capitalise(s string) string {
	s = strings.TrimSuffix(s, ".")
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// broadcastLocked sends a message to every client but except.
func (r *room) broadcastLocked(b []byte, except *client) {
	for c := range r.clients {
		if c != except {
			c.send(b)
		}
	}
}

func (r *room) broadcast(b []byte, except *client) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.broadcastLocked(b, except)
}
