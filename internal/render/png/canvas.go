package png

import (
	"image"
	"image/color"
	"math"
	"strconv"
	"strings"

	"github.com/srwiley/rasterx"
	"golang.org/x/image/math/fixed"
)

// path is an outline in diagram units; the canvas scales it when drawing.
// A path that met a non-finite coordinate is dropped whole, since drawing
// half of it would mislead more than drawing nothing.
type path struct {
	s      float64
	p      rasterx.Path
	broken bool
}

func (p *path) fix(x, y float64) fixed.Point26_6 {
	if math.IsNaN(x) || math.IsNaN(y) || math.IsInf(x, 0) || math.IsInf(y, 0) {
		p.broken = true
	}
	return rasterx.ToFixedP(limit(x*p.s), limit(y*p.s))
}

// move starts a sub-path, line extends it straight, and close joins it
// back to its start, as SVG's M, L and Z do.
func (p *path) move(x, y float64) { p.p.Start(p.fix(x, y)) }
func (p *path) line(x, y float64) { p.p.Line(p.fix(x, y)) }
func (p *path) close()            { p.p.Stop(true) }

func (p *path) quad(cx, cy, x, y float64) {
	p.p.QuadBezier(p.fix(cx, cy), p.fix(x, y))
}

func (p *path) cube(c1x, c1y, c2x, c2y, x, y float64) {
	p.p.CubeBezier(p.fix(c1x, c1y), p.fix(c2x, c2y), p.fix(x, y))
}

// arc continues the path along a circle around (cx, cy) from angle a0 to a1
// (radians, clockwise on screen when a1 > a0), in cubic pieces of at most a
// quarter turn; the path is expected to be at the arc's start already.
func (p *path) arc(cx, cy, r, a0, a1 float64) {
	n := int(math.Ceil(math.Abs(a1-a0) / (math.Pi / 2)))
	if n == 0 {
		return
	}
	step := (a1 - a0) / float64(n)
	k := 4.0 / 3 * math.Tan(step/4) * r
	for i := range n {
		s, e := a0+step*float64(i), a0+step*float64(i+1)
		x0, y0 := cx+r*math.Cos(s), cy+r*math.Sin(s)
		x1, y1 := cx+r*math.Cos(e), cy+r*math.Sin(e)
		p.cube(x0-k*math.Sin(s), y0+k*math.Cos(s), x1+k*math.Sin(e), y1-k*math.Cos(e), x1, y1)
	}
}

// circle adds a closed circle, clockwise.
func (p *path) circle(cx, cy, r float64) {
	p.move(cx+r, cy)
	p.arc(cx, cy, r, 0, 2*math.Pi)
	p.close()
}

// rect adds a closed rectangle with corner radius rx, clamped as SVG does.
func (p *path) rect(x, y, w, h, rx float64) {
	rx = max(0, min(rx, w/2, h/2))
	if rx == 0 {
		p.move(x, y)
		p.line(x+w, y)
		p.line(x+w, y+h)
		p.line(x, y+h)
		p.close()
		return
	}
	p.move(x+rx, y)
	p.line(x+w-rx, y)
	p.arc(x+w-rx, y+rx, rx, -math.Pi/2, 0)
	p.line(x+w, y+h-rx)
	p.arc(x+w-rx, y+h-rx, rx, 0, math.Pi/2)
	p.line(x+rx, y+h)
	p.arc(x+rx, y+h-rx, rx, math.Pi/2, math.Pi)
	p.line(x, y+rx)
	p.arc(x+rx, y+rx, rx, math.Pi, 3*math.Pi/2)
	p.close()
}

// canvas is the image being drawn with the rasterizers that draw on it.
type canvas struct {
	img    *image.RGBA
	s      float64
	filler *rasterx.Filler
	dasher *rasterx.Dasher
}

func newCanvas(w, h int, s float64) *canvas {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	sc := newBoxScanner(img)
	return &canvas{img: img, s: s, filler: rasterx.NewFiller(w, h, sc), dasher: rasterx.NewDasher(w, h, sc)}
}

func (c *canvas) path() *path { return &path{s: c.s} }

// fill paints the inside of p; a nil colour (SVG's "none") paints nothing.
func (c *canvas) fill(p *path, col color.Color) {
	if col == nil || p.broken || len(p.p) == 0 {
		return
	}
	p.p.AddTo(c.filler)
	c.filler.SetColor(col)
	c.filler.Draw()
	c.filler.Clear()
}

// strokeStyle is how a line is drawn, in diagram units.
type strokeStyle struct {
	width float64
	dash  []float64
	round bool // round caps and joins; joins are always round, as in the SVG
}

// stroke draws the outline of p.
func (c *canvas) stroke(p *path, col color.Color, st strokeStyle) {
	if col == nil || p.broken || len(p.p) == 0 || !(st.width > 0) {
		return
	}
	var dash []float64
	for _, d := range st.dash {
		dash = append(dash, d*c.s)
	}
	capFn := rasterx.ButtCap
	if st.round {
		capFn = rasterx.RoundCap
	}
	w := fixed.Int26_6(math.Round(limit(st.width*c.s) * 64))
	c.dasher.SetStroke(w, 4*64, capFn, nil, rasterx.RoundGap, rasterx.Round, dash, 0)
	p.p.AddTo(c.dasher)
	c.dasher.SetColor(col)
	c.dasher.Draw()
	c.dasher.Clear()
}

// rgb parses "#RRGGBB" into a colour with the given opacity; "none" and
// anything unparsable give nil, which draws nothing.
func rgb(hex string, opacity float64) color.Color {
	h, ok := strings.CutPrefix(hex, "#")
	if !ok || len(h) != 6 {
		return nil
	}
	v, err := strconv.ParseUint(h, 16, 32)
	if err != nil {
		return nil
	}
	return color.NRGBA{R: uint8(v >> 16), G: uint8(v >> 8), B: uint8(v), A: uint8(math.Round(255 * opacity))}
}

// solid is rgb at full opacity.
func solid(hex string) color.Color { return rgb(hex, 1) }

// strokePx strokes a path given in pixels rather than diagram units.
func (c *canvas) strokePx(p *path, col color.Color, width float64) {
	s := c.s
	c.s = 1
	c.stroke(p, col, strokeStyle{width: width})
	c.s = s
}
