// Package d2 writes an SOP as a D2 diagram: a container per lane (role), a
// shape per step styled after relsop's symbols through one class per step
// kind, gate outcomes as edge labels, rollback paths dashed red and
// escalation paths dotted amber. D2's own layout engine places them.
package d2

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/export/ids"
	"github.com/relsop/relsop/internal/export/lanes"
)

// classes style the step kinds and the two exceptional paths. Class names
// carry a prefix so that none is a D2 keyword.
const classes = `classes: {
  step-start: {shape: circle; width: 36; style.fill: "#FFFFFF"}
  step-task: {shape: rectangle; style: {border-radius: 8; fill: "#FFFFFF"}}
  step-automated: {shape: rectangle; style: {border-radius: 8; fill: "#E6F1F8"; stroke: "#0072B2"}}
  step-gate: {shape: diamond; style: {fill: "#FFF6E0"; stroke: "#B07A00"}}
  step-deploy: {shape: rectangle; style: {border-radius: 8; fill: "#E8F5EE"; stroke: "#009E73"}}
  step-rollback: {shape: rectangle; style: {border-radius: 8; fill: "#FBE3D6"; stroke: "#D55E00"}}
  step-notify: {shape: page; style: {fill: "#F3ECF7"; stroke: "#CC79A7"}}
  step-end: {shape: circle; width: 36; style: {fill: "#FFFFFF"; double-border: true}}
  path-rollback: {style: {stroke: "#D55E00"; stroke-dash: 5}}
  path-escalation: {style: {stroke: "#E69F00"; stroke-dash: 2}}
}
`

var kinds = map[relsop.StepKind]bool{
	relsop.KindStart: true, relsop.KindTask: true, relsop.KindAutomated: true, relsop.KindGate: true,
	relsop.KindDeploy: true, relsop.KindRollback: true, relsop.KindNotify: true, relsop.KindEnd: true,
}

// Export returns sop, a resolved flow, as a D2 diagram laid out left to
// right.
func Export(sop *relsop.SOP) []byte {
	var b bytes.Buffer
	b.WriteString("direction: right\n")
	b.WriteString(classes)
	fmt.Fprintf(&b, "title: %s {\n  shape: text\n  near: top-center\n  style: {font-size: 24; bold: true}\n}\n", quote(lanes.Label(sop.Title, sop.ID)))
	path := map[string]string{} // step id -> lane.node key path
	keys := newKeys()
	for i, l := range lanes.Of(sop) {
		lane := fmt.Sprintf("lane%d", i)
		fmt.Fprintf(&b, "%s: %s {\n", lane, quote(l.Name))
		for _, st := range l.Steps {
			key := keys.Make("s_" + st.ID)
			path[st.ID] = lane + "." + key
			kind := st.Kind
			if !kinds[kind] {
				kind = relsop.KindTask
			}
			fmt.Fprintf(&b, "  %s: %s {class: step-%s}\n", key, quote(lanes.StepLabel(sop, st)), kind)
		}
		b.WriteString("}\n")
	}
	for _, f := range lanes.Flows(sop) {
		fmt.Fprintf(&b, "%s -> %s", path[f.From], path[f.To])
		if f.Label != "" {
			b.WriteString(": " + quote(f.Label))
		}
		switch f.Kind {
		case relsop.FlowRollback:
			b.WriteString(" {class: path-rollback}")
		case relsop.FlowEscalation:
			b.WriteString(" {class: path-escalation}")
		}
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// quote writes s as a D2 double-quoted string: quotes and backslashes are
// escaped, '$' too (it would start a variable substitution), line breaks
// and tabs become \n and \t, other control characters and invalid UTF-8
// are dropped. Nothing else is special inside double quotes.
func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size == 1:
		case r == '"' || r == '\\' || r == '$':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// newKeys hands out D2 keys of letters, digits and '_'; callers prefix
// them ("s_") so that a key is never a keyword (shape, label, style...).
func newKeys() *ids.Set { return ids.New(ids.Word, "_") }
