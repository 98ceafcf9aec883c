package layout

import (
	"strings"
	"testing"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/compile"
	"github.com/relsop/relsop/internal/diagram"
	"github.com/relsop/relsop/internal/synth"
)

func TestLargeSOPsLayOutCleanly(t *testing.T) {
	for _, tc := range []struct{ n, roles, phases int }{{300, 12, 8}, {1000, 12, 8}} {
		res := compile.Load([]byte(synth.SOP(tc.n, tc.roles, tc.phases)))
		if len(res.Errors) > 0 {
			t.Fatalf("synthetic SOP does not load: %+v", res.Errors[0])
		}
		for _, dir := range Directions {
			d := Compute(res.SOP, Options{Direction: dir})
			m := diagram.Measure(d)
			t.Logf("%d steps, %s: %+v", tc.n, dir, m)
			if m.Overlaps != 0 || m.EdgesThroughBoxes != 0 || m.TextOverflows != 0 {
				t.Errorf("%d steps, %s: overlaps %d, edges through boxes %d, text overflows %d", tc.n, dir, m.Overlaps, m.EdgesThroughBoxes, m.TextOverflows)
			}
		}
	}
}

// TestOddInputs draws something sensible for degenerate SOPs.
func TestOddInputs(t *testing.T) {
	long := strings.Repeat("Verylongword ", 160)
	cases := map[string]*relsop.SOP{
		"empty":         {Title: "Empty"},
		"single step":   {Steps: []relsop.Step{{ID: "a", Name: "Only", Kind: relsop.KindTask}}},
		"no phases":     {Roles: []relsop.Role{{ID: "r", Name: "R"}}, Steps: []relsop.Step{{ID: "a", Name: "A", Owner: "r", Next: []string{"b"}}, {ID: "b", Name: "B", Owner: "r"}}},
		"self loop":     {Steps: []relsop.Step{{ID: "a", Name: "Retry", Next: []string{"a"}}}},
		"long name":     {Steps: []relsop.Step{{ID: "a", Name: long}}},
		"cjk rtl emoji": {Steps: []relsop.Step{{ID: "a", Name: "部署到生产环境 🚀"}, {ID: "b", Name: "نشر الإصدار"}}},
		"empty role":    {Roles: []relsop.Role{{ID: "r", Name: "Busy"}, {ID: "idle", Name: "Idle"}}, Steps: []relsop.Step{{ID: "a", Name: "A", Owner: "r"}}},
	}
	for name, sop := range cases {
		d := Compute(sop, Options{})
		m := diagram.Measure(d)
		if m.Overlaps != 0 || m.EdgesThroughBoxes != 0 || m.TextOverflows != 0 || d.Width <= 0 || d.Height <= 0 {
			t.Errorf("%s: %+v, size %.0fx%.0f", name, m, d.Width, d.Height)
		}
		if name == "cjk rtl emoji" && len(d.Warnings) == 0 {
			t.Errorf("%s: no warning about missing glyphs", name)
		}
		if name == "empty role" && len(d.Lanes) != 2 {
			t.Errorf("%s: %d lanes, want the idle role drawn too", name, len(d.Lanes))
		}
	}
}
