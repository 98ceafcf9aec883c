package live

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/generate/edit"
	"github.com/relsop/relsop/internal/store/sqlite"
	"github.com/relsop/relsop/internal/workspace"
)

// TestStoredOrderReplays sends random batches, valid and not, from
// several writers at once, and then checks the invariants the live model
// rests on: the stored operations, applied in their order to the first
// source, give the stored live source byte for byte; every accepted batch
// is stored once and every refused one not at all; and each checkpoint
// revision holds the source as it was at its number.
func TestStoredOrderReplays(t *testing.T) {
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "relsop.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	svc := workspace.New(st, workspace.Options{})
	hub := New(svc, Options{CheckpointIdle: 20 * time.Millisecond, CheckpointEvery: 100 * time.Millisecond})
	defer hub.Close(context.Background())

	ctx := context.Background()
	u, _, _, err := svc.SignUp(ctx, "ann@example.com", "Ann", "a long enough password")
	if err != nil {
		t.Fatal(err)
	}
	ctx = workspace.WithUser(ctx, u)
	ms, err := svc.Workspaces(ctx)
	if err != nil || len(ms) == 0 {
		t.Fatal(ms, err)
	}
	d, err := svc.Create(ctx, ms[0].Workspace.ID, "saas-weekly", nil, "")
	if err != nil {
		t.Fatal(err)
	}
	first := d.Source
	steps := []string{"confirm-scope", "cut-branch", "qa-signoff", "deploy-canary", "monitor-release", "no-such-step"}

	type outcome struct {
		value    string
		accepted bool
	}
	var mu sync.Mutex
	outcomes := map[string]outcome{}
	var wg sync.WaitGroup
	for w := range 3 {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(w), 7))
			for n := range 40 {
				value := fmt.Sprintf("w%d-n%d", w, n)
				ops := []edit.Op{{Op: "set", Kind: "step", ID: steps[r.IntN(len(steps))], Field: "description", Value: value}}
				if r.IntN(4) == 0 { // a second edit that may not apply: all or nothing
					ops = append(ops, edit.Op{Op: "set", Kind: "step", ID: steps[r.IntN(len(steps))], Field: "name", Value: value})
				}
				err := hub.Apply(ctx, d.ID, 0, ops) // on the latest
				if err != nil && relsop.ErrorCode(err) != relsop.EINVALID {
					t.Errorf("batch %s: %v", value, err)
				}
				mu.Lock()
				outcomes[value] = outcome{value, err == nil}
				mu.Unlock()
			}
		})
	}
	wg.Wait()

	// Replay the log.
	ops, err := st.OpsSince(ctx, d.ID, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	src := first
	seen := map[string]int{}
	sourceAt := map[int64][]byte{0: first}
	for i, op := range ops {
		if op.Seq != int64(i+1) {
			t.Fatalf("operation %d has the number %d", i+1, op.Seq)
		}
		var list []edit.Op
		if err := json.Unmarshal(op.Ops, &list); err != nil {
			t.Fatal(err)
		}
		res, err := edit.ApplyOps(src, list)
		if err != nil {
			t.Fatalf("stored operation %d does not replay: %v", op.Seq, err)
		}
		src = res.Source
		sourceAt[op.Seq] = src
		seen[fmt.Sprint(list[0].Value)]++
	}
	for v, o := range outcomes {
		if o.accepted && seen[v] != 1 || !o.accepted && seen[v] != 0 {
			t.Errorf("batch %s: accepted %v, stored %d times", v, o.accepted, seen[v])
		}
	}
	cur, err := st.DocumentByID(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if string(cur.Source) != string(src) {
		t.Fatal("the stored live source is not the replay of the stored operations")
	}

	// Checkpoints hold the source at their number.
	time.Sleep(200 * time.Millisecond)
	revs, err := st.Revisions(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, r := range revs {
		if r.Seq == 0 {
			continue
		}
		full, err := st.RevisionByNumber(ctx, d.ID, r.Number)
		if err != nil {
			t.Fatal(err)
		}
		if string(full.Source) != string(sourceAt[r.Seq]) {
			t.Errorf("revision %d (at operation %d) does not hold the source of that moment", r.Number, r.Seq)
		}
		checked++
	}
	if checked == 0 {
		t.Error("no live edits became a revision")
	}
	t.Logf("%d batches, %d stored, %d revisions checked", len(outcomes), len(ops), checked)
}
