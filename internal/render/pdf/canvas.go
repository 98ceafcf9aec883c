package pdf

import (
	"math"
	"strconv"

	"codeberg.org/go-pdf/fpdf"

	"github.com/relsop/relsop/internal/diagram"
)

// canvas draws in diagram units onto the current page. It maps every
// coordinate, length and font size itself (page = diagram*s + offset)
// instead of using a PDF transformation matrix, so that text positions,
// dash patterns and line widths all scale alike and tiles are plain
// translations of one another.
type canvas struct {
	f      *fpdf.Fpdf
	s      float64      // page points per diagram unit
	dx, dy float64      // page position of the diagram origin
	fb     *docFallback // the document's fallback font; nil for none

	// The last line state set, so that unchanged state is not written
	// again for every shape.
	dash string
	cap  string
	join string
}

func (c *canvas) x(v float64) float64 { return v*c.s + c.dx }
func (c *canvas) y(v float64) float64 { return v*c.s + c.dy }
func (c *canvas) l(v float64) float64 { return v * c.s }

// paint is how one shape is filled and stroked. An empty or "none" colour
// leaves that part out.
type paint struct {
	fill, stroke string
	width        float64
	dash         []float64 // in diagram units; nil for solid
	cap, join    string    // "butt" and "miter" when empty
}

// rgb parses "#RRGGBB"; anything else is black, which keeps a bad colour
// visible rather than invisible.
func rgb(hex string) (int, int, int) {
	if len(hex) != 7 || hex[0] != '#' {
		return 0, 0, 0
	}
	v, err := strconv.ParseUint(hex[1:], 16, 32)
	if err != nil {
		return 0, 0, 0
	}
	return int(v >> 16 & 0xFF), int(v >> 8 & 0xFF), int(v & 0xFF)
}

// blend mixes colour a over b with opacity alpha, for SVG's stroke-opacity:
// an opaque mixed colour draws the same over the canvas colour and needs no
// transparency group in the PDF.
func blend(a, b string, alpha float64) string {
	ar, ag, ab := rgb(a)
	br, bg, bb := rgb(b)
	mix := func(x, y int) int { return int(math.Round(float64(x)*alpha + float64(y)*(1-alpha))) }
	return "#" + hex2(mix(ar, br)) + hex2(mix(ag, bg)) + hex2(mix(ab, bb))
}

func hex2(v int) string {
	s := strconv.FormatInt(int64(min(max(v, 0), 255)), 16)
	if len(s) < 2 {
		s = "0" + s
	}
	return s
}

func visible(c string) bool { return c != "" && c != "none" }

// apply sets colours and line state for p and returns the fpdf path style,
// or "" when there is nothing to paint.
func (c *canvas) apply(p paint) string {
	style := ""
	if visible(p.fill) {
		c.f.SetFillColor(rgb(p.fill))
		style = "F"
	}
	if visible(p.stroke) && p.width > 0 {
		c.f.SetDrawColor(rgb(p.stroke))
		c.f.SetLineWidth(c.l(p.width))
		c.lineState(p)
		style += "D"
	}
	return style
}

func (c *canvas) lineState(p paint) {
	dash := ""
	scaled := make([]float64, len(p.dash))
	for i, v := range p.dash {
		scaled[i] = c.l(v)
		dash += strconv.FormatFloat(scaled[i], 'f', 3, 64) + " "
	}
	if dash != c.dash {
		c.f.SetDashPattern(scaled, 0)
		c.dash = dash
	}
	if capStyle := or(p.cap, "butt"); capStyle != c.cap {
		c.f.SetLineCapStyle(capStyle)
		c.cap = capStyle
	}
	if join := or(p.join, "miter"); join != c.join {
		c.f.SetLineJoinStyle(join)
		c.join = join
	}
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func (c *canvas) moveTo(x, y float64) { c.f.MoveTo(c.x(x), c.y(y)) }
func (c *canvas) lineTo(x, y float64) { c.f.LineTo(c.x(x), c.y(y)) }

// arc continues the path along a circle about (cx, cy) from angle a1 to a2
// (radians, y down, so increasing angles turn clockwise on the page), as
// cubic Béziers of at most a quarter turn each. The path must already be at
// the arc's start.
func (c *canvas) arc(cx, cy, r, a1, a2 float64) {
	n := int(math.Ceil(math.Abs(a2-a1) / (math.Pi / 2)))
	if n == 0 || r <= 0 {
		return
	}
	d := (a2 - a1) / float64(n)
	k := 4.0 / 3 * math.Tan(d/4) * r
	for i := range n {
		t1, t2 := a1+d*float64(i), a1+d*float64(i+1)
		x1, y1 := cx+r*math.Cos(t1), cy+r*math.Sin(t1)
		x2, y2 := cx+r*math.Cos(t2), cy+r*math.Sin(t2)
		c.f.CurveBezierCubicTo(
			c.x(x1-k*math.Sin(t1)), c.y(y1+k*math.Cos(t1)),
			c.x(x2+k*math.Sin(t2)), c.y(y2-k*math.Cos(t2)),
			c.x(x2), c.y(y2))
	}
}

// rect draws a box with corners of radius rad.
func (c *canvas) rect(b diagram.Rect, rad float64, p paint) {
	style := c.apply(p)
	if style == "" || b.W <= 0 || b.H <= 0 {
		return
	}
	rad = max(min(rad, b.W/2, b.H/2), 0)
	x, y, r, bt := b.X, b.Y, b.Right(), b.Bottom()
	c.moveTo(x+rad, y)
	c.lineTo(r-rad, y)
	c.arc(r-rad, y+rad, rad, -math.Pi/2, 0)
	c.lineTo(r, bt-rad)
	c.arc(r-rad, bt-rad, rad, 0, math.Pi/2)
	c.lineTo(x+rad, bt)
	c.arc(x+rad, bt-rad, rad, math.Pi/2, math.Pi)
	c.lineTo(x, y+rad)
	c.arc(x+rad, y+rad, rad, math.Pi, 3*math.Pi/2)
	c.f.ClosePath()
	c.f.DrawPath(style)
}

// circle draws a circle of radius r about (cx, cy).
func (c *canvas) circle(cx, cy, r float64, p paint) {
	style := c.apply(p)
	if style == "" || r <= 0 {
		return
	}
	c.moveTo(cx+r, cy)
	c.arc(cx, cy, r, 0, 2*math.Pi)
	c.f.ClosePath()
	c.f.DrawPath(style)
}

// line draws a straight segment.
func (c *canvas) line(x1, y1, x2, y2 float64, p paint) {
	if c.apply(paint{stroke: p.stroke, width: p.width, dash: p.dash, cap: p.cap}) == "" {
		return
	}
	c.moveTo(x1, y1)
	c.lineTo(x2, y2)
	c.f.DrawPath("D")
}

// polygon draws a closed polygon.
func (c *canvas) polygon(pts []diagram.Point, p paint) {
	style := c.apply(p)
	if style == "" || len(pts) < 3 {
		return
	}
	c.moveTo(pts[0].X, pts[0].Y)
	for _, q := range pts[1:] {
		c.lineTo(q.X, q.Y)
	}
	c.f.ClosePath()
	c.f.DrawPath(style)
}
