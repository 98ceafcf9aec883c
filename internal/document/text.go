package document

import (
	"net/url"
	"strings"
	"unicode/utf8"
)

// Span is a run of text in one style.
type Span struct {
	Text string
	// URL makes the span a link. Only an http or https address with a
	// host, or a mailto address, is ever made one (see Link).
	URL string
	// Code is a command the reader types. Only the document's own words
	// are code, never SOP text.
	Code bool
}

// Text is a run of spans: a heading, a paragraph, a list item or a cell.
type Text []Span

// Say returns SOP text as a Text: control characters and invalid UTF-8
// dropped, as the exporters drop them, line breaks and tabs turned into
// spaces (the places text goes cannot hold a line break), and spaces at
// either end trimmed. Writers escape it for their format.
func Say(s string) Text {
	if s = clean(s); s == "" {
		return nil
	}
	return Text{{Text: s}}
}

// Lit returns the document's own words as a Text, as they are.
func Lit(s string) Text { return Text{{Text: s}} }

// Code returns a command for the reader to type.
func Code(s string) Text { return Text{{Text: s, Code: true}} }

// Say, Lit and Cat append to a copy of t, so that texts built from a
// shared prefix never share their spans.
func (t Text) Say(s string) Text { return t.Cat(Say(s)) }
func (t Text) Lit(s string) Text { return t.Cat(Lit(s)) }
func (t Text) Cat(u Text) Text   { return append(t[:len(t):len(t)], u...) }

// String is the text as a reader reads it.
func (t Text) String() string {
	var b strings.Builder
	for _, s := range t {
		b.WriteString(s.Text)
	}
	return b.String()
}

// Join joins texts with the document's own separator between them.
func Join(ts []Text, sep string) Text {
	var out Text
	for i, t := range ts {
		if i > 0 {
			out = out.Lit(sep)
		}
		out = out.Cat(t)
	}
	return out
}

// dash is t, or a dash when t is empty: a table cell is never blank.
func dash(t Text) Text {
	if len(t) == 0 || t.String() == "" {
		return Lit("—")
	}
	return t
}

func clean(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size == 1:
		case r == '\n' || r == '\r' || r == '\t':
			b.WriteByte(' ')
		case r < 0x20 || r == 0x7f:
		default:
			b.WriteRune(r)
		}
	}
	return strings.TrimSpace(b.String())
}

// words is s with its runs of spaces and line breaks made single spaces.
func words(s string) string { return strings.Join(strings.Fields(s), " ") }

// paragraphs splits multi-line SOP text at its blank lines and joins the
// lines of each paragraph.
func paragraphs(s string) []Text {
	var out []Text
	for _, para := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n\n") {
		if t := Say(words(para)); len(t) > 0 {
			out = append(out, t)
		}
	}
	return out
}

// Link returns a link to an http, https or mailto address with title as
// its text. Any other address (javascript:, data:, a relative path) is
// shown as text, never made a link: a document someone opens must not run
// or fetch what an SOP's author wrote. The link's address is written in
// url.URL's encoding, which has no spaces, quotes or angle brackets.
func Link(title, address string) Text {
	u, err := url.Parse(strings.TrimSpace(address))
	if title == "" {
		title = address
	}
	web := err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
	mail := err == nil && u.Scheme == "mailto" && u.Opaque != ""
	if !web && !mail {
		return Say(title).Lit(" (").Say(address).Lit(")")
	}
	t := Say(title)
	if len(t) == 0 {
		t = Say(u.String())
	}
	t[0].URL = u.String()
	return t
}
