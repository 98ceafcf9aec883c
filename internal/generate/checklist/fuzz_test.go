package checklist

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// wholeFile are the codes of findings that may concern the whole file, with
// Line 0.
var wholeFile = map[string]bool{CodeNoItems: true, CodeTooLarge: true}

func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.md"))
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("- [ ] **a [b](c) `d`** <!-- e\n-->\n  1) [x] ~~f~~\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c1, f1 := Parse("f.md", data)
		c2, f2 := Parse("f.md", data)
		if diff := cmp.Diff(c1, c2); diff != "" {
			t.Fatalf("not deterministic:\n%s", diff)
		}
		if diff := cmp.Diff(f1, f2); diff != "" {
			t.Fatalf("findings not deterministic:\n%s", diff)
		}
		for _, f := range f1 {
			switch {
			case f.Pos.Line == 0 && !wholeFile[f.Code]:
				t.Errorf("finding without a position: %+v", f)
			case f.Pos.Line < 0 || f.Pos.Line > 0 && f.Pos.Col < 1:
				t.Errorf("bad position: %+v", f)
			case f.Message == "" || f.Code == "":
				t.Errorf("incomplete finding: %+v", f)
			}
		}
		for _, s := range c1.Sections {
			if len(s.Items) == 0 || s.Line < 1 {
				t.Errorf("bad section %+v", s)
			}
			for _, it := range s.Items {
				if it.Text == "" || it.Line < 1 || it.Col < 1 || it.Depth < 0 {
					t.Errorf("bad item %+v", it)
				}
			}
		}
	})
}
