package sopdiff

import (
	"fmt"
	"slices"
	"strings"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/diagram"
	"github.com/relsop/relsop/internal/layout"
	"github.com/relsop/relsop/internal/render/svg"
	tm "github.com/relsop/relsop/internal/textmeasure"
)

// Options choose how SVG draws a diff.
type Options struct {
	Theme     string // light (the default), dark or print
	Direction string // horizontal (the default) or vertical
	// IDPrefix starts every id attribute, for pages that show several
	// diagrams (see svg.Options).
	IDPrefix string
}

// SVG draws b's diagram with the differences from a marked: added steps
// and flows in green, changed steps in amber, each step with a badge that
// says which, and the steps a had and b lacks as dashed red ghosts in a
// panel below the legend, which also lists the flows, roles, phases,
// environments and release types removed. Pass resolved flows to draw a
// release type. The error is for options the renderer does not know.
func SVG(a, b *relsop.SOP, opts Options) ([]byte, error) {
	if opts.Theme != "" && !slices.Contains(svg.Themes(), opts.Theme) {
		return nil, fmt.Errorf("unknown theme %q (use %s)", opts.Theme, strings.Join(svg.Themes(), ", "))
	}
	if opts.Direction != "" && !slices.Contains(layout.Directions, opts.Direction) {
		return nil, fmt.Errorf("unknown direction %q (use %s)", opts.Direction, strings.Join(layout.Directions, ", "))
	}
	if a == nil {
		a = &relsop.SOP{}
	}
	if b == nil {
		b = &relsop.SOP{}
	}
	d := layout.Compute(b, layout.Options{Direction: opts.Direction})
	mark(d, a, Compare(a, b))
	return svg.Render(d, svg.Options{Theme: opts.Theme, IDPrefix: opts.IDPrefix}), nil
}

// Sizes of the marks and the removed panel, in diagram units; the node
// sizes follow internal/layout's, so that a ghost looks like the step did.
const (
	margin      = 20.0
	nodeFont    = 12.0
	lineGap     = 1.3
	panelPad    = 12.0
	captionFont = 12.0
	listFont    = 11.0
)

// mark puts diff's marks on d, the diagram of the newer version: outlines
// and badges on added and changed nodes, marks on added and changed edges,
// legend entries for the marks used, and a panel for what a (the older
// version) had that d cannot show.
func mark(d *diagram.Diagram, a *relsop.SOP, diff Diff) {
	steps := map[string]Change{}
	type flowKey struct{ from, to, kind, label string }
	flows := map[flowKey][]string{} // marks still to place, per flow
	var removed []Change
	for _, c := range diff.Changes {
		switch {
		case c.Op == Removed:
			removed = append(removed, c)
		case c.Kind == KindStep || c.Kind == KindGate:
			steps[c.ID] = c
		case c.Kind == KindFlow:
			k := flowKey{c.Flow.From, c.Flow.To, c.Flow.Kind, c.Flow.Label}
			flows[k] = append(flows[k], markOf(c.Op))
		}
	}
	used := map[string]bool{}
	for i := range d.Nodes {
		n := &d.Nodes[i]
		if c, ok := steps[n.ID]; ok {
			n.Mark = layout.MarkNode(n.Box, markOf(c.Op), note(c))
			used[n.Mark.Kind] = true
		}
	}
	for i := range d.Edges {
		e := &d.Edges[i]
		k := flowKey{e.From, e.To, e.Kind, e.Label}
		if m := flows[k]; len(m) > 0 {
			e.Mark, flows[k] = m[0], m[1:]
			used[e.Mark] = true
		}
	}
	if len(removed) > 0 {
		used[diagram.MarkRemoved] = true
	}
	addLegend(d, used)
	if len(removed) > 0 {
		addRemovedPanel(d, a, removed)
	}
}

func markOf(op Op) string {
	switch op {
	case Added:
		return diagram.MarkAdded
	case Changed:
		return diagram.MarkChanged
	}
	return diagram.MarkRemoved
}

// note says what changed, for the node's tooltip.
func note(c Change) string {
	if c.Op != Changed {
		return ""
	}
	fs := make([]string, len(c.Fields))
	for i, f := range c.Fields {
		fs[i] = f.Field + " " + fieldText(f)
	}
	return strings.Join(fs, "; ")
}

