package format

import "testing"

func TestPlainOK(t *testing.T) {
	tests := []struct {
		s                string
		value, flow, key bool
	}{
		{"release-manager", true, true, true},
		{"Run regression suite", true, true, true},
		{"https://example.com/a?b=c", true, false, false},
		{"2026-10-01", true, true, true},
		{"1.2.3", true, true, true},
		{"C#", true, false, false},
		{"a, b", true, false, true},
		{"", false, false, false},
		{"1.0", false, false, false},
		{"1_000", false, false, false},
		{"0x1F", false, false, false},
		{"1e3", false, false, false},
		{".inf", false, false, false},
		{"yes", false, false, false},
		{"Null", false, false, false},
		{"~", false, false, false},
		{"#releases", false, false, false},
		{"- item", false, false, false},
		{" leading", false, false, false},
		{"trailing ", false, false, false},
		{"a: b", false, false, false},
		{"a #b", false, false, false},
		{"ends:", false, false, false},
		{"tab\there", false, false, false},
		{"'quoted'", false, false, false},
		{"...", true, true, false},
		{"a<<b", true, true, false},
	}
	for _, tt := range tests {
		for _, at := range []struct {
			place place
			want  bool
		}{{inValue, tt.value}, {inFlow, tt.flow}, {inKey, tt.key}} {
			if got := plainOK(tt.s, at.place); got != at.want {
				t.Errorf("plainOK(%q, %d) = %v, want %v", tt.s, at.place, got, at.want)
			}
		}
	}
}

func TestQuote(t *testing.T) {
	for s, want := range map[string]string{
		"plain":      `"plain"`,
		`say "hi"\`:  `"say \"hi\"\\"`,
		"a\nb\tc\r":  `"a\nb\tc\r"`,
		"bell\a":     `"bell\u0007"`,
		"nbsp\u00a0": `"nbsp\u00A0"`,
		"emoji 😀 ok": `"emoji 😀 ok"`,
	} {
		if got := quote(s); got != want {
			t.Errorf("quote(%q) = %s, want %s", s, got, want)
		}
	}
}

func TestLiteralOK(t *testing.T) {
	for s, want := range map[string]bool{
		"one line":          false,
		"a\nb":              true,
		"a\nb\n":            true,
		"a\n":               true,
		"\nleading blank\n": true,
		"a\n\nb\n":          true,
		"a\nb\n\n":          false, // would need |+
		" indented\nb":      false, // would need an indentation indicator
		"trailing \nb":      false,
		"a\n\x07":           false,
		"\n":                false,
		"\n\n":              false,
	} {
		if got := literalOK(s); got != want {
			t.Errorf("literalOK(%q) = %v, want %v", s, got, want)
		}
	}
}
