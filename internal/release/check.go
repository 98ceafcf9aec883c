package release

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/suggest"
)

// Check reports whether the procedure allows rec now, and if not, why and
// what to do instead. It changes nothing.
func (r *Run) Check(rec Record) error {
	if err := checkFields(rec); err != nil {
		return err
	}
	if rec.Type == TypeStart {
		return fmt.Errorf("the release already started (record 1); a trail records one release")
	}
	if !slices.Contains(Types, rec.Type) {
		return fmt.Errorf("unknown record type %q (want one of %s)", rec.Type, typeList())
	}
	if len(rec.People) > 0 && rec.Type != TypeAssign {
		return fmt.Errorf("only a roster change (assign) names people; a %s record is made by one person (by)", rec.Type)
	}
	if r.Finished() && rec.Type != TypeNote {
		return fmt.Errorf("the release %s %s; only notes may be added to it now", r.Start.Release, r.outcomeWords())
	}
	var s *StepState
	if rec.Step != "" {
		if s = r.steps[rec.Step]; s == nil {
			return fmt.Errorf("the %s has no step %q%s", r.flowName(), rec.Step, suggest.Hint(rec.Step, r.stepIDs()))
		}
	} else if rec.Type != TypeNote && rec.Type != TypeAbort && rec.Type != TypeAssign {
		return fmt.Errorf("a %s record names its step", rec.Type)
	}
	switch rec.Type {
	case TypeDone, TypeSkip, TypeFail, TypeSign, TypeEscalate:
		if err := r.checkReady(s); err != nil {
			return err
		}
	}
	switch rec.Type {
	case TypeDone:
		return r.checkDone(s, rec)
	case TypeSkip:
		if s.Step.IsGate() {
			return fmt.Errorf("%s is a gate: an approval cannot be skipped; its approvers sign an outcome, or the release follows a release type whose flow leaves the gate out", s.Step.ID)
		}
		if strings.TrimSpace(rec.Note) == "" {
			return fmt.Errorf("say why %s is skipped (the reason): the trail keeps every departure from the procedure with its reason", s.Step.ID)
		}
	case TypeFail:
		if s.Step.IsGate() {
			return fmt.Errorf("%s is a gate: it does not fail, its approvers decide it; to stop the release there, sign its %s outcome", s.Step.ID, stopWords(s.Step))
		}
		if strings.TrimSpace(rec.Note) == "" {
			return fmt.Errorf("say what failed in %s (a note)", s.Step.ID)
		}
	case TypeSign:
		return r.checkSign(s, rec)
	case TypeEscalate:
		return r.checkEscalate(s)
	case TypeAssign:
		return r.checkAssign(rec)
	case TypeAbort:
		if strings.TrimSpace(rec.Note) == "" {
			return fmt.Errorf("say why the release is stopped (the reason)")
		}
	}
	return nil
}

// checkFields holds every record to the limits on its text.
func checkFields(rec Record) error {
	if rec.At.IsZero() {
		return fmt.Errorf("a record has a time")
	}
	if err := checkText("who made the record (--by)", rec.By, true); err != nil {
		return err
	}
	for _, f := range []struct{ what, text string }{{"the step", rec.Step}, {"the outcome", rec.Outcome}, {"the role", rec.Role}, {"the note", rec.Note}} {
		if err := checkText(f.what, f.text, false); err != nil {
			return err
		}
	}
	if len(rec.People) > MaxHolders {
		return fmt.Errorf("%d people on one record; the most is %d", len(rec.People), MaxHolders)
	}
	if len(rec.Evidence) > MaxEvidence {
		return fmt.Errorf("%d pieces of evidence on one record; the most is %d (link a folder or a ticket that holds them)", len(rec.Evidence), MaxEvidence)
	}
	for _, e := range rec.Evidence {
		if err := checkText("evidence", e, true); err != nil {
			return err
		}
	}
	return nil
}

// checkText refuses text that is too long, not UTF-8, holds control
// characters other than line breaks and tabs, or is missing when needed.
func checkText(what, s string, required bool) error {
	switch {
	case required && strings.TrimSpace(s) == "":
		return fmt.Errorf("%s is missing", what)
	case !utf8.ValidString(s):
		return fmt.Errorf("%s is not UTF-8 text", what)
	case utf8.RuneCountInString(s) > MaxText:
		return fmt.Errorf("%s is longer than %d characters; link a document that says more", what, MaxText)
	}
	for _, c := range s {
		if c < ' ' && c != '\n' && c != '\t' || c >= 0x7f && c < 0xa0 {
			return fmt.Errorf("%s holds a control character (%U)", what, c)
		}
	}
	return nil
}

// checkReady refuses a step the release has not reached, or that waits
// for another.
func (r *Run) checkReady(s *StepState) error {
	id := s.Step.ID
	if w := r.WaitsFor(id); len(w) > 0 && slices.Contains(r.pending, id) {
		return fmt.Errorf("%s waits for %s, which lead%s to it; carry %s out first", id, strings.Join(w, ", "), plural(len(w) == 1, "s", ""), plural(len(w) == 1, "that", "those"))
	}
	if slices.Contains(r.pending, id) {
		return nil
	}
	ready := r.ReadySteps()
	now := "nothing is left to do"
	if len(ready) > 0 {
		now = "ready now: " + strings.Join(ready, ", ")
	}
	if len(s.Records) > 0 {
		return fmt.Errorf("%s is not waiting to be carried out: the release is past it (%s)", id, now)
	}
	return fmt.Errorf("the release has not reached %s yet (%s)", id, now)
}

