package png

import (
	"testing"

	"github.com/relsop/relsop/internal/compile"
	"github.com/relsop/relsop/internal/layout"
	"github.com/relsop/relsop/internal/templates"
)

// BenchmarkRender draws the largest template at the default scale (2x),
// as `relsop render -o x.png` does.
func BenchmarkRender(b *testing.B) {
	tpl, _ := templates.Get("regulated-healthcare")
	res := compile.Load(tpl.Source)
	if len(res.Errors) > 0 {
		b.Fatal(res.Errors[0])
	}
	d := layout.Compute(res.SOP, layout.Options{})
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Render(d, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
