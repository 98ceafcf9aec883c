package workspace

import (
	"sync"
	"time"
)

// limiter counts failures per key in a sliding window, so that guessing
// passwords is slow: after max failures within window, a key is refused
// until its oldest failure leaves the window. It lives in memory: with
// several server instances each limits on its own, which still bounds
// guessing.
type limiter struct {
	mu       sync.Mutex
	max      int
	window   time.Duration
	now      func() time.Time
	failures map[string][]time.Time
}

// maxKeys bounds the limiter's memory; when it is full, keys whose
// failures have all left the window are dropped first.
const maxKeys = 100_000

func newLimiter(max int, window time.Duration, now func() time.Time) *limiter {
	return &limiter{max: max, window: window, now: now, failures: map[string][]time.Time{}}
}

// wait says how long key must wait before trying again; 0 means now.
func (l *limiter) wait(key string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	fs := l.recent(key)
	if len(fs) < l.max {
		return 0
	}
	return fs[0].Add(l.window).Sub(l.now())
}

// fail records a failure of key.
func (l *limiter) fail(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.failures) >= maxKeys {
		for k := range l.failures {
			if len(l.recent(k)) == 0 {
				delete(l.failures, k)
			}
		}
	}
	l.failures[key] = append(l.recent(key), l.now())
}

// reset forgets key's failures, after a success.
func (l *limiter) reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.failures, key)
}

// recent returns key's failures inside the window, dropping older ones.
func (l *limiter) recent(key string) []time.Time {
	fs := l.failures[key]
	cut := l.now().Add(-l.window)
	i := 0
	for i < len(fs) && !fs[i].After(cut) {
		i++
	}
	fs = fs[i:]
	if len(fs) == 0 {
		delete(l.failures, key)
		return nil
	}
	l.failures[key] = fs
	return fs
}
