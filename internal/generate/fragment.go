package generate

import (
	"fmt"

	"github.com/relsop/relsop"
)

// fragment is one piece of release practice in knowledge/practices.yaml:
// a step (or gate) with the conditions that call for it. Role fields name
// role slots (release-manager, qa, ...), which become the user's own role
// names where the brief gave them.
type fragment struct {
	ID       string   `yaml:"id"`
	When     string   `yaml:"when"`     // condition; empty: always
	Practice []string `yaml:"practice"` // practices this fragment is: it never appears when the brief rules one out
	Each     string   `yaml:"each"`     // "test-env": once per pre-production environment
	Side     bool     `yaml:"side"`     // off the main line: its flows are given by next
	Assume   texts    `yaml:"assume"`   // recorded as an assumption when the fragment is used

	Name        texts    `yaml:"name"`
	Kind        string   `yaml:"kind"`
	Owner       string   `yaml:"owner"`
	Phase       string   `yaml:"phase"`
	Environment string   `yaml:"environment"`
	Description texts    `yaml:"description"`
	Duration    string   `yaml:"duration"`
	SLA         string   `yaml:"sla"`
	Evidence    texts    `yaml:"evidence"`
	Accountable []string `yaml:"accountable"`
	Consulted   []string `yaml:"consulted"`
	Informed    []string `yaml:"informed"`
	Channel     string   `yaml:"channel"`

	Criteria      texts    `yaml:"criteria"`
	Approvers     []string `yaml:"approvers"`
	Go            string   `yaml:"go"`
	NoGo          string   `yaml:"no_go"`
	NoGoTo        string   `yaml:"no_go_to"`
	Escalate      string   `yaml:"escalate"`
	EscalateAfter string   `yaml:"escalate_after"`

	Next      []string `yaml:"next"`
	OnFailure string   `yaml:"on_failure"`
	AddsEnv   *addEnv  `yaml:"adds_env"`

	Why texts `yaml:"why"`

	cond cond
}

// addEnv is an environment a fragment brings with it (a canary slice, a
// first wave of users, production itself).
type addEnv struct {
	ID         string `yaml:"id"`
	Name       string `yaml:"name"`
	Production bool   `yaml:"production"`
}

func (f *fragment) compile(lx *lexicon) error {
	if f.ID == "" || len(f.Name) == 0 || f.Phase == "" || f.Owner == "" {
		return fmt.Errorf("a fragment needs an id, a name, a phase and an owner")
	}
	if _, ok := phaseDefs[f.Phase]; !ok {
		return fmt.Errorf("unknown phase %q", f.Phase)
	}
	if f.Kind != "" && !validKind(f.Kind) {
		return fmt.Errorf("unknown kind %q", f.Kind)
	}
	if f.Each != "" && f.Each != "test-env" {
		return fmt.Errorf("each must be test-env, not %q", f.Each)
	}
	for _, p := range f.Practice {
		if _, ok := lx.Practices[p]; !ok {
			return fmt.Errorf("unknown practice %q", p)
		}
	}
	for _, d := range []string{f.Duration, f.SLA, f.EscalateAfter} {
		if d != "" && d[0] != '{' {
			if _, err := relsop.ParseDuration(d); err != nil {
				return err
			}
		}
	}
	c, err := parseCond(f.When, lx)
	if err != nil {
		return err
	}
	f.cond = c
	for _, t := range []texts{f.Assume, f.Name, f.Description, f.Evidence, f.Criteria, f.Why} {
		if err := t.compile(lx); err != nil {
			return err
		}
	}
	return nil
}

// applies reports whether the brief calls for the fragment: its condition
// holds and the brief rules out none of its practices.
func (f *fragment) applies(p *plan) bool {
	for _, pr := range f.Practice {
		if p.b.excludes(pr) {
			return false
		}
	}
	return f.cond(p)
}

// instantiate adds the fragment's step to the plan.
func (f *fragment) instantiate(p *plan, v vars) {
	slot := func(s string) string { return v.expand(s) }
	slots := func(list []string) []string {
		var out []string
		for _, s := range list {
			out = append(out, slot(s))
		}
		return out
	}
	st := relsop.Step{ID: v.expand(f.ID), Name: f.Name.first(p, v), Kind: relsop.StepKind(f.Kind), Phase: f.Phase,
		Environment: v.expand(f.Environment), Description: f.Description.first(p, v), Channel: f.Channel,
		Duration: dur(v.expand(f.Duration)), SLA: dur(v.expand(f.SLA)), Evidence: f.Evidence.all(p, v),
		Criteria: f.Criteria.all(p, v), OnFailure: v.expand(f.OnFailure)}
	for _, n := range f.Next {
		st.Next = append(st.Next, v.expand(n))
	}
	if f.AddsEnv != nil {
		p.sop.Environments = append(p.sop.Environments, relsop.Environment{ID: v.expand(f.AddsEnv.ID), Name: v.expand(f.AddsEnv.Name), Production: f.AddsEnv.Production})
	}
	p.b.assumptions = append(p.b.assumptions, f.Assume.all(p, v)...)
	// Roles are added in the order a reader meets them: owner first.
	owner := slot(f.Owner)
	p.role(owner)
	st.RACI = relsop.RACI{Accountable: p.approvers(slots(f.Accountable)...), Consulted: p.approvers(slots(f.Consulted)...), Informed: p.approvers(slots(f.Informed)...)}
	if st.Kind == relsop.KindGate {
		st.Approvers = p.approvers(slots(f.Approvers)...)
		st.Outcomes = []relsop.Outcome{{Label: f.Go}, {Label: f.NoGo, To: v.expand(f.NoGoTo)}}
		if f.Escalate != "" {
			st.Escalation = &relsop.Escalation{Role: slot(f.Escalate), After: dur(v.expand(f.EscalateAfter))}
		}
		if len(st.Evidence) == 0 {
			st.Evidence = []string{st.Name + " record with the approvers' names and the date"}
		}
	}
	s := step{Step: st, slot: owner, why: f.Why.first(p, v)}
	if f.Side {
		p.side(s)
	} else {
		p.add(s)
	}
}

func validKind(k string) bool {
	for _, v := range relsop.StepKinds {
		if string(v) == k {
			return true
		}
	}
	return false
}
