package cli

import (
	"bytes"
	"io"
	"path/filepath"
	"testing"

	"github.com/relsop/relsop/internal/compile"
	"github.com/relsop/relsop/internal/layout"
	"github.com/relsop/relsop/internal/render/svg"
	"github.com/relsop/relsop/internal/synth"
	"github.com/relsop/relsop/internal/templates"
)

// BenchmarkLayoutAndSVG measures what issue 3 sets targets for: layout
// plus SVG of a template-sized SOP (well under 5 ms) and of a 1,000-step
// one (under 100 ms). Parsing is measured apart (BenchmarkLoad).
func BenchmarkLayoutAndSVG(b *testing.B) {
	tpl, _ := templates.Get("saas-weekly")
	cases := []struct {
		name string
		src  []byte
	}{{"template", tpl.Source}, {"1000-steps", []byte(synth.SOP(1000, 12, 8))}}
	for _, tc := range cases {
		res := compile.Load(tc.src)
		if len(res.Errors) > 0 {
			b.Fatal(res.Errors[0])
		}
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				svg.Render(layout.Compute(res.SOP, layout.Options{}), svg.Options{})
			}
		})
	}
}

// BenchmarkLoad measures parsing, checking and compiling a template.
func BenchmarkLoad(b *testing.B) {
	tpl, _ := templates.Get("saas-weekly")
	b.ReportAllocs()
	for b.Loop() {
		compile.Load(tpl.Source)
	}
}

// BenchmarkRenderCommand runs `relsop render TEMPLATE -o x.svg` in process:
// reading, loading, resolving, layout, SVG and writing, as a fresh process
// does after start-up (but with a warm heap).
func BenchmarkRenderCommand(b *testing.B) {
	out := filepath.Join(b.TempDir(), "x.svg")
	args := []string{"render", "../templates/saas-weekly.sop.yaml", "-o", out}
	b.ReportAllocs()
	for b.Loop() {
		var stderr bytes.Buffer
		if code := Main(args, Env{Stdout: io.Discard, Stderr: &stderr}); code != 0 {
			b.Fatalf("exit %d: %s", code, stderr.String())
		}
	}
}
