package rendertest

import (
	"testing"

	"github.com/relsop/relsop/internal/compile"
	"github.com/relsop/relsop/internal/diagram"
	"github.com/relsop/relsop/internal/layout"
	"github.com/relsop/relsop/internal/templates"
)

// Template is a built-in template laid out by the real layout engine, for
// tests and benchmarks that need a full-size drawing (paging, speed)
// rather than the hand-made Fixture.
func Template(tb testing.TB, name string) *diagram.Diagram {
	tb.Helper()
	tpl, ok := templates.Get(name)
	if !ok {
		tb.Fatalf("no template %q", name)
	}
	res := compile.Load(tpl.Source)
	if len(res.Errors) > 0 {
		tb.Fatalf("template %s: %v", name, res.Errors[0])
	}
	return layout.Compute(res.SOP, layout.Options{})
}
