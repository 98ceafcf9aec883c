package syntax

import (
	"bytes"
	"github.com/goccy/go-yaml/lexer"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/relsop/relsop"
)

// FuzzParse checks that Parse never panics, that it either fails with a
// positioned error or builds a tree whose every node lies inside the input,
// and that no comment is lost: relsop fmt rewrites files from the tree, so
// a comment missing from it would be deleted from the user's file.
func FuzzParse(f *testing.F) {
	if src, err := os.ReadFile("../../testdata/example.sop.yaml"); err == nil {
		f.Add(src)
	}
	for _, s := range []string{
		"id: a # trailing\n# own line\nsteps:\n  # above item\n  - id: b\n# foot\n",
		"a: [b, {c: d}] # flow\n",
		"a: |\n  # not a comment\n  text\n",
		"- a\n- - b\n  - c\n",
		"id:",
		"? a\n: b\n",
		"a: 'it''s' # q\nb: \"#x\"\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		file, perr := Parse(src)
		lines := bytes.Split(src, []byte{'\n'})
		inside := func(what string, p relsop.Pos) {
			if p.Line < 1 || p.Col < 1 || p.Line > len(lines) {
				t.Fatalf("%s at %s, outside the %d lines of the input", what, p, len(lines))
			}
			if utf8.Valid(src) && p.Col > utf8.RuneCount(lines[p.Line-1])+1 {
				t.Fatalf("%s at %s, past the end of its line", what, p)
			}
		}
		if perr != nil {
			if perr.Code == "" || perr.Message == "" || perr.Hint == "" || perr.Severity != relsop.SeverityError {
				t.Fatalf("incomplete error: %+v", perr)
			}
			inside("error "+perr.Code, perr.Pos)
			return
		}
		// Every comment must end up in a head, a foot or a line comment.
		own := map[string]int{}
		for _, c := range file.Foot {
			own[c]++
		}
		var trailing []string
		var walk func(n *Node)
		walk = func(n *Node) {
			if n == nil {
				t.Fatal("nil node in the tree")
			}
			inside("node", n.Pos)
			for _, c := range n.Head {
				own[c]++
			}
			if n.Line != "" {
				trailing = append(trailing, n.Line)
			}
			for _, p := range n.Pairs {
				if p.Key.Kind != Scalar {
					t.Fatalf("key at %s is %s", p.Key.Pos, p.Key.Describe())
				}
				walk(p.Key)
				walk(p.Value)
			}
			for _, it := range n.Items {
				walk(it)
			}
		}
		if file.Root != nil {
			walk(file.Root)
			ToValue(file.Root)
		}
		// Parse reads the text without a byte order mark and with LF line
		// ends; its comments are those of that text.
		text := bytes.ReplaceAll(bytes.TrimPrefix(src, []byte("\ufeff")), []byte("\r\n"), []byte("\n"))
	comments:
		for _, c := range commentsOf(lexer.Tokenize(string(text))) {
			// A bare # after code has no text to keep, and Line cannot
			// hold it.
			if c.text == "" && !bytes.HasPrefix(bytes.TrimSpace(bytes.Split(text, []byte{'\n'})[c.line-1]), []byte("#")) {
				continue
			}
			if own[c.text] > 0 {
				own[c.text]--
				continue
			}
			// Several comments after code on one line are joined.
			for _, l := range trailing {
				if strings.Contains(l, c.text) {
					continue comments
				}
			}
			t.Fatalf("comment %q of line %d is not in the tree", c.text, c.line)
		}
	})
}
