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
