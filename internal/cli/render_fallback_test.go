package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/relsop/relsop/internal/render/fallback"
	"github.com/relsop/relsop/internal/render/rendertest"
	"github.com/relsop/relsop/internal/testenv"
)

// TestRenderFallbackFont checks that PNG and PDF take the fallback font
// from RELSOP_FALLBACK_FONT: a step name with ✓, which the Go fonts lack,
// comes out of the PDF as ✓, and a variable naming a missing file is an
// error naming it for PNG and PDF, which SVG does not need.
func TestRenderFallbackFont(t *testing.T) {
	pdftotext := testenv.Tool(t, "pdftotext")
	dir := t.TempDir()
	font := filepath.Join(dir, "fallback.ttf")
	if err := os.WriteFile(font, rendertest.Fallback(t), 0o644); err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(example)
	if err != nil {
		t.Fatal(err)
	}
	sop := filepath.Join(dir, "tick.sop.yaml")
	withTick := strings.Replace(string(src), "name: Release requested", "name: Release requested ✓", 1)
	if err := os.WriteFile(sop, []byte(withTick), 0o644); err != nil {
		t.Fatal(err)
	}

	t.Setenv(fallback.EnvVar, font)
	out := filepath.Join(dir, "tick.pdf")
	if code, _, errOut := run(t, "", "render", sop, "-o", out); code != ExitOK {
		t.Fatalf("pdf: exit %d %s", code, errOut)
	}
	text, err := exec.Command(pdftotext, "-enc", "UTF-8", out, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	if !strings.Contains(string(text), "✓") {
		t.Errorf("the PDF lacks ✓, which the fallback font has; pdftotext gave:\n%s", text)
	}
	if code, _, errOut := run(t, "", "render", sop, "-o", filepath.Join(dir, "tick.png")); code != ExitOK {
		t.Errorf("png: exit %d %s", code, errOut)
	}

	missing := filepath.Join(dir, "no-such-font.ttf")
	t.Setenv(fallback.EnvVar, missing)
	for _, format := range []string{"png", "pdf"} {
		code, _, errOut := run(t, "", "render", sop, "--format", format)
		if code != ExitUsage || !strings.Contains(errOut, missing) || !strings.Contains(errOut, fallback.EnvVar) {
			t.Errorf("%s with a missing fallback font: exit %d, stderr %q; want %d naming %s", format, code, errOut, ExitUsage, missing)
		}
	}
	if code, _, errOut := run(t, "", "render", sop, "--format", "svg"); code != ExitOK {
		t.Errorf("svg does not use the fallback font, but failed: exit %d %s", code, errOut)
	}
}
