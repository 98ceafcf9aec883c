package dot

import (
	"bytes"
	"os/exec"
	"testing"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/testenv"
)

func TestLaidOutEdges(t *testing.T) {
	if _, err := LaidOutEdges([]byte("not json")); err == nil {
		t.Error("invalid input gave no error")
	}
	dotBin := testenv.Tool(t, "dot")
	sop := &relsop.SOP{ID: "x", Roles: []relsop.Role{{ID: "r", Name: "R"}}, Steps: []relsop.Step{
		{ID: "a", Name: "A", Owner: "r", Next: []string{"b", "c"}}, {ID: "b", Name: "B", Owner: "r", Next: []string{"c"}}, {ID: "c", Name: "C", Owner: "r"},
	}}
	cmd := exec.Command(dotBin, "-Tjson")
	cmd.Stdin = bytes.NewReader(Export(sop))
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	edges, err := LaidOutEdges(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(edges) != 3 {
		t.Fatalf("%d edges, want 3", len(edges))
	}
	for i, e := range edges {
		if len(e.Points) < 2 {
			t.Errorf("edge %d has %d points", i, len(e.Points))
		}
	}
}
