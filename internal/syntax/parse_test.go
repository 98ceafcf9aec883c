package syntax

import (
	"fmt"
	"strings"
	"testing"
)

// dump prints a tree compactly, with comments, for assertions.
func dump(n *Node, indent string, b *strings.Builder) {
	if n == nil {
		b.WriteString(indent + "<nil>\n")
		return
	}
	for _, h := range n.Head {
		fmt.Fprintf(b, "%s#head %s\n", indent, h)
	}
	line := ""
	if n.Line != "" {
		line = " #line " + n.Line
	}
	switch n.Kind {
	case Scalar:
		fmt.Fprintf(b, "%s%q@%s%s\n", indent, n.Value, n.Pos, line)
	case Null:
		fmt.Fprintf(b, "%snull@%s%s\n", indent, n.Pos, line)
	case Mapping:
		fmt.Fprintf(b, "%smap@%s%s\n", indent, n.Pos, line)
		for _, p := range n.Pairs {
			dump(p.Key, indent+"  ", b)
			dump(p.Value, indent+"    ", b)
		}
	case Sequence:
		fmt.Fprintf(b, "%sseq@%s%s\n", indent, n.Pos, line)
		for _, it := range n.Items {
			dump(it, indent+"  - ", b)
		}
	}
}

func TestParseKeepsPositionsAndComments(t *testing.T) {
	src := `# head of file
id: x   # trailing id
# before title
title: "Hello"
steps:
  # first step
  - id: a
    next: [b, c]  # after next
  # second
  - id: b
    owner:
# the end
`
	f, err := Parse([]byte(src))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	var b strings.Builder
	dump(f.Root, "", &b)
	got := b.String()
	for _, want := range []string{
		"#head head of file\n  \"id\"@2:1 #line trailing id",
		"#head before title\n  \"title\"@4:1",
		"\"next\"@8:5 #line after next",
		"\"owner\"@11:5\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("tree lacks %q:\n%s", want, got)
		}
	}
	// A comment above a list item belongs to the item, not to its first key.
	for _, c := range []struct{ head, item string }{{"#head first step", "map@7:5"}, {"#head second", "map@10:5"}} {
		lines := strings.Split(got, "\n")
		for i, l := range lines {
			if strings.HasSuffix(l, c.head) && (i+1 == len(lines) || !strings.HasSuffix(lines[i+1], c.item)) {
				t.Errorf("%q is not on item %s:\n%s", c.head, c.item, got)
			}
		}
	}
	if len(f.Foot) != 1 || f.Foot[0] != "the end" {
		t.Errorf("Foot = %q, want [the end]", f.Foot)
	}
}

func TestParseRejectsBadInput(t *testing.T) {
	tests := []struct {
		name, src, code, pos string
	}{
		{"empty", "  \n\n", CodeEmpty, "1:1"},
		{"nul", "id: a\x00", CodeNotText, "1:6"},
		{"invalid utf8", "id: a\nname: \xff", CodeNotText, "2:7"},
		{"duplicate key", "id: a\nid: b\n", CodeDuplicate, "2:1"},
		{"unclosed bracket", "next: [a, b\nid: c\n", CodeSyntax, "2:1"},
		{"anchor", "a: &x 1\nb: *x\n", CodeUnsupported, "1:4"},
		{"tag", "a: !!str 1\n", CodeUnsupported, "1:4"},
		{"two documents", "a: 1\n---\nb: 2\n", CodeUnsupported, "3:1"},
		{"deep flow", "a: " + strings.Repeat("[", 100) + strings.Repeat("]", 100), CodeTooLarge, "1:68"},
		{"deep block", strings.Repeat("- ", 100) + "x", CodeTooLarge, "1:129"},
		{"too large", "a: " + strings.Repeat("x", MaxFileSize), CodeTooLarge, "1:1"},
		{"tab in a plain value", "id: a\nname: Run\tsuite\n", CodeSyntax, "2:7"},
		{"repeated key in a flow mapping", "a: {b, b: 1}\n", CodeDuplicate, "1:8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.src))
			if err == nil {
				t.Fatal("Parse succeeded, want error")
			}
			if err.Code != tt.code || err.Pos.String() != tt.pos {
				t.Errorf("got %s at %s (%s), want %s at %s", err.Code, err.Pos, err.Message, tt.code, tt.pos)
			}
			if err.Message == "" || err.Hint == "" {
				t.Errorf("error lacks message or hint: %+v", err)
			}
		})
	}
}

func TestParseKeepsTabsWhereYAMLDoes(t *testing.T) {
	f, err := Parse([]byte("a: \"x\\tb\"\nb: |\n  x\tb\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Root.Get("a").Value; got != "x\tb" {
		t.Errorf("quoted value = %q", got)
	}
	if got := f.Root.Get("b").Value; got != "x\tb\n" {
		t.Errorf("block value = %q", got)
	}
}

// A comment after a dash that stands alone belongs to that list item, not
// to the entry before it.
func TestParseCommentAfterBareDash(t *testing.T) {
	f, err := Parse([]byte("steps:\n  - id: a\n    name: A\n  -   # the second\n    id: b\n"))
	if err != nil {
		t.Fatal(err)
	}
	items := f.Root.Get("steps").Items
	if items[1].Line != "the second" {
		t.Errorf("second item's comment = %q; first item's name has %q", items[1].Line, items[0].Get("name").Line)
	}
}
