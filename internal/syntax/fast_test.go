package syntax

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goccy/go-yaml/token"
	"github.com/google/go-cmp/cmp"
)

// sameAsParser checks that the fast path, where it accepts src, builds the
// tree the general parser builds, and reports whether it accepted.
func sameAsParser(t *testing.T, src []byte) bool {
	t.Helper()
	if precheck(src) != nil {
		return false
	}
	src = bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n"))
	fast, ok := parseFast(string(src))
	if !ok {
		return false
	}
	slow, err := parseYAML(string(src))
	if err != nil {
		t.Fatalf("the fast path accepted what the parser rejects (%s: %s):\n%s", err.Pos, err.Message, src)
	}
	if diff := cmp.Diff(slow, fast); diff != "" {
		t.Fatalf("the fast path's tree differs from the parser's (-parser +fast):\n%s\ninput:\n%s", diff, src)
	}
	return true
}

// TestFastParseSameTree runs both paths over every YAML file of the
// repository (templates, fixtures, goldens) and over each of them cut
// short at about 40 places, which exercises the fast path's refusals too.
func TestFastParseSameTree(t *testing.T) {
	var files []string
	filepath.WalkDir("../..", func(path string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() && (d.Name() == ".git" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if err == nil && !d.IsDir() && (strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".yml")) {
			files = append(files, path)
		}
		return nil
	})
	if len(files) < 10 {
		t.Fatalf("found only %d YAML files", len(files))
	}
	accepted := 0
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(path, func(t *testing.T) {
			if sameAsParser(t, src) {
				accepted++
			} else {
				t.Logf("refused %s", path)
			}
			lines := bytes.SplitAfter(src, []byte("\n"))
			for n := 1; n < len(lines); n += 1 + len(lines)/40 {
				sameAsParser(t, bytes.Join(lines[:n], nil))
			}
		})
	}
	t.Logf("fast path took %d of %d files", accepted, len(files))
	// The templates are what relsop draws most: the fast path must take
	// them, or it is no faster.
	for _, name := range []string{"saas-weekly", "devops-cicd", "enterprise-cab", "regulated-healthcare"} {
		src, err := os.ReadFile("../templates/" + name + ".sop.yaml")
		if err != nil {
			t.Fatal(err)
		}
		if !sameAsParser(t, src) {
			t.Errorf("the fast path refused template %s", name)
		}
	}
}

// TestFastParseCommentHomes checks that the fast path gives comments the
// homes the parser gives them, around list items whose dash is alone on its
// line, since it finds those items' lines afresh after reading the tree.
func TestFastParseCommentHomes(t *testing.T) {
	for _, src := range []string{
		"steps:\n  -\n    # above the first key\n    id: a # after a\n  - # on the dash\n\n    id: b\n",
		"l:\n  -\n    - x # after x\n    # above y\n    - y\n",
		"l:\n- # on the dash\n  - x\n# between\n-\n  k: v\n# foot\n",
		"a: [b, c] # after the flow list\nm: {k: v} # after the flow map\n# foot\n",
	} {
		if !sameAsParser(t, []byte(src)) {
			t.Errorf("the fast path refused %q", src)
		}
	}
}

// FuzzFastParse checks that wherever the fast path accepts an input it
// builds exactly the general parser's tree.
func FuzzFastParse(f *testing.F) {
	for _, path := range []string{"../templates/saas-weekly.sop.yaml", "../../testdata/example.sop.yaml"} {
		if src, err := os.ReadFile(path); err == nil {
			f.Add(src)
		}
	}
	for _, s := range []string{
		"id: a # trailing\n# own line\nsteps:\n  # above item\n  - id: b\n# foot\n",
		"a: [b, 'c''d', \"e\"] # flow\nm: {role: rm, after: 4h}\n",
		"a: |\n  # not a comment\n  text\n\n    more\nb: >-\n  folded\n  lines\n\n  para\n",
		"list:\n- a\n- b\nn: 1.5\nt: true\nz: ~\nh: 0x1F\n",
		"steps:\n  -   id: b\n      name: x\n  -\n    id: c\n",
		"a: héllo wörld\nb: [é, ü]\n",
		"a: b\n   c\n",
		"a: -1\nb: -x\nc: x:y\nd: a,b\ne: 'q' # c\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		sameAsParser(t, src)
	})
}

// TestSurelyString holds surelyString to the parser's own typing of plain
// scalars (token.New), on words, keywords, durations and numbers.
func TestSurelyString(t *testing.T) {
	for _, s := range []string{
		"deploy", "x", "null", "Null", "NULL", "true", "True", "FALSE", "no", "yes", "on", "off", "y", "n",
		"30m", "4h", "2d", "1w", "15s", "0d", "00h", "08m", "0s", "1m", "99999999999999999999999999d",
		"0x1F", "0o17", "0b101", "0b", "1e5", "1E5", "12", "1.5", "1.", ".5", ".inf", ".nan", "-1h", "+2d",
		"1_0d", "1dd", "h", "1H", "1D", "2026-03-31", "12:30",
	} {
		want := token.New(s, s, nil).Type == token.StringType
		if got := surelyString(s); got && !want {
			t.Errorf("surelyString(%q) = true, but the parser types it %s", s, token.New(s, s, nil).Type)
		}
	}
}

// BenchmarkParse compares the fast path with the general parser on a
// template.
func BenchmarkParse(b *testing.B) {
	src, err := os.ReadFile("../templates/saas-weekly.sop.yaml")
	if err != nil {
		b.Fatal(err)
	}
	b.Run("fast", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, ok := parseFast(string(src)); !ok {
				b.Fatal("refused")
			}
		}
	})
	b.Run("parser", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			parseYAML(string(src))
		}
	})
}
