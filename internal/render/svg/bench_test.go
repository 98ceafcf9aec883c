package svg

import (
	"testing"

	"github.com/relsop/relsop/internal/compile"
	"github.com/relsop/relsop/internal/diagram"
	"github.com/relsop/relsop/internal/layout"
	"github.com/relsop/relsop/internal/render/rendertest"
	"github.com/relsop/relsop/internal/synth"
)

// BenchmarkRender measures rendering alone, on the hand-made fixture, on a
// template-sized SOP and on a 1,000-step one. Each case lays out its own
// diagram first, so that no case runs with another's diagram in memory.
func BenchmarkRender(b *testing.B) {
	cases := []struct {
		name    string
		diagram func(testing.TB) *diagram.Diagram
	}{
		{"fixture", func(testing.TB) *diagram.Diagram { return fixture() }},
		{"template", func(tb testing.TB) *diagram.Diagram { return rendertest.Template(tb, "saas-weekly") }},
		{"1000-steps", synthetic(1000)},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			d := tc.diagram(b)
			b.ReportAllocs()
			for b.Loop() {
				Render(d, Options{})
			}
		})
	}
}

// synthetic lays out a generated SOP of n steps.
func synthetic(n int) func(testing.TB) *diagram.Diagram {
	return func(tb testing.TB) *diagram.Diagram {
		res := compile.Load([]byte(synth.SOP(n, 12, 8)))
		if len(res.Errors) > 0 {
			tb.Fatal(res.Errors[0])
		}
		return layout.Compute(res.SOP, layout.Options{})
	}
}
