// Package mermaid writes an SOP as a Mermaid flowchart: one subgraph per
// lane (role), a node per step shaped after relsop's symbols with a class
// per step kind, gate outcomes as edge labels, rollback paths dashed red
// and escalation paths dotted amber. Mermaid has no swimlane diagram type,
// so lanes are subgraphs and Mermaid's own layout places them.
package mermaid

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/export/ids"
	"github.com/relsop/relsop/internal/export/lanes"
)

// classDefs style each step kind like relsop's diagram; the class names
// avoid Mermaid's keywords (end, start would not parse everywhere).
var classDefs = []struct {
	kind  relsop.StepKind
	style string
}{
	{relsop.KindStart, "fill:#FFFFFF,stroke:#333333,stroke-width:1.5px"},
	{relsop.KindTask, "fill:#FFFFFF,stroke:#333333"},
	{relsop.KindAutomated, "fill:#E6F1F8,stroke:#0072B2"},
	{relsop.KindGate, "fill:#FFF6E0,stroke:#B07A00"},
	{relsop.KindDeploy, "fill:#E8F5EE,stroke:#009E73"},
	{relsop.KindRollback, "fill:#FBE3D6,stroke:#D55E00"},
	{relsop.KindNotify, "fill:#F3ECF7,stroke:#CC79A7"},
	{relsop.KindEnd, "fill:#FFFFFF,stroke:#333333,stroke-width:3px"},
}

// Edge styles of the paths taken when things go wrong (relsop's palette).
const (
	rollbackStyle   = "stroke:#D55E00,stroke-width:1.5px,stroke-dasharray:6 3"
	escalationStyle = "stroke:#E69F00,stroke-width:1.5px,stroke-dasharray:2 3"
)

// Export returns sop, a resolved flow, as a Mermaid flowchart.
func Export(sop *relsop.SOP) []byte {
	var b bytes.Buffer
	nodeIDs := newIDs()
	nodeID := map[string]string{}
	for i := range sop.Steps {
		nodeID[sop.Steps[i].ID] = nodeIDs.Make("s_" + sop.Steps[i].ID)
	}
	// The title goes in the front matter as a YAML double-quoted string.
	fmt.Fprintf(&b, "---\ntitle: %s\n---\n", yamlString(lanes.Label(sop.Title, sop.ID)))
	b.WriteString("flowchart LR\n")
	byKind := map[relsop.StepKind][]string{}
	for i, l := range lanes.Of(sop) {
		fmt.Fprintf(&b, "  subgraph lane_%d[%s]\n", i, label(l.Name))
		b.WriteString("    direction LR\n")
		for _, st := range l.Steps {
			fmt.Fprintf(&b, "    %s%s\n", nodeID[st.ID], shape(st.Kind, label(lanes.StepLabel(sop, st))))
			k := kindOf(st.Kind)
			byKind[k] = append(byKind[k], nodeID[st.ID])
		}
		b.WriteString("  end\n")
	}
	var rollbacks, escalations []string
	for i, f := range lanes.Flows(sop) {
		arrow := "-->"
		switch f.Kind {
		case relsop.FlowRollback:
			arrow = "-.->"
			rollbacks = append(rollbacks, fmt.Sprint(i))
		case relsop.FlowEscalation:
			arrow = "-.->"
			escalations = append(escalations, fmt.Sprint(i))
		}
		if f.Label != "" {
			arrow += "|" + label(f.Label) + "|"
		}
		fmt.Fprintf(&b, "  %s %s %s\n", nodeID[f.From], arrow, nodeID[f.To])
	}
	if len(rollbacks) > 0 {
		fmt.Fprintf(&b, "  linkStyle %s %s\n", strings.Join(rollbacks, ","), rollbackStyle)
	}
	if len(escalations) > 0 {
		fmt.Fprintf(&b, "  linkStyle %s %s\n", strings.Join(escalations, ","), escalationStyle)
	}
	for _, c := range classDefs {
		if len(byKind[c.kind]) == 0 {
			continue
		}
		fmt.Fprintf(&b, "  classDef %s %s\n", className(c.kind), c.style)
		fmt.Fprintf(&b, "  class %s %s\n", strings.Join(byKind[c.kind], ","), className(c.kind))
	}
	return b.Bytes()
}

// kindOf maps an unknown kind to task, as relsop's diagram draws it.
func kindOf(k relsop.StepKind) relsop.StepKind {
	for _, c := range classDefs {
		if c.kind == k {
			return k
		}
	}
	return relsop.KindTask
}

func className(k relsop.StepKind) string {
	return "kind" + strings.ToUpper(string(k[:1])) + string(k[1:])
}

// shape wraps a quoted label in the brackets of the kind's symbol.
func shape(k relsop.StepKind, text string) string {
	switch k {
	case relsop.KindStart:
		return "((" + text + "))"
	case relsop.KindEnd:
		return "(((" + text + ")))"
	case relsop.KindGate:
		return "{" + text + "}"
	case relsop.KindAutomated:
		return "[[" + text + "]]"
	case relsop.KindNotify:
		return ">" + text + "]"
	}
	return "(" + text + ")"
}

// label writes s as a Mermaid quoted string that Mermaid shows as plain
// text. Inside quotes Mermaid ends the string at the next '"', turns
// "#name;" and "#123;" into entities and renders the result as HTML (and a
// "%%{" anywhere in the file as a directive), so every character that could
// mean something there is written as an entity code; line breaks become
// <br>. Other control characters and invalid UTF-8 are dropped.
func label(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size == 1:
		case r == '\n':
			b.WriteString("<br>")
		case strings.ContainsRune("\"#&<>%`*_~\\[]{}|;:", r):
			fmt.Fprintf(&b, "#%d;", r)
		case r < 0x20 || r == 0x7f:
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// yamlString writes s as a YAML double-quoted string, with every
// character outside letters, digits and a few safe signs escaped.
func yamlString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range strings.ToValidUTF8(s, "") {
		switch {
		case r == '\n':
			b.WriteString(" ")
		case r < 0x20 || r == 0x7f:
		case r < 0x80 && !isSafeASCII(r):
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func isSafeASCII(r rune) bool {
	return r == ' ' || r == '.' || r == ',' || r == '-' || r == '/' || r == '(' || r == ')' ||
		('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') || ('0' <= r && r <= '9')
}

// newIDs hands out Mermaid node ids: letters, digits and '_'.
func newIDs() *ids.Set { return ids.New(ids.Word, "_") }
