package edit

import (
	"testing"

	"github.com/relsop/relsop/internal/compile"
	"github.com/relsop/relsop/internal/templates"
)

// FuzzApply runs random instructions against the templates: Apply must
// never panic, and what it returns must load without errors.
func FuzzApply(f *testing.F) {
	for _, ex := range append(append([]string{}, Examples...), variantExamples...) {
		f.Add(uint8(0), ex)
	}
	for _, s := range []string{
		"remove the deploy step", "rename 'a' to ''", "add '' after start", "move x to", "put staging before staging",
		"add a step between start and end", "make a x variant that skips start", "escalate to after 4h",
		"add criterion '' to go/no-go", "reorder environments: canary", "add the the as approver of the",
	} {
		f.Add(uint8(1), s)
	}
	names := templates.Names()
	f.Fuzz(func(t *testing.T, which uint8, instruction string) {
		name := names[int(which)%len(names)]
		tp, _ := templates.Get(name)
		res, err := Apply(name, tp.Source, instruction)
		if err != nil {
			return
		}
		if errs := compile.Load(res.Source).Errors; len(errs) > 0 {
			t.Fatalf("%q on %s gives a file that does not load: %v", instruction, name, errs)
		}
	})
}
