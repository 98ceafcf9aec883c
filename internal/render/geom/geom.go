// Package geom holds the renderer-neutral geometry the SVG, PNG and PDF
// backends share: the kinds they know, where a node's corner mark goes, how
// a routed line is cleaned up, and the bounds of the swimlane grid. Each
// backend only paints; deciding what goes where happens once, here.
package geom

import (
	"math"
	"strings"

	"github.com/relsop/relsop/internal/diagram"
)

// ClassToken folds any text to a lower-case token of letters, digits and
// hyphens ("Automated task" -> "automated-task"), for kinds and CSS classes.
func ClassToken(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-':
			b.WriteRune(r)
		case r == '_' || r == ' ' || r == ':':
			b.WriteByte('-')
		}
	}
	if b.Len() == 0 {
		return "unknown"
	}
	return b.String()
}

// NormKind folds the spellings a hand-written or imported diagram may use
// ("Automated task", "automated_task") onto the node kinds renderers know.
func NormKind(k string) string {
	k = ClassToken(k)
	if k == "automated-task" {
		return "automated"
	}
	return k
}

// NormEdgeKind returns a known edge kind; anything else draws as a flow.
func NormEdgeKind(k string) string {
	switch k = ClassToken(k); k {
	case "next", "outcome", "rollback", "escalation":
		return k
	}
	return "next"
}

// CornerRadius is the rounding of a node box: generous, but never more
// than a quarter of its shorter side.
func CornerRadius(b diagram.Rect) float64 { return min(8, b.H/4, b.W/4) }

// Inset shrinks b by d on every side (grows it for a negative d).
func Inset(b diagram.Rect, d float64) diagram.Rect {
	return diagram.Rect{X: b.X + d, Y: b.Y + d, W: max(b.W-2*d, 0), H: max(b.H-2*d, 0)}
}

// MarkBox is where a node's corner mark (gear, envelope, return arrow)
// goes: the first corner, top right first, that keeps clear of the node's
// text and badge.
func MarkBox(b diagram.Rect, size float64, lines []diagram.Text, badge *diagram.Badge) diagram.Rect {
	pad := min(7, b.H*0.14)
	corners := []diagram.Rect{
		{X: b.Right() - pad - size, Y: b.Y + pad, W: size, H: size},
		{X: b.X + pad, Y: b.Y + pad, W: size, H: size},
		{X: b.Right() - pad - size, Y: b.Bottom() - pad - size, W: size, H: size},
		{X: b.X + pad, Y: b.Bottom() - pad - size, W: size, H: size},
	}
	for _, c := range corners {
		if markClear(c, lines, badge) {
			return c
		}
	}
	return corners[0]
}

func markClear(c diagram.Rect, lines []diagram.Text, badge *diagram.Badge) bool {
	c = Inset(c, -1)
	for _, l := range lines {
		// The ink of a line spans roughly from its cap height to its descent.
		box := diagram.Rect{X: l.X, Y: l.Y - l.Size*0.8, W: l.Width, H: l.Size}
		if c.Overlaps(box) {
			return false
		}
	}
	return badge == nil || !c.Overlaps(badge.Box)
}

// Simplify drops points that are not finite, repeated, or in the middle of
// a straight run, so that corners are rounded only where a line turns.
func Simplify(pts []diagram.Point) []diagram.Point {
	return SimplifyInto(make([]diagram.Point, 0, len(pts)), pts)
}

// SimplifyInto is Simplify writing over buf's backing array, for a
// renderer that simplifies every edge with one buffer.
func SimplifyInto(buf, pts []diagram.Point) []diagram.Point {
	out := buf[:0]
	for _, q := range pts {
		if math.IsNaN(q.X) || math.IsNaN(q.Y) || math.IsInf(q.X, 0) || math.IsInf(q.Y, 0) {
			continue
		}
		if len(out) > 0 && Dist(out[len(out)-1], q) < 1e-9 {
			continue
		}
		if len(out) >= 2 {
			a, b := out[len(out)-2], out[len(out)-1]
			u, v := Unit(a, b), Unit(b, q)
			if math.Abs(u.X*v.Y-u.Y*v.X) < 1e-9 && u.X*v.X+u.Y*v.Y > 0 {
				out[len(out)-1] = q // still going the same way
				continue
			}
		}
		out = append(out, q)
	}
	return out
}

// Dist is the distance between two points.
func Dist(a, b diagram.Point) float64 { return math.Hypot(b.X-a.X, b.Y-a.Y) }

// Unit is the unit vector from a to b, or zero when they coincide.
func Unit(a, b diagram.Point) diagram.Point {
	l := Dist(a, b)
	if l == 0 {
		return diagram.Point{}
	}
	return diagram.Point{X: (b.X - a.X) / l, Y: (b.Y - a.Y) / l}
}

// Union is the smallest box holding a and b; an empty box is ignored.
func Union(a, b diagram.Rect) diagram.Rect {
	if a.W <= 0 || a.H <= 0 {
		return b
	}
	if b.W <= 0 || b.H <= 0 {
		return a
	}
	x, y := min(a.X, b.X), min(a.Y, b.Y)
	return diagram.Rect{X: x, Y: y, W: max(a.Right(), b.Right()) - x, H: max(a.Bottom(), b.Bottom()) - y}
}

// Corner is the empty cell where the lane headers and the phase headers
// meet, and whether there is one to paint.
func Corner(d *diagram.Diagram) (diagram.Rect, bool) {
	if len(d.Lanes) == 0 || len(d.Phases) == 0 {
		return diagram.Rect{}, false
	}
	lh, ph := d.Lanes[0].Header, d.Phases[0].Header
	if lh.W <= 0 || ph.H <= 0 {
		return diagram.Rect{}, false
	}
	var c diagram.Rect
	if lh.X < ph.X && ph.Y < lh.Y { // lane headers left, phase headers on top
		c = diagram.Rect{X: lh.X, Y: ph.Y, W: lh.W, H: ph.H}
	} else if ph.X < lh.X && lh.Y < ph.Y { // the vertical layout
		c = diagram.Rect{X: ph.X, Y: lh.Y, W: ph.W, H: lh.H}
	} else {
		return diagram.Rect{}, false
	}
	for _, n := range d.Nodes { // never paint over something that is there
		if c.Overlaps(n.Box) {
			return diagram.Rect{}, false
		}
	}
	return c, true
}

// GridBounds is the box of all lanes, phases and their headers.
func GridBounds(d *diagram.Diagram) diagram.Rect {
	var b diagram.Rect
	for _, l := range d.Lanes {
		b = Union(Union(b, l.Box), l.Header)
	}
	for _, p := range d.Phases {
		b = Union(Union(b, p.Box), p.Header)
	}
	return b
}