// markLegend are the legend entries of the marks, in reading order.
var markLegend = []layout.MarkEntry{
	{Kind: diagram.MarkAdded, Label: "Added"},
	{Kind: diagram.MarkChanged, Label: "Changed"},
	{Kind: diagram.MarkRemoved, Label: "Removed (listed below)"},
}

// addLegend adds a legend entry for each mark used.
func addLegend(d *diagram.Diagram, used map[string]bool) {
	var entries []layout.MarkEntry
	for _, m := range markLegend {
		if used[m.Kind] {
			entries = append(entries, m)
		}
	}
	layout.AddMarkLegend(d, entries)
}

// addRemovedPanel adds the panel of what the older version had: its
// removed steps drawn as ghosts in rows, then the other removed elements
// as lines of text.
func addRemovedPanel(d *diagram.Diagram, a *relsop.SOP, removed []Change) {
	const gap = 16.0
	width := max(d.Width-2*margin, 360)
	d.Width = max(d.Width, width+2*margin)
	p := diagram.Panel{Box: diagram.Rect{X: margin, Y: round(d.Height - margin + panelPad), W: round(width)}}
	caption := "Removed since the earlier version"
	p.Caption = diagram.Text{Text: caption, X: round(p.Box.X + panelPad), Y: round(p.Box.Y + panelPad + captionFont),
		Width: round(tm.Width(caption, captionFont, true)), Size: captionFont, Bold: true}
	x0, right := p.Box.X+panelPad, p.Box.Right()-panelPad
	x, y := x0, p.Box.Y+panelPad+captionFont*lineGap+10
	rowH := 0.0
	var lines []string
	for _, c := range removed {
		if c.Kind != KindStep && c.Kind != KindGate {
			lines = append(lines, removedLine(a, c))
			continue
		}
		st := a.Step(c.ID)
		if st == nil {
			continue
		}
		n, fw, fh := ghost(a, st)
		if x+fw > right && x > x0 {
			x, y, rowH = x0, y+rowH+gap, 0
		}
		place(&n, x+(fw-n.Box.W)/2, y)
		p.Nodes = append(p.Nodes, n)
		x += fw + gap
		rowH = max(rowH, fh)
	}
	y += rowH
	if len(lines) > 0 {
		if len(p.Nodes) > 0 {
			y += 10
		}
		for _, l := range lines {
			for _, part := range tm.Wrap(l, listFont, right-x0, false, 3) {
				y += listFont * 1.45
				p.Lines = append(p.Lines, diagram.Text{Text: part, X: round(x0), Y: round(y), Width: round(tm.Width(part, listFont, false)), Size: listFont})
			}
		}
		y += 4
	}
	p.Box.H = round(y + panelPad - p.Box.Y)
	d.Panels = append(d.Panels, p)
	d.Height = round(p.Box.Bottom() + margin)
}

// removedLine names a removed element other than a step, with the older
// version's names.
func removedLine(a *relsop.SOP, c Change) string {
	name := func(id string) string {
		if st := a.Step(id); st != nil && st.Name != "" {
			return st.Name
		}
		return id
	}
	switch c.Kind {
	case KindFlow:
		s := "Flow: " + name(c.Flow.From) + " → " + name(c.Flow.To)
		switch {
		case c.Flow.Kind == "rollback":
			s += " (on failure)"
		case c.Flow.Kind == "escalation":
			s += " (escalation)"
		case c.Flow.Label != "":
			s += " (" + c.Flow.Label + ")"
		}
		return s
	case KindReleaseType:
		return "Release type: " + nameOr(c.Name, c.ID)
	}
	return strings.ToUpper(string(c.Kind[:1])) + string(c.Kind[1:]) + ": " + nameOr(c.Name, c.ID)
}

