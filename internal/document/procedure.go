package document

import (
	"fmt"

	"github.com/relsop/relsop"
)

// phaseGroup is one section of the procedure: a phase and its steps in
// file order. The last group holds the steps whose phase is not defined.
type phaseGroup struct {
	phase *relsop.Phase // nil for the steps without a phase
	steps []*relsop.Step
}

func groups(sop *relsop.SOP) []phaseGroup {
	out := make([]phaseGroup, 0, len(sop.Phases)+1)
	index := map[string]int{}
	for i := range sop.Phases {
		if _, dup := index[sop.Phases[i].ID]; !dup {
			index[sop.Phases[i].ID] = len(out)
			out = append(out, phaseGroup{phase: &sop.Phases[i]})
		}
	}
	var rest []*relsop.Step
	for i := range sop.Steps {
		st := &sop.Steps[i]
		if j, ok := index[st.Phase]; ok {
			out[j].steps = append(out[j].steps, st)
		} else {
			rest = append(rest, st)
		}
	}
	if len(rest) > 0 {
		out = append(out, phaseGroup{steps: rest})
	}
	return out
}

// numberSteps numbers each step "phase.step" ("2.3"), in the order the
// procedure section lists them; phases without steps keep their number.
func numberSteps(sop *relsop.SOP) map[string]string {
	numbers := map[string]string{}
	for i, g := range groups(sop) {
		for j, st := range g.steps {
			numbers[st.ID] = fmt.Sprintf("%d.%d", i+1, j+1)
		}
	}
	return numbers
}

// StepNumbers returns the number the document gives each step of sop, by
// step id ("2.3": the third step of the second phase).
func StepNumbers(sop *relsop.SOP) map[string]string { return numberSteps(sop) }

// kindNames say what each kind of step is in words.
var kindNames = map[relsop.StepKind]string{
	relsop.KindStart: "Start", relsop.KindTask: "Task", relsop.KindAutomated: "Automated task",
	relsop.KindGate: "Gate", relsop.KindDeploy: "Deployment", relsop.KindRollback: "Rollback",
	relsop.KindNotify: "Notification", relsop.KindEnd: "End",
}

func kindName(k relsop.StepKind) string {
	if n, ok := kindNames[k]; ok {
		return n
	}
	return "Task"
}

func (b *builder) procedure() {
	if len(b.sop.Steps) == 0 {
		return
	}
	b.heading(2, Lit("Procedure"))
	for i, g := range groups(b.sop) {
		name := Lit("Steps without a phase")
		if g.phase != nil {
			name = Say(label(g.phase.Name, g.phase.ID))
		}
		b.heading(3, Lit(fmt.Sprintf("%d. ", i+1)).Cat(name))
		if g.phase != nil {
			b.paragraphs(nil, g.phase.Description)
		}
		if len(g.steps) == 0 {
			b.add(Paragraph{Text: Lit("No steps in this phase.")})
		}
		for _, st := range g.steps {
			b.step(st)
		}
	}
}

// step adds one step: a heading, what kind of step it is and who owns it,
// its description, then every field it has as a list.
func (b *builder) step(st *relsop.Step) {
	b.heading(4, b.stepRef(st.ID))
	intro := Lit(kindName(st.Kind))
	if st.Owner != "" {
		intro = intro.Lit(", owned by ").Cat(b.role(st.Owner))
	}
	b.add(Paragraph{Text: intro.Lit(".")})
	b.paragraphs(nil, st.Description)

	var items []Item
	item := func(label string, t Text) {
		if len(t) > 0 {
			items = append(items, Item{Label: label, Text: t})
		}
	}
	if st.IsGate() {
		item("Approvers", b.roleList(st.Approvers))
	}
	item("Accountable", b.roleList(st.RACI.Accountable))
	item("Consulted", b.roleList(st.RACI.Consulted))
	item("Informed", b.roleList(st.RACI.Informed))
	if st.Environment != "" {
		env := Say(st.Environment)
		if e := b.sop.Environment(st.Environment); e != nil {
			env = Say(label(e.Name, e.ID))
			if e.Production {
				env = env.Lit(" (production)")
			}
		}
		item("Environment", env)
	}
	item("Tool", Say(st.Tool))
	item("Channel", Say(st.Channel))
	item("Duration", Say(st.Duration.String()))
	item("SLA", Say(st.SLA.String()))
	item("Evidence", sayList(st.Evidence))
	var outcomes []Text
	for _, o := range st.Outcomes {
		outcomes = append(outcomes, Say(o.Label).Lit(" → ").Cat(b.stepRef(o.To)))
	}
	item("Outcomes", Join(outcomes, "; "))
	if e := st.Escalation; e != nil {
		item("Escalation", b.escalation(e))
	}
	item("Next", b.stepList(st.Next))
	if st.OnFailure != "" {
		item("On failure", b.stepRef(st.OnFailure))
	}
	var links []Text
	for _, l := range st.Links {
		links = append(links, Link(l.Title, l.URL))
	}
	item("Links", Join(links, "; "))
	if x := st.Exception; x != nil {
		item("Exception", b.exception(x))
	}
	item("Notes", Say(words(st.Notes)))
	if len(st.Criteria) > 0 {
		crit := Item{Label: "Criteria"}
		for _, c := range st.Criteria {
			crit.Sub = append(crit.Sub, Say(c))
		}
		items = append(items, crit)
	}
	b.list(items)
}

func sayList(list []string) Text {
	out := make([]Text, len(list))
	for i, s := range list {
		out[i] = Say(s)
	}
	return Join(out, "; ")
}

func (b *builder) escalation(e *relsop.Escalation) Text {
	t := Lit("to ").Cat(b.role(e.Role))
	if !e.After.IsZero() {
		t = t.Lit(" after ").Say(e.After.String())
	}
	if e.To != "" {
		t = t.Lit(", then ").Cat(b.stepRef(e.To))
	}
	return t
}

func (b *builder) exception(x *relsop.Exception) Text {
	t := Say(x.Reason)
	if x.ApprovedBy != "" {
		t = t.Lit(" (approved by ").Cat(b.role(x.ApprovedBy)).Lit(")")
	}
	return t
}
