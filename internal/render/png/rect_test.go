package png

import (
	"image/color"
	"math"
	"math/rand/v2"
	"testing"
)

// TestRectMatchesRasterizer holds the direct painting of rectangles
// (rect.go) to what the vector rasterizer draws for the same rectangle as
// a path: fills agree to within rounding everywhere, outlines everywhere
// but at the corners, which the rasterizer's round joins round off.
func TestRectMatchesRasterizer(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	colours := []color.Color{solid("#1f77b4"), rgb("#d55e00", 0.4), solid("#ffffff")}
	for i := range 60 {
		s := []float64{1, 1.5, 2, 3}[i%4]
		x, y := rng.Float64()*40, rng.Float64()*40
		w, h := 6+rng.Float64()*50, 6+rng.Float64()*50 // as lanes and headers are: wide against their line
		col := colours[i%len(colours)]
		sw := []float64{0, 1, 1.5}[i%3]
		if sw == 0 { // fills alone hold for slivers too
			w, h = 0.3+rng.Float64()*50, 0.3+rng.Float64()*50
		}

		direct, drawn := newCanvas(120*3, 120*3, s), newCanvas(120*3, 120*3, s)
		for _, c := range []*canvas{direct, drawn} {
			c.fillRect(0, 0, 120, 120, solid("#f4f6f8"))
		}
		direct.fillRect(x, y, w, h, col)
		direct.strokeRect(x, y, w, h, sw, solid("#333333"))
		p := drawn.path()
		p.rect(x, y, w, h, 0)
		drawn.fill(p, col)
		drawn.stroke(p, solid("#333333"), strokeStyle{width: sw})

		corner := func(px, py int) bool { // within a line width of a corner
			r := (sw + 1) * s
			for _, cx := range []float64{x * s, (x + w) * s} {
				for _, cy := range []float64{y * s, (y + h) * s} {
					if math.Abs(float64(px)-cx) <= r && math.Abs(float64(py)-cy) <= r {
						return true
					}
				}
			}
			return false
		}
		b := direct.img.Bounds()
		for py := b.Min.Y; py < b.Max.Y; py++ {
			for px := b.Min.X; px < b.Max.X; px++ {
				if sw > 0 && corner(px, py) {
					continue
				}
				a, c := direct.img.RGBAAt(px, py), drawn.img.RGBAAt(px, py)
				if d := maxDiff(a, c); d > 2 {
					t.Fatalf("case %d (rect %.2f,%.2f %.2fx%.2f, line %.1f, scale %g): pixel (%d,%d) is %v directly and %v rasterized",
						i, x, y, w, h, sw, s, px, py, a, c)
				}
			}
		}
	}
}

func maxDiff(a, b color.RGBA) int {
	d := 0
	for _, p := range [][2]uint8{{a.R, b.R}, {a.G, b.G}, {a.B, b.B}, {a.A, b.A}} {
		d = max(d, absInt(int(p[0])-int(p[1])))
	}
	return d
}

func absInt(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// TestBandsMatchWholeBox draws long stroked and filled paths, which are
// rasterized in bands of rows, and the same with banding off: the
// pixels agree to within rounding.
func TestBandsMatchWholeBox(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	draw := func(banded bool, seed uint64) *canvas {
		old := bandMinArea
		if !banded {
			bandMinArea = 1 << 62
		}
		defer func() { bandMinArea = old }()
		r := rand.New(rand.NewPCG(seed, 9))
		c := newCanvas(900, 700, 1.5)
		c.fillRect(0, 0, 600, 470, solid("#ffffff"))
		for range 12 {
			p := c.path()
			x, y := r.Float64()*580, r.Float64()*460
			p.move(x, y)
			for range 2 + r.IntN(5) {
				if r.IntN(2) == 0 {
					x = r.Float64() * 580
				} else {
					y = r.Float64() * 460
				}
				p.line(x, y)
			}
			st := strokeStyle{width: 0.5 + r.Float64()*2, round: r.IntN(2) == 0}
			if r.IntN(3) == 0 {
				st.dash = []float64{6, 4}
			}
			c.stroke(p, rgb("#c0392b", 0.5+r.Float64()/2), st)
		}
		p := c.path() // a large filled shape with a diagonal
		p.move(10, 10)
		p.line(590, 40)
		p.line(300, 460)
		p.close()
		c.fill(p, rgb("#2e86de", 0.3))
		return c
	}
	for i := range 8 {
		seed := rng.Uint64()
		a, b := draw(true, seed), draw(false, seed)
		bounds := a.img.Bounds()
		for y := bounds.Min.Y; y < bounds.Max.Y; y++ {
			for x := bounds.Min.X; x < bounds.Max.X; x++ {
				if d := maxDiff(a.img.RGBAAt(x, y), b.img.RGBAAt(x, y)); d > 2 {
					t.Fatalf("drawing %d: pixel (%d,%d) is %v in bands and %v whole", i, x, y, a.img.RGBAAt(x, y), b.img.RGBAAt(x, y))
				}
			}
		}
	}
}
