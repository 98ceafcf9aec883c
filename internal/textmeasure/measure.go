// Package textmeasure measures and wraps text in the fonts every renderer
// embeds (the Go fonts), so that one layout fits SVG, PNG and PDF alike.
// Widths are the sum of glyph advances without kerning, which is also how
// PDF viewers place text from a simple font: the three outputs agree.
package textmeasure

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// Regular and Bold are the TrueType fonts renderers embed.
var (
	Regular = goregular.TTF
	Bold    = gobold.TTF
)

type face struct {
	once     sync.Once
	ttf      []byte
	font     *sfnt.Font
	unitsEm  float64
	mu       sync.Mutex
	buf      sfnt.Buffer
	advances map[rune]float64 // in ems; -1 for a glyph the font lacks
	ascii    [128]float64     // the same for ASCII, filled once: read without the lock
}

var faces = [2]*face{{ttf: Regular}, {ttf: Bold}}

func (f *face) load() {
	f.once.Do(func() {
		fnt, err := sfnt.Parse(f.ttf)
		if err != nil {
			panic("textmeasure: embedded font does not parse: " + err.Error()) // cannot happen with gofont
		}
		f.font = fnt
		f.unitsEm = float64(fnt.UnitsPerEm())
		f.advances = map[rune]float64{}
		for r := range rune(len(f.ascii)) {
			f.ascii[r] = f.lookup(r)
		}
	})
}

// advance returns the advance of r in ems, and whether the font has it.
func (f *face) advance(r rune) (float64, bool) {
	f.load()
	if r >= 0 && int(r) < len(f.ascii) {
		a := f.ascii[r]
		return max(a, 0), a >= 0
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	a, ok := f.advances[r]
	if !ok {
		a = f.lookup(r)
		f.advances[r] = a
	}
	return max(a, 0), a >= 0
}

// lookup reads r's advance in ems from the font, or -1 when the font lacks
// it. Callers hold the lock or are inside load.
func (f *face) lookup(r rune) float64 {
	idx, err := f.font.GlyphIndex(&f.buf, r)
	if err != nil || idx == 0 {
		return -1
	}
	adv, err := f.font.GlyphAdvance(&f.buf, idx, fixed.Int26_6(f.unitsEm*64), font.HintingNone)
	if err != nil {
		return -1
	}
	return float64(adv) / 64 / f.unitsEm
}

func pick(bold bool) *face {
	if bold {
		return faces[1]
	}
	return faces[0]
}

// fallbackEm is the width given to a character the font lacks: renderers
// draw it with a fallback font or a box of about this size.
const fallbackEm = 1.0

// Width returns the width of s at size (in the same unit as size).
func Width(s string, size float64, bold bool) float64 {
	return pick(bold).addEms(0, s) * size
}

// addEms returns ems plus the width of s in ems, adding one character
// after the other. Wrap carries such a sum along a line as it grows,
// instead of measuring the line again for every word: the additions are
// the same, in the same order, so the widths are exactly Width's.
func (f *face) addEms(ems float64, s string) float64 {
	for _, r := range s {
		ems = f.addRune(ems, r)
	}
	return ems
}

func (f *face) addRune(ems float64, r rune) float64 {
	if a, ok := f.advance(r); ok {
		return ems + a
	} else if !unicode.IsControl(r) && !isCombining(r) {
		return ems + fallbackEm
	}
	return ems
}

func isCombining(r rune) bool {
	return unicode.Is(unicode.Mn, r) || r == '\u200d' || unicode.Is(unicode.Variation_Selector, r)
}

// Missing returns the distinct characters of s the font has no glyph for,
// in order of appearance.
func Missing(s string, bold bool) []rune {
	f := pick(bold)
	var out []rune
	seen := map[rune]bool{}
	for _, r := range s {
		if unicode.IsControl(r) || unicode.IsSpace(r) || isCombining(r) || seen[r] {
			continue
		}
		if _, ok := f.advance(r); !ok {
			seen[r] = true
			out = append(out, r)
		}
	}
	return out
}

// Wrap breaks s into lines no wider than width at size, breaking at spaces
// and, for a word longer than a line, inside the word. At most maxLines
// lines are returned; the last is cut short with an ellipsis when the text
// does not fit, so that text never overflows its box.
func Wrap(s string, size, width float64, bold bool, maxLines int) []string {
	f := pick(bold)
	words := strings.Fields(s)
	var lines []string
	line, lineEms := "", 0.0
	for _, w := range words {
		ems := lineEms
		if line != "" {
			ems = f.addRune(ems, ' ')
		}
		if ems = f.addEms(ems, w); ems*size <= width {
			if line != "" {
				w = line + " " + w
			}
			line, lineEms = w, ems
			continue
		}
		if line != "" {
			lines = append(lines, line)
		}
		// A word wider than the line is split where it overflows.
		for Width(w, size, bold) > width {
			cut := f.fitPrefix(w, size, width)
			lines = append(lines, w[:cut])
			w = w[cut:]
		}
		line, lineEms = w, f.addEms(0, w)
	}
	if line != "" {
		lines = append(lines, line)
	}
	if maxLines > 0 && len(lines) > maxLines {
		lines = lines[:maxLines]
		lines[maxLines-1] = Ellipsize(lines[maxLines-1]+" …", size, width, bold)
	}
	return lines
}

// fitPrefix returns the byte length of the longest prefix of w (at least
// one character) that fits in width.
func (f *face) fitPrefix(w string, size, width float64) int {
	end, ems := 0, 0.0
	for end < len(w) {
		r, n := utf8.DecodeRuneInString(w[end:])
		ems = f.addRune(ems, r)
		if end > 0 && ems*size > width {
			break
		}
		end += n
	}
	return end
}

// Ellipsize shortens s with a trailing ellipsis until it fits in width.
func Ellipsize(s string, size, width float64, bold bool) string {
	if Width(s, size, bold) <= width {
		return s
	}
	r := []rune(strings.TrimSuffix(s, " …"))
	for len(r) > 0 {
		r = r[:len(r)-1]
		cand := strings.TrimRight(string(r), " ") + "…"
		if Width(cand, size, bold) <= width {
			return cand
		}
	}
	return "…"
}
