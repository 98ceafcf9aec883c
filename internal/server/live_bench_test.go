package server

import (
	"fmt"
	"testing"
)

// BenchmarkLiveOp is one live batch end to end: a set of a step's field
// sent over WebSocket, applied, stored in SQLite, and acknowledged, with a
// second editor on the document receiving it. bench/liveload measures the
// same under load with many editors.
func BenchmarkLiveOp(b *testing.B) { benchLiveOp(b, false) }

// BenchmarkLiveOpUndoable is BenchmarkLiveOp for a batch the editor can
// undo, as the workspace sends them: the server also works out the batch
// that undoes it for its sender.
func BenchmarkLiveOpUndoable(b *testing.B) { benchLiveOp(b, true) }

func benchLiveOp(b *testing.B, undoable bool) {
	saved := testLiveOptions
	testLiveOptions.Rate = 1e6 // the benchmark sends as fast as it can
	defer func() { testLiveOptions = saved }()
	w, bob := liveWorld(b)
	a := openLive(b, w.alice, w.doc, "alice-bench-1")
	o := openLive(b, bob, w.doc, "bob-bench-1")
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		n := a.next
		a.next++
		a.write(map[string]any{"type": "ops", "client_seq": n, "base_seq": a.seq, "undoable": undoable,
			"ops": []any{set("step", "qa-signoff", "description", fmt.Sprint("value ", i))}})
		if op := a.expect("op"); undoable && op["inverse"] == nil {
			b.Fatalf("no inverse: %v", op)
		}
		o.expect("op")
	}
}
