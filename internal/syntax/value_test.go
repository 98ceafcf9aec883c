package syntax

import (
	"math"
	"reflect"
	"testing"
)

func TestToValue(t *testing.T) {
	src := `s: text
q: "1.0"
i: 42
neg: -7
hex: 0x1F
big: 18446744073709551615
f: 1.5
exp: 1.5e3
inf: -.inf
b: true
B: False
n: null
empty:
block: |
  two
  lines
list: [a, 1, {k: v}]
`
	f, err := Parse([]byte(src))
	if err != nil {
		t.Fatalf("Parse: %s", err.Message)
	}
	got := ToValue(f.Root)
	want := map[string]any{
		"s": "text", "q": "1.0", "i": int64(42), "neg": int64(-7), "hex": int64(31), "big": float64(math.MaxUint64),
		"f": 1.5, "exp": 1500.0, "inf": math.Inf(-1), "b": true, "B": false, "n": nil, "empty": nil,
		"block": "two\nlines\n", "list": []any{"a", int64(1), map[string]any{"k": "v"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ToValue =\n%#v\nwant\n%#v", got, want)
	}
	if v := ToValue(nil); v != nil {
		t.Errorf("ToValue(nil) = %#v, want nil", v)
	}
	if v := ToValue(&Node{Kind: Scalar, Type: Float, Value: ".nan"}); !math.IsNaN(v.(float64)) {
		t.Errorf("ToValue(.nan) = %#v, want NaN", v)
	}
}
