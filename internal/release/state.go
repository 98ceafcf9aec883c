package release

import (
	"fmt"
	"slices"
	"time"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/compile"
)

// Run is a release as its trail has it so far.
type Run struct {
	Start Start
	// SOP is the whole SOP of the first record; Flow is the flow the
	// release follows (its release type's, or the base flow).
	SOP  *relsop.SOP
	Flow *relsop.SOP
	// Started and StartedBy are the first record's time and author.
	Started   time.Time
	StartedBy string
	// Ended is when the release finished: its last step was done, or it
	// was aborted. Zero while it runs.
	Ended   time.Time
	Aborted bool
	// Decisions are the gates decided so far, in order.
	Decisions []Decision
	// Roster is who holds which role now: the start record's, with every
	// change since.
	Roster Roster

	steps   map[string]*StepState
	pending []string            // steps the flow has reached and that wait to be carried out, in the order reached
	forward map[string][]string // the ordinary flows that do not go back
	taken   map[[2]string]bool  // the flows the release went along, from and to
	reached map[int]time.Time   // record number → when the release had last reached its step
	trail   *trail
}

// StepState is what has happened to a step of the flow.
type StepState struct {
	Step *relsop.Step
	// Visits counts the times the flow reached the step: more than one
	// when a failure or a gate's outcome sent the release back to it.
	Visits int
	// Since is when the step was last reached.
	Since time.Time
	// Records are the records about the step, in order.
	Records []Record
	// Signs are the sign-offs of the current visit of a gate; Escalated
	// says its escalation role now decides.
	Signs     []Record
	Escalated bool
}

// Decision is a gate's decision: the outcome its sign-offs chose (or
// "escalate" when its escalation path was taken), when, and the sign-offs
// that made it.
type Decision struct {
	Gate      string
	Outcome   string
	At        time.Time
	Signs     []Record
	Escalated bool
}

// Records returns every record of the trail, in order.
func (r *Run) Records() []Record { return r.trail.records }

// Trail returns the trail's file: every line as it was read or written,
// each with its newline.
func (r *Run) Trail() []byte {
	var b []byte
	for _, l := range r.trail.lines {
		b = append(append(b, l...), '\n')
	}
	return b
}

// Head is the SHA-256 of the trail's last line. Written down anywhere
// outside the trail, it proves later that no record up to it changed.
func (r *Run) Head() string { return r.trail.head() }

// RunState says where the release stands: "in-progress", "finished" or
// "aborted" (the names relsop.ReleaseState and the status JSON use).
func (r *Run) RunState() string {
	switch {
	case r.Aborted:
		return "aborted"
	case r.Finished():
		return "finished"
	}
	return "in-progress"
}

// Finished reports whether the release is over: done to its end, or
// aborted.
func (r *Run) Finished() bool { return !r.Ended.IsZero() }

// State returns what has happened to step id, or nil when the flow has no
// such step.
func (r *Run) State(id string) *StepState { return r.steps[id] }

// Begin starts the trail of a release through the SOP whose file is src,
// named file. The SOP must compile and be approved; a rehearsal may run
// through one that is not.
func Begin(st Start, file string, src []byte, at time.Time, by string) (*Run, []byte, error) {
	st.File, st.SHA256, st.Source = file, Checksum(src), string(src)
	rec := Record{At: at.UTC(), By: by, Type: TypeStart, Start: &st}
	r, err := open(&rec)
	if err != nil {
		return nil, nil, err
	}
	r.trail = &trail{}
	line := r.trail.append(&rec)
	return r, line, nil
}

