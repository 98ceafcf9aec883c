package release

import "time"

// Status is a release's state as relsop release status prints it and the
// workspace serves it; its JSON form is documented in docs/releases.md.
type Status struct {
	Release     string           `json:"release"`
	SOP         string           `json:"sop"`
	Version     string           `json:"version,omitempty"`
	SOPStatus   string           `json:"sop_status"`
	ReleaseType string           `json:"release_type,omitempty"`
	Rehearsal   bool             `json:"rehearsal"`
	Started     time.Time        `json:"started"`
	StartedBy   string           `json:"started_by"`
	State       string           `json:"state"` // in-progress, finished or aborted
	Ended       *time.Time       `json:"ended,omitempty"`
	Ready       []ReadyStep      `json:"ready"`
	Waiting     []WaitingStep    `json:"waiting"`
	Records     []StatusRecord   `json:"records"`
	Decisions   []StatusDecision `json:"decisions"`
	Head        string           `json:"head"`
	// Roster is who holds which role now; absent when anyone may sign
	// for any role.
	Roster Roster `json:"roster,omitempty"`
}

// ReadyStep is a step that may be carried out now.
type ReadyStep struct {
	Step  string    `json:"step"`
	Name  string    `json:"name"`
	Kind  string    `json:"kind"`
	Owner string    `json:"owner"`
	Since time.Time `json:"since"`
	// Late is how long past its SLA the step is, when it is.
	Late string `json:"late,omitempty"`
	// Gates: the outcome that proceeds, the approvers still to sign it,
	// the sign-offs so far, and when it escalates.
	Proceed    string         `json:"proceed,omitempty"`
	Unsigned   []string       `json:"unsigned,omitempty"`
	Signed     []StatusRecord `json:"signed,omitempty"`
	Escalated  bool           `json:"escalated,omitempty"`
	EscalateAt *time.Time     `json:"escalate_at,omitempty"`
	EscalateTo string         `json:"escalate_to,omitempty"`
}

// WaitingStep is a step the release reached that waits for branches to
// join it.
type WaitingStep struct {
	Step     string   `json:"step"`
	WaitsFor []string `json:"waits_for"`
}

// StatusRecord is a record with a phrase saying what it records.
type StatusRecord struct {
	Seq      int       `json:"seq"`
	At       time.Time `json:"at"`
	By       string    `json:"by"`
	Type     string    `json:"type"`
	Step     string    `json:"step,omitempty"`
	Outcome  string    `json:"outcome,omitempty"`
	Role     string    `json:"role,omitempty"`
	People   []string  `json:"people,omitempty"`
	Note     string    `json:"note,omitempty"`
	Evidence []string  `json:"evidence,omitempty"`
	Text     string    `json:"text"`
}

// StatusDecision is a gate decided.
type StatusDecision struct {
	Gate      string    `json:"gate"`
	Outcome   string    `json:"outcome"`
	At        time.Time `json:"at"`
	Escalated bool      `json:"escalated,omitempty"`
}

// Status is the release now: what is ready, waiting and recorded.
func (r *Run) Status(now time.Time) Status {
	st := Status{Release: r.Start.Release, SOP: r.SOP.ID, Version: r.SOP.Version, SOPStatus: string(r.SOP.Status),
		ReleaseType: r.Start.ReleaseType, Rehearsal: r.Start.Rehearsal, Started: r.Started, StartedBy: r.StartedBy,
		State: r.RunState(), Ready: []ReadyStep{}, Waiting: []WaitingStep{}, Decisions: []StatusDecision{}, Head: r.Head(), Roster: r.Roster}
	if r.Finished() {
		st.Ended = &r.Ended
	}
	for _, rec := range r.Records() {
		st.Records = append(st.Records, statusRecordOf(r, rec))
	}
	for _, d := range r.Decisions {
		st.Decisions = append(st.Decisions, StatusDecision{Gate: d.Gate, Outcome: d.Outcome, At: d.At, Escalated: d.Escalated})
	}
	if r.Finished() {
		return st
	}
	for _, id := range r.Pending() {
		if w := r.WaitsFor(id); len(w) > 0 {
			st.Waiting = append(st.Waiting, WaitingStep{Step: id, WaitsFor: w})
			continue
		}
		s := r.State(id)
		rs := ReadyStep{Step: id, Name: s.Step.Name, Kind: string(s.Step.Kind), Owner: s.Step.Owner, Since: s.Since}
		if sla := s.Step.SLA.D; sla > 0 && now.Sub(s.Since) > sla {
			rs.Late = (now.Sub(s.Since) - sla).Round(time.Minute).String()
		}
		if s.Step.IsGate() {
			rs.Proceed, rs.Unsigned, rs.Escalated = Proceed(s.Step), r.Unsigned(id), s.Escalated
			for _, sg := range s.Signs {
				rs.Signed = append(rs.Signed, statusRecordOf(r, sg))
			}
			if e := s.Step.Escalation; e != nil && !s.Escalated {
				rs.EscalateTo = e.Role
				if e.After.D > 0 {
					at := s.Since.Add(e.After.D)
					rs.EscalateAt = &at
				}
			}
		}
		st.Ready = append(st.Ready, rs)
	}
	return st
}

func statusRecordOf(r *Run, rec Record) StatusRecord {
	return StatusRecord{Seq: rec.Seq, At: rec.At, By: rec.By, Type: string(rec.Type), Step: rec.Step, Outcome: rec.Outcome,
		Role: rec.Role, People: rec.People, Note: rec.Note, Evidence: rec.Evidence, Text: r.Describe(rec)}
}