// ghost is a removed step's node, sized as internal/layout sizes steps and
// placed at the origin, with its footprint (the box and, for start and end
// circles, the name below it).
func ghost(a *relsop.SOP, st *relsop.Step) (n diagram.Node, fw, fh float64) {
	name := nameOr(st.Name, st.ID)
	n = diagram.Node{ID: st.ID, Kind: string(st.Kind), Name: name, Lane: st.Owner, Phase: st.Phase, Mark: &diagram.Mark{Kind: diagram.MarkRemoved}}
	var lines []string
	var w, h float64
	switch st.Kind {
	case relsop.KindStart, relsop.KindEnd:
		lines = tm.Wrap(name, nodeFont, 140, false, 2)
		w, h = 36, 36
	case relsop.KindGate:
		lines = tm.Wrap(name, nodeFont, 96, false, 3)
		w = max(150, 2*(textWidth(lines)+8))
		h = max(72, 2*(float64(len(lines))*nodeFont*lineGap+4))
	default:
		lines = tm.Wrap(name, nodeFont, 140, false, 4)
		w = max(150, textWidth(lines)+20)
		h = max(44, float64(len(lines))*nodeFont*lineGap+20)
		if st.Environment != "" && (st.Kind == relsop.KindDeploy || st.Kind == relsop.KindRollback) {
			h += 14
		}
	}
	n.Box = diagram.Rect{W: round(w), H: round(h)}
	text := n.Box
	fw, fh = w, h
	switch st.Kind {
	case relsop.KindStart, relsop.KindEnd:
		th := float64(len(lines)) * nodeFont * lineGap
		text = diagram.Rect{X: w/2 - 100, Y: h + 4, W: 200, H: th}
		fw, fh = max(w, textWidth(lines)), h+4+th
	case relsop.KindDeploy, relsop.KindRollback:
		if st.Environment != "" {
			text.H -= 14
			n.Badge = envBadge(a, st.Environment, n.Box)
		}
	}
	n.Lines = centred(lines, text, nodeFont)
	return n, fw, fh
}

// place moves a ghost built at the origin so that its box starts at x, y.
func place(n *diagram.Node, x, y float64) {
	dx, dy := round(x), round(y)
	n.Box.X, n.Box.Y = n.Box.X+dx, n.Box.Y+dy
	for i := range n.Lines {
		n.Lines[i].X, n.Lines[i].Y = round(n.Lines[i].X+dx), round(n.Lines[i].Y+dy)
	}
	if b := n.Badge; b != nil {
		b.Box.X, b.Box.Y = round(b.Box.X+dx), round(b.Box.Y+dy)
		b.Text.X, b.Text.Y = round(b.Text.X+dx), round(b.Text.Y+dy)
	}
	n.Mark.Box = n.Box
}

// envBadge is the environment pill at the bottom of a deploy or rollback
// box, as internal/layout draws it.
func envBadge(a *relsop.SOP, envID string, box diagram.Rect) *diagram.Badge {
	name := envID
	if e := a.Environment(envID); e != nil {
		name = nameOr(e.Name, e.ID)
	}
	const size = 9.5
	name = tm.Ellipsize(strings.ToUpper(name), size, box.W-24, true)
	w := tm.Width(name, size, true)
	b := diagram.Rect{X: round(box.X + (box.W-w-12)/2), Y: round(box.Bottom() - 19), W: round(w + 12), H: 14}
	return &diagram.Badge{Box: b, Text: diagram.Text{Text: name, X: round(b.X + 6), Y: round(b.Y + 10.5), Width: round(w), Size: size, Bold: true}}
}

// centred places lines centred in r, as one block.
func centred(lines []string, r diagram.Rect, size float64) []diagram.Text {
	lh := size * lineGap
	top := r.Y + (r.H-float64(len(lines))*lh)/2
	out := make([]diagram.Text, 0, len(lines))
	for i, l := range lines {
		w := tm.Width(l, size, false)
		out = append(out, diagram.Text{Text: l, X: round(r.X + (r.W-w)/2), Y: round(top + float64(i)*lh + size*0.95), Width: round(w), Size: size})
	}
	return out
}

func textWidth(lines []string) float64 {
	w := 0.0
	for _, l := range lines {
		w = max(w, tm.Width(l, nodeFont, false))
	}
	return w
}

func nameOr(name, id string) string {
	if name != "" {
		return name
	}
	return id
}

// round keeps two decimals, as the layout does, so that output is stable.
func round(v float64) float64 {
	r := float64(int64(v*100+0.5*sign(v))) / 100
	if r == 0 {
		return 0
	}
	return r
}

func sign(v float64) float64 {
	if v < 0 {
		return -1
	}
	return 1
}
