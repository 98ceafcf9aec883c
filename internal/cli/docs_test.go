package cli

import (
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/relsop/relsop/internal/lint"
	"github.com/relsop/relsop/internal/schema"
)

var updateDocs = flag.Bool("update", false, "rewrite golden files and generated docs")

// generatedMarker separates a doc's hand-written part from the part
// generated from the code's own tables.
const generatedMarker = "<!-- generated below: do not edit; go test ./internal/cli -run Docs -update -->\n"

// TestDocsInSync keeps docs/format.md and docs/rules.md equal to the tables
// they document, so the docs never drift from the code.
func TestDocsInSync(t *testing.T) {
	for _, doc := range []struct{ path, generated string }{
		{"../../docs/format.md", schema.Markdown()},
		{"../../docs/rules.md", lint.Markdown()},
	} {
		src, err := os.ReadFile(doc.path)
		if err != nil {
			t.Fatal(err)
		}
		head, _, ok := strings.Cut(string(src), generatedMarker)
		if !ok {
			t.Fatalf("%s lacks the marker %q", doc.path, generatedMarker)
		}
		want := head + generatedMarker + doc.generated
		if string(src) == want {
			continue
		}
		if *updateDocs {
			if err := os.WriteFile(doc.path, []byte(want), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		t.Errorf("%s is out of date: run go test ./internal/cli -run Docs -update", doc.path)
	}
}
