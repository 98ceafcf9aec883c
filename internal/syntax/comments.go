package syntax

import (
	"cmp"
	"slices"
	"sort"
	"strings"

	"github.com/goccy/go-yaml/token"
)

// attachComments gives every comment of a source, split into its lines, a
// home in the tree, so that formatting never loses one. A comment alone on
// its line belongs to the next entry (a mapping key or list item); a
// comment after code belongs to the last entry that starts on or before its
// line. Comments after the last entry become the file's foot.
func attachComments(f *File, lines []string, entries []entry, comments []comment) {
	if len(comments) == 0 {
		return
	}
	byLine := func(a, b entry) int { return cmp.Compare(a.line, b.line) }
	if !slices.IsSortedFunc(entries, byLine) { // as the fast path leaves them
		slices.SortStableFunc(entries, byLine)
	}
	for _, c := range comments {
		own := c.line-1 < len(lines) && strings.HasPrefix(strings.TrimSpace(lines[c.line-1]), "#")
		if own {
			i := sort.Search(len(entries), func(i int) bool { return entries[i].line > c.line })
			if i == len(entries) {
				f.Foot = append(f.Foot, c.text)
				continue
			}
			entries[i].node.Head = append(entries[i].node.Head, c.text)
			continue
		}
		i := sort.Search(len(entries), func(i int) bool { return entries[i].line > c.line }) - 1
		if i < 0 {
			if len(entries) > 0 {
				entries[0].node.Head = append(entries[0].node.Head, c.text)
			} else {
				f.Foot = append(f.Foot, c.text)
			}
			continue
		}
		n := entries[i].node
		if n.Line != "" {
			n.Line += " " + c.text
		} else {
			n.Line = c.text
		}
	}
}

type comment struct {
	line int
	text string // without the leading "#" and one space
}

// commentsOf returns the comments among the tokens of a file.
func commentsOf(tokens token.Tokens) []comment {
	var out []comment
	for _, tk := range tokens {
		if tk.Type != token.CommentType || tk.Position == nil {
			continue
		}
		text := strings.TrimPrefix(tk.Value, "#")
		text = strings.TrimPrefix(text, " ")
		out = append(out, comment{line: tk.Position.Line, text: strings.TrimRight(text, " \t\r")})
	}
	return out
}
