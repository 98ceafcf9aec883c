package relsop

import (
	"fmt"
	"slices"
	"strings"
)

// ReleaseType is a kind of release (major, minor, emergency, ...) and the
// variant of the base flow it follows. A variant removes, adds and changes
// steps; Base lets one release type build on another.
type ReleaseType struct {
	ID          string
	Name        string
	Description string
	Base        string // another release type this one builds on; empty for the base flow
	Emergency   bool   // an expedited release: must still be authorised and reviewed afterwards
	Remove      []string
	Add         []AddedStep
	Change      []StepChange
	Pos         Pos
	FieldPos    FieldPos
}

// IsEmergency reports whether the release type is an expedited one, by its
// flag or by a name release teams use for it.
func (rt *ReleaseType) IsEmergency() bool {
	if rt.Emergency {
		return true
	}
	id := strings.ToLower(rt.ID)
	for _, w := range []string{"emergency", "hotfix", "expedite", "urgent"} {
		if strings.Contains(id, w) {
			return true
		}
	}
	return false
}

// AddedStep is a step a variant adds, optionally spliced in after or before
// an existing step.
type AddedStep struct {
	Step   Step
	After  string // splice in after this step: it takes over that step's next flows
	Before string // splice in before this step: flows into that step now come here
}

// StepChange changes fields of one existing step. Set names the fields (by
// their names in the file) to copy from Fields.
type StepChange struct {
	Step   string
	Fields Step
	Set    []string
	Pos    Pos
}

// ChangeableFields are the step fields a variant's change may set.
var ChangeableFields = []string{"name", "kind", "owner", "raci", "phase", "environment", "description", "notes", "links",
	"tool", "channel", "duration", "sla", "evidence", "criteria", "approvers", "outcomes", "escalation", "next", "on_failure", "exception"}

// ResolveError is a variant that cannot be applied; Pos points at the part
// of the release type at fault.
type ResolveError struct {
	Pos  Pos
	Code string
	Msg  string
}

func (e *ResolveError) Error() string { return e.Msg }

