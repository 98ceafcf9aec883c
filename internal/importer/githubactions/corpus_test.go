package githubactions

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/relsop/relsop/internal/importer/importertest"
)

// TestCorpus imports every workflow of the shared corpus: each must give an
// SOP that validates.
func TestCorpus(t *testing.T) {
	for _, path := range importertest.Corpus(t, "github-actions") {
		t.Run(filepath.Base(path), func(t *testing.T) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			res, err := Import(path, src)
			if err != nil {
				t.Fatalf("import failed: %v", err)
			}
			importertest.Validate(t, res)
		})
	}
}
