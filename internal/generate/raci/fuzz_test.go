package raci

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// wholeFile are the codes of findings about the whole file, with Line 0.
var wholeFile = map[string]bool{CodeEmpty: true, CodeNoHeader: true, CodeTooLarge: true}

func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.*"))
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("Task;Dev;Ops\r\nPlan;\"A\r\n(x)\";R/A\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m1, f1 := Parse("f.csv", data)
		m2, f2 := Parse("f.csv", data)
		if diff := cmp.Diff(m1, m2); diff != "" {
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
		if m1 == nil {
			return
		}
		roles := map[string]bool{}
		for _, r := range m1.Roles {
			roles[r] = true
		}
		for _, a := range m1.Activities {
			for _, list := range [][]string{a.Responsible, a.Accountable, a.Consulted, a.Informed} {
				for _, r := range list {
					if !roles[r] {
						t.Errorf("activity %q names unknown role %q", a.Name, r)
					}
				}
			}
		}
	})
}
