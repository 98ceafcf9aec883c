// Package release records a real release carried out through an SOP: every
// step done, skipped or failed, every gate's sign-offs and the decision
// they make, escalations, notes and the end of the run. The record is a
// trail of JSON lines, each holding the SHA-256 of the line before it, so
// that changing, removing or reordering any record breaks the chain, and
// a chain head written down elsewhere (a change ticket, a CI log) proves
// that nothing was rewritten after it.
//
// The first record holds the SOP's source as it was when the release
// started, so a trail says by itself which procedure was followed, even
// after the SOP file has moved on.
//
// Replaying the trail (Replay) gives the state of the release: which
// steps are ready, which gate waits for whose sign-off, what happened
// when. Every record is checked against that state before it is written
// (Run.Check), and again when a trail is read, so a trail whose chain was
// recomputed after an edit that the procedure would not allow is still
// found out.
package release

import (
	"encoding/json"
	"time"
)

// Type says what a record records.
type Type string

// The types of record.
const (
	TypeStart    Type = "start"    // the release started through an SOP
	TypeDone     Type = "done"     // a step was carried out
	TypeSkip     Type = "skip"     // a step was not carried out, with the reason why
	TypeFail     Type = "fail"     // a step failed; its failure path, if any, is taken
	TypeSign     Type = "sign"     // an approver signed a gate's outcome for a role
	TypeEscalate Type = "escalate" // a blocked gate went to its escalation role
	TypeAssign   Type = "assign"   // the people who hold a role changed, with the reason why
	TypeNote     Type = "note"     // a remark on the release or a step
	TypeAbort    Type = "abort"    // the release was stopped before its end
)

// Types lists every record type in the order a release meets them.
var Types = []Type{TypeStart, TypeDone, TypeSkip, TypeFail, TypeSign, TypeEscalate, TypeAssign, TypeNote, TypeAbort}

// Record is one line of a trail.
type Record struct {
	// Seq numbers the records from 1, with no gaps.
	Seq int `json:"seq"`
	// At is when the record was made, in UTC.
	At time.Time `json:"at"`
	// By is the person who made it, as they named themselves.
	By   string `json:"by"`
	Type Type   `json:"type"`
	// Step is the step the record is about; empty for start, abort and a
	// note on the whole release.
	Step string `json:"step,omitempty"`
	// Outcome is the gate outcome a sign-off chooses.
	Outcome string `json:"outcome,omitempty"`
	// Role is the role a sign-off is made for, or whose holders change.
	Role string `json:"role,omitempty"`
	// People are who hold Role from an assign record on.
	People []string `json:"people,omitempty"`
	// Note says why (a skip, a failure, an abort) or anything else worth
	// keeping.
	Note string `json:"note,omitempty"`
	// Evidence lists the records a step left behind: a test report, a
	// ticket, a link.
	Evidence []string `json:"evidence,omitempty"`
	// Start is the release itself; only in the first record.
	Start *Start `json:"start,omitempty"`
	// Prev is the SHA-256 (hex) of the line before this one, empty in the
	// first record.
	Prev string `json:"prev"`
}

// Start says which release runs through which SOP.
type Start struct {
	// Release names the release: a version or a change number.
	Release string `json:"release"`
	// ReleaseType is the release type whose flow is followed; empty for
	// the base flow.
	ReleaseType string `json:"release_type,omitempty"`
	// File is the SOP file's name, and SHA256 the checksum of its bytes
	// (what sha256sum prints).
	File   string `json:"file"`
	SHA256 string `json:"sha256"`
	// SOP, Version and Status say what the file held when the release
	// started.
	SOP     string `json:"sop"`
	Version string `json:"version,omitempty"`
	Status  string `json:"status"`
	// Rehearsal marks a run through an SOP that was not approved: a
	// practice run, which the report says is no evidence of a release.
	Rehearsal bool `json:"rehearsal,omitempty"`
	// Roster says who may sign for which role; empty, anyone may.
	Roster Roster `json:"roster,omitempty"`
	// Source is the SOP file as it was.
	Source string `json:"source"`
}

// line encodes r as one line of a trail, without its newline.
func (r *Record) line() []byte {
	b, err := json.Marshal(r)
	if err != nil {
		// A Record holds only strings, numbers and times, which always
		// encode.
		panic(err)
	}
	return b
}