// open checks a start record and builds the run it begins.
func open(rec *Record) (*Run, error) {
	st := rec.Start
	if rec.Type != TypeStart || st == nil {
		return nil, fmt.Errorf("the first record must start the release (type start), not %s", rec.Type)
	}
	if err := checkText("--by", rec.By, true); err != nil {
		return nil, err
	}
	if err := checkText("the release", st.Release, true); err != nil {
		return nil, err
	}
	if Checksum([]byte(st.Source)) != st.SHA256 {
		return nil, fmt.Errorf("the SOP held in the first record does not match its checksum %s", st.SHA256)
	}
	res := compile.Load([]byte(st.Source))
	if len(res.Errors) > 0 || res.SOP == nil {
		msg := "it does not compile"
		if len(res.Errors) > 0 {
			e := res.Errors[0]
			msg = fmt.Sprintf("%d:%d: %s", e.Pos.Line, e.Pos.Col, e.Message)
		}
		return nil, fmt.Errorf("the SOP %s is not valid (%s); fix it, then start the release", st.File, msg)
	}
	sop := res.SOP
	if st.SOP != "" && (st.SOP != sop.ID || st.Status != string(sop.Status) || st.Version != sop.Version) {
		return nil, fmt.Errorf("the first record says SOP %s version %s (%s), but the SOP it holds is %s version %s (%s)",
			st.SOP, st.Version, st.Status, sop.ID, sop.Version, sop.Status)
	}
	st.SOP, st.Version, st.Status = sop.ID, sop.Version, string(sop.Status)
	if sop.Status != relsop.StatusApproved && !st.Rehearsal {
		return nil, fmt.Errorf("the SOP %s is %s, not approved: a release runs through an approved SOP; approve it first, or start a rehearsal", sop.ID, sop.Status)
	}
	flow, err := sop.Resolve(st.ReleaseType)
	if err != nil {
		return nil, err
	}
	if len(flow.Steps) == 0 {
		return nil, fmt.Errorf("the SOP %s has no steps to carry out", sop.ID)
	}
	r := &Run{Start: *st, SOP: sop, Flow: flow, Started: rec.At, StartedBy: rec.By, Roster: st.Roster, steps: map[string]*StepState{}, taken: map[[2]string]bool{}, reached: map[int]time.Time{}}
	if err := r.checkRoster(st.Roster); err != nil {
		return nil, fmt.Errorf("the roster: %v", err)
	}
	for i := range flow.Steps {
		r.steps[flow.Steps[i].ID] = &StepState{Step: &flow.Steps[i]}
	}
	r.forward = forwardFlows(flow)
	for _, id := range firstSteps(flow) {
		r.arrive(id, rec.At)
	}
	if len(r.pending) == 0 {
		r.Ended = rec.At // a flow from its start straight to its end
	}
	return r, nil
}

// Replay reads a trail and gives the release it records, with every
// problem found: lines that are not records, a broken chain, records the
// procedure would not have allowed. A record that is not allowed is left
// out of the state. The run is nil only when the trail has no valid start.
func Replay(data []byte) (*Run, []Problem) {
	t, p := parseTrail(data)
	if p != nil {
		return nil, []Problem{*p}
	}
	problems := t.checkChain()
	first := t.records[0]
	r, err := open(&first)
	if err != nil {
		return nil, append(problems, Problem{Line: 1, Msg: err.Error()})
	}
	for i, rec := range t.records[1:] {
		if err := r.Check(rec); err != nil {
			problems = append(problems, Problem{Line: i + 2, Msg: err.Error()})
			continue
		}
		r.apply(rec)
	}
	r.trail = t
	return r, problems
}

// Add checks rec against the release so far and, when the procedure
// allows it, adds it to the trail. It returns the line to append to the
// trail's file, with its newline.
func (r *Run) Add(rec Record) ([]byte, error) {
	rec.At = rec.At.UTC()
	if err := r.Check(rec); err != nil {
		return nil, err
	}
	if len(r.trail.records) >= MaxRecords {
		return nil, fmt.Errorf("the trail has %d records, the most one release may have", MaxRecords)
	}
	line := r.trail.append(&rec)
	r.apply(rec)
	return line, nil
}

// firstSteps are where the flow starts: its start steps, else the steps no
// flow leads to, else the first step.
func firstSteps(flow *relsop.SOP) []string {
	var out []string
	for _, st := range flow.Steps {
		if st.Kind == relsop.KindStart {
			out = append(out, st.ID)
		}
	}
	if len(out) > 0 {
		return out
	}
	led := map[string]bool{}
	for _, f := range flow.Flows() {
		if f.From != f.To {
			led[f.To] = true
		}
	}
	for _, st := range flow.Steps {
		if !led[st.ID] {
			out = append(out, st.ID)
		}
	}
	if len(out) == 0 {
		out = append(out, flow.Steps[0].ID)
	}
	return out
}