// Resolve returns the full flow of release type typeID: a copy of the SOP
// with the variant (and the variants it builds on) applied. The returned SOP
// keeps no release types of its own. An empty typeID returns the base flow.
func (s *SOP) Resolve(typeID string) (*SOP, error) {
	chain, err := s.variantChain(typeID)
	if err != nil {
		return nil, err
	}
	out := s.clone()
	out.ReleaseTypes = nil
	out.ResolvedType = typeID
	for _, rt := range chain {
		if err := out.apply(rt); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// variantChain lists the release types to apply, base first.
func (s *SOP) variantChain(typeID string) ([]*ReleaseType, error) {
	var chain []*ReleaseType
	for id := typeID; id != ""; {
		rt := s.ReleaseType(id)
		if rt == nil {
			return nil, &ResolveError{Code: "unknown-release-type", Msg: fmt.Sprintf("unknown release type %q%s", id, s.releaseTypeHint())}
		}
		if slices.Contains(chain, rt) {
			return nil, &ResolveError{Pos: rt.FieldPos.Of("base", rt.Pos), Code: "variant-cycle", Msg: fmt.Sprintf("release type %q builds on itself through base", rt.ID)}
		}
		chain = append(chain, rt)
		id = rt.Base
	}
	slices.Reverse(chain)
	return chain, nil
}

func (s *SOP) releaseTypeHint() string {
	if len(s.ReleaseTypes) == 0 {
		return " (this SOP defines no release types)"
	}
	ids := make([]string, len(s.ReleaseTypes))
	for i, rt := range s.ReleaseTypes {
		ids[i] = rt.ID
	}
	return " (defined: " + strings.Join(ids, ", ") + ")"
}

// clone copies the SOP deeply enough that applying a variant never changes
// the original: the step slice and each step's slices are copied.
func (s *SOP) clone() *SOP {
	out := *s
	out.Steps = make([]Step, len(s.Steps))
	// The steps' slices a variant may change are copied into one block per
	// element type rather than one allocation each: Resolve runs for every
	// release type whenever an SOP is loaded.
	var strs, outcomes, escalations int
	for i := range s.Steps {
		st := &s.Steps[i]
		strs += len(st.Next) + len(st.Approvers) + len(st.Criteria) + len(st.Evidence)
		outcomes += len(st.Outcomes)
		if st.Escalation != nil {
			escalations++
		}
	}
	a := cloneArena{
		strs:        make([]string, 0, strs),
		outcomes:    make([]Outcome, 0, outcomes),
		escalations: make([]Escalation, 0, escalations),
	}
	for i := range s.Steps {
		out.Steps[i] = s.Steps[i].cloneInto(&a)
	}
	return &out
}

// cloneArena holds the blocks that clone copies steps' slices into.
type cloneArena struct {
	strs        []string
	outcomes    []Outcome
	escalations []Escalation
}

func (st Step) clone() Step { return st.cloneInto(&cloneArena{}) }

// cloneInto returns st with its own copies of the slices a variant may
// change, carved from a's blocks where they have room.
func (st Step) cloneInto(a *cloneArena) Step {
	st.Next = carve(&a.strs, st.Next)
	st.Outcomes = carve(&a.outcomes, st.Outcomes)
	st.Approvers = carve(&a.strs, st.Approvers)
	st.Criteria = carve(&a.strs, st.Criteria)
	st.Evidence = carve(&a.strs, st.Evidence)
	if st.Escalation != nil {
		a.escalations = append(a.escalations, *st.Escalation)
		st.Escalation = &a.escalations[len(a.escalations)-1]
	}
	return st
}

// carve returns a copy of src, taken from the free room of *block when it
// has enough (else newly allocated), as slices.Clone would: nil stays nil.
// The copy's capacity is its length, so that appending to it never writes
// into the next copy.
func carve[T any](block *[]T, src []T) []T {
	if src == nil {
		return nil
	}
	b := *block
	if cap(b)-len(b) < len(src) {
		return append(src[:0:0], src...)
	}
	start := len(b)
	b = append(b, src...)
	*block = b
	return b[start:len(b):len(b)]
}

// apply applies one variant: removals first (rerouting flows around removed
// steps), then additions, then changes.
func (s *SOP) apply(rt *ReleaseType) error {
	if err := s.removeSteps(rt); err != nil {
		return err
	}
	for _, a := range rt.Add {
		if err := s.addStep(a); err != nil {
			return &ResolveError{Pos: a.Step.FieldPos.Of("after", a.Step.FieldPos.Of("before", a.Step.Pos)), Code: "unknown-step", Msg: fmt.Sprintf("release type %q adds step %q %s", rt.ID, a.Step.ID, err)}
		}
	}
	for _, c := range rt.Change {
		st := s.Step(c.Step)
		if st == nil {
			return &ResolveError{Pos: c.Pos, Code: "unknown-step", Msg: fmt.Sprintf("release type %q changes unknown step %q", rt.ID, c.Step)}
		}
		applyChange(st, c)
	}
	return nil
}

// removeSteps deletes the steps rt removes, one after the other, and
// points every flow that led to a removed step at its successor, so that
// "skip the CAB" keeps the flow connected. Removed steps are only marked
// until the end: deleting each from the middle of the list would move the
// steps after it once per removal.
func (s *SOP) removeSteps(rt *ReleaseType) error {
	if len(rt.Remove) == 0 {
		return nil
	}
	removed := make([]bool, len(s.Steps))
	for i, id := range rt.Remove {
		idx := slices.IndexFunc(s.Steps, func(st Step) bool { return st.ID == id })
		for idx >= 0 && removed[idx] { // a step removed already is gone
			next := slices.IndexFunc(s.Steps[idx+1:], func(st Step) bool { return st.ID == id })
			if next < 0 {
				idx = -1
				break
			}
			idx += 1 + next
		}
		if idx < 0 {
			return &ResolveError{Pos: rt.FieldPos.Of(IndexedField("remove", i), rt.Pos), Code: "unknown-step",
				Msg: fmt.Sprintf("release type %q removes unknown step %q", rt.ID, id)}
		}
		removed[idx] = true
		successor := s.Steps[idx].successor()
		for j := range s.Steps {
			if !removed[j] {
				s.Steps[j].retarget(id, successor)
			}
		}
	}
	kept := s.Steps[:0]
	for j := range s.Steps {
		if !removed[j] {
			kept = append(kept, s.Steps[j])
		}
	}
	clear(s.Steps[len(kept):])
	s.Steps = kept
	return nil
}

// successor is where flows go when this step is skipped: its first next
// step, or for a gate the step its go outcome leads to.
func (st *Step) successor() string {
	if len(st.Next) > 0 {
		return st.Next[0]
	}
	for _, o := range st.Outcomes {
		if MeaningOf(o.Label) == OutcomeGo {
			return o.To
		}
	}
	if len(st.Outcomes) > 0 {
		return st.Outcomes[0].To
	}
	return ""
}

// retarget replaces every reference to step from with to; an empty to drops
// the reference.
func (st *Step) retarget(from, to string) {
	if !st.refersTo(from) {
		// Nothing to change but what rebuilding would: empty lists become nil.
		if len(st.Next) == 0 {
			st.Next = nil
		}
		if len(st.Outcomes) == 0 {
			st.Outcomes = nil
		}
		return
	}
	var next []string
	for _, n := range st.Next {
		switch {
		case n != from:
			next = append(next, n)
		case to != "" && !slices.Contains(st.Next, to) && !slices.Contains(next, to) && to != st.ID:
			next = append(next, to)
		}
	}
	st.Next = next
	// A reference that would now point at the step itself is dropped, not
	// turned into a self-loop: lint then reports the gap honestly.
	if to == st.ID {
		to = ""
	}
	var outs []Outcome
	for _, o := range st.Outcomes {
		if o.To == from {
			if to == "" {
				continue
			}
			o.To = to
		}
		outs = append(outs, o)
	}
	st.Outcomes = outs
	if st.OnFailure == from {
		st.OnFailure = to
	}
	if st.Escalation != nil && st.Escalation.To == from {
		st.Escalation.To = to
	}
}

// refersTo reports whether st has a flow to step id.
func (st *Step) refersTo(id string) bool {
	if slices.Contains(st.Next, id) || st.OnFailure == id || (st.Escalation != nil && st.Escalation.To == id) {
		return true
	}
	return slices.ContainsFunc(st.Outcomes, func(o Outcome) bool { return o.To == id })
}

func (s *SOP) addStep(a AddedStep) error {
	st := a.Step.clone()
	switch {
	case a.After != "":
		idx := slices.IndexFunc(s.Steps, func(x Step) bool { return x.ID == a.After })
		if idx < 0 {
			return fmt.Errorf("after unknown step %q", a.After)
		}
		prev := &s.Steps[idx]
		// The new step takes over the way on; a gate leads on through its
		// own outcomes instead.
		if len(st.Next) == 0 && !st.IsGate() {
			st.Next = prev.Next
		}
		prev.Next = []string{st.ID}
		s.Steps = slices.Insert(s.Steps, idx+1, st)
	case a.Before != "":
		idx := slices.IndexFunc(s.Steps, func(x Step) bool { return x.ID == a.Before })
		if idx < 0 {
			return fmt.Errorf("before unknown step %q", a.Before)
		}
		for i := range s.Steps {
			s.Steps[i].retarget(a.Before, st.ID)
		}
		if len(st.Next) == 0 && !st.IsGate() {
			st.Next = []string{a.Before}
		}
		s.Steps = slices.Insert(s.Steps, idx, st)
	default:
		s.Steps = append(s.Steps, st)
	}
	return nil
}

// applyChange copies the fields named in c.Set onto st.
func applyChange(st *Step, c StepChange) {
	f := c.Fields.clone()
	for _, name := range c.Set {
		switch name {
		case "name":
			st.Name = f.Name
		case "kind":
			st.Kind = f.Kind
		case "owner":
			st.Owner = f.Owner
		case "raci":
			st.RACI = f.RACI
		case "phase":
			st.Phase = f.Phase
		case "environment":
			st.Environment = f.Environment
		case "description":
			st.Description = f.Description
		case "notes":
			st.Notes = f.Notes
		case "links":
			st.Links = f.Links
		case "tool":
			st.Tool = f.Tool
		case "channel":
			st.Channel = f.Channel
		case "duration":
			st.Duration = f.Duration
		case "sla":
			st.SLA = f.SLA
		case "evidence":
			st.Evidence = f.Evidence
		case "criteria":
			st.Criteria = f.Criteria
		case "approvers":
			st.Approvers = f.Approvers
		case "outcomes":
			st.Outcomes = f.Outcomes
		case "escalation":
			st.Escalation = f.Escalation
		case "next":
			st.Next = f.Next
		case "on_failure":
			st.OnFailure = f.OnFailure
		case "exception":
			st.Exception = f.Exception
		}
		if p, ok := c.Fields.FieldPos[name]; ok {
			if st.FieldPos == nil {
				st.FieldPos = FieldPos{}
			} else {
				st.FieldPos = cloneFieldPos(st.FieldPos)
			}
			st.FieldPos[name] = p
		}
	}
}

func cloneFieldPos(fp FieldPos) FieldPos {
	out := make(FieldPos, len(fp))
	for k, v := range fp {
		out[k] = v
	}
	return out
}
