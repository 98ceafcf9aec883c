package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/store/postgres"
	"github.com/relsop/relsop/internal/store/sqlite"
	"github.com/relsop/relsop/internal/testenv"
)

// Steps of the saas-weekly template that the load edits.
var loadSteps = []string{"confirm-scope", "cut-branch", "deploy-staging", "run-regression", "qa-signoff", "deploy-canary", "deploy-production", "monitor-release"}

// TestKilledServerKeepsAcknowledgedEdits kills relsop serve with SIGKILL
// while editors send edits as fast as it takes them, starts it again on
// the same data, and finds every acknowledged edit stored, in the order it
// was acknowledged.
func TestKilledServerKeepsAcknowledgedEdits(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		dir := t.TempDir()
		killUnderLoad(t, []string{"--data", dir}, func(t *testing.T) relsop.Store {
			st, err := sqlite.Open(filepath.Join(dir, "relsop.db"))
			if err != nil {
				t.Fatal(err)
			}
			return st
		})
	})
	t.Run("postgres", func(t *testing.T) {
		dsn := scratchDatabase(t)
		killUnderLoad(t, []string{"--db", dsn}, func(t *testing.T) relsop.Store {
			st, err := postgres.Open(context.Background(), dsn)
			if err != nil {
				t.Fatal(err)
			}
			return st
		})
	})
}

