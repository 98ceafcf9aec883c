package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/relsop/relsop"
)

func TestExcerpt(t *testing.T) {
	src := []byte("id: x\n\towner: qa-laed\nname: \x1b[31mred\n" + "title: " + strings.Repeat("é", 300) + "X\n")
	tests := []struct {
		name string
		pos  relsop.Pos
		want string
	}{
		{"plain", relsop.Pos{Line: 1, Col: 5}, " 1 | id: x\n   |     ^"},
		{"tab kept for alignment", relsop.Pos{Line: 2, Col: 9}, " 2 | \towner: qa-laed\n   | \t       ^"},
		{"control characters masked", relsop.Pos{Line: 3, Col: 7}, " 3 | name: ?[31mred\n   |       ^"},
		{"outside the file", relsop.Pos{Line: 99, Col: 1}, ""},
		{"no position", relsop.Pos{}, ""},
	}
	for _, tt := range tests {
		if got := Excerpt(src, tt.pos); got != tt.want {
			t.Errorf("%s: Excerpt = %q, want %q", tt.name, got, tt.want)
		}
	}
	// A very long line is windowed around the column, and the caret still
	// points at the character the position names.
	long := Excerpt(src, relsop.Pos{Line: 4, Col: 308})
	lines := strings.Split(long, "\n")
	caret := strings.Index(lines[1], "^") - len(" 4 | ")
	if r := []rune(lines[0][len(" 4 | "):]); caret < 0 || caret >= len(r) || r[caret] != 'X' {
		t.Errorf("caret does not point at X in a long line:\n%s", long)
	}
}

func TestTextAndSummary(t *testing.T) {
	fs := []relsop.Finding{{File: "a.sop.yaml", Pos: relsop.Pos{Line: 3, Col: 4}, Severity: relsop.SeverityError, Code: "unknown-role", Message: "owner is \"x\"", Hint: "define it"}}
	var b bytes.Buffer
	Text(&b, fs, Style{})
	Summary(&b, 1, fs)
	want := "a.sop.yaml:3:4: error: owner is \"x\" [unknown-role]\n  hint: define it\n1 file checked: 1 error, 0 warnings, 0 info findings\n"
	if b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
	b.Reset()
	Text(&b, fs, Style{Color: true})
	if !strings.Contains(b.String(), "\x1b[1;31merror\x1b[0m") {
		t.Errorf("colour missing on a terminal: %q", b.String())
	}
}

func TestArtifactURI(t *testing.T) {
	for in, want := range map[string]string{"sops/a b.sop.yaml": "sops/a%20b.sop.yaml", "./x.sop.yaml": "x.sop.yaml", "<stdin>": "stdin"} {
		if got := artifactURI(in); got != want {
			t.Errorf("artifactURI(%q) = %q, want %q", in, got, want)
		}
	}
}