// checkDone refuses a gate, which its approvers decide, and a step done
// without the evidence the SOP asks it to leave.
func (r *Run) checkDone(s *StepState, rec Record) error {
	st := s.Step
	if st.IsGate() {
		return fmt.Errorf("%s is a gate: its approvers (%s) decide it by signing an outcome (%s)", st.ID, strings.Join(Approvers(st), ", "), outcomeList(st))
	}
	if len(st.Evidence) > 0 && len(rec.Evidence) == 0 {
		return fmt.Errorf("the SOP asks %s to leave evidence (%s); give it as evidence, such as %q", st.ID, strings.Join(st.Evidence, "; "), st.Evidence[0]+": https://…")
	}
	return nil
}

// checkSign refuses a sign-off by a role that is not the gate's to give,
// twice for one role, by one person for two roles (separation of duties),
// or for an outcome the gate does not have.
func (r *Run) checkSign(s *StepState, rec Record) error {
	st := s.Step
	if !st.IsGate() {
		return fmt.Errorf("%s is not a gate (it is a %s step); record it as done", st.ID, st.Kind)
	}
	if st.Outcome(rec.Outcome) == nil {
		return fmt.Errorf("%s has no outcome %q (its outcomes: %s)%s", st.ID, rec.Outcome, outcomeList(st), suggest.Hint(rec.Outcome, outcomeLabels(st)))
	}
	roles := r.Deciders(st.ID)
	if !slices.Contains(roles, rec.Role) {
		return fmt.Errorf("%s is signed by %s; %q is not one of them%s", st.ID, strings.Join(roles, ", "), rec.Role, suggest.Hint(rec.Role, roles))
	}
	if err := r.checkHolder(rec); err != nil {
		return err
	}
	for _, sg := range s.Signs {
		if sg.Role == rec.Role {
			return fmt.Errorf("%s already signed %s for %s (record %d)", sg.By, st.ID, rec.Role, sg.Seq)
		}
		if strings.EqualFold(strings.TrimSpace(sg.By), strings.TrimSpace(rec.By)) {
			return fmt.Errorf("%s already signed %s for %s (record %d): one person signs a gate for one role, so that every approval is a separate pair of eyes", sg.By, st.ID, sg.Role, sg.Seq)
		}
	}
	return nil
}

// checkEscalate refuses to escalate a gate that has no escalation path or
// is already escalated.
func (r *Run) checkEscalate(s *StepState) error {
	st := s.Step
	if !st.IsGate() || st.Escalation == nil {
		return fmt.Errorf("the SOP gives %s no escalation path; add one (escalation: role, after, to) to escalate it", st.ID)
	}
	if s.Escalated {
		return fmt.Errorf("%s is already escalated; %s decides it", st.ID, st.Escalation.Role)
	}
	return nil
}

// Approvers returns the roles whose sign-offs a gate needs to proceed:
// its approvers, or its owner when it names none.
func Approvers(st *relsop.Step) []string {
	if len(st.Approvers) > 0 {
		return st.Approvers
	}
	return []string{st.Owner}
}

// Deciders returns the roles that may sign gate id now: its approvers,
// and its escalation role once escalated.
func (r *Run) Deciders(id string) []string {
	s := r.steps[id]
	if s == nil {
		return nil
	}
	roles := Approvers(s.Step)
	if s.Escalated && s.Step.Escalation != nil && !slices.Contains(roles, s.Step.Escalation.Role) {
		roles = append(slices.Clip(roles), s.Step.Escalation.Role)
	}
	return roles
}

// Proceed returns the label of the outcome that moves the release on
// (see relsop.Step.Proceed). It needs every approver's sign-off; any
// other outcome takes one.
func Proceed(st *relsop.Step) string {
	if o := st.Proceed(); o != nil {
		return o.Label
	}
	return ""
}

// Unsigned returns the approvers of gate id that have not yet signed it
// in its current visit.
func (r *Run) Unsigned(id string) []string {
	s := r.steps[id]
	if s == nil || !s.Step.IsGate() {
		return nil
	}
	var out []string
	for _, role := range Approvers(s.Step) {
		if !slices.ContainsFunc(s.Signs, func(sg Record) bool { return sg.Role == role }) {
			out = append(out, role)
		}
	}
	return out
}

// stopWords names a gate's outcomes other than the one that proceeds.
func stopWords(st *relsop.Step) string {
	var out []string
	for _, o := range st.Outcomes {
		if o.Label != Proceed(st) {
			out = append(out, o.Label)
		}
	}
	if len(out) == 0 {
		return "other"
	}
	return strings.Join(out, " or ")
}

func outcomeLabels(st *relsop.Step) []string {
	out := make([]string, len(st.Outcomes))
	for i, o := range st.Outcomes {
		out[i] = o.Label
	}
	return out
}

func outcomeList(st *relsop.Step) string { return strings.Join(outcomeLabels(st), ", ") }

func typeList() string {
	var out []string
	for _, t := range Types {
		out = append(out, string(t))
	}
	return strings.Join(out, ", ")
}

func plural(one bool, a, b string) string {
	if one {
		return a
	}
	return b
}

func (r *Run) stepIDs() []string {
	out := make([]string, len(r.Flow.Steps))
	for i, st := range r.Flow.Steps {
		out[i] = st.ID
	}
	return out
}

// flowName names the flow the release follows, for messages.
func (r *Run) flowName() string {
	if r.Start.ReleaseType != "" {
		return "flow of release type " + r.Start.ReleaseType
	}
	return "SOP's flow"
}

// outcomeWords says how the release ended, for messages.
func (r *Run) outcomeWords() string {
	day := r.Ended.UTC().Format("2006-01-02 15:04 UTC")
	if r.Aborted {
		return "was aborted on " + day
	}
	return "finished on " + day
}
