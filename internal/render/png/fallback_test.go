package png

import (
	"bytes"
	"image"
	"math"
	"strings"
	"testing"

	"golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"

	"github.com/relsop/relsop/internal/diagram"
	"github.com/relsop/relsop/internal/render/rendertest"
	"github.com/relsop/relsop/internal/textmeasure"
)

// TestFallbackGlyph draws a line with a character the Go fonts lack and
// DejaVu Sans has (✓) and one neither has (部). With DejaVu as the fallback
// the ✓ must be a glyph centred in the em the layout reserved, instead of
// a box, and not one other pixel may change: 部 stays a box and the rest
// of the line stays where it was.
func TestFallbackGlyph(t *testing.T) {
	fb := rendertest.Fallback(t)
	const s, size = 4, 12.0
	d := fixture()
	line := &d.Nodes[1].Lines[0]
	line.Text = "A✓B部C"
	line.Size, line.Bold = size, false
	tick := cell(*line, "A", size, s)

	boxed := toRGBA(decode(t, render(t, d, Options{Scale: s})))
	drawn := toRGBA(decode(t, render(t, d, Options{Scale: s, Fallback: fb})))

	inside, outside := 0, 0
	b := boxed.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if boxed.RGBAAt(x, y) == drawn.RGBAAt(x, y) {
				continue
			}
			if image.Pt(x, y).In(tick) {
				inside++
			} else {
				outside++
			}
		}
	}
	if inside < 40 {
		t.Errorf("only %d pixels of the ✓ cell %v changed with the fallback font; want a glyph instead of the box", inside, tick)
	}
	if outside != 0 {
		t.Errorf("%d pixels outside the ✓ cell %v changed with the fallback font", outside, tick)
	}

	// The glyph's advance is centred in the em, as the box is: its ink
	// lies where DejaVu's metrics put it then.
	ink := inkBounds(drawn, tick.Inset(2))
	want := centredInk(t, fb, '✓', line.X+textmeasure.Width("A", size, false), line.Y, size, s)
	if abs(ink.Min.X-want.Min.X) > 1 || abs(ink.Max.X-want.Max.X) > 1 || abs(ink.Min.Y-want.Min.Y) > 1 || abs(ink.Max.Y-want.Max.Y) > 1 {
		t.Errorf("✓ ink covers %v, want %v (centred in the em)", ink, want)
	}
}

// centredInk is where the ink of r lies when its advance is centred in
// the em from x (diagram units) at baseline y, by the font's own metrics.
func centredInk(t *testing.T, ttf []byte, r rune, x, y, size, s float64) image.Rectangle {
	t.Helper()
	f, err := sfnt.Parse(ttf)
	if err != nil {
		t.Fatal(err)
	}
	var buf sfnt.Buffer
	idx, err := f.GlyphIndex(&buf, r)
	if err != nil || idx == 0 {
		t.Fatalf("the fallback font lacks %q", r)
	}
	ppem := fixed.Int26_6(size * s * 64)
	adv, err := f.GlyphAdvance(&buf, idx, ppem, font.HintingNone)
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := f.GlyphBounds(&buf, idx, ppem, font.HintingNone)
	if err != nil {
		t.Fatal(err)
	}
	ox := x*s + (size*s-float64(adv)/64)/2
	px := func(v fixed.Int26_6) float64 { return float64(v) / 64 }
	return image.Rect(int(math.Round(ox+px(b.Min.X))), int(math.Round(y*s+px(b.Min.Y))),
		int(math.Round(ox+px(b.Max.X))), int(math.Round(y*s+px(b.Max.Y))))
}

func abs(v int) int { return max(v, -v) }

// cell returns the pixels of the em the layout reserved for the character
// after prefix in line, with room above and below for ascenders and
// descenders, and 2 pixels to the sides for anti-aliasing.
func cell(line diagram.Text, prefix string, size, s float64) image.Rectangle {
	x := (line.X + textmeasure.Width(prefix, size, false)) * s
	return image.Rect(int(x-2), int((line.Y-size)*s), int(x+size*s+2), int((line.Y+size*0.4)*s))
}

// inkBounds is the bounding box of the pixels in r that differ clearly
// from r's top-left pixel, which lies on the node's fill.
func inkBounds(img *image.RGBA, r image.Rectangle) image.Rectangle {
	bg := img.RGBAAt(r.Min.X, r.Min.Y)
	var out image.Rectangle
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if !near(img.RGBAAt(x, y), bg, 64) {
				out = out.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	return out
}

func toRGBA(img image.Image) *image.RGBA {
	if r, ok := img.(*image.RGBA); ok {
		return r
	}
	out := image.NewRGBA(img.Bounds())
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
			out.Set(x, y, img.At(x, y))
		}
	}
	return out
}

func TestFallbackUnusedChangesNothing(t *testing.T) {
	fb := rendertest.Fallback(t)
	if !bytes.Equal(render(t, fixture(), Options{Fallback: fb}), render(t, fixture(), Options{})) {
		t.Error("a fallback font no text needs changed the image")
	}
}

func TestBadFallback(t *testing.T) {
	_, err := Render(fixture(), Options{Fallback: []byte("not a font")})
	if err == nil || !strings.Contains(err.Error(), "fallback font") {
		t.Errorf("err = %v, want one about the fallback font", err)
	}
}
