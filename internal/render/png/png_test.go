package png

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	stdpng "image/png"

	"github.com/relsop/relsop/internal/diagram"
)

var update = flag.Bool("update", false, "rewrite the golden PNGs in testdata")

func decode(t *testing.T, b []byte) image.Image {
	t.Helper()
	img, err := stdpng.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("output is not a PNG: %v", err)
	}
	return img
}

func render(t *testing.T, d *diagram.Diagram, opts Options) []byte {
	t.Helper()
	b, err := Render(d, opts)
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	return b
}

// near reports whether two colours differ by at most tol in every channel.
func near(a, b color.Color, tol int) bool {
	ar, ag, ab, _ := a.RGBA()
	br, bg, bb, _ := b.RGBA()
	d := func(x, y uint32) int { return int(math.Abs(float64(x>>8) - float64(y>>8))) }
	return d(ar, br) <= tol && d(ag, bg) <= tol && d(ab, bb) <= tol
}

func TestSizeFollowsScale(t *testing.T) {
	d := fixture()
	for _, s := range []float64{0, 1, 1.5, 2, 3} {
		img := decode(t, render(t, d, Options{Scale: s}))
		want := s
		if want == 0 {
			want = DefaultScale
		}
		w, h := int(math.Ceil(d.Width*want)), int(math.Ceil(d.Height*want))
		if got := img.Bounds().Size(); got != image.Pt(w, h) {
			t.Errorf("scale %v: size %v, want %dx%d", s, got, w, h)
		}
	}
}

// at returns the pixel under a point given in diagram units.
func at(img image.Image, s float64, x, y float64) color.Color {
	return img.At(int(x*s), int(y*s))
}

func TestThemeColours(t *testing.T) {
	for _, name := range Themes() {
		t.Run(name, func(t *testing.T) {
			d := fixture()
			th := themeFor(name)
			const s = 2
			img := decode(t, render(t, d, Options{Theme: name, Scale: s}))
			if c := img.At(1, 1); !near(c, solid(th.Background), 2) {
				t.Errorf("corner is %v, want background %s", c, th.Background)
			}
			// The deploy node's fill, between its text and its badge;
			// print draws node bodies white.
			dep := d.Nodes[4].Box
			if c := at(img, s, dep.X+12, dep.Y+dep.H-6); !near(c, solid(th.Deploy.Fill), 2) {
				t.Errorf("deploy node body is %v, want %s", c, th.Deploy.Fill)
			}
			// The rollback node's outline, on its left side.
			rb := d.Nodes[6].Box
			if c := at(img, s, rb.X+th.NodeWidth/2, rb.Y+rb.H/2); !near(c, solid(th.Rollback.Stroke), 24) {
				t.Errorf("rollback outline is %v, want %s", c, th.Rollback.Stroke)
			}
			// The straight middle of the deploy -> verify flow.
			if c := at(img, s, 815, 352); !near(c, solid(th.Next.Stroke), 24) {
				t.Errorf("flow edge is %v, want %s", c, th.Next.Stroke)
			}
			// The start of the solid first segment of the rollback path.
			if c := at(img, s, 710, 383); !near(c, solid(th.RollbackEdge.Stroke), 24) {
				t.Errorf("rollback edge is %v, want %s", c, th.RollbackEdge.Stroke)
			}
		})
	}
}

func TestGolden(t *testing.T) {
	for _, name := range Themes() {
		t.Run(name, func(t *testing.T) {
			got := render(t, fixture(), Options{Theme: name})
			file := filepath.Join("testdata", "fixture-"+name+".png")
			if *update {
				if err := os.WriteFile(file, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(file)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if msg := compare(decode(t, got), decode(t, want)); msg != "" {
				t.Errorf("%s differs from the golden: %s (run go test -update if the change is intended)", file, msg)
			}
		})
	}
}

// compare allows small differences, such as anti-aliasing changes from a
// newer rasterizer, but not a changed drawing: at most 0.5% of pixels may
// differ by more than 16 in any channel.
func compare(got, want image.Image) string {
	if got.Bounds() != want.Bounds() {
		return fmt.Sprintf("size %v, want %v", got.Bounds().Size(), want.Bounds().Size())
	}
	b := got.Bounds()
	bad := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if !near(got.At(x, y), want.At(x, y), 16) {
				bad++
			}
		}
	}
	if total := b.Dx() * b.Dy(); float64(bad) > 0.005*float64(total) {
		return fmt.Sprintf("%d of %d pixels differ", bad, total)
	}
	return ""
}

