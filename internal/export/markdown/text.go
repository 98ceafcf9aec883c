package markdown

import (
	"strings"

	"github.com/relsop/relsop/internal/document"
)

// text writes t as Markdown that renders as exactly its text (see
// inline), with its links as links and its code as code.
func text(t document.Text) string {
	var b strings.Builder
	for _, s := range t {
		switch {
		case s.URL != "":
			// The angle-bracket form holds any address but '<', '>' and
			// line breaks; document.Link has percent-encoded those already.
			b.WriteString("[" + inline(s.Text) + "](<" + strings.NewReplacer("<", "%3C", ">", "%3E", "\n", "%0A", "\\", "%5C").Replace(s.URL) + ">)")
		case s.Code:
			b.WriteString("`" + s.Text + "`")
		default:
			b.WriteString(inline(s.Text))
		}
	}
	return b.String()
}

// inline escapes text for Markdown so that it renders as exactly itself:
// every character that could start emphasis, code, a link or image, an
// autolink, raw HTML, an entity, math (GitHub's $...$), a strikethrough, a
// heading's closing sequence or a table cell boundary is backslash-escaped.
// document.Say has dropped control characters and line breaks already.
// Text that starts a line must also go through lineStart.
func inline(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune("\\`*_[]<>|~&#$", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// lineStart escapes what would make escaped inline text, put at the start
// of a line or of a list item, a block of its own: a list marker ("- ",
// "+ ", "1. ", "1) ") or a setext heading's underline ("=").
func lineStart(text string) string {
	if text == "" {
		return text
	}
	if strings.ContainsRune("-+=", rune(text[0])) {
		return "\\" + text
	}
	digits := 0
	for digits < len(text) && digits < 10 && text[digits] >= '0' && text[digits] <= '9' {
		digits++
	}
	// "2.3 Deploy" is no list marker: one needs a space (or the end) after.
	marker := digits > 0 && digits < len(text) && (text[digits] == '.' || text[digits] == ')')
	if marker && (digits+1 == len(text) || text[digits+1] == ' ') {
		return text[:digits] + "\\" + text[digits:]
	}
	return text
}

// fence returns a code fence longer than any run of backticks in body, so
// that nothing in body can close the block early.
func fence(body string) string {
	longest, run := 0, 0
	for i := 0; i < len(body); i++ {
		if body[i] == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return strings.Repeat("`", max(3, longest+1))
}
