package layout

import (
	"testing"

	"github.com/relsop/relsop/internal/compile"
	"github.com/relsop/relsop/internal/synth"
)

// BenchmarkLayout measures layout alone: a template-sized SOP (target well
// under 5 ms with SVG) and a 1,000-step one (target under 100 ms).
func BenchmarkLayout(b *testing.B) {
	tpl := load(b, "../templates/saas-weekly.sop.yaml")
	b.Run("template", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			Compute(tpl, Options{})
		}
	})
	res := compile.Load([]byte(synth.SOP(1000, 12, 8)))
	b.Run("1000-steps", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			Compute(res.SOP, Options{})
		}
	})
}
