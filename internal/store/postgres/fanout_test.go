package postgres_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/store/postgres"
)

// TestFanout runs two servers' stores on one database: what one publishes
// reaches both, and a subscriber whose connection is cut connects again.
func TestFanout(t *testing.T) {
	srv := testServer(t)

	t.Run("TwoSubscribers", func(t *testing.T) {
		// One connection in the pool: the listener must not hold it.
		a := srv.openStore(t, withParam(srv.emptySchema(t), "pool_max_conns", "1"))
		b := srv.openStore(t, srv.emptySchema(t))
		gotA, gotB := subscribe(t, a), subscribe(t, b)
		waitListening(t, b, gotA, gotB)

		for _, msg := range []string{"one", "two", "three"} {
			if err := b.Publish(t.Context(), []byte(msg)); err != nil {
				t.Fatalf("Publish: %v", err)
			}
		}
		for name, got := range map[string]<-chan []byte{"a": gotA, "b": gotB} {
			for _, want := range []string{"one", "two", "three"} {
				if msg := receive(t, got, false); string(msg) != want {
					t.Errorf("subscriber %s received %q, want %q", name, msg, want)
				}
			}
		}

		ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
		defer cancel()
		u := relsop.User{Email: "ann@example.com", Name: "Ann", PasswordHash: "x"}
		if err := a.CreateUser(ctx, &u); err != nil {
			t.Errorf("a query beside a subscriber, with one connection in the pool: %v", err)
		}
	})

	t.Run("Reconnect", func(t *testing.T) {
		app := fmt.Sprintf("relsop_fanout_%d", time.Now().UnixNano())
		sub := srv.openStore(t, withParam(srv.emptySchema(t), "application_name", app))
		pub := srv.openStore(t, srv.emptySchema(t))
		got := subscribe(t, sub)
		waitListening(t, pub, got)

		conn, err := pgx.Connect(t.Context(), srv.url(srv.db, ""))
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(context.Background())
		var killed int
		err = conn.QueryRow(t.Context(), `SELECT count(*) FROM pg_stat_activity
			WHERE application_name = $1 AND query LIKE 'LISTEN%' AND pg_terminate_backend(pid)`, app).Scan(&killed)
		if err != nil {
			t.Fatal(err)
		}
		if killed != 1 {
			t.Fatalf("terminated %d listening connections, want 1", killed)
		}

		if msg := receive(t, got, true); msg != nil {
			t.Fatalf("after the connection was cut: received %q, want nil", msg)
		}
		waitListening(t, pub, got)
		if err := pub.Publish(t.Context(), []byte("after")); err != nil {
			t.Fatalf("Publish: %v", err)
		}
		if msg := receive(t, got, false); string(msg) != "after" {
			t.Errorf("after reconnecting: received %q, want %q", msg, "after")
		}
	})

	t.Run("Refused", func(t *testing.T) {
		s := srv.openStore(t, srv.emptySchema(t))
		if err := s.Publish(t.Context(), []byte(strings.Repeat("x", relsop.MaxFanoutPayload))); err != nil {
			t.Errorf("Publish of MaxFanoutPayload bytes: %v", err)
		}
		for name, payload := range map[string][]byte{
			"too big":   []byte(strings.Repeat("x", relsop.MaxFanoutPayload+1)),
			"not UTF-8": {'a', 0xff},
			"NUL":       {'a', 0, 'b'},
		} {
			if err := s.Publish(t.Context(), payload); relsop.ErrorCode(err) != relsop.EINVALID {
				t.Errorf("Publish %s: %v, want %s", name, err, relsop.EINVALID)
			}
		}
	})
}

// openStore opens a store at dsn, closed when the test ends.
func (s *server) openStore(t *testing.T, dsn string) *postgres.Store {
	t.Helper()
	st, err := postgres.Open(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// withParam adds a connection parameter to a URL or keyword/value string.
func withParam(dsn, key, value string) string {
	if strings.Contains(dsn, "://") {
		sep := "?"
		if strings.Contains(dsn, "?") {
			sep = "&"
		}
		return dsn + sep + key + "=" + value
	}
	return dsn + " " + key + "=" + value
}

// subscribe subscribes to s until the test ends and returns what it
// receives. The test's cleanup waits for Subscribe to return, and checks
// it returned nil.
func subscribe(t *testing.T, s *postgres.Store) <-chan []byte {
	t.Helper()
	got := make(chan []byte, 1000)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var err error
	wg.Go(func() { err = s.Subscribe(ctx, func(payload []byte) { got <- payload }) })
	t.Cleanup(func() {
		cancel()
		wg.Wait()
		if err != nil {
			t.Errorf("Subscribe: %v", err)
		}
	})
	return got
}

// waitListening publishes through pub until every subscriber has received
// one of its messages, and so listens: Subscribe does not say when it is
// ready. It then drains what is left of them.
func waitListening(t *testing.T, pub *postgres.Store, subs ...<-chan []byte) {
	t.Helper()
	const ping = "listening?"
	deadline := time.Now().Add(10 * time.Second)
	for _, sub := range subs {
	wait:
		for {
			if time.Now().After(deadline) {
				t.Fatalf("a subscriber received nothing in 10s")
			}
			if err := pub.Publish(t.Context(), []byte(ping)); err != nil {
				t.Fatalf("Publish: %v", err)
			}
			select {
			case msg := <-sub:
				if string(msg) == ping {
					break wait
				}
			case <-time.After(50 * time.Millisecond):
			}
		}
	}
	// Pings still on their way arrive before anything published after
	// this one.
	const last = "listening."
	if err := pub.Publish(t.Context(), []byte(last)); err != nil {
		t.Fatalf("Publish: %v", err)
	}
	for _, sub := range subs {
		for msg := receive(t, sub, false); string(msg) != last; msg = receive(t, sub, false) {
		}
	}
}

// receive returns the next payload a subscriber receives, failing the
// test after 10s. Unless orNil, it skips nil (a reconnect).
func receive(t *testing.T, sub <-chan []byte, orNil bool) []byte {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case msg := <-sub:
			if msg != nil || orNil {
				return msg
			}
		case <-timeout:
			t.Fatalf("received nothing in 10s")
			return nil
		}
	}
}
