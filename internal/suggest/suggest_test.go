package suggest

import "testing"

func TestClosest(t *testing.T) {
	cands := []string{"release-manager", "qa-lead", "developer", "sre", "approvers", "approved_by"}
	tests := []struct{ word, want string }{
		{"release_manager", "release-manager"},
		{"qa-laed", "qa-lead"},
		{"aprovers", "approvers"},
		{"devloper", "developer"},
		{"sr", "sre"},
		{"marketing", ""},
		{"developer", ""}, // an exact match is no suggestion
	}
	for _, tt := range tests {
		if got := Closest(tt.word, cands); got != tt.want {
			t.Errorf("Closest(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
	if got := Hint("qa-laed", cands); got != ` (did you mean "qa-lead"?)` {
		t.Errorf("Hint = %q", got)
	}
}
