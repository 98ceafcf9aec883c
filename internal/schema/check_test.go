package schema

import (
	"regexp"
	"testing"
)

// TestIsID holds isID to the pattern the JSON Schema gives editors.
func TestIsID(t *testing.T) {
	pattern := regexp.MustCompile(idRegex)
	for _, s := range []string{
		"", "a", "release-manager", "v1.2_x", "A9", "9a", "-a", ".a", "_a", "a b", "a\n", "\na", "a/b", "a:b",
		"é", "aé", "a-", "a.", "a_", "ÿ", "a\x00", "a--b", "Z", "0",
	} {
		if got, want := isID(s), pattern.MatchString(s); got != want {
			t.Errorf("isID(%q) = %v, want %v", s, got, want)
		}
	}
}
