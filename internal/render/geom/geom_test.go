package geom

import (
	"math"
	"testing"

	"github.com/relsop/relsop/internal/diagram"
)

func TestKinds(t *testing.T) {
	for in, want := range map[string]string{"Automated task": "automated", "automated_task": "automated", "gate": "gate", "": "unknown"} {
		if got := NormKind(in); got != want {
			t.Errorf("NormKind(%q) = %q, want %q", in, got, want)
		}
	}
	if NormEdgeKind("Rollback") != "rollback" || NormEdgeKind("weird") != "next" {
		t.Error("NormEdgeKind does not fold kinds")
	}
}

// The corner mark avoids the node's text: with text in the top right
// corner, the mark moves to the top left.
func TestMarkBoxAvoidsText(t *testing.T) {
	b := diagram.Rect{X: 0, Y: 0, W: 150, H: 44}
	if m := MarkBox(b, 12, nil, nil); m.X < 100 || m.Y > 10 {
		t.Errorf("empty node: mark at %+v, want top right", m)
	}
	text := []diagram.Text{{X: 90, Y: 16, Width: 55, Size: 12}}
	if m := MarkBox(b, 12, text, nil); m.X > 20 || m.Y > 10 {
		t.Errorf("text top right: mark at %+v, want top left", m)
	}
}

func TestSimplify(t *testing.T) {
	pts := []diagram.Point{{X: 0, Y: 0}, {X: 0, Y: 0}, {X: 5, Y: 0}, {X: 10, Y: 0}, {X: math.NaN(), Y: 1}, {X: 10, Y: 10}}
	got := Simplify(pts)
	want := []diagram.Point{{X: 0, Y: 0}, {X: 10, Y: 0}, {X: 10, Y: 10}}
	if len(got) != len(want) {
		t.Fatalf("Simplify = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("Simplify = %v, want %v", got, want)
		}
	}
}

func TestGridCornerAndBounds(t *testing.T) {
	d := &diagram.Diagram{
		Lanes:  []diagram.Lane{{Header: diagram.Rect{X: 0, Y: 40, W: 100, H: 60}, Box: diagram.Rect{X: 0, Y: 40, W: 500, H: 60}}},
		Phases: []diagram.Phase{{Header: diagram.Rect{X: 100, Y: 0, W: 400, H: 40}, Box: diagram.Rect{X: 100, Y: 0, W: 400, H: 100}}},
	}
	c, ok := Corner(d)
	if !ok || c != (diagram.Rect{X: 0, Y: 0, W: 100, H: 40}) {
		t.Errorf("Corner = %+v, %v", c, ok)
	}
	if b := GridBounds(d); b != (diagram.Rect{X: 0, Y: 0, W: 500, H: 100}) {
		t.Errorf("GridBounds = %+v", b)
	}
}
