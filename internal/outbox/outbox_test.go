package outbox_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/relsop/relsop/internal/outbox"
)

var (
	errBusy    = errors.New("busy")
	errRefused = errors.New("refused")
)

// outcome is what one attempt returns.
type outcome struct {
	retry bool
	err   error
}

// event is one call of a hook, as a test compares it.
type event struct {
	Hook     string
	Item     string
	Attempts int
	Wait     time.Duration
	Err      string
}

// recorder keeps the attempts and hook calls of an outbox's workers, and
// signals each event on a channel.
type recorder struct {
	mu       sync.Mutex
	outcomes []outcome // attempt i returns outcomes[min(i, len-1)]
	tries    int
	events   []event
	signal   chan event
}

func newRecorder(outcomes ...outcome) *recorder {
	return &recorder{outcomes: outcomes, signal: make(chan event, 100)}
}

func (r *recorder) options(backoff ...time.Duration) outbox.Options[string] {
	return outbox.Options[string]{
		Workers: 1,
		Size:    10,
		Backoff: backoff,
		Try: func(_ context.Context, _ string) (bool, error) {
			r.mu.Lock()
			defer r.mu.Unlock()
			o := r.outcomes[min(r.tries, len(r.outcomes)-1)]
			r.tries++
			return o.retry, o.err
		},
		Retrying: func(item string, wait time.Duration, err error) {
			r.add(event{Hook: "retrying", Item: item, Wait: wait, Err: errString(err)})
		},
		Done: func(item string, attempts int, err error) {
			r.add(event{Hook: "done", Item: item, Attempts: attempts, Err: errString(err)})
		},
		Stopped: func(item string, attempts int, err error) {
			r.add(event{Hook: "stopped", Item: item, Attempts: attempts, Err: errString(err)})
		},
	}
}

func (r *recorder) add(e event) {
	r.mu.Lock()
	r.events = append(r.events, e)
	r.mu.Unlock()
	r.signal <- e
}

