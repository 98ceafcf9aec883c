package layout

import (
	"path/filepath"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/compile"
	"github.com/relsop/relsop/internal/diagram"
	"github.com/relsop/relsop/internal/synth"
)

// TestConcurrentComputeMatchesSequential lays out SOPs of different sizes
// from several goroutines at once, as the server and batch rendering do:
// with routing buffers pooled between calls, each drawing must still be
// the one a lone call makes. Run with -race.
func TestConcurrentComputeMatchesSequential(t *testing.T) {
	files, _ := filepath.Glob("../templates/*.sop.yaml")
	var sops []*relsop.SOP
	for _, path := range files {
		sops = append(sops, load(t, path))
	}
	sops = append(sops, compile.Load([]byte(synth.SOP(120, 8, 5))).SOP)
	var want []*diagram.Diagram
	for _, sop := range sops {
		want = append(want, Compute(sop, Options{}))
	}
	got := make([][]*diagram.Diagram, 4)
	var wg sync.WaitGroup
	for w := range got {
		wg.Go(func() {
			// Each goroutine takes the SOPs in another order, so that
			// pooled buffers pass between sizes.
			got[w] = make([]*diagram.Diagram, len(sops))
			for i := range sops {
				k := (i + w) % len(sops)
				got[w][k] = Compute(sops[k], Options{})
			}
		})
	}
	wg.Wait()
	for w := range got {
		for i, d := range got[w] {
			if diff := cmp.Diff(d, want[i]); diff != "" {
				t.Errorf("goroutine %d, SOP %d: drawing differs from a lone call's (-got +want):\n%s", w, i, diff)
			}
		}
	}
}
