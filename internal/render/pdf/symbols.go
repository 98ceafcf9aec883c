package pdf

import (
	"github.com/relsop/relsop/internal/render/geom"
	"math"

	"github.com/relsop/relsop/internal/diagram"
)

// The shapes and corner marks come from internal/render/geom, as in the SVG
// and PNG, so that a PDF reads exactly like them.

// nodes draws every step: symbol, mark or badge, and text.
func (r *renderer) nodes() {
	for i := range r.d.Nodes {
		n := &r.d.Nodes[i]
		if !r.sees(n.Box) {
			continue
		}
		kind := geom.NormKind(n.Kind)
		st := r.t.Node(kind)
		r.symbol(kind, n.Box, st, r.t.NodeWidth, n.Lines, n.Badge)
		for _, l := range n.Lines {
			r.c.text(l, r.t.Text)
		}
		if n.Badge != nil {
			r.badge(n.Badge, st)
		}
	}
}

// symbol draws the shape of a kind inside box b, with its corner mark.
func (r *renderer) symbol(kind string, b diagram.Rect, st nodeStyle, sw float64, lines []diagram.Text, badge *diagram.Badge) {
	o := geom.NodeOutline(kind, b, sw, r.t.EndWidth)
	p := paint{fill: st.Fill, stroke: st.Stroke, width: o.Width}
	switch o.Shape {
	case geom.Diamond:
		p.join = "round"
		r.c.polygon(o.Points[:], p)
	case geom.Circle:
		r.c.circle(o.Center.X, o.Center.Y, o.Radius, p)
	default:
		r.c.rect(o.Rect, o.Radius, p)
		if m, ok := geom.NodeMark(kind, b, lines, badge); ok {
			r.mark(m, st)
		}
	}
}

// mark draws a node's corner mark.
func (r *renderer) mark(m geom.Mark, st nodeStyle) {
	c := r.c
	stroke := paint{stroke: st.Mark, width: m.StrokeWidth(), cap: "round", join: "round"}
	switch m.Kind {
	case "automated":
		r.gear(m.Gear(), st.Mark)
		return
	case "notify":
		env, radius, flap := m.Envelope()
		p := paint{stroke: st.Mark, width: m.StrokeWidth(), join: "round"}
		c.rect(env, radius, p)
		c.apply(p)
		r.polyline(flap[:])
	case "rollback":
		a := m.ReturnArrow()
		c.apply(stroke)
		c.moveTo(a.Tip.X, a.Tip.Y)
		c.lineTo(a.Turn[0].X, a.Turn[0].Y)
		c.arc(a.Center.X, a.Center.Y, a.R, -math.Pi/2, math.Pi/2)
		c.lineTo(a.End.X, a.End.Y)
		r.polyline(a.Head[:])
	case "deploy":
		c.apply(stroke)
		for _, s := range m.DeployArrow() {
			r.polyline(s)
		}
	}
	c.f.DrawPath("D")
}

// polyline adds a move to the first point and lines to the others to the
// current path.
func (r *renderer) polyline(pts []diagram.Point) {
	r.c.moveTo(pts[0].X, pts[0].Y)
	for _, q := range pts[1:] {
		r.c.lineTo(q.X, q.Y)
	}
}

// gear fills the gear, even-odd.
func (r *renderer) gear(g geom.Gear, colour string) {
	c := r.c
	if c.apply(paint{fill: colour}) == "" {
		return
	}
	for i, t := range g.Teeth {
		if i == 0 {
			r.polyline(t.Corners[:])
		} else {
			for _, q := range t.Corners {
				c.lineTo(q.X, q.Y)
			}
		}
		c.arc(g.Center.X, g.Center.Y, g.Inner, t.RimFrom, t.RimTo)
	}
	c.f.ClosePath()
	c.moveTo(g.Center.X+g.Hole, g.Center.Y)
	c.arc(g.Center.X, g.Center.Y, g.Hole, 0, 2*math.Pi)
	c.f.ClosePath()
	c.f.DrawPath("f*")
}

// badge draws an environment pill on a deploy or rollback node.
func (r *renderer) badge(bd *diagram.Badge, st nodeStyle) {
	if bd.Box.W <= 0 || bd.Box.H <= 0 {
		return
	}
	t := r.t
	if t.BadgeSolid {
		r.c.rect(bd.Box, bd.Box.H/2, paint{fill: st.Stroke})
	} else {
		r.c.rect(geom.Inset(bd.Box, 0.5), (bd.Box.H-1)/2, paint{fill: t.Background, stroke: st.Stroke, width: 1})
	}
	r.c.text(bd.Text, t.BadgeText)
}
