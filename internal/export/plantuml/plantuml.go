// Package plantuml writes an SOP as a PlantUML activity diagram: a
// partition per lane (role), an activity per step styled after relsop's
// symbols through one stereotype per step kind, every flow as an arrow,
// gate outcomes as arrow labels, rollback paths dashed red and escalation
// paths dotted amber. PlantUML lays it out with Graphviz.
//
// It uses PlantUML's legacy activity syntax, "(*) --> ...", not the newer
// one with |Lane| swimlanes. An SOP's flow is an arbitrary graph: gates
// with three outcomes, rollback paths running backwards, loops, forks that
// never join. The new syntax only has structured control flow (if, repeat,
// split); its goto is experimental, and PlantUML 1.2020 (Debian and Ubuntu's
// package) parses it but draws no arrow, so every backward flow would be
// lost. The legacy syntax links any activity to any other by id, so every
// flow of the SOP is one arrow. Its price: lanes are partitions (boxes
// around their steps) rather than swimlanes, and every step is an activity
// box, coloured by kind, because the legacy syntax cannot give an activity
// another shape (its start and end circles are one shared node each, which
// would merge an SOP's several end steps and drop their lanes).
package plantuml

import (
	"bytes"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/export/ids"
	"github.com/relsop/relsop/internal/export/lanes"
)

// kinds style each step kind like relsop's diagram: fill and border.
var kinds = []struct {
	kind         relsop.StepKind
	fill, border string
}{
	{relsop.KindStart, "#FFFFFF", "#333333"},
	{relsop.KindTask, "#FFFFFF", "#333333"},
	{relsop.KindAutomated, "#E6F1F8", "#0072B2"},
	{relsop.KindGate, "#FFF6E0", "#B07A00"},
	{relsop.KindDeploy, "#E8F5EE", "#009E73"},
	{relsop.KindRollback, "#FBE3D6", "#D55E00"},
	{relsop.KindNotify, "#F3ECF7", "#CC79A7"},
	{relsop.KindEnd, "#D9D9D9", "#333333"},
}

// Arrow styles of the paths taken when things go wrong (relsop's palette).
const (
	rollbackArrow   = "-[#D55E00,dashed]->"
	escalationArrow = "-[#E69F00,dotted]->"
)

// Export returns sop, a resolved flow, as a PlantUML activity diagram laid
// out left to right.
func Export(sop *relsop.SOP) []byte {
	var b bytes.Buffer
	b.WriteString("@startuml\n")
	b.WriteString("left to right direction\n")
	fmt.Fprintf(&b, "title %s\n", text(lanes.Label(sop.Title, sop.ID)))
	b.WriteString("skinparam shadowing false\nskinparam activity {\n  FontColor #000000\n  ArrowColor #333333\n")
	for _, k := range kinds {
		fmt.Fprintf(&b, "  BackgroundColor<<%s>> %s\n  BorderColor<<%s>> %s\n", k.kind, k.fill, k.kind, k.border)
	}
	b.WriteString("}\n")
	nodeIDs := newIDs()
	nodeID := map[string]string{}
	for i := range sop.Steps {
		nodeID[sop.Steps[i].ID] = nodeIDs.Make("s_" + sop.Steps[i].ID)
	}
	// A partition is known by its name, so two lanes of the same name
	// would become one; the second is numbered.
	names := map[string]bool{}
	for _, l := range lanes.Of(sop) {
		name := text(l.Name)
		for i := 2; names[name]; i++ {
			name = text(fmt.Sprintf("%s (%d)", l.Name, i))
		}
		names[name] = true
		fmt.Fprintf(&b, "partition \"%s\" {\n", name)
		// The legacy syntax declares an activity only in a link; a
		// hidden link of the activity to itself declares it here, inside
		// its lane's partition, without changing the layout.
		for _, st := range l.Steps {
			id := nodeID[st.ID]
			fmt.Fprintf(&b, "\"%s\" as %s <<%s>> -[hidden,norank]-> %s\n", text(lanes.StepLabel(sop, st)), id, kindOf(st.Kind), id)
		}
		b.WriteString("}\n")
	}
	for _, f := range lanes.Flows(sop) {
		arrow := "-->"
		switch f.Kind {
		case relsop.FlowRollback:
			arrow = rollbackArrow
		case relsop.FlowEscalation:
			arrow = escalationArrow
		}
		label := ""
		if f.Label != "" {
			label = "[" + text(f.Label) + "] "
		}
		fmt.Fprintf(&b, "%s %s%s %s\n", nodeID[f.From], arrow, label, nodeID[f.To])
	}
	b.WriteString("@enduml\n")
	return b.Bytes()
}

// kindOf maps an unknown kind to task, as relsop's diagram draws it.
func kindOf(k relsop.StepKind) relsop.StepKind {
	for _, c := range kinds {
		if c.kind == k {
			return k
		}
	}
	return relsop.KindTask
}

// text writes s so that PlantUML shows it as plain text inside a quoted
// label, an arrow label, a partition name or the title. PlantUML's
// preprocessor expands %functions (%getenv) and $variables anywhere on a
// line, its creole markup reads **, //, <tags>, [[links]], <img:...> and ~,
// quotes end a label ("", and the typographic “ ” « » too) and ']' ends an
// arrow label. So every ASCII character other than letters, digits and
// space is written as PlantUML's Unicode escape (<U+0022>), which it
// decodes only after all of that; so are the Unicode quotes, separators
// and format characters. (Its HTML-like &#34; would do too, but PlantUML
// 1.2020 crashes on &#92; and &#36;.) A line break becomes PlantUML's \n;
// other control characters and invalid UTF-8 are dropped.
func text(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size == 1:
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteByte(' ')
		case r < 0x20 || r == 0x7f:
		case r == ' ' || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') || ('0' <= r && r <= '9'):
			b.WriteRune(r)
		case r < 0x80 || r == '“' || r == '”' || r == '«' || r == '»':
			fmt.Fprintf(&b, "<U+%04X>", r)
		case r > 0xFFFF:
			// PlantUML decodes <U+...> only up to U+FFFF; characters
			// beyond (emoji) mean nothing to it and go through as they are.
			b.WriteRune(r)
		case unicode.In(r, unicode.Zl, unicode.Zp, unicode.Cc, unicode.Cf, unicode.Co, unicode.Cs) || r == 0x85:
			fmt.Fprintf(&b, "<U+%04X>", r)
		default:
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return "<U+0020>" // a quoted label may not be empty
	}
	return b.String()
}

// newIDs hands out activity ids of letters, digits and '_' (PlantUML
// allows more, but a plain id reads best).
func newIDs() *ids.Set { return ids.New(ids.Word, "_") }
