package geom

import (
	"math"

	"github.com/relsop/relsop/internal/diagram"
)

// Shape is the outline a node kind is drawn with.
type Shape int

// The outlines of the node kinds.
const (
	RoundRect Shape = iota // tasks, deploys, rollbacks, notifications
	Diamond                // gates
	Circle                 // start and end
)

// Outline is a node's shape inside its box, inset by half the stroke width
// so that the stroke stays inside the box the layout reserved and arrows
// meet it exactly at the edge.
type Outline struct {
	Shape  Shape
	Width  float64          // stroke width
	Rect   diagram.Rect     // RoundRect: the inset box, rounded by Radius
	Radius float64          // RoundRect: corner radius; Circle: radius
	Center diagram.Point    // Circle
	Points [4]diagram.Point // Diamond: top, right, bottom, left
}

// NodeOutline is the outline of kind in box b with stroke width sw; an end
// is drawn heavier (endWidth, less in a small legend icon, so that it does
// not become a blob).
func NodeOutline(kind string, b diagram.Rect, sw, endWidth float64) Outline {
	in := Inset(b, sw/2)
	switch kind {
	case "gate":
		c := b.Center()
		return Outline{Shape: Diamond, Width: sw,
			Points: [4]diagram.Point{{X: c.X, Y: in.Y}, {X: in.Right(), Y: c.Y}, {X: c.X, Y: in.Bottom()}, {X: in.X, Y: c.Y}}}
	case "start", "end":
		if kind == "end" {
			sw = endWidth * min(1, b.H/40)
		}
		return Outline{Shape: Circle, Width: sw, Center: b.Center(), Radius: max(min(b.W, b.H)/2-sw/2, 0.5)}
	}
	return Outline{Shape: RoundRect, Width: sw, Rect: in, Radius: CornerRadius(b)}
}

// Mark is the small corner glyph that tells kinds apart without colour: a
// gear for automated tasks, an envelope for notifications, a return arrow
// for rollbacks and an up arrow for a deploy that has no environment badge.
type Mark struct {
	Kind string       // "automated", "notify", "rollback" or "deploy"
	Box  diagram.Rect // square
	Size float64
}

// NodeMark is the corner mark of a node of kind in box b, placed clear of
// its lines of text and badge, or false when the kind has none or the box
// is too small for one.
func NodeMark(kind string, b diagram.Rect, lines []diagram.Text, badge *diagram.Badge) (Mark, bool) {
	switch kind {
	case "automated", "notify", "rollback":
	case "deploy":
		if badge != nil {
			return Mark{}, false // the environment badge already marks a deploy
		}
	default:
		return Mark{}, false
	}
	size := min(12, b.H*0.42, b.W*0.3)
	if size < 5 {
		return Mark{}, false
	}
	return Mark{Kind: kind, Box: MarkBox(b, size, lines, badge), Size: size}, true
}

// StrokeWidth is the line width of a stroked mark (all but the gear).
func (m Mark) StrokeWidth() float64 {
	if m.Kind == "notify" {
		return max(1, m.Size/9)
	}
	return max(1.2, m.Size/8)
}

// Envelope is the notification mark: a rectangle rounded by radius, and the
// flap drawn from its top left corner down to the middle and up again.
func (m Mark) Envelope() (env diagram.Rect, radius float64, flap [3]diagram.Point) {
	b := m.Box
	h := b.H * 0.72
	env = diagram.Rect{X: b.X, Y: b.Y + (b.H-h)/2, W: b.W, H: h}
	flap = [3]diagram.Point{{X: env.X, Y: env.Y}, {X: env.X + env.W/2, Y: env.Y + env.H*0.55}, {X: env.Right(), Y: env.Y}}
	return env, m.Size / 10, flap
}

// DeployArrow is the deploy mark as three strokes: an up arrow's shaft, its
// head, and the ground line below it.
func (m Mark) DeployArrow() [][]diagram.Point {
	b := m.Box
	cx := b.X + b.W/2
	return [][]diagram.Point{
		{{X: cx, Y: b.Bottom() - b.H*0.28}, {X: cx, Y: b.Y + b.H*0.05}},
		{{X: cx - b.W*0.32, Y: b.Y + b.H*0.37}, {X: cx, Y: b.Y + b.H*0.05}, {X: cx + b.W*0.32, Y: b.Y + b.H*0.37}},
		{{X: b.X + b.W*0.1, Y: b.Bottom()}, {X: b.Right() - b.W*0.1, Y: b.Bottom()}},
	}
}

// ReturnArrow is the rollback mark, an "undo" hook that turns back to the
// left: from the tip along the top to Turn[0], round the right end (a half
// circle about Center of radius R, clockwise on the page) to Turn[1], back
// along the bottom to End; then the arrowhead Head through the tip.
type ReturnArrow struct {
	Tip    diagram.Point
	Turn   [2]diagram.Point
	Center diagram.Point
	R      float64
	End    diagram.Point
	Head   [3]diagram.Point
}

// ReturnArrow is the rollback mark's geometry.
func (m Mark) ReturnArrow() ReturnArrow {
	s, x, y := m.Box.W, m.Box.X, m.Box.Y
	return ReturnArrow{
		Tip:    diagram.Point{X: x + s*0.1, Y: y + s*0.3},
		Turn:   [2]diagram.Point{{X: x + s*0.62, Y: y + s*0.3}, {X: x + s*0.62, Y: y + s*0.9}},
		Center: diagram.Point{X: x + s*0.62, Y: y + s*0.6},
		R:      s * 0.3,
		End:    diagram.Point{X: x + s*0.3, Y: y + s*0.9},
		Head:   [3]diagram.Point{{X: x + s*0.34, Y: y + s*0.06}, {X: x + s*0.1, Y: y + s*0.3}, {X: x + s*0.34, Y: y + s*0.54}},
	}
}

// Gear is the automated-task mark: eight trapezoid teeth joined by arcs of
// the inner circle, and a round hole, filled even-odd (or with the hole
// wound the other way).
type Gear struct {
	Center             diagram.Point
	Inner, Outer, Hole float64 // radii
	Teeth              [GearTeeth]GearTooth
}

// GearTeeth is the number of teeth of the gear mark.
const GearTeeth = 8

// GearTooth is one tooth's four corners, and the arc of the inner circle
// from its last corner to the next tooth's first: angles (radians, y down)
// and the point where the arc ends.
type GearTooth struct {
	Corners        [4]diagram.Point
	RimFrom, RimTo float64
	RimEnd         diagram.Point
}

// Gear is the gear mark's geometry.
func (m Mark) Gear() Gear {
	c := m.Box.Center()
	outer := m.Box.W / 2
	g := Gear{Center: c, Outer: outer, Inner: outer * 0.74, Hole: outer * 0.32}
	step := math.Pi / GearTeeth
	at := func(a, rad float64) diagram.Point {
		return diagram.Point{X: c.X + rad*math.Cos(a), Y: c.Y + rad*math.Sin(a)}
	}
	for i := range GearTeeth {
		a := 2 * math.Pi * float64(i) / GearTeeth
		next := 2 * math.Pi * float64(i+1) / GearTeeth
		g.Teeth[i] = GearTooth{
			Corners: [4]diagram.Point{at(a-step*0.62, g.Inner), at(a-step*0.36, outer), at(a+step*0.36, outer), at(a+step*0.62, g.Inner)},
			RimFrom: a + step*0.62, RimTo: next - step*0.62,
			RimEnd: at(next-step*0.62, g.Inner),
		}
	}
	return g
}
