package release

import (
	"cmp"
	"fmt"
	"strings"

	"github.com/relsop/relsop"
)

// Lessons say why an ended release suggests reviewing its SOP. Release
// practice (and the SOP's own review rule, docs/rules.md) is to review
// the procedure after major releases and incidents, not only on its
// cadence: a release that was aborted, rolled back, had a step fail or a
// gate escalated, or was an emergency or major release, is when the
// procedure met reality.

// Lessons lists, in a phrase each, why this release suggests reviewing
// its SOP; none while it runs, or when it went as planned through an
// ordinary release type.
func (r *Run) Lessons() []string {
	if !r.Finished() {
		return nil
	}
	var out []string
	if r.Aborted {
		out = append(out, "it was aborted")
	}
	var rolled, failed, escalated []string
	for _, st := range r.Flow.Steps {
		s := r.steps[st.ID]
		if s == nil {
			continue
		}
		name := "“" + cmp.Or(st.Name, st.ID) + "”"
		if st.Kind == relsop.KindRollback && s.carriedOut() {
			rolled = append(rolled, name)
		}
		if s.recorded(TypeFail) {
			failed = append(failed, name)
		}
		if s.recorded(TypeEscalate) {
			escalated = append(escalated, name)
		}
	}
	if len(rolled) > 0 {
		out = append(out, "it was rolled back ("+strings.Join(rolled, ", ")+")")
	}
	if len(failed) > 0 {
		out = append(out, fmt.Sprintf("%s failed", strings.Join(failed, ", ")))
	}
	switch len(escalated) {
	case 0:
	case 1:
		out = append(out, "the gate "+escalated[0]+" was escalated")
	default:
		out = append(out, "the gates "+strings.Join(escalated, ", ")+" were escalated")
	}
	if rt := r.SOP.ReleaseType(r.Start.ReleaseType); rt != nil {
		switch {
		case rt.Emergency:
			out = append(out, "it was an emergency release ("+cmp.Or(rt.Name, rt.ID)+")")
		case strings.EqualFold(rt.ID, "major"):
			out = append(out, "it was a major release")
		}
	}
	return out
}

// recorded reports whether the step has a record of type t.
func (s *StepState) recorded(t Type) bool {
	for _, rec := range s.Records {
		if rec.Type == t {
			return true
		}
	}
	return false
}
