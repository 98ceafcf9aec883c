package workspace

import (
	"context"
	"crypto/sha256"
	"sync"

	"github.com/relsop/relsop"
)

// bounded is a map that forgets its oldest keys beyond a bound: the
// caches of the service. Its owner locks it.
type bounded[K comparable, V any] struct {
	entries map[K]V
	order   []K // oldest first, for eviction
}

func (b *bounded[K, V]) get(k K) (V, bool) {
	v, ok := b.entries[k]
	return v, ok
}

// put keeps v under k, forgetting the oldest key when max are kept.
func (b *bounded[K, V]) put(k K, v V, max int) {
	if b.entries == nil {
		b.entries = map[K]V{}
	}
	if _, had := b.entries[k]; !had {
		if len(b.order) >= max {
			delete(b.entries, b.order[0])
			b.order = b.order[1:]
		}
		b.order = append(b.order, k)
	}
	b.entries[k] = v
}

// analyses remembers the lint of recently opened sources, since every open
// of the editor (and the reopen after each save) would otherwise load and
// lint the same revision again: half of the server's CPU under load. The
// key is the source's hash and the day, because lint judges review dates
// against today. The analysis is shared and must not be changed.
type analyses struct {
	mu      sync.Mutex
	entries bounded[analysisKey, *analysis]
}

type analysisKey struct {
	sum [sha256.Size]byte
	day string
}

// maxAnalyses bounds the cache: a few hundred SOPs of a few hundred
// kilobytes of model at most.
const maxAnalyses = 256

func (c *analyses) get(source []byte, day string) (*analysis, error) {
	key := analysisKey{sha256.Sum256(source), day}
	c.mu.Lock()
	a, ok := c.entries.get(key)
	c.mu.Unlock()
	if ok {
		return a, nil
	}
	a, err := analyse(source)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries.put(key, a, maxAnalyses)
	return a, nil
}

// reviewStates remembers the review state of SOPs by their latest
// revision. The inbox asks for the state of every SOP in review on every
// page, and each is a read of the SOP's revisions; but revisions are
// never changed or removed, so an SOP's id and the number of its latest
// revision name the same list on every server. The state is shared and
// must not be changed.
type reviewStates struct {
	mu      sync.Mutex
	entries bounded[reviewKey, *Review]
}

type reviewKey struct {
	id       int64
	revision int
}

// maxReviewStates bounds the cache: a review state is a few hundred bytes.
const maxReviewStates = 1024

// get returns the review state of SOP d, read from the store the first
// time its latest revision is asked for.
func (c *reviewStates) get(ctx context.Context, store relsop.Store, d *relsop.Document) (*Review, error) {
	key := reviewKey{d.ID, d.Revision}
	c.mu.Lock()
	rv, ok := c.entries.get(key)
	c.mu.Unlock()
	if ok {
		return rv, nil
	}
	revs, err := store.Revisions(ctx, d.ID)
	if err != nil {
		return nil, err
	}
	if len(revs) > 0 && revs[0].Number != d.Revision {
		// d was read before a save that came since: answer, but do not
		// keep what is not the state of d.Revision.
		return reviewOf(revs[0].Status, revs), nil
	}
	rv = reviewOf(d.Status, revs)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries.put(key, rv, maxReviewStates)
	return rv, nil
}
