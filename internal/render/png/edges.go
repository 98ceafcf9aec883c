package png

import (
	"github.com/relsop/relsop/internal/render/geom"
	"math"

	"github.com/relsop/relsop/internal/diagram"
)

// cornerRadiusMax rounds the bends of routed edges, as in the SVG.
const cornerRadiusMax = 6

// edges draws every flow, then every label on top, so that no line runs
// across a label.
func (r *renderer) edges() {
	for i := range r.d.Edges {
		e := &r.d.Edges[i]
		r.edgeLine(geom.NormEdgeKind(e.Kind), e.Points, cornerRadiusMax)
	}
	for i := range r.d.Edges {
		r.edgeLabel(&r.d.Edges[i])
	}
}

// edgeLine strokes a routed polyline in the style of kind and puts the
// kind's arrowhead on its end.
func (r *renderer) edgeLine(kind string, pts []diagram.Point, rmax float64) {
	t := r.t
	st := t.Edge(kind)
	pts = geom.Simplify(pts)
	if len(pts) < 2 {
		return
	}
	p := r.c.path()
	end, dir := roundedPath(p, pts, rmax, t.MarkerShorten())
	col := solid(st.Stroke)
	r.c.stroke(p, col, strokeStyle{width: st.Width, dash: st.Dash, round: st.Round})
	r.arrowhead(end, dir, kind)
}

// arrowhead fills the SVG marker's slim, notched head: its reference point
// sits at the line's shortened end, so its tip lands on the route's end.
func (r *renderer) arrowhead(end, u diagram.Point, kind string) {
	t := r.t
	l, h := t.ArrowLen, t.ArrowWidth
	refX := l - t.MarkerShorten()
	n := diagram.Point{X: -u.Y, Y: u.X}
	at := func(mx, my float64) (float64, float64) {
		a, b := mx-refX, my-h/2
		return end.X + u.X*a + n.X*b, end.Y + u.Y*a + n.Y*b
	}
	p := r.c.path()
	p.move(at(0, 0))
	p.line(at(l, h/2))
	p.line(at(0, h))
	p.line(at(l*0.22, h/2))
	p.close()
	r.c.fill(p, solid(t.Edge(kind).Stroke))
}

// edgeLabel draws a label on a pill in the canvas colour, outlined in the
// edge's colour at the SVG's 55% opacity.
func (r *renderer) edgeLabel(e *diagram.Edge) {
	if e.LabelAt == nil || e.LabelAt.Text == "" {
		return
	}
	t := r.t
	st := t.Edge(geom.NormEdgeKind(e.Kind))
	if e.LabelBox.W > 0 && e.LabelBox.H > 0 {
		b := geom.Inset(e.LabelBox, 0.5)
		p := r.c.path()
		p.rect(b.X, b.Y, b.W, b.H, b.H/2)
		r.c.fill(p, solid(t.Background))
		r.c.stroke(p, rgb(st.Stroke, 0.55), strokeStyle{width: 1})
	}
	r.text(*e.LabelAt, t.LabelText)
}

// roundedPath adds the simplified polyline pts to p with each bend rounded
// by a quarter circle of radius up to rmax (clamped to half the shorter
// adjacent segment) and the last run shortened by shorten, as the SVG's
// path does. It returns the end of the line and the final direction.
func roundedPath(p *path, pts []diagram.Point, rmax, shorten float64) (end, dir diagram.Point) {
	p.move(pts[0].X, pts[0].Y)
	for i := 1; i < len(pts)-1; i++ {
		a, b, c := pts[i-1], pts[i], pts[i+1]
		rad := min(rmax, geom.Dist(a, b)/2, geom.Dist(b, c)/2)
		uin, uout := geom.Unit(a, b), geom.Unit(b, c)
		p1 := diagram.Point{X: b.X - uin.X*rad, Y: b.Y - uin.Y*rad}
		p2 := diagram.Point{X: b.X + uout.X*rad, Y: b.Y + uout.Y*rad}
		p.line(p1.X, p1.Y)
		if math.Abs(uin.X*uout.X+uin.Y*uout.Y) < 1e-6 {
			// A right angle: the cubic that best matches a quarter circle.
			const k = 0.5522847498
			p.cube(p1.X+uin.X*rad*k, p1.Y+uin.Y*rad*k, p2.X-uout.X*rad*k, p2.Y-uout.Y*rad*k, p2.X, p2.Y)
		} else {
			p.quad(b.X, b.Y, p2.X, p2.Y)
		}
	}
	n := len(pts)
	a, b := pts[n-2], pts[n-1]
	run := geom.Dist(a, b)
	if n > 2 {
		run -= min(rmax, geom.Dist(pts[n-3], a)/2, run/2)
	}
	s := min(shorten, max(run-0.5, 0))
	u := geom.Unit(a, b)
	end = diagram.Point{X: b.X - u.X*s, Y: b.Y - u.Y*s}
	p.line(end.X, end.Y)
	return end, u
}
