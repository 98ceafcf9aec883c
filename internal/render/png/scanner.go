package png

import (
	"image"
	"image/color"
	"math"

	"github.com/srwiley/rasterx"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"
)

// boxScanner is a rasterx.Scanner that rasterizes only the bounding box of
// each path. rasterx's own ScannerGV composites the whole canvas for every
// shape, which on a diagram with hundreds of shapes at scale 2 costs seconds.
type boxScanner struct {
	dst    *image.RGBA
	src    *image.Uniform
	r      vector.Rasterizer
	cmds   []scanCmd
	minX   fixed.Int26_6
	minY   fixed.Int26_6
	maxX   fixed.Int26_6
	maxY   fixed.Int26_6
	extent bool
}

type scanCmd struct {
	move bool
	p    fixed.Point26_6
}

func newBoxScanner(dst *image.RGBA) *boxScanner {
	return &boxScanner{dst: dst, src: image.NewUniform(color.Black)}
}

func (s *boxScanner) add(move bool, p fixed.Point26_6) {
	s.cmds = append(s.cmds, scanCmd{move, p})
	if !s.extent {
		s.minX, s.minY, s.maxX, s.maxY, s.extent = p.X, p.Y, p.X, p.Y, true
		return
	}
	s.minX, s.maxX = min(s.minX, p.X), max(s.maxX, p.X)
	s.minY, s.maxY = min(s.minY, p.Y), max(s.maxY, p.Y)
}

// Start begins a new sub-path.
func (s *boxScanner) Start(a fixed.Point26_6) { s.add(true, a) }

// Line adds a straight segment.
func (s *boxScanner) Line(b fixed.Point26_6) { s.add(false, b) }

// Draw composites the accumulated path, in the current colour, over the
// destination, touching only the pixels under the path's extent.
func (s *boxScanner) Draw() {
	if !s.extent {
		return
	}
	box := image.Rect(s.minX.Floor(), s.minY.Floor(), s.maxX.Ceil()+1, s.maxY.Ceil()+1).Intersect(s.dst.Bounds())
	if box.Empty() {
		return
	}
	if box.Dx()*box.Dy() <= bandMinArea {
		s.drawIn(box)
		return
	}
	// A long edge's box is mostly empty: an L from one corner of the
	// diagram to the other covers a few thousand pixels of a box of
	// millions, and the rasterizer passes over every pixel of its box. So
	// the box is cut into bands of rows, and each band is given only the
	// parts of the path's segments within its rows, in a box narrowed to
	// them. A row's coverage comes only from the segments that cross it,
	// so the rows come out as before. (Segments are cut to the band rather
	// than left to the rasterizer, which skips the rows above its box one
	// by one.)
	var segs []segment
	for y := box.Min.Y; y < box.Max.Y; y += bandHeight {
		band := image.Rect(box.Min.X, y, box.Max.X, min(y+bandHeight, box.Max.Y))
		var x0, x1 int
		segs, x0, x1 = s.within(band.Min.Y, band.Max.Y, segs[:0])
		if len(segs) == 0 {
			continue
		}
		// A literal, not image.Rect, which would swap an empty range's ends.
		s.drawSegments(image.Rectangle{Min: image.Pt(max(x0, band.Min.X), band.Min.Y), Max: image.Pt(min(x1, band.Max.X), band.Max.Y)}, segs)
	}
}

// bandHeight is the rows of a band of a large path.
const bandHeight = 64

// floatingMinWidth is the narrowest box x/image/vector rasterizes in
// floating point (its floatingPointMathThreshold is 512); narrower ones
// it does in fixed point, which rounds differently.
const floatingMinWidth = 513

// bandMinArea is the box area from which a path is drawn in bands (a
// variable for the test that compares both ways).
var bandMinArea = 512 * 512

// segment is a piece of a path, in pixels, in the path's direction.
type segment struct{ ax, ay, bx, by float32 }

