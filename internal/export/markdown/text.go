package markdown

import (
	"net/url"
	"strings"
	"unicode/utf8"
)

// inline writes s as Markdown text that renders as exactly s: every
// character that could start emphasis, code, a link or image, an autolink,
// raw HTML, an entity, math (GitHub's $...$), a strikethrough, a heading's
// closing sequence or a table cell boundary is backslash-escaped, and line
// breaks become spaces (the places inline text goes, headings, list items
// and cells, cannot hold a line break). Control characters and invalid
// UTF-8 are dropped, as the other exporters drop them. Text that starts a
// line must also go through lineStart.
func inline(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size == 1:
		case r == '\n' || r == '\r' || r == '\t':
			b.WriteByte(' ')
		case r < 0x20 || r == 0x7f:
		case strings.ContainsRune("\\`*_[]<>|~&#$", r):
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	// Spaces at either end would be trimmed, or turn into a hard break.
	return strings.TrimSpace(b.String())
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
	if digits > 0 && digits < len(text) && (text[digits] == '.' || text[digits] == ')') {
		return text[:digits] + "\\" + text[digits:]
	}
	return text
}

// paragraphs writes multi-line text (a description, notes) as Markdown
// paragraphs: a blank line in s separates paragraphs, and the lines of one
// paragraph are joined, so that no line can start a heading, list, quote,
// code block or table.
func paragraphs(s string) []string {
	var out []string
	for _, para := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n\n") {
		if text := lineStart(inline(strings.Join(strings.Fields(para), " "))); text != "" {
			out = append(out, text)
		}
	}
	return out
}

// link writes a link to an http, https or mailto address with title as
// its text. Any other address (javascript:, data:, a relative path) is
// shown as text, never made a link: a document someone opens must not run
// or fetch what an SOP's author wrote.
func link(title, address string) string {
	u, err := url.Parse(strings.TrimSpace(address))
	if title == "" {
		title = address
	}
	web := err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
	mail := err == nil && u.Scheme == "mailto" && u.Opaque != ""
	if !web && !mail {
		return inline(title) + " (" + inline(address) + ")"
	}
	// The angle-bracket form holds any address but '<', '>' and line
	// breaks; url.URL.String has percent-encoded those already.
	return "[" + inline(title) + "](<" + strings.NewReplacer("<", "%3C", ">", "%3E", "\n", "%0A", "\\", "%5C").Replace(u.String()) + ">)"
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