func TestDeterministic(t *testing.T) {
	a := render(t, fixture(), Options{Theme: "dark"})
	b := render(t, fixture(), Options{Theme: "dark"})
	if !bytes.Equal(a, b) {
		t.Error("two renders of the same diagram differ")
	}
}

func TestRefusesHugeCanvas(t *testing.T) {
	d := fixture()
	d.Width, d.Height = 8000, 8000 // 64 megapixels at scale 1, 256 at scale 2
	_, err := Render(d, Options{})
	if err == nil || !strings.Contains(err.Error(), "--scale 1") || !strings.Contains(err.Error(), "SVG") {
		t.Fatalf("err = %v, want a refusal suggesting --scale 1 or SVG", err)
	}
	// Checked without drawing: a 64-megapixel canvas takes 256 MB.
	if w, h, err := canvasSize(d.Width, d.Height, 1); err != nil || w != 8000 || h != 8000 {
		t.Errorf("64 megapixels at scale 1: %d x %d, %v", w, h, err)
	}
}

func TestRefusesBadInput(t *testing.T) {
	for name, tc := range map[string]struct {
		d    *diagram.Diagram
		opts Options
	}{
		"nil":       {nil, Options{}},
		"empty":     {&diagram.Diagram{}, Options{}},
		"nan":       {&diagram.Diagram{Width: math.NaN(), Height: 10}, Options{}},
		"inf":       {&diagram.Diagram{Width: math.Inf(1), Height: 10}, Options{}},
		"neg scale": {&diagram.Diagram{Width: 10, Height: 10}, Options{Scale: -1}},
		"nan scale": {&diagram.Diagram{Width: 10, Height: 10}, Options{Scale: math.NaN()}},
	} {
		if _, err := Render(tc.d, tc.opts); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// TestHostileInput draws text the Go fonts lack and geometry no layout
// would produce; it must give a PNG, not a panic.
func TestHostileInput(t *testing.T) {
	d := fixture()
	for i, s := range []string{"发布审批", "🚀 ship it 👍🏽", "مراجعة الإصدار", "a\u0301\u200d\x00\tb", strings.Repeat("W", 5000), "\uFFFD\U0010FFFF"} {
		n := &d.Nodes[i]
		n.Lines[0].Text = s
	}
	// The odd nodes go first so that the fixture's nodes stay visible on top
	// of the huge one when a person looks at the result.
	d.Nodes = append([]diagram.Node{
		diagram.Node{ID: "nan", Kind: "gate", Box: diagram.Rect{X: math.NaN(), Y: 1, W: 10, H: 10}},
		diagram.Node{ID: "huge", Kind: "automated", Box: diagram.Rect{X: -1e12, Y: -1e12, W: 1e13, H: 1e13}},
		diagram.Node{ID: "neg", Kind: "weird kind", Box: diagram.Rect{X: 10, Y: 10, W: -5, H: 3},
			Lines: []diagram.Text{{Text: "x", X: math.Inf(1), Y: 5, Size: 12}, {Text: "y", X: 5, Y: 5, Size: -3}, {Text: "z", X: 5, Y: 5, Size: 1e6}}},
	}, d.Nodes...)
	d.Edges = append(d.Edges,
		diagram.Edge{Kind: "rollback", Points: []diagram.Point{{X: 1, Y: 1}}},
		diagram.Edge{Kind: "escalation", Points: []diagram.Point{{X: 1, Y: 1}, {X: 1, Y: 1}, {X: math.NaN(), Y: 3}}},
		diagram.Edge{Kind: "next", Points: []diagram.Point{{X: -1e9, Y: 5}, {X: 1e9, Y: 5}, {X: 1e9, Y: 1e9}}},
	)
	d.Title.Title = "标题 🚀"
	d.Title.Status = "??"
	b := render(t, d, Options{Theme: "no-such-theme"})
	if img := decode(t, b); img.Bounds().Empty() {
		t.Fatal("empty image")
	}
	if dir := os.Getenv("RELSOP_PNG_OUT"); dir != "" {
		_ = os.WriteFile(filepath.Join(dir, "hostile.png"), b, 0o644)
	}
}

// TestConcurrent renders from several goroutines at once, as the web server
// does; run with -race to check the shared fonts.
func TestConcurrent(t *testing.T) {
	want := render(t, fixture(), Options{Scale: 1})
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			b, err := Render(fixture(), Options{Scale: 1})
			if err == nil && !bytes.Equal(b, want) {
				err = fmt.Errorf("concurrent render differs")
			}
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// TestFitScale keeps a scale that fits and otherwise finds the largest,
// in hundredths, that does.
func TestFitScale(t *testing.T) {
	for _, tc := range []struct{ w, h, want float64 }{
		{800, 600, 2}, {30000, 2000, 2}, {22617, 2125, 2}, {66687, 2746, 2}, {500000, 9000, 8}, {1e9, 1e9, 2},
	} {
		got := FitScale(tc.w, tc.h, tc.want)
		fits := func(s float64) bool { return math.Ceil(tc.w*s)*math.Ceil(tc.h*s) <= MaxPixels }
		switch {
		case fits(tc.want) && got != tc.want:
			t.Errorf("%v x %v at %v fits but became %v", tc.w, tc.h, tc.want, got)
		case got > 0 && !fits(got):
			t.Errorf("%v x %v: %v does not fit", tc.w, tc.h, got)
		case !fits(tc.want) && got > 0 && fits(got+0.01):
			t.Errorf("%v x %v: %v is not the largest that fits", tc.w, tc.h, got)
		case got == 0 && fits(0.01):
			t.Errorf("%v x %v: 0, but 0.01 fits", tc.w, tc.h)
		}
	}
}

// TestMarksAreDrawn: a marked node gets its outline in the mark's colour,
// dashed or not, as the SVG draws it; an unmarked diagram draws none.
func TestMarksAreDrawn(t *testing.T) {
	for _, kind := range []string{diagram.MarkDone, diagram.MarkNow, diagram.MarkFailed, diagram.MarkSkipped, diagram.MarkAdded} {
		t.Run(kind, func(t *testing.T) {
			d := fixture()
			n := &d.Nodes[1]
			halo := diagram.Rect{X: n.Box.X - 4, Y: n.Box.Y - 4, W: n.Box.W + 8, H: n.Box.H + 8}
			n.Mark = &diagram.Mark{Kind: kind, Box: halo}
			const s = 2
			th := themeFor("light")
			img := decode(t, render(t, d, Options{Scale: s}))
			// The middle of the outline's bottom side: a dash starts at
			// the top-left corner, so this spot is inked on a solid
			// outline; look along a few pixels for a dashed one.
			want := solid(th.Mark(kind))
			found := false
			for dx := -4.0; dx <= 4 && !found; dx += 0.5 {
				found = near(at(img, s, halo.X+halo.W/2+dx, halo.Bottom()), want, 40)
			}
			if !found {
				t.Errorf("no %s outline at the bottom of the marked node (%v there)", kind, at(img, s, halo.X+halo.W/2, halo.Bottom()))
			}
			plain := decode(t, render(t, fixture(), Options{Scale: s}))
			if c := at(plain, s, halo.X+halo.W/2, halo.Bottom()); near(c, want, 40) {
				t.Errorf("the unmarked diagram has the mark's colour there too")
			}
		})
	}
}