// within appends to segs the parts of the path's segments within the rows
// [y0, y1), and returns them with the columns [x0, x1) they take, a
// pixel wider on each side for anti-aliasing.
func (s *boxScanner) within(y0, y1 int, segs []segment) (_ []segment, x0, x1 int) {
	top, bottom := float32(y0), float32(y1)
	lo, hi := float32(math.Inf(1)), float32(math.Inf(-1))
	var prev fixed.Point26_6
	for i, c := range s.cmds {
		if i == 0 || c.move {
			prev = c.p
			continue
		}
		ax, ay := float32(prev.X)/64, float32(prev.Y)/64
		bx, by := float32(c.p.X)/64, float32(c.p.Y)/64
		prev = c.p
		if ay == by || max(ay, by) <= top || min(ay, by) >= bottom {
			continue // horizontal segments add no coverage
		}
		at := func(y float32) float32 { return ax + (bx-ax)*(y-ay)/(by-ay) }
		ca, cb := min(max(ay, top), bottom), min(max(by, top), bottom)
		seg := segment{at(ca), ca, at(cb), cb}
		if ca == ay {
			seg.ax = ax
		}
		if cb == by {
			seg.bx = bx
		}
		segs = append(segs, seg)
		lo, hi = min(lo, seg.ax, seg.bx), max(hi, seg.ax, seg.bx)
	}
	if len(segs) == 0 {
		return segs, 0, 0
	}
	return segs, int(math.Floor(float64(lo))) - 1, int(math.Ceil(float64(hi))) + 2
}

// drawSegments rasterizes segments within box.
func (s *boxScanner) drawSegments(box image.Rectangle, segs []segment) {
	if box.Empty() {
		return
	}
	// Wide enough that the rasterizer works in floating point, as it did
	// on the whole box; the columns beyond box are not drawn.
	s.r.Reset(max(box.Dx(), floatingMinWidth), box.Dy())
	ox, oy := float32(box.Min.X), float32(box.Min.Y)
	for _, g := range segs {
		s.r.MoveTo(g.ax-ox, g.ay-oy)
		s.r.LineTo(g.bx-ox, g.by-oy)
	}
	s.r.Draw(s.dst, box, s.src, image.Point{})
}

// drawIn rasterizes the accumulated path within box.
func (s *boxScanner) drawIn(box image.Rectangle) {
	if box.Empty() {
		return
	}
	s.r.Reset(box.Dx(), box.Dy())
	// Sub-paths are not closed here: rasterx emits stroke outlines as
	// separate edges that only form closed loops together.
	ox, oy := float32(box.Min.X), float32(box.Min.Y)
	for _, c := range s.cmds {
		x, y := float32(c.p.X)/64-ox, float32(c.p.Y)/64-oy
		if c.move {
			s.r.MoveTo(x, y)
		} else {
			s.r.LineTo(x, y)
		}
	}
	s.r.Draw(s.dst, box, s.src, image.Point{})
}

// GetPathExtent returns the extent of the accumulated path.
func (s *boxScanner) GetPathExtent() fixed.Rectangle26_6 {
	return fixed.Rectangle26_6{Min: fixed.Point26_6{X: s.minX, Y: s.minY}, Max: fixed.Point26_6{X: s.maxX, Y: s.maxY}}
}

// SetBounds is a no-op: the canvas bounds are fixed at construction.
func (s *boxScanner) SetBounds(w, h int) {}

// SetColor sets a uniform colour; colour functions (gradients) are not used
// by relsop and are ignored.
func (s *boxScanner) SetColor(c interface{}) {
	if c, ok := c.(color.Color); ok {
		s.src = image.NewUniform(c)
	}
}

// SetWinding is a no-op: the vector rasterizer always fills non-zero, so
// holes are drawn with the opposite winding.
func (s *boxScanner) SetWinding(bool) {}

// Clear forgets the accumulated path.
func (s *boxScanner) Clear() {
	s.cmds = s.cmds[:0]
	s.extent = false
}

// SetClip is a no-op: everything is clipped to the canvas anyway.
func (s *boxScanner) SetClip(image.Rectangle) {}

// limit keeps a scaled coordinate well inside the range of 26.6 fixed point,
// so that hostile geometry cannot wrap around to the other side of the
// canvas; NaN becomes 0.
func limit(v float64) float64 {
	const m = 1 << 20
	if math.IsNaN(v) {
		return 0
	}
	return math.Max(-m, math.Min(m, v))
}

var _ rasterx.Scanner = (*boxScanner)(nil)
