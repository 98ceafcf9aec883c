package svg

import (
	"encoding/base64"
	"sync"

	"github.com/relsop/relsop/internal/textmeasure"
)

// fontFaces is the @font-face rules for the embedded Go fonts, built once:
// base64-encoding 350 kB on every render would dominate its cost.
var fontFaces = sync.OnceValue(func() string {
	face := func(weight string, ttf []byte) string {
		return "@font-face{font-family:Go;font-style:normal;font-weight:" + weight +
			";src:url(data:font/ttf;base64," + base64.StdEncoding.EncodeToString(ttf) + ") format('truetype');}"
	}
	return face("normal", textmeasure.Regular) + face("bold", textmeasure.Bold)
})

// style writes the style sheet. Colours are presentation attributes on each
// element, which tools that ignore CSS still honour and which CSS (such as
// the editor's selection highlight) can still override; the sheet only
// turns off kerning, because the layout measured advances without it, and
// carries the embedded fonts.
func (r *renderer) style(embed bool) {
	css := "text{font-kerning:none;white-space:pre;}"
	if embed {
		css = fontFaces() + css
	}
	r.w.content("style", css)
}
