package pdf

import (
	"slices"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/image/font/sfnt"

	"github.com/relsop/relsop/internal/diagram"
	"github.com/relsop/relsop/internal/render/fallback"
	"github.com/relsop/relsop/internal/textmeasure"
)

// fontFamily is the name the embedded Go fonts are registered under.
const fontFamily = "Go"

// glyphs answers whether the embedded fonts have a glyph for a rune. fpdf
// writes whatever it is given and leaves a missing glyph to the viewer
// (which may draw nothing, or reject the file), so text is checked here
// first, against the very bytes that are embedded.
type glyphs struct {
	once sync.Once
	mu   sync.Mutex
	font [2]*sfnt.Font
	buf  sfnt.Buffer
}

var fonts glyphs

func (g *glyphs) has(r rune, bold bool) bool {
	g.once.Do(func() {
		for i, ttf := range [][]byte{textmeasure.Regular, textmeasure.Bold} {
			f, err := sfnt.Parse(ttf)
			if err == nil {
				g.font[i] = f
			}
		}
	})
	i := 0
	if bold {
		i = 1
	}
	if g.font[i] == nil {
		return r < 0x80 // cannot happen with gofont; ASCII is the safe guess
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	idx, err := g.font[i].GlyphIndex(&g.buf, r)
	return err == nil && idx != 0
}

// run is a piece of a line drawn at its own x, in the Go font or, when
// fallback is set, the fallback font.
type run struct {
	text     string
	x        float64 // offset from the line's start, in diagram units
	fallback bool
}

// runs splits a line into pieces the fonts can draw. A character the Go
// font lacks is drawn from fb when fb has it, else as '?', either way
// centred in the width the layout reserved for it (one em, see
// textmeasure), so the rest of the line stays where it was measured and
// the reader sees that something is missing. Invisible joiners and marks
// the Go font lacks take no width in the layout and are dropped; line
// breaks and tabs become spaces. spacing is the extra room after each
// character drawn, as the PDF character-spacing operator adds it.
func runs(s string, size float64, bold bool, fb *fallback.Font, spacing float64) []run {
	var out []run
	var cur strings.Builder
	start, x := 0.0, 0.0
	flush := func() {
		if cur.Len() > 0 {
			out = append(out, run{text: cur.String(), x: start})
			cur.Reset()
		}
	}
	for _, r := range s {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			r = ' '
		case unicode.IsControl(r):
			continue
		}
		w := textmeasure.Width(string(r), size, bold)
		if fonts.has(r, bold) {
			if cur.Len() == 0 {
				start = x
			}
			cur.WriteRune(r)
			x += w + spacing
			continue
		}
		if w == 0 {
			continue // a joiner, selector or mark: nothing was reserved
		}
		flush()
		if em, ok := fallbackAdvance(fb, r); ok {
			out = append(out, run{text: string(r), x: x + (w-em*size)/2, fallback: true})
		} else {
			q := textmeasure.Width("?", size, bold)
			out = append(out, run{text: "?", x: x + (w-q)/2})
		}
		x += w + spacing
	}
	flush()
	return out
}

// fallbackAdvance is fb.Advance, for a fallback font that may be nil.
func fallbackAdvance(fb *fallback.Font, r rune) (float64, bool) {
	if fb == nil {
		return 0, false
	}
	return fb.Advance(r)
}

// text draws one laid-out line at its baseline in the given colour.
func (c *canvas) text(t diagram.Text, colour string) {
	c.textSpaced(t, colour, 0)
}

// textSpaced draws a line with extra space after every character, as SVG's
// letter-spacing does, through the PDF character-spacing operator. The
// font changes only where a run needs the other one.
func (c *canvas) textSpaced(t diagram.Text, colour string, spacing float64) {
	if strings.TrimSpace(t.Text) == "" || t.Size <= 0 {
		return
	}
	rs := runs(t.Text, t.Size, t.Bold, c.fb.get(), spacing)
	if slices.ContainsFunc(rs, func(r run) bool { return r.fallback }) && !c.fb.register(c.f) {
		rs = runs(t.Text, t.Size, t.Bold, nil, spacing)
	}
	style := ""
	if t.Bold {
		style = "B"
	}
	c.f.SetFont(fontFamily, style, c.l(t.Size))
	c.f.SetTextColor(rgb(colour))
	if spacing != 0 {
		c.f.RawWriteStr("q " + pdfNum(c.l(spacing)) + " Tc\n")
	}
	inFallback := false
	for _, r := range rs {
		if r.fallback != inFallback {
			if r.fallback {
				c.f.SetFont(fallbackFamily, "", c.l(t.Size))
			} else {
				c.f.SetFont(fontFamily, style, c.l(t.Size))
			}
			inFallback = r.fallback
		}
		c.f.Text(c.x(t.X+r.x), c.y(t.Y), r.text)
	}
	if spacing != 0 {
		c.f.RawWriteStr("Q\n")
	}
}

// DrawnText returns s as a PDF without a fallback font shows it: each
// character the Go fonts lack becomes '?', invisible ones the fonts lack
// and control characters are left out. Callers compare it with s to tell
// users what a PDF cannot show.
func DrawnText(s string, bold bool) string {
	var b strings.Builder
	for _, r := range runs(s, 1, bold, nil, 0) {
		b.WriteString(r.text)
	}
	return b.String()
}
