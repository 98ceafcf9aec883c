package svg

import (
	"strings"
	"unicode/utf8"
)

// appendEscaped appends s to b made safe as XML text content or as a quoted
// attribute value.
//
// Every character XML 1.0 forbids is removed, so that no user-supplied name
// can make the document ill-formed. Invalid UTF-8 becomes U+FFFD rather than
// vanishing, which keeps the damage visible. Tabs and line breaks become
// spaces: every string drawn here is a single line, and an attribute value
// would otherwise be normalised by the parser anyway. The five characters
// with meaning in XML are escaped; quotes are escaped in text content too,
// so that one function is safe in every position.
func appendEscaped(b []byte, s string) []byte {
	for {
		// Most strings (ids, classes, colours, most names) are plain ASCII,
		// and the others mostly runs of it between a few other characters:
		// each run is copied whole.
		i := 0
		for i < len(s) && plainBytes[s[i]] {
			i++
		}
		b = append(b, s[:i]...)
		if i == len(s) {
			return b
		}
		var n int
		b, n = appendEscapedChar(b, s[i:])
		s = s[i+n:]
	}
}

// appendEscapedChar appends the first character of s, which is not plain
// ASCII, as appendEscaped describes, and returns how many bytes of s it
// took.
func appendEscapedChar(b []byte, s string) ([]byte, int) {
	c := s[0]
	if c >= utf8.RuneSelf {
		r, size := utf8.DecodeRuneInString(s)
		if legalChar(r) { // U+FFFD, the decoding of invalid bytes, is legal
			b = utf8.AppendRune(b, r)
		}
		return b, size
	}
	switch c {
	case '&':
		b = append(b, "&amp;"...)
	case '<':
		b = append(b, "&lt;"...)
	case '>':
		b = append(b, "&gt;"...)
	case '"':
		b = append(b, "&quot;"...)
	case '\'':
		b = append(b, "&#39;"...)
	case '\t', '\n', '\r':
		b = append(b, ' ')
	default:
		if legalChar(rune(c)) {
			b = append(b, c)
		}
	}
	return b, 1
}

// plainBytes marks the bytes that stand for themselves in XML: printable
// ASCII other than the five characters with meaning in XML. It is a table
// because appendEscaped looks up every byte of every string it writes.
var plainBytes = func() (plain [256]bool) {
	for c := ' '; c < utf8.RuneSelf; c++ {
		plain[c] = !strings.ContainsRune(`&<>"'`, c)
	}
	return plain
}()

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
