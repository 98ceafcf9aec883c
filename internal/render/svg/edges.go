package svg

import (
	"math"
	"strconv"
	"strings"

	"github.com/relsop/relsop/internal/diagram"
	"github.com/relsop/relsop/internal/render/geom"
)

// edgeKinds are the flows the renderer styles; each has its own marker.
var edgeKinds = []string{"next", "outcome", "rollback", "escalation"}

// edgeKindNames are the words used for edge kinds in titles.
var edgeKindNames = map[string]string{
	"next":       "Flow",
	"outcome":    "Gate outcome",
	"rollback":   "Rollback path",
	"escalation": "Escalation path",
}

// cornerRadiusMax rounds the bends of routed edges; small enough that
// parallel edges a few units apart stay parallel.
const cornerRadiusMax = 6

// marker defines the arrowhead of one edge kind: a slim, slightly notched
// head drawn in user units, so that print's heavier lines do not blow it up.
func (r *renderer) marker(kind string) {
	t := r.t
	st := t.Edge(kind)
	l, h := t.ArrowLen, t.ArrowWidth
	p := r.newPath()
	p.cmd("M", 0, 0)
	p.cmd("L", l, h/2)
	p.cmd("L", 0, h)
	p.cmd("L", l*0.22, h/2)
	p.cmd("Z")
	r.w.open("marker", "id", r.id("arrow-"+kind), "viewBox", "0 0 "+num(l)+" "+num(h),
		"markerUnits", "userSpaceOnUse", "markerWidth", num(l), "markerHeight", num(h),
		"refX", num(l-t.MarkerShorten()), "refY", num(h/2), "orient", "auto")
	r.w.path("", p, "fill", st.Stroke)
	r.w.close("marker")
}

// edges draws every flow, then every label on top, so that no line, not
// even one drawn later, runs across a label.
func (r *renderer) edges() {
	w := &r.w
	ids := r.edgeIDs()
	w.open("g", "class", "edges", "fill", "none")
	for i := range r.d.Edges {
		r.edge(&r.d.Edges[i], ids[i])
	}
	w.close("g")
	w.open("g", "class", "edge-labels")
	for i := range r.d.Edges {
		r.edgeLabel(&r.d.Edges[i], ids[i])
	}
	w.close("g")
}

// edgeIDs names edges "from->to", numbering repeats ("a->b#2") so that every
// edge has a distinct, stable data-id. The names are built back to back in
// one string and sliced from it: one allocation instead of one per edge.
func (r *renderer) edgeIDs() []string {
	edges := r.d.Edges
	size := 0
	for _, e := range edges {
		size += len(e.From) + len("->") + len(e.To)
	}
	var all strings.Builder
	all.Grow(size)
	for _, e := range edges {
		all.WriteString(e.From)
		all.WriteString("->")
		all.WriteString(e.To)
	}
	rest := all.String()
	ids := make([]string, len(edges))
	seen := make(map[string]int, len(edges))
	for i, e := range edges {
		length := len(e.From) + len("->") + len(e.To)
		id := rest[:length]
		rest = rest[length:]
		seen[id]++
		if n := seen[id]; n > 1 {
			id += "#" + strconv.Itoa(n)
		}
		ids[i] = id
	}
	return ids
}

// edge draws one routed flow.
func (r *renderer) edge(e *diagram.Edge, id string) {
	w, t := &r.w, r.t
	kind := r.edgeKind(e.Kind)
	st := t.Edge(kind)
	d := r.newPath()
	if !roundedPath(d, e.Points, cornerRadiusMax, t.MarkerShorten()) {
		return
	}
	// The title is written in pieces (see pieces.go), with room on the
	// stack for every piece.
	var titleRoom [8]string
	title := append(titleRoom[:0], edgeKindNames[kind], ": ", r.nodeName(e.From), " → ", r.nodeName(e.To))
	if e.Label != "" {
		title = append(title, " (", e.Label, ")")
	}
	w.open("g", "class", "edge edge-"+kind, "data-id", id, "data-kind", kind, "data-from", e.From, "data-to", e.To, "data-mark", e.Mark)
	w.contentOf("title", title...)
	w.path("", d, "stroke", st.Stroke, "stroke-width", num(st.Width),
		"stroke-dasharray", dashArray(st.Dash), "stroke-linecap", lineCap(st.Round), "stroke-linejoin", "round",
		"marker-end", "url(#"+r.id("arrow-"+kind)+")")
	w.close("g")
}

