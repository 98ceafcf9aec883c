package format

import (
	"strings"
	"testing"

	"github.com/relsop/relsop/internal/syntax"
)

// TestLongTextIsFolded checks that long descriptions are wrapped into a >-
// block that reads back as the same one-line value, and that text which
// folding would change stays on one line.
func TestLongTextIsFolded(t *testing.T) {
	long := strings.Repeat("Every weekly release train of the customer-facing application. ", 5)
	long = strings.TrimSpace(long)
	cases := []struct {
		value    string
		wantFold bool
	}{
		{long, true},
		{"Short description.", false},
		{strings.ReplaceAll(long, "train of", "train  of"), false}, // a double space would be lost
		{strings.Repeat("x", 150), false},                          // one word cannot be wrapped
	}
	for _, c := range cases {
		src := "id: a\ntitle: T\ndescription: " + quote(c.value) + "\n"
		f, err := syntax.Parse([]byte(src))
		if err != nil {
			t.Fatal(err)
		}
		out := Format(f)
		if got := strings.Contains(string(out), "description: >-"); got != c.wantFold {
			t.Errorf("folded = %v, want %v:\n%s", got, c.wantFold, out)
		}
		for _, line := range strings.Split(string(out), "\n") {
			if c.wantFold && len(line) > maxWidth {
				t.Errorf("line longer than %d: %q", maxWidth, line)
			}
		}
		back, err := syntax.Parse(out)
		if err != nil {
			t.Fatalf("output does not parse: %v\n%s", err, out)
		}
		if got := back.Root.Get("description").Value; got != c.value {
			t.Errorf("value changed:\n got %q\nwant %q", got, c.value)
		}
		if again := Format(back); string(again) != string(out) {
			t.Errorf("not idempotent:\n%s\n---\n%s", out, again)
		}
	}
}
