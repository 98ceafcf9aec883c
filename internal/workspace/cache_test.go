package workspace

import "testing"

// TestBounded: the caches forget their oldest key beyond the bound, and
// a key put again keeps its place.
func TestBounded(t *testing.T) {
	var b bounded[string, int]
	if _, ok := b.get("a"); ok {
		t.Fatal("an empty map has a")
	}
	b.put("a", 1, 2)
	b.put("b", 2, 2)
	b.put("a", 10, 2) // again: a is still the oldest
	b.put("c", 3, 2)
	for k, want := range map[string]int{"b": 2, "c": 3} {
		if v, ok := b.get(k); !ok || v != want {
			t.Errorf("get(%q) = %d, %v; want %d", k, v, ok, want)
		}
	}
	if v, ok := b.get("a"); ok {
		t.Errorf("a is kept (%d) beyond the bound", v)
	}
	if len(b.order) != 2 || len(b.entries) != 2 {
		t.Errorf("%d keys in order, %d entries; want 2 and 2", len(b.order), len(b.entries))
	}
}
