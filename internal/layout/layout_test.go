package layout

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/compile"
	"github.com/relsop/relsop/internal/diagram"
)

func load(t testing.TB, path string) *relsop.SOP {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	res := compile.Load(src)
	if len(res.Errors) > 0 {
		t.Fatalf("%s: %+v", path, res.Errors[0])
	}
	return res.SOP
}

// flows returns the base flow and every release type's resolved flow.
func flows(t testing.TB, sop *relsop.SOP) map[string]*relsop.SOP {
	out := map[string]*relsop.SOP{"base": sop}
	for _, rt := range sop.ReleaseTypes {
		v, err := sop.Resolve(rt.ID)
		if err != nil {
			t.Fatal(err)
		}
		out[rt.ID] = v
	}
	return out
}

// TestTemplatesLayOutCleanly holds the quality bar on every template and
// release type: nothing overlaps, no edge crosses a box, text fits.
func TestTemplatesLayOutCleanly(t *testing.T) {
	files, _ := filepath.Glob("../templates/*.sop.yaml")
	files = append(files, "../../testdata/example.sop.yaml")
	for _, path := range files {
		for name, flow := range flows(t, load(t, path)) {
			d := Compute(flow, Options{})
			m := diagram.Measure(d)
			t.Logf("%s %s: %+v", filepath.Base(path), name, m)
			if m.Overlaps != 0 || m.EdgesThroughBoxes != 0 || m.TextOverflows != 0 {
				t.Errorf("%s %s: overlaps %d, edges through boxes %d, text overflows %d", filepath.Base(path), name, m.Overlaps, m.EdgesThroughBoxes, m.TextOverflows)
			}
			if m.Nodes != len(flow.Steps) || m.Edges != len(flow.Flows()) {
				t.Errorf("%s %s: %d nodes and %d edges for %d steps and %d flows", filepath.Base(path), name, m.Nodes, m.Edges, len(flow.Steps), len(flow.Flows()))
			}
		}
	}
}
