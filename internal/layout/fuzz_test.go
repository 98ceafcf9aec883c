package layout

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/relsop/relsop/internal/compile"
	"github.com/relsop/relsop/internal/synth"
)

// FuzzLayout lays out whatever SOP a fuzzed file loads into, in both
// directions, and checks that the drawing does not depend on what was laid
// out before: routing buffers are reused from call to call (scratch.go),
// so a buffer left dirty by one SOP would show up in the next one's
// drawing. Each file is laid out, then a template, then the file again.
func FuzzLayout(f *testing.F) {
	files, _ := filepath.Glob("../templates/*.sop.yaml")
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	f.Add([]byte(synth.SOP(30, 5, 4)))
	f.Add([]byte("id: x\ntitle: X\nroles: [{id: a, name: A}]\nsteps:\n  - {id: s, name: S, owner: a, kind: start, next: [s]}\n"))
	other := compile.Load([]byte(synth.SOP(40, 6, 5))).SOP
	f.Fuzz(func(t *testing.T, src []byte) {
		res := compile.Load(src)
		if res.SOP == nil || len(res.Errors) > 0 || len(res.SOP.Steps) > 200 {
			return // what does not load is compile's to report; large SOPs are slow to fuzz
		}
		for _, dir := range Directions {
			first := geometry(t, Compute(res.SOP, Options{Direction: dir}))
			Compute(other, Options{Direction: dir})
			if again := geometry(t, Compute(res.SOP, Options{Direction: dir})); again != first {
				t.Fatalf("%s layout changed after another SOP was laid out in between:\n%s", dir, src)
			}
		}
	})
}

func geometry(t *testing.T, d any) string {
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// A drawing without flows has an empty list of edges, "edges": [] in the
// JSON geometry the web editor reads, whether its buffers are fresh or
// reused: a reused buffer once gave [] and a fresh one null.
func TestNoFlowsGiveEmptyEdges(t *testing.T) {
	one := compile.Load([]byte("id: one\ntitle: One\nroles: [{id: a, name: A}]\nsteps:\n  - {id: s, name: Start, owner: a, kind: start}\n"))
	if len(one.Errors) > 0 {
		t.Fatal(one.Errors[0])
	}
	for _, dir := range Directions {
		for range 2 { // the second call reuses the first one's buffers
			if d := Compute(one.SOP, Options{Direction: dir}); d.Edges == nil || len(d.Edges) != 0 {
				t.Errorf("%s: edges %#v, want an empty list", dir, d.Edges)
			}
		}
	}
}
