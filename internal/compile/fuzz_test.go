package compile

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"github.com/relsop/relsop"
)

// FuzzLoad feeds arbitrary bytes to Load. Whatever the input, Load must
// return, without panicking, either a model or errors that a person can act
// on: each with a code, a message and a position inside the file. The seed
// corpus is the example SOP, the built-in templates when present, and the
// tricky inputs in testdata/fuzz/FuzzLoad (earlier crashers among them).
func FuzzLoad(f *testing.F) {
	seeds, _ := filepath.Glob("../../testdata/*.sop.yaml")
	templates, _ := filepath.Glob("../templates/*.sop.yaml")
	for _, path := range append(seeds, templates...) {
		src, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		res := Load(src)
		checkResult(t, src, res)
	})
}

// checkResult asserts the properties every Load result must have.
func checkResult(t *testing.T, src []byte, res Result) {
	t.Helper()
	lines := bytes.Split(src, []byte{'\n'})
	for _, e := range res.Errors {
		if e.Severity != relsop.SeverityError {
			t.Errorf("%s: severity %q, want error", e.Pos, e.Severity)
		}
		if e.Code == "" || e.Message == "" {
			t.Errorf("%s: error without code or message: %+v", e.Pos, e)
		}
		if e.Pos.Line < 1 || e.Pos.Col < 1 {
			t.Errorf("error at invalid position %s: %s [%s]", e.Pos, e.Message, e.Code)
			continue
		}
		if e.Pos.Line > len(lines)+1 {
			t.Errorf("error at %s, past the %d lines of the input: %s [%s]", e.Pos, len(lines), e.Message, e.Code)
		}
		// Columns count runes of valid UTF-8 text; the column just past
		// the end of a line is where a missing value would go.
		if e.Pos.Line <= len(lines) && utf8.Valid(src) {
			if n := utf8.RuneCount(lines[e.Pos.Line-1]); e.Pos.Col > n+1 {
				t.Errorf("error at %s, past the %d characters of its line: %s [%s]", e.Pos, n, e.Message, e.Code)
			}
		}
	}
	if len(res.Errors) > 0 {
		return
	}
	if res.SOP == nil {
		t.Fatal("no errors and no SOP")
	}
	for _, rt := range res.SOP.ReleaseTypes {
		resolved, err := res.SOP.Resolve(rt.ID)
		if err != nil {
			t.Errorf("valid SOP, but release type %q does not resolve: %v", rt.ID, err)
			continue
		}
		if len(resolved.ReleaseTypes) != 0 || resolved.ResolvedType != rt.ID {
			t.Errorf("Resolve(%q) kept release types or lost the type: %d, %q", rt.ID, len(resolved.ReleaseTypes), resolved.ResolvedType)
		}
	}
}
