package workspace

import (
	"context"
	"sync"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/release"
)

// replays remembers the replayed state of releases in progress, for the
// readers that look at many releases only to read them: the inbox, which
// every page of the workspace asks for (the top bar's count), and the
// overdue round every minute. Without it each would replay every release
// in progress each time: read its trail and load the SOP its first record
// holds, a few milliseconds each. A release's row names its record count
// and chain head, so a remembered run is current exactly when both match.
// Recording a step does not use it: a run that takes records is its own.
type replays struct {
	mu      sync.Mutex
	entries bounded[int64, *replayed]
}

// replayed is one release's state after its records up to Head. Its run
// is shared: hold mu while reading it, and never change it.
type replayed struct {
	records  int
	head     string
	mu       sync.Mutex
	run      *release.Run // nil when the trail cannot be read
	problems []release.Problem
}

// maxReplays bounds the cache: the inbox's bound on releases with room to
// spare, each a compiled SOP of some hundreds of kilobytes at most.
const maxReplays = 256

// get returns the replayed state of rel, replaying it when what is
// remembered is older than the row says.
func (c *replays) get(ctx context.Context, s *Service, rel *relsop.Release) (*replayed, error) {
	c.mu.Lock()
	e, ok := c.entries.get(rel.ID)
	c.mu.Unlock()
	if ok && e.records == rel.Records && e.head == rel.Head {
		return e, nil
	}
	run, problems, err := s.replay(ctx, rel.ID)
	if err != nil {
		return nil, err
	}
	e = &replayed{records: rel.Records, head: rel.Head, run: run, problems: problems}
	if run != nil && (len(run.Records()) != rel.Records || run.Head() != rel.Head) {
		return e, nil // a record came between reading the row and the trail: use it, do not keep it
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries.put(rel.ID, e, maxReplays)
	return e, nil
}
