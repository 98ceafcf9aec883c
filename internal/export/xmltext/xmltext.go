// Package xmltext escapes text for the XML formats relsop writes (BPMN,
// draw.io), so both treat a name the same way.
package xmltext

import (
	"strings"
	"unicode/utf8"
)

// Escape makes s safe as XML character data or, with attr, as an
// attribute value in double quotes. Line breaks and tabs in attributes
// become character references (a parser would otherwise turn them into
// spaces); characters XML 1.0 cannot hold at all (most control
// characters, U+FFFE, U+FFFF, invalid UTF-8) are dropped.
func Escape(s string, attr bool) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size == 1:
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '"' && attr:
			b.WriteString("&quot;")
		case r == '\n' && attr:
			b.WriteString("&#10;")
		case r == '\t' && attr:
			b.WriteString("&#9;")
		case r == '\r':
			b.WriteString("&#13;")
		case r == '\n' || r == '\t':
			b.WriteRune(r)
		case r < 0x20, r == 0xFFFE, r == 0xFFFF:
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
