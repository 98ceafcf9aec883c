// Package lanes reads an SOP the way the text exporters (Mermaid, PlantUML,
// D2) write it: the steps grouped by lane, one lane per role in the order
// the roles are defined plus an "(unassigned)" lane for steps whose owner
// is not a role, and the flows whose target exists. It also holds the
// labels every exporter gives steps, lanes and phases, so that the formats
// name things alike.
package lanes

import "github.com/relsop/relsop"

// Unassigned is the name of the lane of steps without a known owner; it
// matches the layout's.
const Unassigned = "(unassigned)"

// Lane is one role's swimlane with its steps in file order.
type Lane struct {
	ID    string // the role id; empty for the unassigned lane
	Name  string
	Steps []*relsop.Step
}

// Of returns the lanes of sop: every role, in order, even one without
// steps, then the unassigned lane when some step needs it.
func Of(sop *relsop.SOP) []Lane {
	out := make([]Lane, 0, len(sop.Roles)+1)
	index := map[string]int{}
	for _, r := range sop.Roles {
		if _, dup := index[r.ID]; dup {
			continue
		}
		index[r.ID] = len(out)
		out = append(out, Lane{ID: r.ID, Name: Label(r.Name, r.ID)})
	}
	var rest []*relsop.Step
	for i := range sop.Steps {
		st := &sop.Steps[i]
		if j, ok := index[st.Owner]; ok {
			out[j].Steps = append(out[j].Steps, st)
		} else {
			rest = append(rest, st)
		}
	}
	if len(rest) > 0 {
		out = append(out, Lane{Name: Unassigned, Steps: rest})
	}
	return out
}

// Flows returns the flows of sop whose target step exists, in the order of
// SOP.Flows; a flow to nowhere is a validation error, not something to
// draw.
func Flows(sop *relsop.SOP) []relsop.Flow {
	var out []relsop.Flow
	for _, f := range sop.Flows() {
		if sop.Step(f.To) != nil && sop.Step(f.From) != nil {
			out = append(out, f)
		}
	}
	return out
}

// StepLabel is the step's name; deploy and rollback steps show their
// environment on a second line, as relsop's badge does. It lives here so
// that every exporter labels a step alike; each escapes it for its format.
func StepLabel(sop *relsop.SOP, st *relsop.Step) string {
	name := Label(st.Name, st.ID)
	if st.Environment != "" && (st.Kind == relsop.KindDeploy || st.Kind == relsop.KindRollback) {
		env := st.Environment
		if e := sop.Environment(env); e != nil {
			env = Label(e.Name, e.ID)
		}
		name += "\n[" + env + "]"
	}
	return name
}

// Label is name, or id when the name is empty.
func Label(name, id string) string {
	if name != "" {
		return name
	}
	return id
}

// RoleName names a drawn lane: its role's name, or the layout's own name
// for a lane that is no role (the unassigned lane). The exporters that
// copy relsop's layout (BPMN, draw.io) label their lanes with it.
func RoleName(sop *relsop.SOP, id, drawn string) string {
	if r := sop.Role(id); r != nil {
		return Label(r.Name, r.ID)
	}
	return Label(drawn, Unassigned)
}

// PhaseName names a drawn phase band: its phase's name, or the layout's
// own name for the band of steps without a phase.
func PhaseName(sop *relsop.SOP, id, drawn string) string {
	if p := sop.Phase(id); p != nil {
		return Label(p.Name, p.ID)
	}
	return Label(drawn, "(no phase)")
}
