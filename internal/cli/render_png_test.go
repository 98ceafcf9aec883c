package cli

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	relsoppng "github.com/relsop/relsop/internal/render/png"
	"github.com/relsop/relsop/internal/synth"
	"github.com/relsop/relsop/internal/templates"
)

// TestRenderPNGGoldens renders every template to PNG (at half scale, to
// keep the goldens small) and compares decoded pixels with the golden
// files: at most 0.5% of pixels may differ by more than 16 in a channel,
// which absorbs anti-aliasing differences but not a moved box or line.
func TestRenderPNGGoldens(t *testing.T) {
	dir := t.TempDir()
	for _, tpl := range templates.All() {
		src := filepath.Join(dir, tpl.Name+".sop.yaml")
		os.WriteFile(src, tpl.Source, 0o644)
		code, out, errOut := run(t, "", "render", src, "--format", "png", "--scale", "0.5")
		if code != ExitOK {
			t.Fatalf("%s: exit %d %s", tpl.Name, code, errOut)
		}
		golden := filepath.Join("testdata", "render", tpl.Name+".png")
		if *updateDocs {
			if err := os.WriteFile(golden, []byte(out), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test ./internal/cli -run PNGGoldens -update)", err)
		}
		if diff, total, err := pixelDiff([]byte(out), want); err != nil {
			t.Errorf("%s: %v", tpl.Name, err)
		} else if float64(diff) > 0.005*float64(total) {
			t.Errorf("%s: %d of %d pixels differ from %s", tpl.Name, diff, total, golden)
		}
	}
}

// pixelDiff counts pixels whose colour differs by more than 16 in any
// channel; images of different sizes are an error.
func pixelDiff(a, b []byte) (diff, total int, err error) {
	ia, err := png.Decode(bytes.NewReader(a))
	if err != nil {
		return 0, 0, err
	}
	ib, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		return 0, 0, err
	}
	if ia.Bounds() != ib.Bounds() {
		return 0, 0, errSize(ia.Bounds(), ib.Bounds())
	}
	r := ia.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			r1, g1, b1, a1 := ia.At(x, y).RGBA()
			r2, g2, b2, a2 := ib.At(x, y).RGBA()
			if far(r1, r2) || far(g1, g2) || far(b1, b2) || far(a1, a2) {
				diff++
			}
		}
	}
	return diff, r.Dx() * r.Dy(), nil
}

func far(a, b uint32) bool {
	d := int(a>>8) - int(b>>8)
	return d > 16 || d < -16
}

type sizeError struct{ got, want image.Rectangle }

func (e sizeError) Error() string {
	return "image is " + e.got.Size().String() + ", golden " + e.want.Size().String()
}

func errSize(got, want image.Rectangle) error { return sizeError{got, want} }

// TestRenderPNGLargeSOP draws a PNG of an SOP too wide for the default
// scale at the largest scale that fits, saying so, and refuses a scale
// asked for that does not fit, naming one that does.
func TestRenderPNGLargeSOP(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "large.sop.yaml")
	if err := os.WriteFile(src, []byte(synth.SOP(100, 12, 8)), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "large.png")
	code, _, errOut := run(t, "", "render", src, "-o", out)
	if code != ExitOK || !strings.Contains(errOut, "is drawn at scale") {
		t.Fatalf("exit %d, stderr %q; want 0 and a note on the scale", code, errOut)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cfg, err := png.DecodeConfig(f)
	if err != nil {
		t.Fatal(err)
	}
	if px := cfg.Width * cfg.Height; px > relsoppng.MaxPixels || px < relsoppng.MaxPixels*9/10 {
		t.Errorf("%d x %d pixels: want the most that fits in %d", cfg.Width, cfg.Height, relsoppng.MaxPixels)
	}

	code, _, errOut = run(t, "", "render", src, "-o", out, "--scale", "2")
	if code != ExitUsage || !strings.Contains(errOut, "or less, or render SVG or PDF") || strings.Contains(errOut, "--help") {
		t.Errorf("--scale 2: exit %d, stderr %q; want 2 and a scale that fits", code, errOut)
	}
}
