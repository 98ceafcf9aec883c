package checklist

import (
	"strings"
	"unicode"
)

// Limits on the work of reducing inline Markdown: how far ahead a closing
// mark is looked for, how deeply marks nest, and how many steps one file may
// take in all. Past them, marks are kept as written; the result stays the
// same for the same input.
const (
	window      = 1024
	maxDepth    = 16
	totalBudget = 20_000_000
)

// inliner reduces inline Markdown to plain text.
type inliner struct{ budget int }

// plain returns s without emphasis, strikethrough, code marks, link targets
// and backslash escapes, white space collapsed to single spaces.
func (in *inliner) plain(s string) string {
	var b strings.Builder
	in.reduce(&b, []rune(s), 0)
	return strings.Join(strings.Fields(b.String()), " ")
}

func (in *inliner) reduce(b *strings.Builder, r []rune, depth int) {
	for i := 0; i < len(r); {
		c := r[i]
		switch {
		case c == '\\' && i+1 < len(r) && unicode.IsPunct(r[i+1]) || c == '\\' && i+1 < len(r) && unicode.IsSymbol(r[i+1]):
			b.WriteRune(r[i+1])
			i += 2
			continue
		case c == '`':
			n := run(r, i, c)
			if j := in.find(r, i+n, func(j int) bool { return r[j] == '`' && run(r, j, '`') == n && (j == 0 || r[j-1] != '`') }); j >= 0 {
				b.WriteString(string(r[i+n : j]))
				i = j + n
				continue
			}
			b.WriteString(string(r[i : i+n]))
			i += n
			continue
		case (c == '[' || c == '!' && i+1 < len(r) && r[i+1] == '[') && depth < maxDepth:
			open := i
			if c == '!' {
				open++
			}
			if end, next := in.link(r, open); end >= 0 {
				in.reduce(b, r[open+1:end], depth+1)
				i = next
				continue
			}
		case c == '<':
			if j := in.autolink(r, i); j >= 0 {
				b.WriteString(string(r[i+1 : j]))
				i = j + 1
				continue
			}
		case c == '*' || c == '_' || c == '~':
			n := run(r, i, c)
			if depth < maxDepth && opens(r, i, n) {
				if j := in.find(r, i+n+1, func(j int) bool { return closes(r, j, c, n) }); j >= 0 {
					in.reduce(b, r[i+n:j], depth+1)
					i = j + n
					continue
				}
			}
			b.WriteString(string(r[i : i+n]))
			i += n
			continue
		}
		b.WriteRune(c)
		i++
	}
}

// find returns the first j in [from, from+window) with ok(j), or -1.
func (in *inliner) find(r []rune, from int, ok func(int) bool) int {
	for j := from; j < len(r) && j < from+window; j++ {
		if in.budget--; in.budget < 0 {
			return -1
		}
		if ok(j) {
			return j
		}
	}
	return -1
}

// link matches "[text](target)" or "[text][ref]" with r[open] == '['. It
// returns the index of the "]" closing the text and the index after the
// link, or -1.
func (in *inliner) link(r []rune, open int) (end, next int) {
	end = in.match(r, open, '[', ']')
	if end < 0 || end+1 >= len(r) {
		return -1, 0
	}
	switch r[end+1] {
	case '(':
		if k := in.match(r, end+1, '(', ')'); k >= 0 {
			return end, k + 1
		}
	case '[':
		if k := in.match(r, end+1, '[', ']'); k >= 0 {
			return end, k + 1
		}
	}
	return -1, 0
}

// match returns the index of the bracket closing r[at], or -1.
func (in *inliner) match(r []rune, at int, open, close rune) int {
	depth := 0
	for j := at; j < len(r) && j < at+window; j++ {
		if in.budget--; in.budget < 0 {
			return -1
		}
		switch r[j] {
		case '\\':
			j++
		case open:
			depth++
		case close:
			if depth--; depth == 0 {
				return j
			}
		}
	}
	return -1
}

// autolink matches "<scheme:...>" at r[i] and returns the index of ">", or -1.
func (in *inliner) autolink(r []rune, i int) int {
	colon := false
	for j := i + 1; j < len(r) && j < i+window; j++ {
		if in.budget--; in.budget < 0 {
			return -1
		}
		c := r[j]
		switch {
		case c == '>':
			if colon {
				return j
			}
			return -1
		case c == ':' && j > i+2:
			colon = true
		case c == '<' || unicode.IsSpace(c):
			return -1
		case !colon && !(c < unicode.MaxASCII && (unicode.IsLetter(c) || unicode.IsDigit(c) || c == '+' || c == '.' || c == '-')):
			return -1
		}
	}
	return -1
}

// run counts the runes equal to c from r[i] on.
func run(r []rune, i int, c rune) int {
	n := 0
	for i+n < len(r) && r[i+n] == c {
		n++
	}
	return n
}

// opens reports whether the run of n marks at r[i] can open emphasis: it
// is followed by a non-space, "_" does not stand inside a word, and "~"
// comes alone or doubled.
func opens(r []rune, i, n int) bool {
	c := r[i]
	if i+n >= len(r) || unicode.IsSpace(r[i+n]) || n > 3 || c == '~' && n > 2 {
		return false
	}
	return c != '_' || i == 0 || !isWord(r[i-1])
}

// closes reports whether a run of exactly n marks c at r[j] closes emphasis.
func closes(r []rune, j int, c rune, n int) bool {
	if r[j] != c || r[j-1] == c || run(r, j, c) != n || unicode.IsSpace(r[j-1]) {
		return false
	}
	return c != '_' || j+n >= len(r) || !isWord(r[j+n])
}

func isWord(c rune) bool { return unicode.IsLetter(c) || unicode.IsDigit(c) }
