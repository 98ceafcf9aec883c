// Package png draws a laid-out swimlane diagram as a PNG image that looks
// like the SVG rendering: the same geometry from diagram.Diagram, the same
// theme colours, symbols, marks and line styles, and text in the same Go
// fonts the layout measured with. Like the SVG renderer it never lays
// anything out itself.
package png

import (
	"bytes"
	"errors"
	"fmt"
	"math"

	"github.com/relsop/relsop/internal/diagram"
	"github.com/relsop/relsop/internal/render/fallback"
)

// Options chooses how a diagram is drawn.
type Options struct {
	// Theme is one of Themes(): light (the default), dark or print.
	Theme string
	// Scale is the number of pixels per diagram unit (default 2, which
	// looks sharp on high-density screens and in slides).
	Scale float64
	// Fallback is a TrueType font (see package fallback) for characters
	// the Go fonts lack; without one, or where it lacks a character too,
	// the character is drawn as a box.
	Fallback []byte
}

// DefaultScale is the scale used when Options.Scale is zero.
const DefaultScale = 2

// MaxPixels bounds the canvas: an RGBA image takes four bytes a pixel, so
// this caps memory at about 400 MB, and a bigger PNG is of little use.
const MaxPixels = 100_000_000

// renderer carries the state of one Render call.
type renderer struct {
	c   *canvas
	ts  *typesetter
	d   *diagram.Diagram
	t   *theme
	err error // the first text error; shapes cannot fail
}

// Render draws d as a PNG image of ceil(Width*scale) by ceil(Height*scale)
// pixels. It returns an error, and never panics, for a canvas that is
// empty, not finite or larger than MaxPixels. The same input always gives
// the same bytes.
func Render(d *diagram.Diagram, opts Options) (out []byte, err error) {
	if d == nil {
		return nil, errors.New("png: no diagram to render")
	}
	s := opts.Scale
	if s == 0 {
		s = DefaultScale
	}
	if !(s > 0) || math.IsInf(s, 0) {
		return nil, fmt.Errorf("png: scale must be a positive number, not %v", opts.Scale)
	}
	w, h, err := canvasSize(d.Width, d.Height, s)
	if err != nil {
		return nil, err
	}
	fs, err := fonts()
	if err != nil {
		return nil, fmt.Errorf("png: embedded font: %w", err)
	}
	var fb *fallback.Font
	if opts.Fallback != nil {
		if fb, err = fallback.Parse(opts.Fallback); err != nil {
			return nil, fmt.Errorf("png: fallback font: %w", err)
		}
	}
	// A renderer bug met by unusual geometry must not take the CLI or the
	// web server down with it; it becomes an error like any other.
	defer func() {
		if p := recover(); p != nil {
			out, err = nil, fmt.Errorf("png: internal error while drawing: %v", p)
		}
	}()
	c := newCanvas(w, h, s)
	r := &renderer{c: c, d: d, t: themeFor(opts.Theme)}
	r.ts = newTypesetter(c, fs, fb)
	r.draw()
	if r.err != nil {
		return nil, r.err
	}
	var buf bytes.Buffer
	if err := encode(&buf, c.img); err != nil {
		return nil, fmt.Errorf("png: encode: %w", err)
	}
	return buf.Bytes(), nil
}

// canvasSize checks the diagram's size and returns the image's in pixels.
func canvasSize(width, height, s float64) (int, int, error) {
	if !finite(width, height) || width <= 0 || height <= 0 {
		return 0, 0, fmt.Errorf("png: diagram has no drawable size (%v x %v)", width, height)
	}
	w, h := math.Ceil(width*s), math.Ceil(height*s)
	if w*h > MaxPixels {
		return 0, 0, fmt.Errorf("png: a %.0f x %.0f image (%.0f megapixels) is over the limit of %d megapixels; "+
			"use --scale %g or less, or render SVG or PDF, which have no size limit",
			w, h, w*h/1e6, MaxPixels/1_000_000, FitScale(width, height, s))
	}
	return int(w), int(h), nil
}

// FitScale is the largest scale up to want, in hundredths, at which a
// width × height diagram stays within MaxPixels; 0 when even a hundredth
// is too much (or the size is not drawable).
func FitScale(width, height, want float64) float64 {
	if !finite(width, height, want) || width <= 0 || height <= 0 || want <= 0 {
		return 0
	}
	fits := func(s float64) bool { return math.Ceil(width*s)*math.Ceil(height*s) <= MaxPixels }
	if fits(want) {
		return want
	}
	s := math.Floor(math.Sqrt(MaxPixels/(width*height))*100) / 100
	for s > 0 && !fits(s) {
		s = math.Round(s*100-1) / 100
	}
	return max(s, 0)
}

// draw paints everything in the SVG's order, so that overlaps resolve the
// same way: background, grid, nodes, edges, labels, title block, legend.
func (r *renderer) draw() {
	// The background covers the whole canvas, whose size is rounded up to
	// whole pixels: no half-transparent last column and row.
	size := r.c.img.Bounds().Size()
	r.c.fillRect(0, 0, float64(size.X)/r.c.s, float64(size.Y)/r.c.s, solid(r.t.Background))
	r.grid()
	r.edgeHighlights()
	r.nodes()
	r.edges()
	r.nodeMarks()
	r.titleBlock()
	r.legend()
}

// text draws a line, keeping the first error.
func (r *renderer) text(t diagram.Text, col string) { r.spaced(t, col, 0) }

func (r *renderer) spaced(t diagram.Text, col string, spacing float64) {
	if err := r.ts.spaced(t, col, spacing); err != nil && r.err == nil {
		r.err = fmt.Errorf("png: text %q: %w", t.Text, err)
	}
}

// rect fills and outlines a box, as an SVG rect with fill and stroke.
func (r *renderer) rect(b diagram.Rect, rx float64, fill, stroke string, sw float64) {
	if b.W <= 0 || b.H <= 0 {
		return
	}
	if rx <= 0 { // the lanes, headers and frame: painted without the rasterizer (rect.go)
		r.c.fillRect(b.X, b.Y, b.W, b.H, solid(fill))
		r.c.strokeRect(b.X, b.Y, b.W, b.H, sw, solid(stroke))
		return
	}
	p := r.c.path()
	p.rect(b.X, b.Y, b.W, b.H, rx)
	r.c.fill(p, solid(fill))
	r.c.stroke(p, solid(stroke), strokeStyle{width: sw})
}

// line draws a straight segment with butt caps, as an SVG line.
func (r *renderer) line(x1, y1, x2, y2 float64, col string, sw float64) {
	p := r.c.path()
	p.move(x1, y1)
	p.line(x2, y2)
	r.c.stroke(p, solid(col), strokeStyle{width: sw})
}
