package server

import (
	"fmt"
	"testing"
)

// BenchmarkLiveOp is one live batch end to end: a set of a step's field
// sent over WebSocket, applied, stored in SQLite, and acknowledged, with a
// second editor on the document receiving it. bench/liveload measures the
// same under load with many editors.
func BenchmarkLiveOp(b *testing.B) {
	saved := testLiveOptions
	testLiveOptions.Rate = 1e6 // the benchmark sends as fast as it can
	defer func() { testLiveOptions = saved }()
	w, bob := liveWorld(b)
	a := openLive(b, w.alice, w.doc, "alice-bench-1")
	o := openLive(b, bob, w.doc, "bob-bench-1")
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		a.send(set("step", "qa-signoff", "description", fmt.Sprint("value ", i)))
		a.expect("op")
		o.expect("op")
	}
}
