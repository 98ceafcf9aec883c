package svg

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// clean returns s with every character XML 1.0 forbids removed, so that no
// user-supplied name can make the document ill-formed. Invalid UTF-8 becomes
// U+FFFD rather than vanishing, which keeps the damage visible. Tabs and line
// breaks become spaces: every string drawn here is a single line, and an
// attribute value would otherwise be normalised by the parser anyway.
func clean(s string) string {
	ok := true
	for _, r := range s {
		if !legalChar(r) || r == '\t' || r == '\n' || r == '\r' || r == utf8.RuneError {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			b.WriteByte(' ')
		case legalChar(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

// legalChar reports whether r may appear in an XML 1.0 document (the Char
// production of the specification).
func legalChar(r rune) bool {
	switch {
	case r == 0x9 || r == 0xA || r == 0xD:
		return true
	case r >= 0x20 && r <= 0xD7FF:
		return true
	case r >= 0xE000 && r <= 0xFFFD:
		return true
	case r >= 0x10000 && r <= 0x10FFFF:
		return true
	}
	return false
}

// escaper escapes the five characters with meaning in XML. Quotes are escaped
// in text content too, so that one function is safe in every position.
var escaper = strings.NewReplacer(
	"&", "&amp;",
	"<", "&lt;",
	">", "&gt;",
	`"`, "&quot;",
	"'", "&#39;",
)

// esc makes s safe as XML text content or as a quoted attribute value.
func esc(s string) string { return escaper.Replace(clean(s)) }

// num formats a coordinate with at most two decimals. Rounding first keeps
// the output byte-stable across platforms and free of float noise such as
// 0.30000000000000004; "-0" and non-finite values would be rejected or
// misread by some SVG consumers, so they become "0".
func num(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "0"
	}
	r := math.Round(v*100) / 100
	if r == 0 {
		r = 0 // turns -0 into 0
	}
	return strconv.FormatFloat(r, 'f', -1, 64)
}
