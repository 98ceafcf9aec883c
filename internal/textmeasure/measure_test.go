package textmeasure

import (
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