func killUnderLoad(t *testing.T, args []string, open func(*testing.T) relsop.Store) {
	srv := startServe(t, args...)
	owner := signUp(t, srv.base, "owner@example.com")
	doc := createSOP(t, srv.base, owner)

	const editors = 6
	eds := make([]*editor, editors)
	for i := range eds {
		eds[i] = dialEditor(t, srv.base, owner, doc, fmt.Sprintf("killtest-%02d", i))
	}
	// Each editor sends without waiting for acknowledgements, a few in
	// flight at a time, until the connection breaks.
	var wg sync.WaitGroup
	for i, e := range eds {
		wg.Go(func() {
			for n := int64(1); ; n++ {
				if err := e.send(n, loadSteps[rand.IntN(len(loadSteps))], fmt.Sprintf("e%d-n%d", i, n)); err != nil {
					return
				}
				for {
					e.mu.Lock()
					inFlight := n - int64(len(e.acks))
					e.mu.Unlock()
					if inFlight < 4 {
						break
					}
					select {
					case <-e.closed:
						return
					case <-time.After(time.Millisecond):
					}
				}
			}
		})
	}
	// Kill once the load is well under way.
	deadline := time.Now().Add(20 * time.Second)
	for countAcks(eds) < 150 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	srv.kill()
	wg.Wait()
	for _, e := range eds {
		<-e.closed
	}
	var acks []ack
	for _, e := range eds {
		acks = append(acks, e.acks...)
	}
	if len(acks) < 100 {
		t.Fatalf("only %d edits were acknowledged before the kill: not much of a load", len(acks))
	}

	// Start again on the same data: every acknowledged edit is there, with
	// the number it was acknowledged with, and the server goes on from it.
	srv2 := startServe(t, args...)
	st := open(t)
	defer st.Close()
	stored := map[int64]relsop.LiveOp{}
	for seq := int64(0); ; {
		ops, err := st.OpsSince(context.Background(), doc, seq, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(ops) == 0 {
			break
		}
		for _, op := range ops {
			stored[op.Seq] = op
		}
		seq = ops[len(ops)-1].Seq
	}
	last := map[string]ack{} // step → the latest acknowledged value
	for _, a := range acks {
		op, ok := stored[a.seq]
		if !ok || op.ClientID != a.client || op.ClientSeq != a.clientSeq || !strings.Contains(string(op.Ops), `"`+a.value+`"`) {
			t.Fatalf("acknowledged edit %+v is not stored as such (stored: %+v)", a, op)
		}
		for _, step := range loadSteps {
			if strings.Contains(string(op.Ops), `"id":"`+step+`"`) && a.seq > last[step].seq {
				last[step] = a
			}
		}
	}
	d, err := st.DocumentByID(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	for step, a := range last {
		// A later edit that was stored but not acknowledged may have
		// replaced the value; it is then in the log after a.
		if !strings.Contains(string(d.Source), a.value) && !laterEditOf(stored, step, a.seq) {
			t.Errorf("the live source lost %s = %s (seq %d)", step, a.value, a.seq)
		}
	}
	t.Logf("%d edits acknowledged before SIGKILL, %d stored; all acknowledged ones found", len(acks), len(stored))

	again := dialEditor(t, srv2.base, owner, doc, "killtest-after")
	if err := again.send(1, "qa-signoff", "after the restart"); err != nil {
		t.Fatal(err)
	}
	m := again.wait(t, func(m map[string]any) bool { return m["type"] == "op" && m["client"] == "killtest-after" })
	if got := int64(m["seq"].(float64)); got != d.Seq+1 {
		t.Errorf("the restarted server numbered the next edit %d, want %d", got, d.Seq+1)
	}
}

func countAcks(eds []*editor) int {
	n := 0
	for _, e := range eds {
		e.mu.Lock()
		n += len(e.acks)
		e.mu.Unlock()
	}
	return n
}

func laterEditOf(stored map[int64]relsop.LiveOp, step string, after int64) bool {
	for seq, op := range stored {
		if seq > after && strings.Contains(string(op.Ops), `"id":"`+step+`"`) {
			return true
		}
	}
	return false
}

// TestTwoServersOnePostgres runs two relsop serve processes on one
// PostgreSQL database, an editor on each: each sees the other's edits and
// presence, and edits sent at once through both get one order that both
// see.
func TestTwoServersOnePostgres(t *testing.T) {
	dsn := scratchDatabase(t)
	one := startServe(t, "--db", dsn)
	two := startServe(t, "--db", dsn)
	owner := signUp(t, one.base, "owner@example.com")
	doc := createSOP(t, one.base, owner)

	a := dialEditor(t, one.base, owner, doc, "on-server-one")
	b := dialEditor(t, two.base, owner, doc, "on-server-two")

	a.send(1, "qa-signoff", "sent through one")
	b.wait(t, func(m map[string]any) bool { return m["type"] == "op" && m["client"] == "on-server-one" })
	b.send(1, "qa-signoff", "sent through two")
	a.wait(t, func(m map[string]any) bool { return m["type"] == "op" && m["client"] == "on-server-two" })

	// Presence crosses too.
	b.conn.Write(context.Background(), 1, []byte(`{"type":"presence","selection":{"kind":"step","id":"cut-branch"},"cursor":null}`))
	a.wait(t, func(m map[string]any) bool {
		sel, _ := m["selection"].(map[string]any)
		return m["type"] == "presence" && m["client"] == "on-server-two" && sel["id"] == "cut-branch"
	})

	// Both at once: every edit is acknowledged, and both editors hear all
	// of them in the same order, without gaps.
	const each = 25
	var wg sync.WaitGroup
	for _, e := range []*editor{a, b} {
		wg.Go(func() {
			for n := int64(2); n < 2+each; n++ {
				if err := e.send(n, loadSteps[int(n)%len(loadSteps)], fmt.Sprintf("%s-%d", e.client, n)); err != nil {
					t.Errorf("%s could not send batch %d: %v", e.client, n, err)
				}
			}
		})
	}
	wg.Wait()
	for _, e := range []*editor{a, b} {
		e.wait(t, func(m map[string]any) bool {
			return m["type"] == "op" && m["client"] == e.client && m["client_seq"].(float64) == 1+each
		})
	}
	deadline := time.Now().Add(10 * time.Second)
	for len(a.opSeqs()) != len(b.opSeqs()) && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	sa, sb := a.opSeqs(), b.opSeqs()
	if !slices.Equal(sa, sb) {
		t.Fatalf("the editors heard different orders:\none: %v\ntwo: %v", sa, sb)
	}
	for i := 1; i < len(sa); i++ {
		if sa[i] != sa[i-1]+1 {
			t.Fatalf("a gap or a repeat at %d: %v", i, sa)
		}
	}
	if len(sa) != 2+2*each {
		t.Fatalf("heard %d operations, want %d; other messages:\none: %v\ntwo: %v", len(sa), 2+2*each, a.others(), b.others())
	}
	// And both servers serve the same source.
	if sa, sb := source(t, one.base, owner, doc), source(t, two.base, owner, doc); sa != sb {
		t.Fatal("the two servers serve different sources")
	}
}

func source(t *testing.T, base string, a account, doc int64) string {
	var got struct {
		Document struct {
			Source string `json:"source"`
		} `json:"document"`
	}
	call(t, http.DefaultClient, a.token, "", "GET", fmt.Sprintf("%s/api/sops/%d", base, doc), nil, &got)
	return got.Document.Source
}

// scratchDatabase makes an empty database on the PostgreSQL server that
// RELSOP_TEST_POSTGRES names, dropped when the test ends.
func scratchDatabase(t *testing.T) string {
	t.Helper()
	admin := os.Getenv("RELSOP_TEST_POSTGRES")
	if admin == "" {
		testenv.Missing(t, "a PostgreSQL server (RELSOP_TEST_POSTGRES)")
	}
	name := fmt.Sprintf("relsop_serve_%d_%d", os.Getpid(), rand.IntN(1<<30))
	exec := func(sql string) {
		conn, err := pgx.Connect(context.Background(), admin)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(context.Background())
		if _, err := conn.Exec(context.Background(), sql); err != nil {
			t.Fatal(err)
		}
	}
	exec("CREATE DATABASE " + name)
	t.Cleanup(func() { exec("DROP DATABASE " + name + " WITH (FORCE)") })
	u, err := url.Parse(admin)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		t.Fatalf("RELSOP_TEST_POSTGRES must be a postgres:// URL for this test")
	}
	u.Path = "/" + name
	return u.String()
}
