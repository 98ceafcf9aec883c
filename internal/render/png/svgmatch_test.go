package png

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/relsop/relsop/internal/render/svg"
	"github.com/relsop/relsop/internal/testenv"
)

// TestMatchesSVG checks the promise that a PNG looks like the SVG: the SVG
// renderer's output for the same fixture, rasterized by librsvg, must agree
// with ours pixel for pixel within the golden tolerance. It catches the
// drawing mistakes: both renderers take their colours from package theme.
func TestMatchesSVG(t *testing.T) {
	tool, err := exec.LookPath("rsvg-convert")
	if err != nil {
		testenv.Missing(t, "rsvg-convert (Debian package librsvg2-bin)")
	}
	// librsvg picks fonts through fontconfig; without the Go fonts it would
	// fall back to a font of other widths and every line of text would differ.
	if out, err := exec.Command("fc-list", "Go").Output(); err != nil || !strings.Contains(string(out), "Go") {
		testenv.Missing(t, "the Go fonts for fontconfig (Debian package fonts-go)")
	}
	for _, name := range Themes() {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			in, out := filepath.Join(dir, "in.svg"), filepath.Join(dir, "out.png")
			if err := os.WriteFile(in, svg.Render(fixture(), svg.Options{Theme: name}), 0o644); err != nil {
				t.Fatal(err)
			}
			if b, err := exec.Command(tool, "--zoom", "2", "-o", out, in).CombinedOutput(); err != nil {
				t.Fatalf("rsvg-convert: %v\n%s", err, b)
			}
			want, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			got := render(t, fixture(), Options{Theme: name, Scale: 2})
			if msg := compare(decode(t, got), decode(t, want)); msg != "" {
				t.Errorf("PNG and rasterized SVG differ: %s", msg)
			}
		})
	}
}
