package pdf

import (
	"github.com/relsop/relsop/internal/render/geom"
	"math"

	"github.com/relsop/relsop/internal/diagram"
)

// The shapes and corner marks below follow internal/render/svg/symbols.go
// measure for measure, so that a PDF reads exactly like the SVG.

// nodes draws every step: symbol, mark or badge, and text.
func (r *renderer) nodes() {
	for i := range r.d.Nodes {
		n := &r.d.Nodes[i]
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

// symbol draws the shape of a kind inside box b, with its corner mark. The
// outline is inset by half its width so that it stays inside the box the
// layout reserved and arrows meet it exactly at the edge.
func (r *renderer) symbol(kind string, b diagram.Rect, st nodeStyle, sw float64, lines []diagram.Text, badge *diagram.Badge) {
	in := geom.Inset(b, sw/2)
	switch kind {
	case "gate":
		c := b.Center()
		r.c.polygon([]diagram.Point{{X: c.X, Y: in.Y}, {X: in.Right(), Y: c.Y}, {X: c.X, Y: in.Bottom()}, {X: in.X, Y: c.Y}},
			paint{fill: st.Fill, stroke: st.Stroke, width: sw, join: "round"})
	case "start", "end":
		if kind == "end" {
			sw = r.t.EndWidth * min(1, b.H/40) // heavy, but not a blob in the legend
		}
		c := b.Center()
		rad := max(min(b.W, b.H)/2-sw/2, 0.5)
		r.c.circle(c.X, c.Y, rad, paint{fill: st.Fill, stroke: st.Stroke, width: sw})
	default:
		r.c.rect(in, geom.CornerRadius(b), paint{fill: st.Fill, stroke: st.Stroke, width: sw})
		r.mark(kind, b, st, lines, badge)
	}
}

// mark draws the corner glyph that tells kinds apart without colour: a gear
// for automated tasks, an envelope for notifications, a return arrow for
// rollbacks and an up arrow for a deploy without an environment badge.
func (r *renderer) mark(kind string, b diagram.Rect, st nodeStyle, lines []diagram.Text, badge *diagram.Badge) {
	switch kind {
	case "automated", "notify", "rollback":
	case "deploy":
		if badge != nil {
			return
		}
	default:
		return
	}
	size := min(12, b.H*0.42, b.W*0.3)
	if size < 5 {
		return
	}
	m := geom.MarkBox(b, size, lines, badge)
	c := r.c
	stroke := paint{stroke: st.Mark, width: max(1.2, size/8), cap: "round", join: "round"}
	switch kind {
	case "automated":
		r.gear(m, st.Mark)
	case "notify":
		h := m.H * 0.72
		env := diagram.Rect{X: m.X, Y: m.Y + (m.H-h)/2, W: m.W, H: h}
		p := paint{stroke: st.Mark, width: max(1, size/9), join: "round"}
		c.rect(env, size/10, p)
		c.apply(p)
		c.moveTo(env.X, env.Y)
		c.lineTo(env.X+env.W/2, env.Y+env.H*0.55)
		c.lineTo(env.Right(), env.Y)
		c.f.DrawPath("D")
	case "rollback":
		s, x, y := m.W, m.X, m.Y
		c.apply(stroke)
		c.moveTo(x+s*0.1, y+s*0.3) // the tip, pointing left
		c.lineTo(x+s*0.62, y+s*0.3)
		c.arc(x+s*0.62, y+s*0.6, s*0.3, -math.Pi/2, math.Pi/2)
		c.lineTo(x+s*0.3, y+s*0.9)
		c.moveTo(x+s*0.34, y+s*0.06) // the arrowhead
		c.lineTo(x+s*0.1, y+s*0.3)
		c.lineTo(x+s*0.34, y+s*0.54)
		c.f.DrawPath("D")
	case "deploy":
		cx := m.X + m.W/2
		c.apply(stroke)
		c.moveTo(cx, m.Bottom()-m.H*0.28)
		c.lineTo(cx, m.Y+m.H*0.05)
		c.moveTo(cx-m.W*0.32, m.Y+m.H*0.37)
		c.lineTo(cx, m.Y+m.H*0.05)
		c.lineTo(cx+m.W*0.32, m.Y+m.H*0.37)
		c.moveTo(m.X+m.W*0.1, m.Bottom())
		c.lineTo(m.Right()-m.W*0.1, m.Bottom())
		c.f.DrawPath("D")
	}
}

// gear fills a gear with eight trapezoid teeth and a hole, even-odd.
func (r *renderer) gear(m diagram.Rect, colour string) {
	c := r.c
	if c.apply(paint{fill: colour}) == "" {
		return
	}
	ctr := m.Center()
	outer := m.W / 2
	inner := outer * 0.74
	hole := outer * 0.32
	const teeth = 8
	step := math.Pi / teeth
	for i := range teeth {
		a := 2 * math.Pi * float64(i) / teeth
		pts := [4][2]float64{
			{a - step*0.62, inner}, {a - step*0.36, outer}, {a + step*0.36, outer}, {a + step*0.62, inner},
		}
		for j, q := range pts {
			x, y := ctr.X+q[1]*math.Cos(q[0]), ctr.Y+q[1]*math.Sin(q[0])
			if i == 0 && j == 0 {
				c.moveTo(x, y)
			} else {
				c.lineTo(x, y)
			}
		}
		// The rim between teeth follows the inner circle.
		next := 2 * math.Pi * float64(i+1) / teeth
		c.arc(ctr.X, ctr.Y, inner, a+step*0.62, next-step*0.62)
	}
	c.f.ClosePath()
	c.moveTo(ctr.X+hole, ctr.Y)
	c.arc(ctr.X, ctr.Y, hole, 0, 2*math.Pi)
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
