// Package dot writes an SOP as a Graphviz DOT graph: one cluster per lane
// (role), a node per step shaped after relsop's symbols, and the flows with
// gate outcomes as labels, rollback paths dashed red and escalation paths
// dotted amber. It is used for interchange and to compare relsop's layout
// with Graphviz's on the same graph.
package dot

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/relsop/relsop"
)

// Export returns sop as a DOT digraph laid out left to right.
func Export(sop *relsop.SOP) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "digraph %s {\n", quote(sop.ID))
	fmt.Fprintf(&b, "  label=%s;\n  labelloc=t;\n  rankdir=LR;\n  newrank=true;\n", quote(sop.Title))
	b.WriteString("  node [fontname=\"Helvetica\", fontsize=12];\n  edge [fontname=\"Helvetica\", fontsize=10];\n")
	byLane := map[string][]*relsop.Step{}
	for i := range sop.Steps {
		st := &sop.Steps[i]
		byLane[st.Owner] = append(byLane[st.Owner], st)
	}
	lanes := make([]relsop.Role, 0, len(sop.Roles)+1)
	lanes = append(lanes, sop.Roles...)
	if len(byLane[""]) > 0 || hasUnknownOwner(sop) {
		lanes = append(lanes, relsop.Role{ID: "", Name: "(unassigned)"})
	}
	for i, lane := range lanes {
		steps := byLane[lane.ID]
		if lane.ID == "" {
			steps = unassigned(sop)
		}
		fmt.Fprintf(&b, "  subgraph %s {\n    label=%s;\n", quote(fmt.Sprintf("cluster_%d", i)), quote(nameOr(lane.Name, lane.ID)))
		for _, st := range steps {
			fmt.Fprintf(&b, "    %s [label=%s%s];\n", quote(st.ID), quote(nameOr(st.Name, st.ID)), shape(st))
		}
		b.WriteString("  }\n")
	}
	for _, f := range sop.Flows() {
		if sop.Step(f.To) == nil {
			continue
		}
		var attrs []string
		if f.Label != "" {
			attrs = append(attrs, "label="+quote(f.Label))
		}
		switch f.Kind {
		case relsop.FlowRollback:
			attrs = append(attrs, `style=dashed`, `color="#D55E00"`)
		case relsop.FlowEscalation:
			attrs = append(attrs, `style=dotted`, `color="#E69F00"`)
		}
		fmt.Fprintf(&b, "  %s -> %s", quote(f.From), quote(f.To))
		if len(attrs) > 0 {
			fmt.Fprintf(&b, " [%s]", strings.Join(attrs, ", "))
		}
		b.WriteString(";\n")
	}
	b.WriteString("}\n")
	return b.Bytes()
}

func hasUnknownOwner(sop *relsop.SOP) bool { return len(unassigned(sop)) > 0 }

// unassigned are the steps whose owner is not a defined role.
func unassigned(sop *relsop.SOP) []*relsop.Step {
	var out []*relsop.Step
	for i := range sop.Steps {
		if sop.Role(sop.Steps[i].Owner) == nil {
			out = append(out, &sop.Steps[i])
		}
	}
	return out
}

func nameOr(name, id string) string {
	if name != "" {
		return name
	}
	return id
}

func shape(st *relsop.Step) string {
	switch st.Kind {
	case relsop.KindStart:
		return ", shape=circle"
	case relsop.KindEnd:
		return ", shape=doublecircle"
	case relsop.KindGate:
		return ", shape=diamond"
	case relsop.KindRollback:
		return `, shape=box, style="rounded,filled", fillcolor="#FBE3D6"`
	case relsop.KindNotify:
		return ", shape=note"
	case relsop.KindAutomated:
		return `, shape=box, style="rounded,filled", fillcolor="#E6F1F8"`
	}
	return `, shape=box, style=rounded`
}

// quote writes s as a DOT quoted string. Inside quotes DOT treats only \"
// and a backslash before a newline specially, but escape sequences such as
// \n, \l and \N are interpreted in labels, so every backslash is doubled;
// line breaks become \n and other control characters are dropped.
func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r < 0x20 || r == 0x7f:
			// dropped: DOT has no way to write them
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
