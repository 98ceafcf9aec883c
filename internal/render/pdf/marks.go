package pdf

import (
	"github.com/relsop/relsop/internal/diagram"
	"github.com/relsop/relsop/internal/render/geom"
	th "github.com/relsop/relsop/internal/render/theme"
)

// This file draws the marks a visual diff or a release's progress puts on
// a diagram, as the SVG draws them: a broad band under each marked edge,
// like a highlighter, and an outline with a badge around each marked
// node. A diagram without marks draws none of it.

// edgeHighlights draws the band under each marked edge, before the nodes
// and edges so that both keep their own look over it. The SVG's
// translucent band is mixed with the canvas colour here, which looks the
// same and needs no transparency in the PDF.
func (r *renderer) edgeHighlights() {
	for i := range r.d.Edges {
		e := &r.d.Edges[i]
		c := r.t.Mark(e.Mark)
		if c == "" || !r.sees(bounds(e.Points)) {
			continue
		}
		r.roundedPath(geom.Simplify(e.Points), cornerRadiusMax, paint{stroke: blend(c, r.t.Background, 0.35), width: 8, cap: "round", join: "round"})
	}
}

// nodeMarks draws the outline and badge of each marked node, above the
// nodes and edges so that the badge is never hidden.
func (r *renderer) nodeMarks() {
	for i := range r.d.Nodes {
		n := &r.d.Nodes[i]
		if n.Mark == nil || r.t.Mark(n.Mark.Kind) == "" || !r.sees(n.Mark.Box) {
			continue
		}
		r.nodeMark(n.Mark)
	}
}

func (r *renderer) nodeMark(m *diagram.Mark) {
	t := r.t
	c := t.Mark(m.Kind)
	r.c.rect(m.Box, 8, paint{stroke: c, width: 2.5, dash: th.MarkDash(m.Kind)})
	b := m.Badge
	if b == nil || b.Box.W <= 0 || b.Box.H <= 0 {
		return
	}
	if t.BadgeSolid {
		r.c.rect(b.Box, b.Box.H/2, paint{fill: c})
		r.c.text(b.Text, t.BadgeText)
		return
	}
	r.c.rect(geom.Inset(b.Box, 0.5), (b.Box.H-1)/2, paint{fill: t.Background, stroke: c, width: 1})
	r.c.text(b.Text, t.Text)
}

// legendMark draws a mark's legend icon: a small outlined box.
func (r *renderer) legendMark(kind string, icon diagram.Rect) {
	c := r.t.Mark(kind)
	if c == "" {
		return
	}
	r.c.rect(geom.Inset(icon, 1.5), 4, paint{fill: r.t.Background, stroke: c, width: 2.5, dash: th.MarkDash(kind)})
}
