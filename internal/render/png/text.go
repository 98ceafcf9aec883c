package png

import (
	"image"
	"image/color"
	"image/draw"
	"math"
	"strings"
	"sync"

	"github.com/relsop/relsop/internal/diagram"
	"github.com/relsop/relsop/internal/render/fallback"
	"github.com/relsop/relsop/internal/textmeasure"
	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// fonts parses the embedded Go fonts once; a parsed font is safe to share,
// while faces (which hold a glyph buffer) belong to one render.
var fonts = sync.OnceValues(func() ([2]*opentype.Font, error) {
	var out [2]*opentype.Font
	for i, ttf := range [][]byte{textmeasure.Regular, textmeasure.Bold} {
		f, err := opentype.Parse(ttf)
		if err != nil {
			return out, err
		}
		out[i] = f
	}
	return out, nil
})

// typesetter draws text for one render, caching a face per size and font.
type typesetter struct {
	c     *canvas
	fonts [2]*opentype.Font
	fb    *fallback.Font // nil when there is none
	faces map[faceKey]font.Face
	buf   sfnt.Buffer
}

func newTypesetter(c *canvas, fs [2]*opentype.Font, fb *fallback.Font) *typesetter {
	return &typesetter{c: c, fonts: fs, fb: fb, faces: map[faceKey]font.Face{}}
}

// faceKey names a face: the Go font of a weight, or the fallback font
// (which has one weight) when fallback is set.
type faceKey struct {
	size     float64
	bold     bool
	fallback bool
}

func (ts *typesetter) face(k faceKey) (font.Face, error) {
	if f, ok := ts.faces[k]; ok {
		return f, nil
	}
	fnt := ts.font(k.bold)
	if k.fallback {
		fnt = ts.fb.Outlines()
	}
	// No hinting: the layout measured unhinted advances, and hinting would
	// snap glyphs away from the positions it computed.
	f, err := opentype.NewFace(fnt, &opentype.FaceOptions{Size: k.size * ts.c.s, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		return nil, err
	}
	ts.faces[k] = f
	return f, nil
}

func (ts *typesetter) font(bold bool) *opentype.Font {
	if bold {
		return ts.fonts[1]
	}
	return ts.fonts[0]
}

// spaced draws a line with extra room after each character, like SVG's
// letter-spacing. Characters are placed one by one at the advances
// textmeasure gives, without kerning, because that is how the layout
// measured them. A character the font lacks is drawn from the fallback
// font, centred in the width the layout reserved for it, as a browser
// would; without a fallback that has it, it is drawn as a box.
func (ts *typesetter) spaced(t diagram.Text, col string, spacing float64) error {
	c := solid(col)
	if c == nil || strings.TrimSpace(t.Text) == "" || !finite(t.X, t.Y, t.Size, spacing) || t.Size <= 0 {
		return nil
	}
	// A glyph is rasterized through a mask as big as itself, so text taller
	// than the whole image (which no layout produces) would cost seconds
	// and gigabytes for nothing visible.
	bounds := ts.c.img.Bounds()
	px := t.Size * ts.c.s
	if px > float64(max(bounds.Dx(), bounds.Dy())) {
		return nil
	}
	face, err := ts.face(faceKey{size: t.Size, bold: t.Bold})
	if err != nil {
		return err
	}
	src := image.NewUniform(c)
	s := ts.c.s
	x, y := t.X*s, t.Y*s
	for _, r := range t.Text {
		if x > float64(bounds.Max.X) {
			break // the rest of the line is off the image
		}
		adv := textmeasure.Width(string(r), t.Size, t.Bold) * s
		if x+adv < 0 || y+px < 0 || y-px > float64(bounds.Max.Y) {
			x += adv + spacing*s
			continue
		}
		idx, err := ts.font(t.Bold).GlyphIndex(&ts.buf, r)
		switch {
		case err == nil && idx != 0:
			ts.glyph(face, x, y, r, src)
		case adv > 0:
			drawn, err := ts.fallback(r, x, y, adv, t.Size, src)
			if err != nil {
				return err
			}
			if !drawn {
				ts.tofu(x, y, adv, t.Size*s, c)
			}
		}
		x += adv + spacing*s
	}
	return nil
}

// glyph draws r from face with its origin at (x, y) in pixels.
func (ts *typesetter) glyph(face font.Face, x, y float64, r rune, src image.Image) {
	dot := fixed.Point26_6{X: fixed.Int26_6(math.Round(limit(x) * 64)), Y: fixed.Int26_6(math.Round(limit(y) * 64))}
	if dr, mask, mp, _, ok := face.Glyph(dot, r); ok {
		draw.DrawMask(ts.c.img, dr, src, image.Point{}, mask, mp, draw.Over)
	}
}

// fallback draws r from the fallback font at size, centred in the w pixels
// the layout reserved for it from x, as the box would be. It reports false
// when there is no fallback font or it lacks r too.
func (ts *typesetter) fallback(r rune, x, y, w, size float64, src image.Image) (bool, error) {
	if ts.fb == nil {
		return false, nil
	}
	em, ok := ts.fb.Advance(r)
	if !ok {
		return false, nil
	}
	face, err := ts.face(faceKey{size: size, fallback: true})
	if err != nil {
		return false, err
	}
	ts.glyph(face, x+(w-em*size*ts.c.s)/2, y, r, src)
	return true, nil
}

// tofu draws the usual stand-in for a missing glyph, an empty box, in a
// cell of width w (pixels) at baseline y for a font of size px.
func (ts *typesetter) tofu(x, y, w, px float64, c color.Color) {
	p := &path{s: 1}
	p.rect(x+w*0.12, y-px*0.72, w*0.76, px*0.8, 0)
	ts.c.strokePx(p, c, max(1, px*0.06))
}

func finite(vs ...float64) bool {
	for _, v := range vs {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}
