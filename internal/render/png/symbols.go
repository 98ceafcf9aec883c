package png

import (
	"github.com/relsop/relsop/internal/render/geom"
	"math"

	"github.com/relsop/relsop/internal/diagram"
)

// nodes draws every step: symbol, mark or badge, and text.
func (r *renderer) nodes() {
	for i := range r.d.Nodes {
		n := &r.d.Nodes[i]
		kind := geom.NormKind(n.Kind)
		st := r.t.Node(kind)
		r.symbol(kind, n.Box, st, r.t.NodeWidth, n.Lines, n.Badge)
		for _, l := range n.Lines {
			r.text(l, r.t.Text)
		}
		if n.Badge != nil {
			r.badge(n.Badge, st)
		}
	}
}

// symbol draws the shape of a kind inside box b, with its corner mark; the
// legend uses it too.
func (r *renderer) symbol(kind string, b diagram.Rect, st nodeStyle, sw float64, lines []diagram.Text, badge *diagram.Badge) {
	if b.W <= 0 || b.H <= 0 {
		return
	}
	c := r.c
	o := geom.NodeOutline(kind, b, sw, r.t.EndWidth)
	p := c.path()
	switch o.Shape {
	case geom.Diamond:
		polyline(p, o.Points[:])
		p.close()
	case geom.Circle:
		p.circle(o.Center.X, o.Center.Y, o.Radius)
	default:
		p.rect(o.Rect.X, o.Rect.Y, o.Rect.W, o.Rect.H, o.Radius)
	}
	c.fill(p, solid(st.Fill))
	c.stroke(p, solid(st.Stroke), strokeStyle{width: o.Width})
	if o.Shape == geom.RoundRect {
		if m, ok := geom.NodeMark(kind, b, lines, badge); ok {
			r.mark(m, st)
		}
	}
}

// mark draws a node's corner mark.
func (r *renderer) mark(m geom.Mark, st nodeStyle) {
	c, col := r.c, solid(st.Mark)
	p := c.path()
	switch m.Kind {
	case "automated":
		gear(p, m.Gear())
		c.fill(p, col)
		return
	case "notify":
		env, radius, flap := m.Envelope()
		p.rect(env.X, env.Y, env.W, env.H, radius)
		polyline(p, flap[:])
		c.stroke(p, col, strokeStyle{width: m.StrokeWidth()})
		return
	case "rollback":
		a := m.ReturnArrow()
		p.move(a.Tip.X, a.Tip.Y)
		p.line(a.Turn[0].X, a.Turn[0].Y)
		p.arc(a.Center.X, a.Center.Y, a.R, -math.Pi/2, math.Pi/2)
		p.line(a.End.X, a.End.Y)
		polyline(p, a.Head[:])
	case "deploy":
		for _, s := range m.DeployArrow() {
			polyline(p, s)
		}
	}
	c.stroke(p, col, strokeStyle{width: m.StrokeWidth(), round: true})
}

// polyline adds a move to the first point and lines to the others.
func polyline(p *path, pts []diagram.Point) {
	p.move(pts[0].X, pts[0].Y)
	for _, q := range pts[1:] {
		p.line(q.X, q.Y)
	}
}

// gear adds the gear. The SVG fills it even-odd; this rasterizer fills
// non-zero, so the hole runs the other way.
func gear(p *path, g geom.Gear) {
	for i, t := range g.Teeth {
		if i == 0 {
			polyline(p, t.Corners[:])
		} else {
			for _, q := range t.Corners {
				p.line(q.X, q.Y)
			}
		}
		p.arc(g.Center.X, g.Center.Y, g.Inner, t.RimFrom, t.RimTo)
	}
	p.close()
	p.move(g.Center.X+g.Hole, g.Center.Y)
	p.arc(g.Center.X, g.Center.Y, g.Hole, 0, -2*math.Pi)
	p.close()
}

// badge draws an environment pill on a deploy or rollback node.
func (r *renderer) badge(bd *diagram.Badge, st nodeStyle) {
	if bd.Box.W <= 0 || bd.Box.H <= 0 {
		return
	}
	r.pill(bd.Box, st)
	r.text(bd.Text, r.t.BadgeText)
}

// pill draws a badge's background: solid in the node's colour, or in print
// an outline on the page colour.
func (r *renderer) pill(b diagram.Rect, st nodeStyle) {
	if r.t.BadgeSolid {
		r.rect(b, b.H/2, st.Stroke, "none", 0)
		return
	}
	b = geom.Inset(b, 0.5)
	r.rect(b, b.H/2, r.t.Background, st.Stroke, 1)
}
