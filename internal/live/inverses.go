package live

import (
	"strconv"
	"sync"

	"github.com/relsop/relsop/internal/generate/edit"
)

// undoMemory keeps, for a while, the operations that undo each client's
// latest batches. A batch's acknowledgement carries its undo; when the
// connection drops before the acknowledgement arrives, the client learns
// of the batch again as it reconnects (the operations it missed, or
// ready's acked), and the undo goes with it from here. It lives in the
// hub, not the room, so that it outlasts a room its last editor left
// when the network blinked. A client that comes back on another server
// gets no undo for those batches.
type undoMemory struct {
	mu    sync.Mutex
	byKey map[string][]undoEntry // document and client -> its latest batches, oldest first
	order []string               // keys, oldest first, for forgetting
}

type undoEntry struct {
	clientSeq int64
	inverse   []edit.Op
}

const (
	undoPerClient = 16   // batches remembered per client
	undoClients   = 1024 // clients remembered per hub
)

func undoKey(doc int64, client string) string { return strconv.FormatInt(doc, 10) + "\x00" + client }

// remember keeps the undo of a client's batch.
func (u *undoMemory) remember(doc int64, client string, clientSeq int64, inverse []edit.Op) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.byKey == nil {
		u.byKey = map[string][]undoEntry{}
	}
	k := undoKey(doc, client)
	list, known := u.byKey[k]
	if !known {
		u.order = append(u.order, k)
		if len(u.order) > undoClients {
			delete(u.byKey, u.order[0])
			u.order = u.order[1:]
		}
	}
	list = append(list, undoEntry{clientSeq, inverse})
	if len(list) > undoPerClient {
		list = list[len(list)-undoPerClient:]
	}
	u.byKey[k] = list
}

// inverse is the undo of a client's batch, or nil when it is not known.
func (u *undoMemory) inverse(doc int64, client string, clientSeq int64) []edit.Op {
	u.mu.Lock()
	defer u.mu.Unlock()
	for _, e := range u.byKey[undoKey(doc, client)] {
		if e.clientSeq == clientSeq {
			return e.inverse
		}
	}
	return nil
}

// all is the undo of every batch of a client it knows, by client_seq, for
// the ready message; nil when none.
func (u *undoMemory) all(doc int64, client string) map[string][]edit.Op {
	u.mu.Lock()
	defer u.mu.Unlock()
	list := u.byKey[undoKey(doc, client)]
	if len(list) == 0 {
		return nil
	}
	out := make(map[string][]edit.Op, len(list))
	for _, e := range list {
		out[strconv.FormatInt(e.clientSeq, 10)] = e.inverse
	}
	return out
}
