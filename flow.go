package relsop

import "strings"

// FlowKind tells the ordinary path apart from the paths taken when things go
// wrong; renderers draw each kind differently.
type FlowKind string

// The kinds of flow.
const (
	FlowNext       FlowKind = "next"       // plain sequence
	FlowOutcome    FlowKind = "outcome"    // a labelled gate outcome
	FlowRollback   FlowKind = "rollback"   // on_failure: what happens when a step fails
	FlowEscalation FlowKind = "escalation" // a gate's escalation path
)

// Flow is one arrow between two steps.
type Flow struct {
	From  string
	To    string
	Label string // the gate outcome, or empty
	Kind  FlowKind
	Pos   Pos // where the flow's target was written
}

// Flows returns every flow of the SOP in step order: next flows, gate
// outcomes, failure paths, then escalations. Flows are derived from the steps
// so that there is a single place where they are written.
func (s *SOP) Flows() []Flow {
	var out []Flow
	for i := range s.Steps {
		out = append(out, s.Steps[i].Flows()...)
	}
	return out
}

// Flows returns the flows leaving step st.
func (st *Step) Flows() []Flow {
	var out []Flow
	for i, to := range st.Next {
		out = append(out, Flow{From: st.ID, To: to, Kind: FlowNext, Pos: st.FieldPos.Of(indexed("next", i), st.FieldPos.Of("next", st.Pos))})
	}
	for _, o := range st.Outcomes {
		out = append(out, Flow{From: st.ID, To: o.To, Label: o.Label, Kind: FlowOutcome, Pos: o.Pos})
	}
	if st.OnFailure != "" {
		out = append(out, Flow{From: st.ID, To: st.OnFailure, Kind: FlowRollback, Pos: st.FieldPos.Of("on_failure", st.Pos)})
	}
	if e := st.Escalation; e != nil && e.To != "" {
		out = append(out, Flow{From: st.ID, To: e.To, Label: "escalate", Kind: FlowEscalation, Pos: e.FieldPos.Of("to", e.Pos)})
	}
	return out
}

func indexed(field string, i int) string {
	return field + "[" + itoa(i) + "]"
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b [20]byte
	n := len(b)
	for i > 0 {
		n--
		b[n] = byte('0' + i%10)
		i /= 10
	}
	return string(b[n:])
}

// IndexedField names element i of a list field in a FieldPos ("next[2]").
func IndexedField(field string, i int) string { return indexed(field, i) }

// OutcomeMeaning classifies a gate outcome label.
type OutcomeMeaning int

// How an outcome label reads.
const (
	OutcomeOther OutcomeMeaning = iota
	OutcomeGo
	OutcomeNoGo
	OutcomeEscalate
)

// goWords and noGoWords are the labels release teams actually write on gate
// outcomes; a label is matched as a whole after lower-casing.
var (
	goWords = map[string]bool{"go": true, "yes": true, "approve": true, "approved": true, "pass": true, "passed": true,
		"accept": true, "accepted": true, "proceed": true, "ok": true, "ready": true, "green": true, "release": true, "ship": true, "continue": true, "signed off": true, "sign-off": true, "authorized": true, "authorised": true}
	noGoWords = map[string]bool{"no-go": true, "nogo": true, "no go": true, "no": true, "reject": true, "rejected": true, "fail": true, "failed": true,
		"abort": true, "hold": true, "defer": true, "deferred": true, "rework": true, "not ready": true, "red": true, "stop": true, "block": true, "blocked": true, "deny": true, "denied": true, "rollback": true, "roll back": true}
	escalateWords = map[string]bool{"escalate": true, "escalated": true, "timeout": true, "timed out": true}
)

// MeaningOf classifies an outcome label as go, no-go, escalate or other.
func MeaningOf(label string) OutcomeMeaning {
	l := strings.ToLower(strings.TrimSpace(label))
	switch {
	case goWords[l]:
		return OutcomeGo
	case noGoWords[l]:
		return OutcomeNoGo
	case escalateWords[l]:
		return OutcomeEscalate
	}
	return OutcomeOther
}
