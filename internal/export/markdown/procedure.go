package markdown

import (
	"fmt"
	"strings"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/export/lanes"
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

func (d *doc) procedure() {
	if len(d.sop.Steps) == 0 {
		return
	}
	d.heading(2, "Procedure")
	for i, g := range groups(d.sop) {
		name := "Steps without a phase"
		if g.phase != nil {
			name = inline(lanes.Label(g.phase.Name, g.phase.ID))
		}
		d.heading(3, fmt.Sprintf("%d. %s", i+1, name))
		if g.phase != nil {
			d.paragraphs(g.phase.Description)
		}
		if len(g.steps) == 0 {
			d.line("No steps in this phase.")
			d.line("")
		}
		for _, st := range g.steps {
			d.step(st)
		}
	}
}

// step writes one step: a heading, what kind of step it is and who owns
// it, its description, then every field it has as a list.
func (d *doc) step(st *relsop.Step) {
	d.heading(4, d.stepRef(st.ID))
	intro := kindName(st.Kind)
	if st.Owner != "" {
		intro += ", owned by " + d.role(st.Owner)
	}
	d.line(intro + ".")
	d.line("")
	d.paragraphs(st.Description)

	var items []string
	item := func(label, text string) {
		if text != "" {
			items = append(items, "**"+label+":** "+text)
		}
	}
	if st.IsGate() {
		item("Approvers", d.roleList(st.Approvers))
	}
	item("Accountable", d.roleList(st.RACI.Accountable))
	item("Consulted", d.roleList(st.RACI.Consulted))
	item("Informed", d.roleList(st.RACI.Informed))
	if st.Environment != "" {
		env := inline(st.Environment)
		if e := d.sop.Environment(st.Environment); e != nil {
			env = inline(lanes.Label(e.Name, e.ID))
			if e.Production {
				env += " (production)"
			}
		}
		item("Environment", env)
	}
	item("Tool", inline(st.Tool))
	item("Channel", inline(st.Channel))
	item("Duration", inline(st.Duration.String()))
	item("SLA", inline(st.SLA.String()))
	item("Evidence", inlineList(st.Evidence))
	var outcomes []string
	for _, o := range st.Outcomes {
		outcomes = append(outcomes, inline(o.Label)+" → "+d.stepRef(o.To))
	}
	item("Outcomes", strings.Join(outcomes, "; "))
	if e := st.Escalation; e != nil {
		item("Escalation", d.escalation(e))
	}
	item("Next", d.stepList(st.Next))
	if st.OnFailure != "" {
		item("On failure", d.stepRef(st.OnFailure))
	}
	var links []string
	for _, l := range st.Links {
		links = append(links, link(l.Title, l.URL))
	}
	item("Links", strings.Join(links, "; "))
	if x := st.Exception; x != nil {
		item("Exception", d.exception(x))
	}
	item("Notes", inline(strings.Join(strings.Fields(st.Notes), " ")))
	for _, it := range items {
		d.line("- " + it)
	}
	if len(st.Criteria) > 0 {
		d.line("- **Criteria:**")
		for _, c := range st.Criteria {
			d.line("  - " + lineStart(inline(c)))
		}
	}
	if len(items) > 0 || len(st.Criteria) > 0 {
		d.line("")
	}
}

func inlineList(list []string) string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = inline(s)
	}
	return strings.Join(out, "; ")
}

func (d *doc) escalation(e *relsop.Escalation) string {
	text := "to " + d.role(e.Role)
	if !e.After.IsZero() {
		text += " after " + inline(e.After.String())
	}
	if e.To != "" {
		text += ", then " + d.stepRef(e.To)
	}
	return text
}

func (d *doc) exception(x *relsop.Exception) string {
	text := inline(x.Reason)
	if x.ApprovedBy != "" {
		text += " (approved by " + d.role(x.ApprovedBy) + ")"
	}
	return text
}
