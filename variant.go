package relsop

import (
	"fmt"
	"maps"
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
	flow, err := s.ResolveShared(typeID)
	if err != nil {
		return nil, err
	}
	out := *s
	out.Steps = ownSteps(flow)
	out.ReleaseTypes = nil
	out.ResolvedType = typeID
	return &out, nil
}

// FlowStep is a step of a flow resolved by ResolveShared.
type FlowStep struct {
	Step *Step
	// Changed reports whether a variant added the step, changed it or
	// rerouted its flows. A step no variant touched is the SOP's own.
	Changed bool
}

// ResolveShared returns the steps of the flow of release type typeID, as
// Resolve does, but shares the steps the variants leave alone with the SOP
// rather than copying them: they are to be read, not changed. Loading a
// file checks the flow of every release type, and most of a flow is the
// base flow; copying it all for each took a fifth of the time of loading.
func (s *SOP) ResolveShared(typeID string) ([]FlowStep, error) {
	chain, err := s.variantChain(typeID)
	if err != nil {
		return nil, err
	}
	flow := make(flowSteps, len(s.Steps))
	for i := range s.Steps {
		flow[i].Step = &s.Steps[i]
	}
	for _, rt := range chain {
		if err := flow.apply(rt); err != nil {
			return nil, err
		}
	}
	return flow, nil
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

// ownSteps copies the steps of flow deeply enough that changing the copies
// never changes the SOP or its release types: each step's slices that a
// variant may change are copied too.
func ownSteps(flow []FlowStep) []Step {
	steps := make([]Step, len(flow))
	// The slices are copied into one block per element type rather than
	// one allocation each.
	var strs, outcomes, escalations int
	for _, fs := range flow {
		st := fs.Step
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
	for i, fs := range flow {
		steps[i] = fs.Step.cloneInto(&a)
	}
	return steps
}

// cloneArena holds the blocks that ownSteps copies steps' slices into.
type cloneArena struct {
	strs        []string
	outcomes    []Outcome
	escalations []Escalation
}

// cloneInto returns st with its own copies of the slices a variant may
// change, carved from a's blocks.
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

// flowSteps is a flow being resolved. A step is the SOP's own until a
// variant changes it, and then a copy (see edit). Changes replace a step's
// slices and pointers, never write into them: the copy shares them with
// the SOP's step, and steps added or changed share them with the release
// type.
type flowSteps []FlowStep

// edit returns step i to be changed: the first time, a copy of it.
func (f flowSteps) edit(i int) *Step {
	if !f[i].Changed {
		st := *f[i].Step
		f[i] = FlowStep{Step: &st, Changed: true}
	}
	return f[i].Step
}

// index returns the index of the first step with the given id, or -1.
func (f flowSteps) index(id string) int {
	return slices.IndexFunc(f, func(fs FlowStep) bool { return fs.Step.ID == id })
}

// apply applies one variant: removals first (rerouting flows around removed
// steps), then additions, then changes.
func (f *flowSteps) apply(rt *ReleaseType) error {
	if err := f.removeSteps(rt); err != nil {
		return err
	}
	for _, a := range rt.Add {
		if err := f.addStep(a); err != nil {
			return &ResolveError{Pos: a.Step.FieldPos.Of("after", a.Step.FieldPos.Of("before", a.Step.Pos)), Code: "unknown-step", Msg: fmt.Sprintf("release type %q adds step %q %s", rt.ID, a.Step.ID, err)}
		}
	}
	for _, c := range rt.Change {
		i := f.index(c.Step)
		if i < 0 {
			return &ResolveError{Pos: c.Pos, Code: "unknown-step", Msg: fmt.Sprintf("release type %q changes unknown step %q", rt.ID, c.Step)}
		}
		applyChange(f.edit(i), c)
	}
	return nil
}

// removeSteps deletes the steps rt removes, one after the other, and
// points every flow that led to a removed step at its successor, so that
// "skip the CAB" keeps the flow connected. Removed steps are only marked
// until the end: deleting each from the middle of the list would move the
// steps after it once per removal.
func (f *flowSteps) removeSteps(rt *ReleaseType) error {
	if len(rt.Remove) == 0 {
		return nil
	}
	steps := *f
	removed := make([]bool, len(steps))
	for i, id := range rt.Remove {
		idx := steps.index(id)
		for idx >= 0 && removed[idx] { // a step removed already is gone
			next := steps[idx+1:].index(id)
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
		successor := steps[idx].Step.successor()
		for j := range steps {
			if !removed[j] {
				steps.retarget(j, id, successor)
			}
		}
	}
	kept := steps[:0]
	for j := range steps {
		if !removed[j] {
			kept = append(kept, steps[j])
		}
	}
	clear(steps[len(kept):])
	*f = kept
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

// retarget replaces every reference of step i to step from with to; an
// empty to drops the reference. A step it would not change is left the
// SOP's own.
func (f flowSteps) retarget(i int, from, to string) {
	st := f[i].Step
	if !st.refersTo(from) && !hasEmptyFlows(st) {
		return
	}
	f.edit(i).retarget(from, to)
}

// hasEmptyFlows reports whether st has an empty but not nil list of flows,
// which retarget turns into nil.
func hasEmptyFlows(st *Step) bool {
	return st.Next != nil && len(st.Next) == 0 || st.Outcomes != nil && len(st.Outcomes) == 0
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
		e := *st.Escalation // a copy: the escalation may be shared (see flowSteps)
		e.To = to
		st.Escalation = &e
	}
}

// refersTo reports whether st has a flow to step id.
func (st *Step) refersTo(id string) bool {
	if slices.Contains(st.Next, id) || st.OnFailure == id || (st.Escalation != nil && st.Escalation.To == id) {
		return true
	}
	return slices.ContainsFunc(st.Outcomes, func(o Outcome) bool { return o.To == id })
}

func (f *flowSteps) addStep(a AddedStep) error {
	st := a.Step
	added := FlowStep{Step: &st, Changed: true}
	switch {
	case a.After != "":
		idx := f.index(a.After)
		if idx < 0 {
			return fmt.Errorf("after unknown step %q", a.After)
		}
		prev := f.edit(idx)
		// The new step takes over the way on; a gate leads on through its
		// own outcomes instead.
		if len(st.Next) == 0 && !st.IsGate() {
			st.Next = prev.Next
		}
		prev.Next = []string{st.ID}
		*f = slices.Insert(*f, idx+1, added)
	case a.Before != "":
		idx := f.index(a.Before)
		if idx < 0 {
			return fmt.Errorf("before unknown step %q", a.Before)
		}
		for i := range *f {
			f.retarget(i, a.Before, st.ID)
		}
		if len(st.Next) == 0 && !st.IsGate() {
			st.Next = []string{a.Before}
		}
		*f = slices.Insert(*f, idx, added)
	default:
		*f = append(*f, added)
	}
	return nil
}

// applyChange copies the fields named in c.Set onto st. The slices and
// pointers are shared with c (see flowSteps).
func applyChange(st *Step, c StepChange) {
	f := &c.Fields
	ownFieldPos := false
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
			if !ownFieldPos {
				// The map may be the SOP's step's: write into a copy.
				st.FieldPos = cloneFieldPos(st.FieldPos)
				ownFieldPos = true
			}
			st.FieldPos[name] = p
		}
	}
}

// cloneFieldPos copies fp; a copy of nil is empty, not nil, so that it can
// be written.
func cloneFieldPos(fp FieldPos) FieldPos {
	if fp == nil {
		return FieldPos{}
	}
	return maps.Clone(fp)
}
