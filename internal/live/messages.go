package live

import (
	"encoding/json"

	"github.com/relsop/relsop/internal/generate/edit"
)

// The messages of the live protocol (docs/live.md), one JSON object per
// WebSocket text frame.

// Message types, server to client.
const (
	typeHello    = "hello"
	typeSnapshot = "snapshot"
	typeOp       = "op"
	typeReplace  = "replace"
	typeReady    = "ready"
	typeReject   = "reject"
	typePresence = "presence"
	typeRevision = "revision"
	typeError    = "error"
)

// Message types, client to server (and presence, both ways).
const (
	typeOps  = "ops"
	typeYAML = "yaml"
)

// Error codes in reject and error messages.
const (
	codeInvalid     = "invalid"      // malformed, or the edits do not apply
	codeUnsupported = "unsupported"  // a YAML change with no structured form
	codeForbidden   = "forbidden"    // the sender may not edit
	codeConflict    = "conflict"     // the batch could not be ordered; send it again
	codeDuplicate   = "duplicate"    // the batch was applied already (sent twice across a reconnect)
	codeRateLimited = "rate_limited" // too many messages
	codeInternal    = "internal"
)

// incoming is any client message; which fields count depends on Type.
type incoming struct {
	Type      string          `json:"type"`
	ClientSeq int64           `json:"client_seq"`
	BaseSeq   int64           `json:"base_seq"`
	Ops       []edit.Op       `json:"ops"`
	Undoable  bool            `json:"undoable"`
	From      string          `json:"from"`
	To        string          `json:"to"`
	Selection json.RawMessage `json:"selection"`
	Cursor    json.RawMessage `json:"cursor"`
}

// person is who made an edit.
type person struct {
	UserID int64  `json:"user_id"`
	Name   string `json:"name"`
}

type helloMsg struct {
	Type     string   `json:"type"`
	Seq      int64    `json:"seq"`
	Revision int      `json:"revision"`
	Role     string   `json:"role"`
	You      presence `json:"you"`
}

type snapshotMsg struct {
	Type     string  `json:"type"` // snapshot or replace
	Seq      int64   `json:"seq"`
	Revision int     `json:"revision"`
	Source   string  `json:"source"`
	Author   *person `json:"author,omitempty"`
}

type opMsg struct {
	Type      string      `json:"type"`
	Seq       int64       `json:"seq"`
	Author    person      `json:"author"`
	Client    string      `json:"client"`
	ClientSeq int64       `json:"client_seq"`
	Ops       []edit.Op   `json:"ops"`
	Summary   string      `json:"summary,omitempty"`
	Overwrote []overwrite `json:"overwrote,omitempty"`
	Inverse   []edit.Op   `json:"inverse,omitempty"`
}

// overwrite is a concurrent value a batch replaced: someone set the field
// after the batch's sender last heard from the server, and lost.
type overwrite struct {
	Client string `json:"client"`
	UserID int64  `json:"user_id"`
	Name   string `json:"name"`
	Kind   string `json:"kind"`
	ID     string `json:"id,omitempty"`
	Field  string `json:"field"`
	Value  any    `json:"value"`
}

type readyMsg struct {
	Type  string     `json:"type"`
	Seq   int64      `json:"seq"`
	Acked int64      `json:"acked"` // the client's latest batch the server has stored
	Peers []presence `json:"peers"`
	// Inverses are, by client_seq, the undo of the client's latest
	// batches, after a snapshot (which acks them without their operations).
	Inverses map[string][]edit.Op `json:"inverses,omitempty"`
}

type rejectMsg struct {
	Type      string `json:"type"`
	ClientSeq int64  `json:"client_seq"`
	Code      string `json:"code"`
	Error     string `json:"error"`
}

type revisionMsg struct {
	Type     string `json:"type"`
	Revision int    `json:"revision"`
	Seq      int64  `json:"seq"`
	Message  string `json:"message,omitempty"`
}

type errorMsg struct {
	Type  string `json:"type"`
	Code  string `json:"code"`
	Error string `json:"error"`
}

// presence is an editor on the page: who, and what they point at.
type presence struct {
	Type      string          `json:"type,omitempty"`
	Client    string          `json:"client"`
	UserID    int64           `json:"user_id"`
	Name      string          `json:"name"`
	Color     string          `json:"color"`
	Selection json.RawMessage `json:"selection,omitempty"`
	Cursor    json.RawMessage `json:"cursor,omitempty"`
	Left      bool            `json:"left,omitempty"`
}

// encode marshals a message; the types above always marshal.
func encode(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic("live: cannot encode a message: " + err.Error())
	}
	return b
}
