package textmeasure

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestWidthAndWrap(t *testing.T) {
	if w := Width("Deploy to production", 12, false); w < 80 || w > 160 {
		t.Errorf("Width = %.1f, want a plausible 80..160", w)
	}
	if Width("M", 12, true) <= Width("M", 12, false)*0.95 {
		t.Error("bold is not at least as wide as regular")
	}
	if Width("ab", 24, false) != 2*Width("ab", 12, false) {
		t.Error("width does not scale with size")
	}
	lines := Wrap("Run the regression suite against the release candidate", 12, 120, false, 0)
	if len(lines) < 2 {
		t.Errorf("Wrap gave %q", lines)
	}
	for _, l := range lines {
		if Width(l, 12, false) > 120 {
			t.Errorf("line %q is %.1f wide, more than 120", l, Width(l, 12, false))
		}
	}
	long := Wrap(strings.Repeat("x", 2000), 12, 120, false, 3)
	if len(long) != 3 || !strings.HasSuffix(long[2], "…") {
		t.Errorf("2,000 characters wrapped to %d lines, last %q", len(long), long[len(long)-1])
	}
	for _, l := range long {
		if Width(l, 12, false) > 120 {
			t.Errorf("line %q overflows", l)
		}
	}
}

func TestMissing(t *testing.T) {
	if m := Missing("Deploy — café", false); len(m) != 0 {
		t.Errorf("Missing(latin) = %q", m)
	}
	if m := Missing("部署到生产 🚀 نشر", false); len(m) == 0 {
		t.Error("CJK, emoji and Arabic reported as present in the Go fonts")
	}
}

// wrapByRemeasuring is Wrap as it was before it carried widths along:
// every candidate line measured again from its start. Wrap must give
// exactly its lines, since layout, SVG, PNG and PDF all depend on them.
func wrapByRemeasuring(s string, size, width float64, bold bool, maxLines int) []string {
	words := strings.Fields(s)
	var lines []string
	line := ""
	for _, w := range words {
		candidate := w
		if line != "" {
			candidate = line + " " + w
		}
		if Width(candidate, size, bold) <= width {
			line = candidate
			continue
		}
		if line != "" {
			lines = append(lines, line)
		}
		for Width(w, size, bold) > width {
			end := 0
			for i, r := range w {
				next := i + len(string(r))
				if end > 0 && Width(w[:next], size, bold) > width {
					break
				}
				end = next
			}
			lines = append(lines, w[:end])
			w = w[end:]
		}
		line = w
	}
	if line != "" {
		lines = append(lines, line)
	}
	if maxLines > 0 && len(lines) > maxLines {
		lines = lines[:maxLines]
		lines[maxLines-1] = Ellipsize(lines[maxLines-1]+" …", size, width, bold)
	}
	return lines
}

func TestWrapMatchesRemeasuring(t *testing.T) {
	pieces := []string{"Deploy", "to", "production", "canary", "CAB", "sign-off", "a", "WWWWWWWWWWWWWWWWWW",
		"iiiiiiii", "部署", "🚀", "نشر", "café", "x\u0301", "\t", "  ", "—", "Verify-the-release-candidate-build"}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		var b strings.Builder
		for range rng.IntN(14) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
			if rng.IntN(4) > 0 {
				b.WriteByte(' ')
			}
		}
		s := b.String()
		size := []float64{9, 11, 12, 13.5}[rng.IntN(4)]
		width := 20 + rng.Float64()*200
		bold := rng.IntN(2) == 0
		maxLines := rng.IntN(4)
		got, want := Wrap(s, size, width, bold, maxLines), wrapByRemeasuring(s, size, width, bold, maxLines)
		if !slices.Equal(got, want) {
			t.Fatalf("Wrap(%q, %g, %g, %v, %d) = %q, remeasuring gives %q", s, size, width, bold, maxLines, got, want)
		}
	}
}

func BenchmarkWrap(b *testing.B) {
	for b.Loop() {
		Wrap("Run the regression suite against the release candidate in the staging environment", 12, 140, false, 3)
	}
}
