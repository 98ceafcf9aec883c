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
	// The outline is inset by half its width to stay inside the box.
	in := geom.Inset(b, sw/2)
	p := c.path()
	switch kind {
	case "gate":
		m := b.Center()
		p.move(m.X, in.Y)
		p.line(in.Right(), m.Y)
		p.line(m.X, in.Bottom())
		p.line(in.X, m.Y)
		p.close()
	case "start", "end":
		if kind == "end" {
			sw = r.t.EndWidth * min(1, b.H/40)
		}
		m := b.Center()
		p.circle(m.X, m.Y, max(min(b.W, b.H)/2-sw/2, 0.5))
	default:
		p.rect(in.X, in.Y, in.W, in.H, geom.CornerRadius(b))
	}
	c.fill(p, solid(st.Fill))
	c.stroke(p, solid(st.Stroke), strokeStyle{width: sw})
	if kind != "gate" && kind != "start" && kind != "end" {
		r.mark(kind, b, st, lines, badge)
	}
}

// mark draws the corner glyph that tells kinds apart without colour: a
// gear, an envelope, a return arrow, or an up arrow for a deploy without a
// badge.
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
	c, col := r.c, solid(st.Mark)
	p := c.path()
	switch kind {
	case "automated":
		gear(p, m)
		c.fill(p, col)
	case "notify":
		h := m.H * 0.72
		env := diagram.Rect{X: m.X, Y: m.Y + (m.H-h)/2, W: m.W, H: h}
		p.rect(env.X, env.Y, env.W, env.H, size/10)
		p.move(env.X, env.Y)
		p.line(env.X+env.W/2, env.Y+env.H*0.55)
		p.line(env.Right(), env.Y)
		c.stroke(p, col, strokeStyle{width: max(1, size/9)})
	case "rollback":
		returnArrow(p, m)
		c.stroke(p, col, strokeStyle{width: max(1.2, size/8), round: true})
	case "deploy":
		cx := m.X + m.W/2
		p.move(cx, m.Bottom()-m.H*0.28)
		p.line(cx, m.Y+m.H*0.05)
		p.move(cx-m.W*0.32, m.Y+m.H*0.37)
		p.line(cx, m.Y+m.H*0.05)
		p.line(cx+m.W*0.32, m.Y+m.H*0.37)
		p.move(m.X+m.W*0.1, m.Bottom())
		p.line(m.Right()-m.W*0.1, m.Bottom())
		c.stroke(p, col, strokeStyle{width: max(1.2, size/8), round: true})
	}
}

// gear adds a gear with eight trapezoid teeth and a hole. The SVG fills it
// even-odd; this rasterizer fills non-zero, so the hole runs the other way.
func gear(p *path, m diagram.Rect) {
	c := m.Center()
	outer := m.W / 2
	inner := outer * 0.74
	hole := outer * 0.32
	const teeth = 8
	step := math.Pi / teeth
	at := func(a, rad float64) (float64, float64) { return c.X + rad*math.Cos(a), c.Y + rad*math.Sin(a) }
	for i := range teeth {
		a := 2 * math.Pi * float64(i) / teeth
		pts := [4][2]float64{{a - step*0.62, inner}, {a - step*0.36, outer}, {a + step*0.36, outer}, {a + step*0.62, inner}}
		for j, q := range pts {
			x, y := at(q[0], q[1])
			if i == 0 && j == 0 {
				p.move(x, y)
			} else {
				p.line(x, y)
			}
		}
		next := 2 * math.Pi * float64(i+1) / teeth
		p.arc(c.X, c.Y, inner, a+step*0.62, next-step*0.62)
	}
	p.close()
	p.move(c.X+hole, c.Y)
	p.arc(c.X, c.Y, hole, 0, -2*math.Pi)
	p.close()
}

// returnArrow adds the "undo" hook that turns back to the left.
func returnArrow(p *path, m diagram.Rect) {
	s, x, y := m.W, m.X, m.Y
	p.move(x+s*0.1, y+s*0.3)
	p.line(x+s*0.62, y+s*0.3)
	p.arc(x+s*0.62, y+s*0.6, s*0.3, -math.Pi/2, math.Pi/2)
	p.line(x+s*0.3, y+s*0.9)
	p.move(x+s*0.34, y+s*0.06)
	p.line(x+s*0.1, y+s*0.3)
	p.line(x+s*0.34, y+s*0.54)
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
