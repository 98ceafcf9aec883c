package pdf

import (
	"testing"

	"github.com/relsop/relsop/internal/compile"
	"github.com/relsop/relsop/internal/document"
	"github.com/relsop/relsop/internal/layout"
	"github.com/relsop/relsop/internal/render/rendertest"
	"github.com/relsop/relsop/internal/synth"
	"github.com/relsop/relsop/internal/templates"
)

// BenchmarkRender: a template's diagram as one fitted page and tiled on A4.
func BenchmarkRender(b *testing.B) {
	d := rendertest.Template(b, "saas-weekly")
	for _, page := range []string{"fit", "a4"} {
		b.Run(page, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Render(d, Options{Page: page}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkDocument: publishing a template and a 300-step SOP as a PDF
// document (building the document, laying out the flow, setting the
// pages), as relsop publish does after loading the file.
func BenchmarkDocument(b *testing.B) {
	tpl, _ := templates.Get("saas-weekly")
	for _, c := range []struct {
		name string
		src  []byte
	}{{"template", tpl.Source}, {"synthetic-300", []byte(synth.SOP(300, 12, 8))}} {
		res := compile.Load(c.src)
		if len(res.Errors) > 0 {
			b.Fatal(res.Errors[0])
		}
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				doc := document.Build(res.SOP, res.SOP, nil)
				if _, err := Document(doc, layout.Compute(res.SOP, layout.Options{}), DocumentOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
