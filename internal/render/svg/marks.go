package svg

import (
	th "github.com/relsop/relsop/internal/render/theme"
	"strings"

	"github.com/relsop/relsop/internal/diagram"
	"github.com/relsop/relsop/internal/render/geom"
)

// This file draws what a visual diff adds to a diagram: outlines and badges
// on added and changed nodes, highlights under added and changed edges, and
// panels of ghost nodes for removed steps. A diagram without marks or panels
// draws none of it, not even an empty group, so plain renderings keep their
// bytes.

func (r *renderer) markColor(kind string) string { return r.t.Mark(kind) }

// markDash is the dash pattern of a mark's outline: removed and skipped
// steps are dashed, the others solid.
func markDash(kind string) string {
	var parts []string
	for _, v := range th.MarkDash(kind) {
		parts = append(parts, num(v))
	}
	return strings.Join(parts, " ")
}

// edgeHighlights draws a broad translucent band under each marked edge,
// like a highlighter, so that the edge keeps its own colour, dash and
// arrowhead.
func (r *renderer) edgeHighlights() {
	marked := false
	for _, e := range r.d.Edges {
		marked = marked || r.markColor(e.Mark) != ""
	}
	if !marked {
		return
	}
	w := &r.w
	ids := r.edgeIDs()
	w.open("g", "class", "diff-edges", "fill", "none")
	for i, e := range r.d.Edges {
		c := r.markColor(e.Mark)
		d := r.newPath()
		if c == "" || !roundedPath(d, e.Points, cornerRadiusMax, 0) {
			continue
		}
		w.leaf("path", "class", "diff-edge mark-"+e.Mark, "data-id", ids[i], "d", d.String(), "stroke", c,
			"stroke-width", "8", "stroke-opacity", "0.35", "stroke-linecap", "round", "stroke-linejoin", "round")
	}
	w.close("g")
}

// nodeMarks draws the outline and badge of each marked node, above the
// nodes and edges so that the badge is never hidden.
func (r *renderer) nodeMarks() {
	marked := false
	for _, n := range r.d.Nodes {
		marked = marked || (n.Mark != nil && r.markColor(n.Mark.Kind) != "")
	}
	if !marked {
		return
	}
	w := &r.w
	w.open("g", "class", "diff-marks")
	for _, n := range r.d.Nodes {
		if n.Mark != nil && r.markColor(n.Mark.Kind) != "" {
			r.nodeMark(n.ID, n.Mark)
		}
	}
	w.close("g")
}

func (r *renderer) nodeMark(id string, m *diagram.Mark) {
	w, t := &r.w, r.t
	c := r.markColor(m.Kind)
	w.open("g", "class", "diff-mark mark-"+m.Kind, "data-id", id, "data-mark", m.Kind)
	title := m.Kind
	if m.Note != "" {
		title += ": " + m.Note
	}
	w.content("title", title)
	dash := markDash(m.Kind)
	w.rect(m.Box, 8, "fill", "none", "stroke", c, "stroke-width", "2.5", "stroke-dasharray", dash)
	if b := m.Badge; b != nil && b.Box.W > 0 && b.Box.H > 0 {
		if t.BadgeSolid {
			w.rect(b.Box, b.Box.H/2, "fill", c)
			w.text(b.Text, t.BadgeText)
		} else {
			w.rect(geom.Inset(b.Box, 0.5), (b.Box.H-1)/2, "fill", t.Background, "stroke", c, "stroke-width", "1")
			w.text(b.Text, t.Text)
		}
	}
	w.close("g")
}

// panels draws each panel: its box and caption, its ghost nodes and its
// lines of text.
func (r *renderer) panels() {
	if len(r.d.Panels) == 0 {
		return
	}
	w, t := &r.w, r.t
	w.open("g", "class", "panels")
	for _, p := range r.d.Panels {
		w.open("g", "class", "panel")
		if p.Box.W > 0 && p.Box.H > 0 {
			w.rect(p.Box, 4, "fill", t.PanelFill, "stroke", t.PanelStroke, "stroke-width", "1")
		}
		w.text(p.Caption, t.Text, "class", "caption")
		for i := range p.Nodes {
			r.ghost(&p.Nodes[i])
		}
		for _, l := range p.Lines {
			w.text(l, t.Muted)
		}
		w.close("g")
	}
	w.close("g")
}

// ghost draws a node that has no place in the grid, such as a removed step:
// its symbol dashed in the mark's colour over the canvas colour, its name
// in the muted text colour.
func (r *renderer) ghost(n *diagram.Node) {
	w, t := &r.w, r.t
	kind := r.nodeKind(n.Kind)
	mark := diagram.MarkRemoved
	if n.Mark != nil && n.Mark.Kind != "" {
		mark = n.Mark.Kind
	}
	c := r.markColor(mark)
	if c == "" {
		c = t.Muted
	}
	st := nodeStyle{Fill: t.Background, Stroke: c, Mark: c}
	name := n.Name
	if name == "" {
		name = n.ID
	}
	title := []string{name, kindName(kind), mark}
	if n.Lane != "" {
		title = append(title, "Role: "+r.laneName(n.Lane))
	}
	if n.Mark != nil && n.Mark.Note != "" {
		title = append(title, n.Mark.Note)
	}
	w.open("g", "class", "node node-"+kind+" ghost mark-"+mark, "data-id", n.ID, "data-kind", kind,
		"data-mark", mark, "aria-label", kindName(kind)+" ("+mark+"): "+name)
	w.content("title", strings.Join(title, " · "))
	w.open("g", "stroke-dasharray", markDash(diagram.MarkRemoved))
	r.symbol(kind, n.Box, st, t.NodeWidth, n.Lines, n.Badge)
	w.close("g")
	for _, l := range n.Lines {
		w.text(l, t.Muted)
	}
	if n.Badge != nil {
		r.badge(n.Badge, st)
	}
	w.close("g")
}

// legendMark draws a diff mark's key: a node outline in the mark's style.
func (r *renderer) legendMark(kind string, icon diagram.Rect) {
	c := r.markColor(kind)
	if c == "" {
		return
	}
	dash := markDash(kind)
	b := geom.Inset(icon, 1.5)
	r.w.rect(b, 4, "fill", r.t.Background, "stroke", c, "stroke-width", "2.5", "stroke-dasharray", dash)
}
