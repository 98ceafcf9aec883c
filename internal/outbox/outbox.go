// Package outbox makes deliveries in the background: items wait in a
// bounded queue in memory, a fixed number of workers try each one, and a
// failure that may go better later is tried again after a wait.
//
// The queue lives only in memory: Close drops what has not been tried.
// It serves notifications (webhooks, emails), which are a convenience,
// not a record.
package outbox

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"
)

// Errors of Add.
var (
	ErrClosed = errors.New("the outbox is closed")
	ErrFull   = errors.New("the outbox's queue is full")
)

// Options configure an Outbox. Try is required; the hooks are optional
// and are called from the worker that holds the item.
type Options[T any] struct {
	// Workers is how many items are tried at once; at least 1.
	Workers int
	// Size bounds the items waiting to be tried.
	Size int
	// Backoff are the waits before each attempt after the first:
	// len(Backoff)+1 attempts at the most.
	Backoff []time.Duration
	// Try makes one attempt at item. On failure, retry says whether
	// another attempt may go better.
	Try func(ctx context.Context, item T) (retry bool, err error)
	// Retrying is told of a failed attempt that will be made again after
	// wait.
	Retrying func(item T, wait time.Duration, err error)
	// Done is told how item ended after its last attempt: err is nil when
	// it succeeded, else the last attempt's error.
	Done func(item T, attempts int, err error)
	// Stopped is told of an item whose wait for its next attempt Close
	// cut short, with the last attempt's error; Done is not told of it.
	Stopped func(item T, attempts int, err error)
}

// Outbox queues items and tries them in the background. Its methods are
// safe for concurrent use.
type Outbox[T any] struct {
	opt     Options[T]
	queue   chan T
	stop    chan struct{}
	once    sync.Once
	wg      sync.WaitGroup
	discard atomic.Int64 // items taken from the queue after Close began
}

// New starts an Outbox's workers; Close stops them.
func New[T any](opt Options[T]) *Outbox[T] {
	o := &Outbox[T]{opt: opt, queue: make(chan T, max(opt.Size, 0)), stop: make(chan struct{})}
	for range max(opt.Workers, 1) {
		o.wg.Add(1)
		go o.work()
	}
	return o
}

// Add queues item and returns at once: ErrClosed after Close, ErrFull
// when the queue is full, and then item is dropped.
func (o *Outbox[T]) Add(item T) error {
	if o.Closed() {
		return ErrClosed
	}
	select {
	case o.queue <- item:
		return nil
	default:
		return ErrFull
	}
}

// Closed reports whether Close has been called.
func (o *Outbox[T]) Closed() bool {
	select {
	case <-o.stop:
		return true
	default:
		return false
	}
}

// Close stops taking items and waits for the attempts under way; the
// items still queued, or waiting for another attempt, are dropped. It
// returns how many queued items were dropped.
func (o *Outbox[T]) Close() (dropped int) {
	o.once.Do(func() { close(o.stop) })
	o.wg.Wait()
	return len(o.queue) + int(o.discard.Load())
}

func (o *Outbox[T]) work() {
	defer o.wg.Done()
	for {
		select {
		case <-o.stop:
			return
		case item := <-o.queue:
			select {
			case <-o.stop: // both were ready: stopping wins
				o.discard.Add(1)
				return
			default:
			}
			o.deliver(item)
		}
	}
}

// deliver tries item until it succeeds, fails for good, runs out of
// attempts or Close cuts its wait short.
func (o *Outbox[T]) deliver(item T) {
	for attempt := 0; ; attempt++ {
		retry, err := o.opt.Try(context.Background(), item)
		if err == nil || !retry || attempt == len(o.opt.Backoff) {
			if o.opt.Done != nil {
				o.opt.Done(item, attempt+1, err)
			}
			return
		}
		wait := o.opt.Backoff[attempt]
		if o.opt.Retrying != nil {
			o.opt.Retrying(item, wait, err)
		}
		select {
		case <-o.stop:
			if o.opt.Stopped != nil {
				o.opt.Stopped(item, attempt+1, err)
			}
			return
		case <-time.After(wait):
		}
	}
}
