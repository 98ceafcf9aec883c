package syntax

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestParseLineEnds checks that Windows files parse as their LF twins do,
// with the same positions, and that a BOM is not part of the first key.
func TestParseLineEnds(t *testing.T) {
	lf := "# head\nid: a   # id\n# above b\nb:\n  - x # item\n  - y\nc: |\n  one\n  two\n"
	crlf := strings.ReplaceAll(lf, "\n", "\r\n")
	want := dumpOf(t, lf)
	for name, src := range map[string]string{"CRLF": crlf, "BOM": "\ufeff" + lf, "BOM and CRLF": "\ufeff" + crlf} {
		if got := dumpOf(t, src); got != want {
			t.Errorf("%s: tree\n%s\nwant\n%s", name, got, want)
		}
	}
}

func dumpOf(t *testing.T, src string) string {
	t.Helper()
	f, err := Parse([]byte(src))
	if err != nil {
		t.Fatalf("Parse(%q): %s", src, err.Message)
	}
	var b strings.Builder
	dump(f.Root, "", &b)
	for _, c := range f.Foot {
		b.WriteString("#foot " + c + "\n")
	}
	return b.String()
}

func TestParseRejectsMore(t *testing.T) {
	tests := []struct {
		name, src, code, pos string
	}{
		{"lone CR", "id: a\rtitle: b\r", CodeUnsupported, "1:6"},
		{"CR before CRLF", "id: a\r\r\ntitle: b\r\n", CodeUnsupported, "1:6"},
		{"mapping of too many keys", "steps:\n  - " + manyKeyLines(MaxKeys+1, "    "), CodeTooLarge, "1002:5"},
		{"too many list items", "a:\n" + strings.Repeat("- b\n", MaxNodes+1), CodeTooLarge, "400001:1"},
		{"deep indentation", deepIndent(100), CodeTooLarge, "65:65"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			_, err := Parse([]byte(tt.src))
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("took %v", d)
			}
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

// manyKeyLines writes n distinct keys of one mapping, the first after the
// text before it and the others indented by indent.
func manyKeyLines(n int, indent string) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(indent)
		}
		b.WriteString("k" + strings.Repeat("x", i%7) + strconv.Itoa(i) + ": v\n")
	}
	return b.String()
}

func deepIndent(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(strings.Repeat(" ", i) + "k:\n")
	}
	return b.String()
}

// TestMappingsAtLimit checks the key limit counts one mapping at a time: many
// small mappings, and one mapping of exactly MaxKeys keys, are fine.
func TestMappingsAtLimit(t *testing.T) {
	if _, err := Parse([]byte("steps:\n  - " + manyKeyLines(MaxKeys, "    "))); err != nil {
		t.Errorf("a mapping of %d keys: %s", MaxKeys, err.Message)
	}
	var b strings.Builder
	b.WriteString("steps:\n")
	for i := range 3 * MaxKeys {
		b.WriteString("  - id: s" + strconv.Itoa(i) + "\n    name: N\n    # a comment at the left margin\n# and further left\n    next: x\n")
	}
	if _, err := Parse([]byte(b.String())); err != nil {
		t.Errorf("%d small mappings: %s at %s", 3*MaxKeys, err.Message, err.Pos)
	}
}

// TestImplicitNullPosition checks an empty value at the very end of the
// input is placed just after its colon, inside the text.
func TestImplicitNullPosition(t *testing.T) {
	for _, src := range []string{"id:", "id:\n", "a: b\nid:"} {
		f, err := Parse([]byte(src))
		if err != nil {
			t.Fatalf("Parse(%q): %s", src, err.Message)
		}
		v := f.Root.Get("id")
		lines := strings.Split(src, "\n")
		if v == nil || v.Kind != Null || v.Pos.Line != len(strings.Split(strings.TrimSuffix(src, "\n"), "\n")) ||
			v.Pos.Col > len(lines[v.Pos.Line-1])+1 {
			t.Errorf("Parse(%q): id value %+v, want a null inside the text", src, v)
		}
	}
}
