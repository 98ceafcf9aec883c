package live

import (
	"context"
	"log/slog"
	"time"

	"github.com/relsop/relsop"
)

// Live edits become revisions in the SOP's history: CheckpointIdle after
// the last edit, at least every CheckpointEvery while edits go on, when
// the last editor leaves, and when the server stops.

// edited notes that the room has edits not yet in a revision, and plans
// the checkpoint.
func (r *room) edited() {
	now := time.Now()
	if r.pending.IsZero() {
		r.pending = now
	}
	wait := r.hub.opts.CheckpointIdle
	if due := r.pending.Add(r.hub.opts.CheckpointEvery).Sub(now); due < wait {
		wait = max(due, 0)
	}
	if r.timer == nil {
		r.timer = time.AfterFunc(wait, r.checkpointLater)
	} else {
		r.timer.Reset(wait)
	}
}

func (r *room) checkpointLater() {
	ctx, cancel := storeCtx()
	defer cancel()
	r.checkpoint(ctx)
}

// checkpoint saves the room's pending edits as a revision and tells the
// clients. It runs outside the room's lock: the workspace service reads
// the document from the store, and a store that moved on meanwhile is a
// conflict, tried again later.
func (r *room) checkpoint(ctx context.Context) {
	r.mu.Lock()
	if r.pending.IsZero() {
		r.mu.Unlock()
		return
	}
	r.mu.Unlock()
	d, err := r.hub.svc.Checkpoint(ctx, r.id)
	if err != nil {
		if relsop.ErrorCode(err) == relsop.ECONFLICT {
			r.mu.Lock()
			if !r.pending.IsZero() && r.timer != nil {
				r.timer.Reset(r.hub.opts.CheckpointIdle)
			}
			r.mu.Unlock()
			return
		}
		r.hub.log.Error("live: cannot save live edits as a revision", slog.Int64("doc", r.id), slog.Any("err", err))
		return
	}
	r.mu.Lock()
	if d.RevisionSeq >= r.seq {
		r.pending = time.Time{}
	}
	if d.Revision > r.revision {
		r.revision = d.Revision
		r.broadcastLocked(encode(revisionMsg{Type: typeRevision, Revision: d.Revision, Seq: d.RevisionSeq}), nil)
		r.hub.publishAsync(fanoutMsg{Doc: r.id, Seq: d.RevisionSeq, Revision: d.Revision})
	}
	r.mu.Unlock()
}
