package pdf

import (
	"math"

	"github.com/relsop/relsop/internal/diagram"
	"github.com/relsop/relsop/internal/render/geom"
	"github.com/relsop/relsop/internal/textmeasure"
)

// cornerRadiusMax rounds the bends of routed edges, as in the SVG.
const cornerRadiusMax = 6

// edgePaint turns an edge style into a stroke; the round cap on a very
// short dash is what makes dots.
func edgePaint(st edgeStyle) paint {
	p := paint{stroke: st.Stroke, width: st.Width, join: "round", dash: st.Dash}
	if st.Round {
		p.cap = "round"
	}
	return p
}

// edges draws every flow, then every label on top, so that no line, not
// even one drawn later, runs across a label.
func (r *renderer) edges() {
	for i := range r.d.Edges {
		if e := &r.d.Edges[i]; r.sees(bounds(e.Points)) {
			r.edge(e)
		}
	}
	for i := range r.d.Edges {
		if e := &r.d.Edges[i]; e.LabelAt != nil && r.sees(labelArea(e)) {
			r.edgeLabel(e)
		}
	}
}

func (r *renderer) edge(e *diagram.Edge) {
	st := r.t.Edge(geom.NormEdgeKind(e.Kind))
	pts := geom.Simplify(e.Points)
	if len(pts) < 2 {
		return
	}
	end, ok := r.roundedPath(pts, cornerRadiusMax, edgePaint(st))
	if ok {
		r.arrowhead(pts[len(pts)-2], end, st.Stroke)
	}
}

// arrowhead draws the slim, notched head of the SVG marker where the SVG
// puts it: markerShorten beyond the end of the stroked line, which is the
// edge's end point unless the last segment was too short to shorten fully.
func (r *renderer) arrowhead(from, end diagram.Point, colour string) {
	t := r.t
	u := geom.Unit(from, end)
	if u == (diagram.Point{}) {
		return
	}
	tip := diagram.Point{X: end.X + u.X*t.MarkerShorten(), Y: end.Y + u.Y*t.MarkerShorten()}
	l, h := t.ArrowLen, t.ArrowWidth
	n := diagram.Point{X: -u.Y, Y: u.X}
	at := func(along, across float64) diagram.Point {
		return diagram.Point{X: tip.X + u.X*(along-l) + n.X*across, Y: tip.Y + u.Y*(along-l) + n.Y*across}
	}
	r.c.polygon([]diagram.Point{at(0, -h/2), at(l, 0), at(0, h/2), at(l*0.22, 0)}, paint{fill: colour})
}

// roundedPath strokes an orthogonal polyline with each bend rounded by a
// circular arc of radius up to rmax, clamped to half the shorter adjacent
// segment, and the last segment shortened to end inside the arrowhead: the
// same geometry as the SVG renderer's path data. It returns where the
// stroke ends, and false when nothing was drawn.
func (r *renderer) roundedPath(pts []diagram.Point, rmax float64, p paint) (diagram.Point, bool) {
	c := r.c
	if c.apply(p) == "" {
		return diagram.Point{}, false
	}
	c.moveTo(pts[0].X, pts[0].Y)
	for i := 1; i < len(pts)-1; i++ {
		a, b, d := pts[i-1], pts[i], pts[i+1]
		rad := min(rmax, geom.Dist(a, b)/2, geom.Dist(b, d)/2)
		uin, uout := geom.Unit(a, b), geom.Unit(b, d)
		p1 := diagram.Point{X: b.X - uin.X*rad, Y: b.Y - uin.Y*rad}
		p2 := diagram.Point{X: b.X + uout.X*rad, Y: b.Y + uout.Y*rad}
		c.lineTo(p1.X, p1.Y)
		// A quarter circle and SVG's quadratic fallback for other angles
		// are both written as one cubic: k = 0.5523 gives the circle, 2/3
		// the quadratic through the corner.
		k := 2.0 / 3
		if math.Abs(uin.X*uout.X+uin.Y*uout.Y) < 1e-6 {
			k = 4.0 / 3 * (math.Sqrt2 - 1)
		}
		c.f.CurveBezierCubicTo(
			c.x(p1.X+uin.X*rad*k), c.y(p1.Y+uin.Y*rad*k),
			c.x(p2.X-uout.X*rad*k), c.y(p2.Y-uout.Y*rad*k),
			c.x(p2.X), c.y(p2.Y))
	}
	n := len(pts)
	a, b := pts[n-2], pts[n-1]
	run := geom.Dist(a, b)
	if n > 2 {
		run -= min(rmax, geom.Dist(pts[n-3], a)/2, run/2)
	}
	s := min(r.t.MarkerShorten(), max(run-0.5, 0))
	u := geom.Unit(a, b)
	end := diagram.Point{X: b.X - u.X*s, Y: b.Y - u.Y*s}
	c.lineTo(end.X, end.Y)
	c.f.DrawPath("D")
	return end, true
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
		r.c.rect(b, b.H/2, paint{fill: t.Background, stroke: blend(st.Stroke, t.Background, 0.55), width: 1})
	}
	r.c.text(*e.LabelAt, t.LabelText)
}

// labelArea is where an edge's label is drawn: its pill, or the text's
// own extent when it has none.
func labelArea(e *diagram.Edge) diagram.Rect {
	if e.LabelBox.W > 0 && e.LabelBox.H > 0 {
		return e.LabelBox
	}
	t := e.LabelAt
	return diagram.Rect{X: t.X, Y: t.Y - t.Size, W: textmeasure.Width(t.Text, t.Size, t.Bold), H: t.Size * 1.3}
}
