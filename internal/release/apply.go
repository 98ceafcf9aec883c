package release

import (
	"slices"
	"time"
)

// apply moves the release on by a record that Check allowed.
func (r *Run) apply(rec Record) {
	s := r.steps[rec.Step]
	if s != nil {
		s.Records = append(s.Records, rec)
		r.reached[rec.Seq] = s.Since
	}
	switch rec.Type {
	case TypeDone, TypeSkip:
		r.leave(s.Step.ID, rec.At, s.Step.Next)
	case TypeFail:
		// Without a failure path the step stays where it is, to be tried
		// again once what failed is fixed.
		if to := s.Step.OnFailure; to != "" {
			r.leave(s.Step.ID, rec.At, []string{to})
		}
	case TypeSign:
		s.Signs = append(s.Signs, rec)
		if outcome, ok := r.decision(s); ok {
			r.Decisions = append(r.Decisions, Decision{Gate: s.Step.ID, Outcome: outcome, At: rec.At,
				Signs: s.Signs, Escalated: s.Escalated})
			var next []string
			if to := s.Step.Outcome(outcome).To; to != "" {
				next = []string{to}
			}
			r.leave(s.Step.ID, rec.At, next)
		}
	case TypeEscalate:
		if to := s.Step.Escalation.To; to != "" {
			r.Decisions = append(r.Decisions, Decision{Gate: s.Step.ID, Outcome: "escalate", At: rec.At,
				Signs: s.Signs, Escalated: true})
			r.leave(s.Step.ID, rec.At, []string{to})
		} else {
			s.Escalated = true
		}
	case TypeAssign:
		r.assign(rec)
	case TypeAbort:
		r.Aborted = true
		r.Ended = rec.At
	}
}

// leave ends the current visit of step id and sends the release on to
// next; it finishes when nothing is left to do.
func (r *Run) leave(id string, at time.Time, next []string) {
	r.pending = slices.DeleteFunc(r.pending, func(p string) bool { return p == id })
	for _, to := range next {
		r.taken[[2]string{id, to}] = true
		r.arrive(to, at)
	}
	if len(r.pending) == 0 {
		r.Ended = at
	}
}

// decision returns the outcome the sign-offs of gate s's current visit
// decide, if they decide one: the escalation role's alone once escalated;
// any outcome but the one that proceeds on one approver's word (any
// approver may stop a release); the one that proceeds once every approver
// signed it.
func (r *Run) decision(s *StepState) (string, bool) {
	last := s.Signs[len(s.Signs)-1]
	if e := s.Step.Escalation; s.Escalated && e != nil && last.Role == e.Role {
		return last.Outcome, true
	}
	if last.Outcome != Proceed(s.Step) {
		return last.Outcome, true
	}
	for _, role := range Approvers(s.Step) {
		if !slices.ContainsFunc(s.Signs, func(sg Record) bool { return sg.Role == role && sg.Outcome == last.Outcome }) {
			return "", false
		}
	}
	return last.Outcome, true
}
