package edit

import (
	"encoding/json"
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

// FuzzApplyOps sends random JSON operation lists, as the workspace's API
// receives them, against the templates: ApplyOps must never panic, and
// what it returns must load without errors.
func FuzzApplyOps(f *testing.F) {
	for _, s := range []string{
		`[{"op":"set","kind":"step","id":"build","field":"name","value":"Build it"}]`,
		`[{"op":"add_step","step":{"name":"Scan"},"after":"start"}]`,
		`[{"op":"remove_step","id":"end"}]`,
		`[{"op":"connect","from":"start","to":"end"},{"op":"disconnect","from":"start","to":"end"}]`,
		`[{"op":"add_role","role":{"name":"QA"}},{"op":"add_release_type","release_type":{"id":"hotfix"}}]`,
		`[{"op":"set","kind":"sop","field":"title","value":["a","b"]}]`,
		`[{"op":"set","kind":"role","id":"sre","field":"name","value":null}]`,
		`[{"op":"add_phase","phase":{"name":"Hypercare"},"after":"deploy"},{"op":"remove_phase","id":"hypercare"}]`,
		`[{"op":"add_environment","environment":{"name":"Canary","production":true},"before":"production"}]`,
		`[{"op":"add_role","role":{"name":"Auditor"},"before":"sre"},{"op":"remove_role","id":"auditor"}]`,
		`[{"op":"move_role","id":"sre","before":"release-manager"},{"op":"move_phase","id":"plan","after":"deploy"}]`,
		`[{"op":"set","kind":"environment","id":"staging","field":"production","value":true},{"op":"move_environment","id":"production","before":"staging"}]`,
	} {
		f.Add(uint8(0), s)
	}
	names := templates.Names()
	f.Fuzz(func(t *testing.T, which uint8, ops string) {
		var list []Op
		if json.Unmarshal([]byte(ops), &list) != nil {
			return
		}
		name := names[int(which)%len(names)]
		tp, _ := templates.Get(name)
		res, err := ApplyOps(tp.Source, list)
		if err != nil {
			return
		}
		if errs := compile.Load(res.Source).Errors; len(errs) > 0 {
			t.Fatalf("%s on %s gives a file that does not load: %v", ops, name, errs)
		}
	})
}
