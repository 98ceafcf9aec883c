package workspace

import (
	"crypto/sha256"
	"sync"
)

// analyses remembers the lint of recently opened sources, since every open
// of the editor (and the reopen after each save) would otherwise load and
// lint the same revision again: half of the server's CPU under load. The
// key is the source's hash and the day, because lint judges review dates
// against today. The analysis is shared and must not be changed.
type analyses struct {
	mu      sync.Mutex
	entries map[analysisKey]*analysis
	order   []analysisKey // oldest first, for eviction
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
	a, ok := c.entries[key]
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
	if c.entries == nil {
		c.entries = map[analysisKey]*analysis{}
	}
	if _, ok := c.entries[key]; !ok {
		if len(c.order) >= maxAnalyses {
			delete(c.entries, c.order[0])
			c.order = c.order[1:]
		}
		c.entries[key] = a
		c.order = append(c.order, key)
	}
	return a, nil
}