// forwardFlows maps each step to the steps its ordinary flows (next and
// gate outcomes) lead to, leaving out the flows that go
// back: a gate's "no-go" to planning, a fix that returns to the build. A
// step waits for an earlier one still to be carried out only along what
// is left: a branch of the release still to join it. Along a flow that
// goes back, every step would wait for every other. A failure or
// escalation path is not a branch the release waits for either.
//
// The flows that go back are those a depth-first walk from the first
// steps, in step order, finds leading to a step still on its path.
func forwardFlows(flow *relsop.SOP) map[string][]string {
	succ := map[string][]string{}
	for _, f := range flow.Flows() {
		if f.Kind == relsop.FlowNext || f.Kind == relsop.FlowOutcome {
			succ[f.From] = append(succ[f.From], f.To)
		}
	}
	forward := map[string][]string{}
	const (
		unseen = iota
		onPath
		finished
	)
	state := map[string]int{}
	var walk func(id string)
	walk = func(id string) {
		state[id] = onPath
		for _, to := range succ[id] {
			switch state[to] {
			case onPath: // goes back
			case unseen:
				forward[id] = append(forward[id], to)
				walk(to)
			default:
				forward[id] = append(forward[id], to)
			}
		}
		state[id] = finished
	}
	for _, id := range firstSteps(flow) {
		if state[id] == unseen {
			walk(id)
		}
	}
	for _, st := range flow.Steps {
		if state[st.ID] == unseen {
			walk(st.ID)
		}
	}
	return forward
}

// leadsTo reports whether the flows that go forward lead from step from
// to step to. It searches on each call rather than keeping every step's
// reach, which for a few thousand steps would hold millions of entries:
// only the few steps waiting at a time are ever asked about.
func (r *Run) leadsTo(from, to string) bool {
	seen := map[string]bool{}
	queue := slices.Clone(r.forward[from])
	for len(queue) > 0 {
		id := queue[0]
		queue = queue[1:]
		if id == to {
			return true
		}
		if !seen[id] {
			seen[id] = true
			queue = append(queue, r.forward[id]...)
		}
	}
	return false
}

// arrive records that the flow reached step id at time at.
func (r *Run) arrive(id string, at time.Time) {
	s := r.steps[id]
	if s == nil {
		return // a flow to nowhere: compile refuses it, so only a fuzzer gets here
	}
	if slices.Contains(r.pending, id) {
		return // two branches met here: one visit
	}
	s.Visits++
	s.Since = at
	s.Signs, s.Escalated = nil, false
	switch s.Step.Kind {
	case relsop.KindStart:
		// A start is where the release begins, not work to record: the
		// release passes through it at once. (A start that leads back to
		// itself would loop; compile allows such a flow.)
		if s.Visits == 1 {
			for _, to := range s.Step.Next {
				r.taken[[2]string{id, to}] = true
				r.arrive(to, at)
			}
		}
	case relsop.KindEnd:
		// An end is reached, not carried out; the release finishes when
		// nothing else is left to do.
	default:
		r.pending = append(r.pending, id)
	}
}

// Pending returns the steps the flow has reached and that are not yet
// carried out, in the flow's step order.
func (r *Run) Pending() []string {
	var out []string
	for _, st := range r.Flow.Steps {
		if slices.Contains(r.pending, st.ID) {
			out = append(out, st.ID)
		}
	}
	return out
}

// Ready reports whether step id may be carried out now: the flow reached
// it, and no other step waiting to be carried out leads to it (a branch
// of the release still to join it).
func (r *Run) Ready(id string) bool {
	return slices.Contains(r.pending, id) && len(r.WaitsFor(id)) == 0
}

// WaitsFor returns the pending steps that lead to step id, which must be
// carried out before it.
func (r *Run) WaitsFor(id string) []string {
	var out []string
	for _, p := range r.Pending() {
		if p != id && r.leadsTo(p, id) {
			out = append(out, p)
		}
	}
	return out
}

// ReadySteps returns the steps that may be carried out now, in step order.
func (r *Run) ReadySteps() []string {
	var out []string
	for _, id := range r.Pending() {
		if r.Ready(id) {
			out = append(out, id)
		}
	}
	return out
}
