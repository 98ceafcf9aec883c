// Sending the load: the scheduler of the editors' batches, the writes,
// and the resend after a reconnect.

package main

import (
	"container/heap"
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/coder/websocket"
)

// resend sends again, after a reconnect, the batches not acknowledged.
func (r *runState) resend(e *editor, conn *websocket.Conn) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for i := range e.nsent.Load() {
		b := &e.batches[i]
		if b.ackAt.Load() == 0 && b.rejected.Load() == nil {
			if r.write(e, conn, i+1, b) == nil {
				e.resent++
			}
		}
	}
	e.down = false
}

func (r *runState) write(e *editor, conn *websocket.Conn, clientSeq int64, b *batch) error {
	msg := fmt.Appendf(nil, `{"type":"ops","client_seq":%d,"base_seq":%d,"ops":[{"op":"set","kind":"step","id":%q,"field":%q,"value":"e%d-n%d"}]}`,
		clientSeq, e.lastSeq.Load(), r.steps[b.step], r.cfg.fields[b.field], e.idx, clientSeq)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	t := r.now()
	err := conn.Write(ctx, websocket.MessageText, msg)
	if d := int64(r.now() - t); d > r.sendMax.Load() {
		r.sendMax.Store(d) // racy maximum: good enough for a report
	}
	if err != nil {
		r.sendErrs.Add(1)
		return err
	}
	b.written.Store(true)
	return nil
}

// send makes the editor's next batch and writes it, unless the editor is
// reconnecting: then the batch waits for the resend.
func (r *runState) send(e *editor) {
	e.mu.Lock()
	defer e.mu.Unlock()
	n := e.nsent.Load()
	if n == int64(len(e.batches)) {
		r.overflow.Add(1)
		return
	}
	b := &e.batches[n]
	b.sentAt, b.step, b.field = r.now(), e.rng.IntN(len(r.steps)), e.rng.IntN(len(r.cfg.fields))
	e.nsent.Store(n + 1)
	if !e.down {
		r.write(e, e.conn, n+1, b)
	}
}

// due is an editor's next send in the scheduler's heap.
type due struct {
	at time.Duration
	e  *editor
}

type schedule []due

func (s schedule) Len() int           { return len(s) }
func (s schedule) Less(i, j int) bool { return s[i].at < s[j].at }
func (s schedule) Swap(i, j int)      { s[i], s[j] = s[j], s[i] }
func (s *schedule) Push(x any)        { *s = append(*s, x.(due)) }
func (s *schedule) Pop() any {
	old := *s
	x := old[len(old)-1]
	*s = old[:len(old)-1]
	return x
}

// interval is the time to an editor's next batch.
func (r *runState) interval(rng *rand.Rand) time.Duration {
	mean := float64(time.Second) / r.cfg.rate
	if r.cfg.even {
		return time.Duration(mean * (0.5 + rng.Float64()))
	}
	return time.Duration(mean * rng.ExpFloat64())
}

// load runs the scheduler until stopAt (since the epoch): one goroutine
// keeps the times, -senders goroutines write.
func (r *runState) load(ctx context.Context, stopAt time.Duration) {
	rng := rand.New(rand.NewPCG(r.cfg.seed, 0xdecaf))
	var s schedule
	now := r.now()
	for _, e := range r.editors {
		s = append(s, due{now + time.Duration(rng.Float64()*float64(time.Second)/r.cfg.rate), e})
	}
	heap.Init(&s)
	work := make(chan *editor, len(r.editors))
	var wg sync.WaitGroup
	for range r.cfg.senders {
		wg.Go(func() {
			for e := range work {
				r.send(e)
			}
		})
	}
	timer := time.NewTimer(time.Hour)
	for {
		next := s[0]
		if next.at >= stopAt {
			break
		}
		if wait := next.at - r.now(); wait > 0 {
			timer.Reset(wait)
			select {
			case <-timer.C:
			case <-ctx.Done():
			}
		}
		if ctx.Err() != nil {
			break
		}
		if late := int64(r.now() - next.at); late > r.lateMax.Load() {
			r.lateMax.Store(late)
		}
		work <- next.e
		s[0].at += r.interval(rng)
		heap.Fix(&s, 0)
	}
	close(work)
	wg.Wait()
}
