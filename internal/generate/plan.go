package generate

import (
	"fmt"
	"strings"

	"github.com/relsop/relsop"
)

// plan is an SOP being assembled from practice fragments. Steps on the
// main line are linked in the order they are added; side steps (fixes,
// rollbacks, incident handling, deferral) are linked explicitly.
type plan struct {
	b       *brief
	sop     *relsop.SOP
	main    []string          // ids of main-line steps, in order
	why     map[string]string // element id -> why it is there
	roleIDs map[string]string // role slot -> role id
	slots   []string          // slots in the order first used
	notes   []string          // messages for the user (Result.Notes)

	clauses   []clause            // the brief's statements, read by readClauses
	renamed   map[string]bool     // gates named after the brief's words
	nameStems map[string][]string // step name -> content words, cached
}

func newPlan(b *brief) *plan {
	return &plan{b: b, sop: &relsop.SOP{}, why: map[string]string{}, roleIDs: map[string]string{}, renamed: map[string]bool{}}
}

// role returns the id of the role playing slot, adding the role the first
// time, under the user's own name when the brief gave one.
func (p *plan) role(slot string) string {
	if id, ok := p.roleIDs[slot]; ok {
		return id
	}
	name := defaultRoleName(slot)
	why := "every " + domainName(p.b.domain) + " release needs someone in this part"
	if own := p.b.roles[slot]; own != "" {
		name = own
	}
	if w, ok := p.b.roleWhy[slot]; ok {
		why = w
	}
	id := kebab(name)
	if id == "" || p.sop.Role(id) != nil {
		id = slot
	}
	p.roleIDs[slot] = id
	p.slots = append(p.slots, slot)
	desc := ""
	if rs := mustKnowledge().lex.roleSlot(slot); rs != nil {
		desc = rs.Description
	}
	p.sop.Roles = append(p.sop.Roles, relsop.Role{ID: id, Name: name, Description: desc})
	p.why["role:"+id] = why
	return id
}

func defaultRoleName(slot string) string {
	if rs := mustKnowledge().lex.roleSlot(slot); rs != nil {
		return rs.Name
	}
	return slot
}

var nonWord = lazyRE(`[^a-z0-9]+`)

func kebab(s string) string {
	return strings.Trim(nonWord.ReplaceAllString(strings.ToLower(s), "-"), "-")
}

// phase adds a phase the first time a step uses it.
func (p *plan) phase(id string) string {
	if p.sop.Phase(id) == nil {
		ph := phaseDefs[id]
		p.sop.Phases = append(p.sop.Phases, relsop.Phase{ID: id, Name: ph[0], Description: ph[1]})
	}
	return id
}

// phaseDefs name the phases, which are added in this order as steps use them.
var phaseDefs = map[string][2]string{
	"plan":         {"Plan", "Agree what the release contains and what ready means."},
	"build":        {"Build", "Freeze the change set and produce a tested, scanned release candidate."},
	"test":         {"Test", "Verify the release candidate before production."},
	"approve":      {"Approve", "The gates that decide whether the release goes out."},
	"deploy":       {"Deploy", "Deliver the release to production, with a rollback at each stage."},
	"post-release": {"Post-release", "Monitor, communicate and learn from the release."},
}

var phaseOrder = []string{"plan", "build", "test", "approve", "deploy", "post-release"}

// step is a step to add, with why it is there.
type step struct {
	relsop.Step
	slot string
	why  string
}

// add puts a step on the main line.
func (p *plan) add(s step) *relsop.Step {
	st := p.put(s)
	p.main = append(p.main, st.ID)
	return st
}

// side adds a step off the main line: its flows are set by the caller.
func (p *plan) side(s step) *relsop.Step { return p.put(s) }

func (p *plan) put(s step) *relsop.Step {
	st := s.Step
	if st.Kind == "" {
		st.Kind = relsop.KindTask
	}
	st.Owner = p.role(s.slot)
	st.Phase = p.phase(st.Phase)
	if st.Escalation != nil {
		e := *st.Escalation
		e.Role = p.role(e.Role) // given as a slot
		st.Escalation = &e
	}
	base, n := st.ID, 2
	for p.sop.Step(st.ID) != nil {
		st.ID = fmt.Sprintf("%s-%d", base, n)
		n++
	}
	p.sop.Steps = append(p.sop.Steps, st)
	if s.why != "" {
		p.why[st.ID] = s.why
	}
	return &p.sop.Steps[len(p.sop.Steps)-1]
}

// step finds a step by id; steps are kept in a slice, so pointers are
// only good until the next add.
func (p *plan) step(id string) *relsop.Step { return p.sop.Step(id) }

// link sets each main-line step's way on to the next one: next for plain
// steps, the first outcome for gates.
func (p *plan) link() {
	for i, id := range p.main {
		if i+1 >= len(p.main) {
			break
		}
		st, to := p.step(id), p.main[i+1]
		if st.Kind == relsop.KindGate {
			if len(st.Outcomes) > 0 && st.Outcomes[0].To == "" {
				st.Outcomes[0].To = to
			}
			continue
		}
		if len(st.Next) == 0 {
			st.Next = []string{to}
		}
	}
}

// approvers maps slots to role ids.
func (p *plan) approvers(slots ...string) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range slots {
		id := p.role(s)
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

func dur(text string) relsop.Duration {
	d, err := relsop.ParseDuration(text)
	if err != nil {
		return relsop.Duration{}
	}
	return d
}

// gate builds a gate with a go and a no-go outcome; the go outcome's
// target is filled in by link.
func gate(id, name, phase, slot string, criteria []string, approvers []string, goLabel, noGoLabel, noGoTo string, escalateSlot string, after string, why string) step {
	return step{Step: relsop.Step{ID: id, Name: name, Kind: relsop.KindGate, Phase: phase, Criteria: criteria, Approvers: approvers,
		Evidence:   []string{name + " record with the approvers' names and the date"},
		Outcomes:   []relsop.Outcome{{Label: goLabel}, {Label: noGoLabel, To: noGoTo}},
		Escalation: &relsop.Escalation{Role: escalateSlot, After: dur(after)}}, slot: slot, why: why}
}

// separateDuties keeps anyone from approving a gate that their own work
// leads straight into: such approvers are dropped, and a gate left without
// one is approved by the first independent role of quality, release
// manager, product owner and engineering lead.
func (p *plan) separateDuties() {
	owners := map[string]map[string]bool{} // gate id -> owners of the steps leading into it
	for _, st := range p.sop.Steps {
		if st.Kind == relsop.KindStart || st.Kind == relsop.KindGate {
			continue
		}
		for _, f := range st.Flows() {
			if f.Kind == relsop.FlowNext {
				if owners[f.To] == nil {
					owners[f.To] = map[string]bool{}
				}
				owners[f.To][st.Owner] = true
			}
		}
	}
	for i := range p.sop.Steps {
		st := &p.sop.Steps[i]
		if st.Kind != relsop.KindGate {
			continue
		}
		var kept []string
		for _, a := range st.Approvers {
			if !owners[st.ID][a] {
				kept = append(kept, a)
			}
		}
		if len(kept) == 0 {
			candidates := []string{"release-manager", "product", "dev-lead"}
			if p.b.qualitySystem() {
				candidates = append([]string{"quality"}, candidates...)
			}
			for _, slot := range candidates {
				if id := p.role(slot); !owners[st.ID][id] {
					kept = []string{id}
					break
				}
			}
		}
		st.Approvers = kept
	}
}