// edgeLabel draws a gate outcome or other edge label on a pill in the
// canvas colour, which keeps it legible over lane fills and crossing lines;
// the pill's outline takes the edge's colour to tie label and edge together.
func (r *renderer) edgeLabel(e *diagram.Edge, id string) {
	if e.LabelAt == nil || e.LabelAt.Text == "" {
		return
	}
	w, t := &r.w, r.t
	kind := r.edgeKind(e.Kind)
	st := t.Edge(kind)
	w.open("g", "class", "edge-label edge-label-"+kind, "data-id", id)
	if e.LabelBox.W > 0 && e.LabelBox.H > 0 {
		b := geom.Inset(e.LabelBox, 0.5)
		w.rect(b, b.H/2, "fill", t.Background, "stroke", st.Stroke, "stroke-width", "1", "stroke-opacity", "0.55")
	}
	w.text(*e.LabelAt, t.LabelText)
	w.close("g")
}

// nodeName is the name of the node with the given id, or the id itself
// when no such node has a name.
func (r *renderer) nodeName(id string) string {
	if n, ok := r.names[id]; ok {
		return n
	}
	return id
}

// roundedPath turns an orthogonal polyline into path data, written into the
// empty p, with each bend rounded by a circular arc of radius up to rmax,
// clamped to half the shorter adjacent segment so that two bends never
// overlap. The last segment stops short by shorten, to end inside the
// arrowhead. Points that repeat, or that lie on a straight run, are dropped
// first: they would give zero-length arcs and direction-less ends. It
// reports false, writing nothing, when fewer than two points remain.
func roundedPath(p *pathBuilder, pts []diagram.Point, rmax, shorten float64) bool {
	p.pts = geom.SimplifyInto(p.pts, pts)
	pts = p.pts
	if len(pts) < 2 {
		return false
	}
	p.cmd("M", pts[0].X, pts[0].Y)
	for i := 1; i < len(pts)-1; i++ {
		a, b, c := pts[i-1], pts[i], pts[i+1]
		lin, lout := geom.Dist(a, b), geom.Dist(b, c)
		rad := min(rmax, lin/2, lout/2)
		uin := geom.Unit(a, b)
		uout := geom.Unit(b, c)
		p1 := diagram.Point{X: b.X - uin.X*rad, Y: b.Y - uin.Y*rad}
		p2 := diagram.Point{X: b.X + uout.X*rad, Y: b.Y + uout.Y*rad}
		p.cmd("L", p1.X, p1.Y)
		if math.Abs(uin.X*uout.X+uin.Y*uout.Y) < 1e-6 {
			// A right angle: a true quarter circle. The sweep flag follows
			// the turn (clockwise on screen, where y grows downwards).
			sweep := 0.0
			if uin.X*uout.Y-uin.Y*uout.X > 0 {
				sweep = 1
			}
			p.cmd("A", rad, rad, 0, 0, sweep, p2.X, p2.Y)
		} else {
			p.cmd("Q", b.X, b.Y, p2.X, p2.Y)
		}
	}
	// The last run starts after the final bend's arc.
	n := len(pts)
	a, b := pts[n-2], pts[n-1]
	run := geom.Dist(a, b)
	if n > 2 {
		run -= min(rmax, geom.Dist(pts[n-3], a)/2, run/2)
	}
	s := min(shorten, max(run-0.5, 0))
	u := geom.Unit(a, b)
	p.cmd("L", b.X-u.X*s, b.Y-u.Y*s)
	return true
}
