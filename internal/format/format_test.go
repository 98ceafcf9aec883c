package format

import (
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/relsop/relsop/internal/syntax"
)

var update = flag.Bool("update", false, "rewrite the golden files of TestGolden")

// goldenDir holds hand-written messy inputs (*.in.sop.yaml) and their
// canonical forms (*.out.sop.yaml).
const goldenDir = "../../testdata/format"

// TestGolden formats each golden input and compares with its output file;
// go test -update rewrites the output files.
func TestGolden(t *testing.T) {
	ins, err := filepath.Glob(filepath.Join(goldenDir, "*.in.sop.yaml"))
	if err != nil || len(ins) == 0 {
		t.Fatalf("no golden inputs in %s (%v)", goldenDir, err)
	}
	for _, in := range ins {
		name := strings.TrimSuffix(filepath.Base(in), ".in.sop.yaml")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			f, perr := syntax.Parse(src)
			if perr != nil {
				t.Fatalf("parse: %s at %s", perr.Message, perr.Pos)
			}
			got := Format(f)
			outPath := strings.TrimSuffix(in, ".in.sop.yaml") + ".out.sop.yaml"
			if *update {
				if err := os.WriteFile(outPath, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(outPath)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if string(got) != string(want) {
				t.Errorf("Format(%s) differs from %s:\n%s", in, outPath, got)
			}
			if p := checkFormat(src); p != "" {
				t.Error(p)
			}
		})
	}
}

// TestRealFiles checks the formatter's promises on every SOP in the
// repository: the example and golden files and the built-in templates,
// which are found when the test runs so that new ones are covered.
func TestRealFiles(t *testing.T) {
	var files []string
	for _, dir := range []string{"../../testdata", "../templates"} {
		filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(path, ".sop.yaml") {
				files = append(files, path)
			}
			return nil
		})
	}
	if len(files) == 0 {
		t.Fatal("no *.sop.yaml files found")
	}
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if p := checkFormat(src); p != "" {
			t.Errorf("%s:\n%s", path, p)
		}
	}
}

// TestFormatCases pins down individual rules on small inputs.
func TestFormatCases(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"empty document", "---\n", "---\n"},
		{"only comments", "# a\n#b\n", "# a\n# b\n"},
		{"null root", "~\n", "null\n"},
		{"scalar root", "hello\n", "\"hello\"\n"},
		{"literal root", "|\n  a\n  b\n", "|\n  a\n  b\n"},
		{"sequence root", "- a\n-\n- [x, y]\n", "- a\n-\n- - x\n  - y\n"},
		{"null value", "id:   # why\n", "id:  # why\n"},
		{"empty collections", "roles: [ ]\nreview: {}\n", "review: {}\nroles: []\n"},
		{"quoting", "id: 'yes'\ntitle: \"plain text\"\nversion: '1.0'\nowner: \"#team\"\nscope: 'a: b'\n",
			"id: \"yes\"\ntitle: plain text\nversion: \"1.0\"\nowner: \"#team\"\nscope: \"a: b\"\n"},
		{"numbers stay as written", "version: 1.10\nx: 0x1F\ny: True\n", "version: 1.10\nx: 0x1F\ny: True\n"},
		{"escapes", "title: \"tab\\there\\u0007\"\n", "title: \"tab\\there\\u0007\"\n"},
		{"literal keep", "notes: \"a\\nb\\n\"\n", "notes: |\n  a\n  b\n"},
		{"literal strip", "notes: \"a\\n\\nb\"\n", "notes: |-\n  a\n\n  b\n"},
		{"trailing spaces quoted", "notes: \"a  \\nb\"\n", "notes: \"a  \\nb\"\n"},
		{"folded becomes literal", "notes: >\n  one\n  two\n\n  three\n", "notes: |\n  one two\n  three\n"},
		{"flow list", "steps:\n- id: a\n  next:\n  - b\n  - c\n", "steps:\n  - id: a\n    next: [b, c]\n"},
		{"single item stays a list", "steps:\n- id: a\n  next:\n  - b\n", "steps:\n  - id: a\n    next: [b]\n"},
		{"unsafe item keeps block", "steps:\n- id: a\n  criteria: ['a, b', c]\n", "steps:\n  - id: a\n    criteria:\n      - a, b\n      - c\n"},
		{"commented item keeps block", "steps:\n- id: a\n  next:\n  - b  # first\n  - c\n", "steps:\n  - id: a\n    next:\n      - b  # first\n      - c\n"},
		{"long list goes block", "steps:\n- id: a\n  next: [" + strings.Repeat("abcdefghij, ", 9) + "x]\n",
			"steps:\n  - id: a\n    next:\n" + strings.Repeat("      - abcdefghij\n", 9) + "      - x\n"},
		{"unknown keys last in order", "zeta: 1\ntitle: t\nalpha: 2\nid: x\n", "id: x\ntitle: t\nzeta: 1\nalpha: 2\n"},
		{"outcomes keep order", "steps:\n- outcomes: {no-go: b, go: a}\n  id: g\n", "steps:\n  - id: g\n    outcomes:\n      no-go: b\n      go: a\n"},
		{"nested objects sorted", "steps:\n- escalation: {after: 4h, role: sre}\n  id: g\n", "steps:\n  - id: g\n    escalation:\n      role: sre\n      after: 4h\n"},
		{"release type changes sorted", "release_types:\n- change:\n  - approvers: [sre]\n    step: g\n  id: e\n",
			"release_types:\n  - id: e\n    change:\n      - step: g\n        approvers: [sre]\n"},
		{"top comment stays on top", "# top\ntitle: t\nid: x\n", "# top\nid: x\ntitle: t\n"},
		{"comment moves with its key", "title: t\n# about id\nid: x  # x!\n", "# about id\nid: x  # x!\ntitle: t\n"},
		{"comment on block key", "review:   # r\n  cadence: weekly\n", "review:  # r\n  cadence: weekly\n"},
		{"comment above moved first key", "steps:\n  - name: n\n    # the id\n    id: a\n", "steps:\n  # the id\n  - id: a\n    name: n\n"},
		{"flow item comment", "roles:\n  - {id: a, name: A}  # first\n", "roles:\n  - id: a  # first\n    name: A\n"},
		{"blank lines", "id: x\nroles:\n- id: a\nsteps:\n- id: s\n- id: t\nnotes: n\n",
			"id: x\nroles:\n  - id: a\n\nsteps:\n  - id: s\n\n  - id: t\nnotes: n\n"},
		{"foot comments", "id: x\n# end\n", "id: x\n# end\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, perr := syntax.Parse([]byte(tt.in))
			if perr != nil {
				t.Fatalf("parse: %s", perr.Message)
			}
			if got := string(Format(f)); got != tt.want {
				t.Errorf("Format(%q):\n%s\nwant:\n%s", tt.in, got, tt.want)
			}
			if p := checkFormat([]byte(tt.in)); p != "" {
				t.Error(p)
			}
		})
	}
}

// TestFormatDoesNotChangeTree guards the promise that Format leaves its
// argument alone: callers format a tree they go on using.
func TestFormatDoesNotChangeTree(t *testing.T) {
	src := []byte("title: t\n# c\nid: x\nsteps:\n- name: n\n  id: a\n")
	f, _ := syntax.Parse(src)
	before := f.Root.Pairs[0].Key.Value
	Format(f)
	if f.Root.Pairs[0].Key.Value != before || len(f.Root.Pairs[1].Key.Head) != 1 {
		t.Error("Format changed its argument")
	}
}
