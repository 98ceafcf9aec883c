package pdf

import (
	"fmt"

	"codeberg.org/go-pdf/fpdf"

	"github.com/relsop/relsop/internal/render/fallback"
)

// fallbackFamily is the name the fallback font is registered under.
const fallbackFamily = "Fallback"

// docFallback is the fallback font of one document. It is registered the
// first time a character needs it, so a document without such characters
// is the same, byte for byte, as one drawn without a fallback.
type docFallback struct {
	font       *fallback.Font
	ttf        []byte
	registered bool
}

// get returns the font to choose characters from, or nil when there is
// none (also after fpdf failed to read it).
func (fb *docFallback) get() *fallback.Font {
	if fb == nil {
		return nil
	}
	return fb.font
}

// register embeds the font in f, once, and reports whether it can be used.
// fallback.Parse has checked what fpdf checks; a font fpdf still cannot
// read makes it panic before it changes the document, and then the
// characters become '?' like those no font has.
func (fb *docFallback) register(f *fpdf.Fpdf) (ok bool) {
	if fb.font == nil {
		return false
	}
	if fb.registered {
		return true
	}
	defer func() {
		if recover() != nil {
			fb.font, ok = nil, false
		}
	}()
	f.AddUTF8FontFromBytes(fallbackFamily, "", fb.ttf)
	fb.registered = true
	return true
}

// fresh is the same font for another document, not yet registered in it.
func (fb *docFallback) fresh() *docFallback {
	if fb == nil {
		return nil
	}
	c := *fb
	c.registered = false
	return &c
}

// parseFallback reads a fallback font; nil gives none.
func parseFallback(ttf []byte) (*docFallback, error) {
	if ttf == nil {
		return nil, nil
	}
	font, err := fallback.Parse(ttf)
	if err != nil {
		return nil, fmt.Errorf("pdf: fallback font: %w", err)
	}
	return &docFallback{font: font, ttf: ttf}, nil
}
