package fallback

import (
	"encoding/binary"
	"errors"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// Font is a parsed fallback font. It is safe for concurrent use, so one
// Font can serve every render.
type Font struct {
	outlines *sfnt.Font
	unitsEm  fixed.Int26_6
	mu       sync.Mutex
	buf      sfnt.Buffer
}

// Parse reads a TrueType font. It accepts only what both renderers can
// use: a single font (not a collection) with TrueType outlines (not CFF),
// which is all the PDF library embeds.
func Parse(ttf []byte) (*Font, error) {
	if len(ttf) < 4 {
		return nil, errors.New("not a TrueType font: too short")
	}
	switch binary.BigEndian.Uint32(ttf) {
	case 0x00010000, 0x74727565: // version 1.0, or "true" from old Apple fonts
	case 0x74746366: // "ttcf"
		return nil, errors.New("a font collection (.ttc), not a single TrueType font")
	case 0x4f54544f: // "OTTO"
		return nil, errors.New("an OpenType font with CFF outlines, not TrueType")
	default:
		return nil, errors.New("not a TrueType font")
	}
	f, err := sfnt.Parse(ttf)
	if err != nil {
		return nil, err
	}
	return &Font{outlines: f, unitsEm: fixed.Int26_6(f.UnitsPerEm())}, nil
}

// Outlines returns the parsed font, for drawing glyphs. Each user needs
// its own sfnt.Buffer (or font.Face) to read it.
func (f *Font) Outlines() *sfnt.Font { return f.outlines }

// Advance returns the advance of r in ems, and whether the font has a
// glyph for r.
func (f *Font) Advance(r rune) (float64, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	idx, err := f.outlines.GlyphIndex(&f.buf, r)
	if err != nil || idx == 0 {
		return 0, false
	}
	adv, err := f.outlines.GlyphAdvance(&f.buf, idx, f.unitsEm, font.HintingNone)
	if err != nil {
		return 0, false
	}
	return float64(adv) / float64(f.unitsEm), true
}
