// Package importertest holds what the importers' tests share: the corpus
// files of a format, and the check that an import validates.
package importertest

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/relsop/relsop/internal/importer"
	"github.com/relsop/relsop/internal/testenv"
)

// Corpus returns the files of $RELSOP_CORPUS/dir, skipping the test when
// the corpus is missing (failing with RELSOP_REQUIRE_TOOLS=1).
func Corpus(t *testing.T, dir string) []string {
	t.Helper()
	root := filepath.Join(testenv.SharedDir(t, "RELSOP_CORPUS", "corpus"), dir)
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatalf("reading the corpus: %v", err)
	}
	var out []string
	for _, e := range entries {
		if !e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
			out = append(out, filepath.Join(root, e.Name()))
		}
	}
	sort.Strings(out)
	if len(out) == 0 {
		t.Fatalf("no files in %s", root)
	}
	return out
}

// Validate fails the test unless the result writes out as an SOP that
// loads without errors, and every warning has a position.
func Validate(t testing.TB, res *importer.Result) []byte {
	t.Helper()
	if res == nil || res.SOP == nil {
		t.Fatal("the import returned no SOP")
	}
	src, loaded := importer.Encode(res.SOP)
	for _, e := range loaded.Errors {
		t.Errorf("the imported SOP does not validate: %s: %s [%s]", e.Pos, e.Message, e.Code)
	}
	if len(loaded.Errors) > 0 {
		t.Logf("imported SOP:\n%s", src)
	}
	for _, w := range res.Warnings {
		if !w.Pos.IsValid() {
			t.Errorf("warning without a position: %s", w.Message)
		}
	}
	return src
}
