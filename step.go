package relsop

// StepKind says what sort of unit of work a step is; it decides the symbol
// drawn and which fields the step may carry.
type StepKind string

// The kinds of step.
const (
	KindStart     StepKind = "start"
	KindTask      StepKind = "task"
	KindAutomated StepKind = "automated"
	KindGate      StepKind = "gate"
	KindDeploy    StepKind = "deploy"
	KindRollback  StepKind = "rollback"
	KindNotify    StepKind = "notify"
	KindEnd       StepKind = "end"
)

// StepKinds lists every kind in the order they are documented.
var StepKinds = []StepKind{KindStart, KindTask, KindAutomated, KindGate, KindDeploy, KindRollback, KindNotify, KindEnd}

// Step is one unit of the procedure.
type Step struct {
	ID          string
	Name        string
	Kind        StepKind
	Owner       string // the responsible role
	RACI        RACI
	Phase       string
	Environment string // deploy and rollback steps: where
	Description string
	Notes       string
	Links       []Link
	Tool        string // automated steps: what runs it (a CI job, a script)
	Channel     string // notify steps: where the message goes

	Duration Duration // expected time the step takes
	SLA      Duration // the longest it may take before it is late

	Evidence []string // records the step must leave behind (test report, sign-off)

	// Gate fields.
	Criteria   []string
	Approvers  []string
	Outcomes   []Outcome
	Escalation *Escalation

	// Flow fields.
	Next      []string // the steps that follow on success
	OnFailure string   // the rollback or contingency path taken when the step fails

	// Exception documents a deliberate departure from practice, such as a
	// production deploy with no earlier environment to validate in.
	Exception *Exception

	Pos      Pos
	FieldPos FieldPos
}

// RACI names the roles accountable, consulted and informed for a step; the
// responsible role is the step's Owner.
type RACI struct {
	Accountable []string
	Consulted   []string
	Informed    []string
}

// Roles returns every role the RACI names, in A, C, I order.
func (r RACI) Roles() []string {
	out := make([]string, 0, len(r.Accountable)+len(r.Consulted)+len(r.Informed))
	out = append(out, r.Accountable...)
	out = append(out, r.Consulted...)
	return append(out, r.Informed...)
}

// Outcome is one labelled way out of a gate ("go", "no-go", "escalate").
type Outcome struct {
	Label string
	To    string
	Pos   Pos
}

// Escalation says who decides when a gate is blocked or times out.
type Escalation struct {
	Role     string   // who decides
	After    Duration // how long the gate may wait before escalating
	To       string   // optional step the escalation leads to
	Pos      Pos
	FieldPos FieldPos
}

// Exception records a documented departure from release practice.
type Exception struct {
	Reason     string
	ApprovedBy string // a role id
	Pos        Pos
	FieldPos   FieldPos
}

// IsGate reports whether the step is a decision point.
func (s *Step) IsGate() bool { return s.Kind == KindGate }

// IsProductionDeploy reports whether the step deploys to a production
// environment of sop.
func (s *Step) IsProductionDeploy(sop *SOP) bool {
	if s.Kind != KindDeploy {
		return false
	}
	env := sop.Environment(s.Environment)
	return env != nil && env.Production
}

// Proceed returns the gate outcome that moves the procedure on: the first
// that reads as go ("go", "approved", "pass"...), else the first; nil when
// the step has no outcomes.
func (s *Step) Proceed() *Outcome {
	for i := range s.Outcomes {
		if MeaningOf(s.Outcomes[i].Label) == OutcomeGo {
			return &s.Outcomes[i]
		}
	}
	if len(s.Outcomes) > 0 {
		return &s.Outcomes[0]
	}
	return nil
}

// Outcome returns the gate outcome with the given label, or nil.
func (s *Step) Outcome(label string) *Outcome {
	for i := range s.Outcomes {
		if s.Outcomes[i].Label == label {
			return &s.Outcomes[i]
		}
	}
	return nil
}
