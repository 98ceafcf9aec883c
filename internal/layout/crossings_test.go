package layout

import (
	"bytes"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/relsop/relsop/internal/diagram"
	"github.com/relsop/relsop/internal/export/dot"
	"github.com/relsop/relsop/internal/testenv"
)

// crossingCeiling is a ratchet: each template's crossings may go down,
// never up. Issue 3's goal is at most Graphviz dot's count on the same
// graph (dot: devops-cicd 5, enterprise-cab 15, regulated-healthcare 20,
// saas-weekly 8); lower these as the layout improves.
var crossingCeiling = map[string]int{
	"devops-cicd":          21,
	"enterprise-cab":       14,
	"regulated-healthcare": 12,
	"saas-weekly":          13,
}

func TestCrossingsDoNotRegress(t *testing.T) {
	for name, ceiling := range crossingCeiling {
		sop := load(t, filepath.Join("..", "templates", name+".sop.yaml"))
		if got := diagram.Crossings(Compute(sop, Options{}).Edges); got > ceiling {
			t.Errorf("%s: %d crossings, more than the %d it had", name, got, ceiling)
		}
	}
}

// TestCrossingsAtMostDot holds the templates that already meet the goal to
// it, against the real dot's layout of relsop's DOT export.
func TestCrossingsAtMostDot(t *testing.T) {
	dotBin := testenv.Tool(t, "dot")
	for _, name := range []string{"enterprise-cab", "regulated-healthcare"} {
		sop := load(t, filepath.Join("..", "templates", name+".sop.yaml"))
		ours := diagram.Crossings(Compute(sop, Options{}).Edges)
		theirs := dotCrossings(t, dotBin, dot.Export(sop))
		if ours > theirs {
			t.Errorf("%s: relsop %d crossings, dot %d", name, ours, theirs)
		}
	}
}

// dotCrossings lays src out with dot -Tjson and counts its crossings with
// the same counter.
func dotCrossings(t *testing.T, dotBin string, src []byte) int {
	t.Helper()
	cmd := exec.Command(dotBin, "-Tjson")
	cmd.Stdin = bytes.NewReader(src)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("dot: %v", err)
	}
	edges, err := dot.LaidOutEdges(out)
	if err != nil {
		t.Fatal(err)
	}
	return diagram.Crossings(edges)
}
