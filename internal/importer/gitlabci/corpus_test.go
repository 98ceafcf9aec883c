package gitlabci

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/relsop/relsop/internal/importer/importertest"
)

// TestCorpus imports every GitLab CI file of the shared corpus: each must
// give an SOP that validates.
func TestCorpus(t *testing.T) {
	for _, path := range importertest.Corpus(t, "gitlab-ci") {
		t.Run(filepath.Base(path), func(t *testing.T) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			res, err := Import(path, src, Options{})
			if err != nil {
				t.Fatalf("import failed: %v", err)
			}
			importertest.Validate(t, res)
			for _, w := range res.Warnings {
				t.Logf("%s:%s: %s", w.File, w.Pos, w.Message)
			}
		})
	}
}
