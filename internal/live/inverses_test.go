package live

import (
	"fmt"
	"testing"

	"github.com/relsop/relsop/internal/generate/edit"
)

// The undo memory keeps each client's latest batches and forgets the
// oldest clients first.
func TestUndoMemoryIsBounded(t *testing.T) {
	var u undoMemory
	inv := func(n int) []edit.Op {
		return []edit.Op{{Op: "set", Kind: "sop", Field: "title", Value: fmt.Sprint(n)}}
	}
	for n := 1; n <= undoPerClient+4; n++ {
		u.remember(1, "tab", int64(n), inv(n))
	}
	if got := u.inverse(1, "tab", 4); got != nil {
		t.Errorf("batch 4 of %d is still remembered", undoPerClient+4)
	}
	if got := u.inverse(1, "tab", undoPerClient+4); len(got) != 1 || got[0].Value != fmt.Sprint(undoPerClient+4) {
		t.Errorf("the latest batch's undo is %v", got)
	}
	if all := u.all(1, "tab"); len(all) != undoPerClient || all[fmt.Sprint(undoPerClient+4)] == nil {
		t.Errorf("all: %d entries", len(all))
	}
	if u.inverse(2, "tab", undoPerClient+4) != nil || u.all(1, "other") != nil {
		t.Error("another document's or client's batch has an undo")
	}
	for c := range undoClients {
		u.remember(1, fmt.Sprint("client-", c), 1, inv(c))
	}
	if u.all(1, "tab") != nil || len(u.byKey) != undoClients {
		t.Errorf("the oldest client is still remembered; %d clients", len(u.byKey))
	}
}
