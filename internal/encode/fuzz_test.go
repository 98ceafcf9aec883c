package encode

import (
	"os"
	"testing"

	"github.com/relsop/relsop/internal/compile"
)

// FuzzRoundTrip checks, for every input that loads without errors, that the
// model written as YAML loads again into the same model, for the base flow
// and for each resolved release type: the writer's quoting and blocks must
// hold whatever strings a valid file can produce.
func FuzzRoundTrip(f *testing.F) {
	for _, path := range sopFiles(f) {
		src, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	f.Add([]byte(fullSOP))
	f.Fuzz(func(t *testing.T, src []byte) {
		res := compile.Load(src)
		if len(res.Errors) > 0 {
			return
		}
		roundTrip(t, res.SOP)
		for _, rt := range res.SOP.ReleaseTypes {
			resolved, err := res.SOP.Resolve(rt.ID)
			if err != nil {
				t.Fatalf("Resolve(%q): %v", rt.ID, err)
			}
			roundTrip(t, asFile(resolved))
		}
	})
}
