package png

import (
	"github.com/relsop/relsop/internal/diagram"
	"github.com/relsop/relsop/internal/render/geom"
	th "github.com/relsop/relsop/internal/render/theme"
)

// This file draws the marks a visual diff or a release's progress puts on
// a diagram, as the SVG draws them: a broad translucent band under each
// marked edge, like a highlighter, and an outline with a badge around each
// marked node. A diagram without marks draws none of it.

// edgeHighlights draws the band under each marked edge, before the nodes
// and edges so that both keep their own look over it.
func (r *renderer) edgeHighlights() {
	for i := range r.d.Edges {
		e := &r.d.Edges[i]
		c := r.t.Mark(e.Mark)
		pts := geom.Simplify(e.Points)
		if c == "" || len(pts) < 2 {
			continue
		}
		p := r.c.path()
		roundedPath(p, pts, cornerRadiusMax, 0)
		r.c.stroke(p, rgb(c, 0.35), strokeStyle{width: 8, round: true})
	}
}

// nodeMarks draws the outline and badge of each marked node, above the
// nodes and edges so that the badge is never hidden.
func (r *renderer) nodeMarks() {
	for i := range r.d.Nodes {
		if m := r.d.Nodes[i].Mark; m != nil && r.t.Mark(m.Kind) != "" {
			r.nodeMark(m)
		}
	}
}

func (r *renderer) nodeMark(m *diagram.Mark) {
	t := r.t
	c := t.Mark(m.Kind)
	st := strokeStyle{width: 2.5, dash: th.MarkDash(m.Kind)}
	p := r.c.path()
	p.rect(m.Box.X, m.Box.Y, m.Box.W, m.Box.H, 8)
	r.c.stroke(p, solid(c), st)
	b := m.Badge
	if b == nil || b.Box.W <= 0 || b.Box.H <= 0 {
		return
	}
	if t.BadgeSolid {
		r.rect(b.Box, b.Box.H/2, c, "none", 0)
		r.text(b.Text, t.BadgeText)
		return
	}
	r.rect(geom.Inset(b.Box, 0.5), (b.Box.H-1)/2, t.Background, c, 1)
	r.text(b.Text, t.Text)
}

// legendMark draws a mark's legend icon: a small outlined box.
func (r *renderer) legendMark(kind string, icon diagram.Rect) {
	c := r.t.Mark(kind)
	if c == "" {
		return
	}
	b := geom.Inset(icon, 1.5)
	p := r.c.path()
	p.rect(b.X, b.Y, b.W, b.H, 4)
	r.c.fill(p, solid(r.t.Background))
	r.c.stroke(p, solid(c), strokeStyle{width: 2.5, dash: th.MarkDash(kind)})
}
