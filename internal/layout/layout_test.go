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
			for _, dir := range Directions {
				name := name + " " + dir
				d := Compute(flow, Options{Direction: dir})
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
}

// TestVerticalIsTheTurnedHorizontal checks the vertical layout against the
// horizontal one: lanes side by side, phases one above the other, every
// node in its lane and phase, and the nodes in the same order along the
// flow (left to right there, top to bottom here).
func TestVerticalIsTheTurnedHorizontal(t *testing.T) {
	files, _ := filepath.Glob("../templates/*.sop.yaml")
	for _, path := range files {
		sop := load(t, path)
		h, v := Compute(sop, Options{}), Compute(sop, Options{Direction: "vertical"})
		if v.Direction != "vertical" || h.Direction != "horizontal" {
			t.Fatalf("directions %q and %q", h.Direction, v.Direction)
		}
		for i := 1; i < len(v.Lanes); i++ {
			a, b := v.Lanes[i-1].Box, v.Lanes[i].Box
			if b.X < a.Right()-0.01 || a.Y != b.Y {
				t.Errorf("%s: lane %s is not right of lane %s", path, v.Lanes[i].ID, v.Lanes[i-1].ID)
			}
		}
		for i := 1; i < len(v.Phases); i++ {
			a, b := v.Phases[i-1].Box, v.Phases[i].Box
			if b.Y < a.Bottom()-0.01 || a.X != b.X {
				t.Errorf("%s: phase %s is not below phase %s", path, v.Phases[i].ID, v.Phases[i-1].ID)
			}
		}
		lanes, phases := map[string]diagram.Rect{}, map[string]diagram.Rect{}
		for _, l := range v.Lanes {
			lanes[l.ID] = l.Box
		}
		for _, p := range v.Phases {
			phases[p.ID] = p.Box
		}
		for i, n := range v.Nodes {
			c := n.Box.Center()
			if l := lanes[n.Lane]; c.X < l.X || c.X > l.Right() {
				t.Errorf("%s: %s is outside its lane", path, n.ID)
			}
			if p := phases[n.Phase]; c.Y < p.Y || c.Y > p.Bottom() {
				t.Errorf("%s: %s is outside its phase", path, n.ID)
			}
			for j := range i {
				dh := h.Nodes[i].Box.Center().X - h.Nodes[j].Box.Center().X
				dv := n.Box.Center().Y - v.Nodes[j].Box.Center().Y
				if (dh > 1 && dv <= 1) || (dh < -1 && dv >= -1) {
					t.Errorf("%s: %s and %s are in a different order along the flow", path, n.ID, v.Nodes[j].ID)
				}
			}
		}
	}
}