// await waits for an event of hook; a guard against a hang, not a timing
// check.
func (r *recorder) await(t *testing.T, hook string) {
	t.Helper()
	for {
		select {
		case e := <-r.signal:
			if e.Hook == hook {
				return
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("no %s after 10 s", hook)
		}
	}
}

func (r *recorder) got() (tries int, events []event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.tries, append([]event(nil), r.events...)
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// TestDeliver: an item is tried again, after each wait of the backoff in
// turn, while its failure may go better and attempts are left.
func TestDeliver(t *testing.T) {
	backoff := []time.Duration{time.Millisecond, 2 * time.Millisecond, 3 * time.Millisecond}
	for _, tc := range []struct {
		name      string
		outcomes  []outcome
		wantTries int
		want      []event
	}{
		{
			name:      "retries until success",
			outcomes:  []outcome{{true, errBusy}, {true, errBusy}, {false, nil}},
			wantTries: 3,
			want: []event{
				{Hook: "retrying", Item: "a", Wait: backoff[0], Err: "busy"},
				{Hook: "retrying", Item: "a", Wait: backoff[1], Err: "busy"},
				{Hook: "done", Item: "a", Attempts: 3},
			},
		},
		{
			name:      "success with retry set is still success",
			outcomes:  []outcome{{true, nil}},
			wantTries: 1,
			want:      []event{{Hook: "done", Item: "a", Attempts: 1}},
		},
		{
			name:      "no retry when try says not to",
			outcomes:  []outcome{{true, errBusy}, {false, errRefused}},
			wantTries: 2,
			want: []event{
				{Hook: "retrying", Item: "a", Wait: backoff[0], Err: "busy"},
				{Hook: "done", Item: "a", Attempts: 2, Err: "refused"},
			},
		},
		{
			name:      "gives up after len(backoff)+1 attempts",
			outcomes:  []outcome{{true, errBusy}},
			wantTries: len(backoff) + 1,
			want: []event{
				{Hook: "retrying", Item: "a", Wait: backoff[0], Err: "busy"},
				{Hook: "retrying", Item: "a", Wait: backoff[1], Err: "busy"},
				{Hook: "retrying", Item: "a", Wait: backoff[2], Err: "busy"},
				{Hook: "done", Item: "a", Attempts: 4, Err: "busy"},
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRecorder(tc.outcomes...)
			o := outbox.New(r.options(backoff...))
			defer o.Close()
			if err := o.Add("a"); err != nil {
				t.Fatal(err)
			}
			r.await(t, "done")
			tries, events := r.got()
			if tries != tc.wantTries {
				t.Errorf("%d attempts, want %d", tries, tc.wantTries)
			}
			if diff := cmp.Diff(events, tc.want); diff != "" {
				t.Errorf("hooks (-got +want):\n%s", diff)
			}
		})
	}
}

// TestAddFullAndClosed: with the only worker busy and the queue full, Add
// refuses; Close drops what waits and reports it; afterwards Add refuses.
func TestAddFullAndClosed(t *testing.T) {
	started, release := make(chan string, 10), make(chan struct{})
	o := outbox.New(outbox.Options[string]{
		Workers: 1,
		Size:    2,
		Try: func(_ context.Context, item string) (bool, error) {
			started <- item
			<-release
			return false, nil
		},
	})
	if err := o.Add("a"); err != nil {
		t.Fatal(err)
	}
	if got := <-started; got != "a" {
		t.Fatalf("the worker took %q, want a", got)
	}
	for _, item := range []string{"b", "c"} {
		if err := o.Add(item); err != nil {
			t.Fatalf("Add(%q) with room in the queue: %v", item, err)
		}
	}
	if err := o.Add("d"); !errors.Is(err, outbox.ErrFull) {
		t.Errorf("Add to a full queue: %v, want ErrFull", err)
	}

	dropped := make(chan int)
	go func() { dropped <- o.Close() }()
	for !o.Closed() {
		time.Sleep(time.Millisecond)
	}
	close(release) // Close waits for the attempt under way
	select {
	case n := <-dropped:
		if n != 2 {
			t.Errorf("Close dropped %d, want 2 (b and c)", n)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Close still waits after 10 s")
	}
	if len(started) > 0 {
		t.Errorf("%q was tried after Close", <-started)
	}
	if err := o.Add("e"); !errors.Is(err, outbox.ErrClosed) {
		t.Errorf("Add after Close: %v, want ErrClosed", err)
	}
	if n := o.Close(); n != 2 {
		t.Errorf("a second Close reports %d dropped, want 2 again", n)
	}
}

// TestCloseDuringWait: Close does not wait out a backoff, and the item
// waiting is not tried again: Stopped is told, not Done.
func TestCloseDuringWait(t *testing.T) {
	r := newRecorder(outcome{true, errBusy})
	o := outbox.New(r.options(time.Hour))
	if err := o.Add("a"); err != nil {
		t.Fatal(err)
	}
	r.await(t, "retrying")
	closed := make(chan struct{})
	go func() { o.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(10 * time.Second):
		t.Fatal("Close still waits after 10 s")
	}
	tries, events := r.got()
	if tries != 1 {
		t.Errorf("%d attempts, want 1", tries)
	}
	want := []event{
		{Hook: "retrying", Item: "a", Wait: time.Hour, Err: "busy"},
		{Hook: "stopped", Item: "a", Attempts: 1, Err: "busy"},
	}
	if diff := cmp.Diff(events, want); diff != "" {
		t.Errorf("hooks (-got +want):\n%s", diff)
	}
}

// TestWorkers: each worker holds one item at a time, and as many items
// as workers are tried at once.
func TestWorkers(t *testing.T) {
	const workers = 3
	started, release := make(chan string, workers), make(chan struct{})
	o := outbox.New(outbox.Options[string]{
		Workers: workers,
		Size:    workers,
		Try: func(_ context.Context, item string) (bool, error) {
			started <- item
			<-release
			return false, nil
		},
	})
	for i := range workers {
		if err := o.Add(fmt.Sprint(i)); err != nil {
			t.Fatal(err)
		}
	}
	for i := range workers {
		select {
		case <-started:
		case <-time.After(10 * time.Second):
			t.Fatalf("%d of %d items under way after 10 s", i, workers)
		}
	}
	close(release)
	o.Close()
}
