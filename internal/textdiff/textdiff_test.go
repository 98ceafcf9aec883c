package textdiff

import (
	"bytes"
	"fmt"
	"github.com/relsop/relsop/internal/testenv"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestUnifiedEqual(t *testing.T) {
	if d := Unified("a", "b", []byte("x\ny\n"), []byte("x\ny\n"), 3); d != "" {
		t.Errorf("equal inputs gave %q", d)
	}
}

func TestUnified(t *testing.T) {
	tests := []struct{ name, a, b, want string }{
		{"change", "a\nb\nc\n", "a\nB\nc\n", "--- old\n+++ new\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"},
		{"from empty", "", "x\n", "--- old\n+++ new\n@@ -0,0 +1 @@\n+x\n"},
		{"to empty", "x\ny\n", "", "--- old\n+++ new\n@@ -1,2 +0,0 @@\n-x\n-y\n"},
		{"newline added", "a\nb", "a\nb\n", "--- old\n+++ new\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n"},
		{"newline removed", "a\n", "a", "--- old\n+++ new\n@@ -1 +1 @@\n-a\n+a\n\\ No newline at end of file\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Unified("old", "new", []byte(tt.a), []byte(tt.b), 3); got != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

// numbered returns lines "1".."n" with the given lines replaced or removed
// (an empty replacement removes the line).
func numbered(n int, edits map[int]string) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		line, ok := edits[i]
		if !ok {
			line = strconv.Itoa(i)
		}
		if line != "" {
			b.WriteString(line + "\n")
		}
	}
	return b.String()
}

// systemDiff runs diff -u on a and b (the diff of Debian's diffutils).
func systemDiff(t *testing.T, a, b string, args ...string) string {
	t.Helper()
	path := testenv.Tool(t, "diff")
	dir := t.TempDir()
	pa, pb := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	os.WriteFile(pa, []byte(a), 0o644)
	os.WriteFile(pb, []byte(b), 0o644)
	args = append([]string{"-u", "--label", "old", "--label", "new"}, args...)
	out, err := exec.Command(path, append(args, pa, pb)...).Output()
	if ee, ok := err.(*exec.ExitError); err != nil && !(ok && ee.ExitCode() == 1) {
		t.Fatalf("diff: %v", err)
	}
	return string(out)
}

// TestAgainstDiff compares with the system diff on cases whose shortest
// diff is unique, so that any correct tool prints the same text.
func TestAgainstDiff(t *testing.T) {
	tests := []struct{ name, a, b string }{
		{"one change", numbered(20, nil), numbered(20, map[int]string{10: "ten"})},
		{"two hunks", numbered(40, nil), numbered(40, map[int]string{3: "three", 35: ""})},
		{"merged hunks", numbered(30, nil), numbered(30, map[int]string{10: "ten", 16: "sixteen"})},
		{"insert at start", numbered(10, nil), "zero\n" + numbered(10, nil)},
		{"append at end", numbered(10, nil), numbered(10, nil) + "eleven\n"},
		{"no final newline", numbered(10, nil) + "end", numbered(10, nil) + "END"},
		{"final newline dropped", numbered(10, nil), strings.TrimSuffix(numbered(10, nil), "\n")},
		{"rewrite", "a\nb\nc\n", "x\ny\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := systemDiff(t, tt.a, tt.b)
			if got := Unified("old", "new", []byte(tt.a), []byte(tt.b), 3); got != want {
				t.Errorf("got:\n%s\ndiff -u:\n%s", got, want)
			}
		})
	}
}

// TestRandom checks on random inputs that the diff applies, that it is as
// short as diff --minimal's, and that hunks are laid out as diff lays them
// out (same headers) whenever the two pick the same changes.
func TestRandom(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	gen := func() string {
		var b strings.Builder
		n := rng.Intn(30)
		for range n {
			b.WriteString(string(rune('a'+rng.Intn(4))) + "\n")
		}
		if rng.Intn(4) == 0 {
			b.WriteString("tail")
		}
		return b.String()
	}
	for i := range 300 {
		a, b := gen(), gen()
		got := Unified("old", "new", []byte(a), []byte(b), rng.Intn(4))
		if a == b {
			continue
		}
		if applied, err := apply(a, got); err != nil || applied != b {
			t.Fatalf("case %d: diff does not turn a into b (%v)\na=%q\nb=%q\n%s", i, err, a, b, got)
		}
		if i%10 == 0 {
			want := systemDiff(t, a, b, "--minimal")
			if changes(got) != changes(want) {
				t.Fatalf("case %d: %d changed lines, diff --minimal has %d\n%s\n%s", i, changes(got), changes(want), got, want)
			}
		}
	}
}

// changes counts the - and + lines of a unified diff.
func changes(d string) int {
	n := 0
	for _, l := range strings.Split(d, "\n") {
		if (strings.HasPrefix(l, "-") && !strings.HasPrefix(l, "---")) || (strings.HasPrefix(l, "+") && !strings.HasPrefix(l, "+++")) {
			n++
		}
	}
	return n
}

// apply applies a unified diff to a, checking context lines.
func apply(a, diff string) (string, error) {
	al := splitLines(a)
	var out []string
	pos := 0
	lines := splitLines(diff)[2:]
	for k := 0; k < len(lines); k++ {
		l := lines[k]
		if strings.HasPrefix(l, "@@") {
			var start int
			fmt.Sscanf(strings.TrimPrefix(l, "@@ -"), "%d", &start)
			if strings.HasPrefix(l, "@@ -"+strconv.Itoa(start)+",0 ") {
				start++ // an empty range names the line before
			}
			for pos < start-1 {
				out = append(out, al[pos])
				pos++
			}
			continue
		}
		text := l[1:]
		if k+1 < len(lines) && strings.HasPrefix(lines[k+1], `\`) {
			text = strings.TrimSuffix(text, "\n")
			k++
		}
		switch l[0] {
		case ' ', '-':
			if pos >= len(al) || al[pos] != text {
				return "", fmt.Errorf("line %d: have %q, diff says %q", pos+1, al[min(pos, len(al)-1)], text)
			}
			if l[0] == ' ' {
				out = append(out, text)
			}
			pos++
		case '+':
			out = append(out, text)
		}
	}
	out = append(out, al[pos:]...)
	return strings.Join(out, ""), nil
}

// TestLargeFiles keeps the diff fast on files of thousands of lines, both
// for a few changes, for a complete rewrite and for the same lines in
// reverse order, the worst case of the search.
func TestLargeFiles(t *testing.T) {
	var a, b, c, r bytes.Buffer
	for i := range 5000 {
		fmt.Fprintf(&r, "line %d\n", 4999-i)
		fmt.Fprintf(&a, "line %d\n", i)
		if i%500 == 7 {
			fmt.Fprintf(&b, "changed %d\n", i)
		} else {
			fmt.Fprintf(&b, "line %d\n", i)
		}
		fmt.Fprintf(&c, "other %d\n", i)
	}
	for _, tt := range []struct {
		name    string
		b       []byte
		changes int
	}{{"few changes", b.Bytes(), 20}, {"rewrite", c.Bytes(), 10000}, {"reversed", r.Bytes(), 9998}} {
		start := time.Now()
		d := Unified("a", "b", a.Bytes(), tt.b, 3)
		if el := time.Since(start); el > 2*time.Second {
			t.Errorf("%s: took %v", tt.name, el)
		}
		if n := changes(d); n != tt.changes {
			t.Errorf("%s: %d changed lines, want %d", tt.name, n, tt.changes)
		}
	}
}
