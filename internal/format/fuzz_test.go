package format

import "testing"

// FuzzFormat checks the formatter's promises on arbitrary input: no panic,
// and for input that parses, output that parses to the same values, keeps
// every comment and formats to itself. Seeds are in testdata/fuzz/FuzzFormat.
func FuzzFormat(f *testing.F) {
	f.Fuzz(func(t *testing.T, src []byte) {
		if p := checkFormat(src); p != "" {
			t.Errorf("input:\n%s\n%s", src, p)
		}
	})
}
