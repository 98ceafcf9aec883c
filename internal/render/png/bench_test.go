package png

import (
	"testing"

	"github.com/relsop/relsop/internal/render/rendertest"
)

// BenchmarkRender draws the largest template at the default scale (2x),
// as `relsop render -o x.png` does.
func BenchmarkRender(b *testing.B) {
	d := rendertest.Template(b, "regulated-healthcare")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Render(d, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
