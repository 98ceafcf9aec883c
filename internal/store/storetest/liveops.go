package storetest

import (
	"fmt"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/relsop/relsop"
)

// liveOp returns the live operation a client would store as number seq of
// document doc, its own batch clientSeq, and the live source after it.
func liveOp(doc, author, seq int64, client string, clientSeq int64) (*relsop.LiveOp, []byte) {
	op := &relsop.LiveOp{
		DocumentID: doc,
		Seq:        seq,
		AuthorID:   author,
		ClientID:   client,
		ClientSeq:  clientSeq,
		Ops:        fmt.Appendf(nil, `[{"op":"set","kind":"step","id":"build","field":"name","value":"Build %d"}]`, seq),
	}
	return op, liveSource(seq, client)
}

// liveSource is the source after operation seq made by client.
func liveSource(seq int64, client string) []byte {
	return fmt.Appendf(nil, "sop: live\nseq: %d\nclient: %q\n", seq, client)
}

// appendOps stores operations from..to of doc, made by author from client
// with client numbers equal to their numbers, and returns them as stored.
func appendOps(t *testing.T, s relsop.Store, doc, author int64, client string, from, to int64) []relsop.LiveOp {
	t.Helper()
	var made []relsop.LiveOp
	for seq := from; seq <= to; seq++ {
		op, src := liveOp(doc, author, seq, client, seq)
		must(t, fmt.Sprintf("AppendOp %d", seq), s.AppendOp(t.Context(), op, src))
		made = append(made, *op)
	}
	return made
}

func testLiveOps(t *testing.T, open Opener) {
	setup := func(t *testing.T) (relsop.Store, *relsop.Document, *relsop.User, *relsop.User) {
		return annsDocument(t, open)
	}

	t.Run("Created", func(t *testing.T) {
		s, d, _, _ := setup(t)
		if d.Seq != 0 || d.RevisionSeq != 0 {
			t.Errorf("CreateDocument: Seq = %d, RevisionSeq = %d, want 0, 0", d.Seq, d.RevisionSeq)
		}
		got, err := s.DocumentByID(t.Context(), d.ID)
		must(t, "DocumentByID", err)
		if got.Seq != 0 || got.RevisionSeq != 0 {
			t.Errorf("DocumentByID: Seq = %d, RevisionSeq = %d, want 0, 0", got.Seq, got.RevisionSeq)
		}
		r, err := s.RevisionByNumber(t.Context(), d.ID, 1)
		must(t, "RevisionByNumber", err)
		if r.Seq != 0 || len(r.Coauthors) != 0 {
			t.Errorf("first revision: Seq = %d, Coauthors = %v, want 0, none", r.Seq, r.Coauthors)
		}
		ops, err := s.OpsSince(t.Context(), d.ID, 0, 0)
		must(t, "OpsSince", err)
		if len(ops) != 0 {
			t.Errorf("OpsSince of a new document = %+v, want none", ops)
		}
	})

	t.Run("Append", func(t *testing.T) {
		s, d, ann, bob := setup(t)
		before, err := s.DocumentByID(t.Context(), d.ID)
		must(t, "DocumentByID", err)
		made := appendOps(t, s, d.ID, bob.ID, "tab-b", 1, 2)
		made = append(made, appendOps(t, s, d.ID, ann.ID, "tab-a", 3, 3)...)
		for _, op := range made {
			checkStamp(t, fmt.Sprintf("op %d CreatedAt", op.Seq), op.CreatedAt)
		}

		got, err := s.DocumentByID(t.Context(), d.ID)
		must(t, "DocumentByID", err)
		want := *before
		want.Seq, want.Source = 3, liveSource(3, "tab-a")
		if diff := cmp.Diff(&want, got); diff != "" {
			t.Errorf("DocumentByID after AppendOp: only Seq and Source change (-want +got):\n%s", diff)
		}

		ops, err := s.OpsSince(t.Context(), d.ID, 0, 0)
		must(t, "OpsSince", err)
		if diff := cmp.Diff(made, ops); diff != "" {
			t.Errorf("OpsSince (-want +got):\n%s", diff)
		}
		for _, op := range ops {
			checkUTC(t, "CreatedAt", op.CreatedAt)
		}
	})

	t.Run("OutOfTurn", func(t *testing.T) {
		s, d, _, bob := setup(t)
		appendOps(t, s, d.ID, bob.ID, "tab-b", 1, 2)
		before, err := s.DocumentByID(t.Context(), d.ID)
		must(t, "DocumentByID", err)

		for _, seq := range []int64{2, 1, 4, 7, 0, -1} { // taken, taken, gap, gap, none, none
			op, src := liveOp(d.ID, bob.ID, seq, "tab-c", 1)
			err := s.AppendOp(t.Context(), op, src)
			wantCode(t, fmt.Sprintf("AppendOp %d after 2", seq), err, relsop.ECONFLICT)
		}

		after, err := s.DocumentByID(t.Context(), d.ID)
		must(t, "DocumentByID", err)
		if diff := cmp.Diff(before, after); diff != "" {
			t.Errorf("a refused AppendOp changed the document (-before +after):\n%s", diff)
		}
		ops, err := s.OpsSince(t.Context(), d.ID, 0, 0)
		must(t, "OpsSince", err)
		if len(ops) != 2 {
			t.Errorf("%d operations after refused appends, want 2", len(ops))
		}
		_, err = s.LastClientOp(t.Context(), d.ID, "tab-c")
		wantCode(t, "LastClientOp of the refused client", err, relsop.ENOTFOUND)
	})

	t.Run("ClientSeqTwice", func(t *testing.T) {
		s, d, ann, bob := setup(t)
		other := newDocument(t, s, d.WorkspaceID, ann.ID, "Other", nil)
		appendOps(t, s, d.ID, bob.ID, "tab-b", 1, 1)
		before, err := s.DocumentByID(t.Context(), d.ID)
		must(t, "DocumentByID", err)

		op, src := liveOp(d.ID, bob.ID, 2, "tab-b", 1) // the batch sent again
		err = s.AppendOp(t.Context(), op, src)
		wantCode(t, "AppendOp of a client number already stored", err, relsop.ECONFLICT)
		after, err := s.DocumentByID(t.Context(), d.ID)
		must(t, "DocumentByID", err)
		if diff := cmp.Diff(before, after); diff != "" {
			t.Errorf("a refused AppendOp changed the document (-before +after):\n%s", diff)
		}

		// The client number is the client's own, per document.
		op, src = liveOp(d.ID, ann.ID, 2, "tab-a", 1)
		must(t, "AppendOp by another client", s.AppendOp(t.Context(), op, src))
		op, src = liveOp(other.ID, bob.ID, 1, "tab-b", 1)
		must(t, "AppendOp to another document", s.AppendOp(t.Context(), op, src))
	})

	t.Run("NotFound", func(t *testing.T) {
		s, d, _, bob := setup(t)
		op, src := liveOp(d.ID+1000, bob.ID, 1, "tab-b", 1)
		wantCode(t, "AppendOp to a missing document", s.AppendOp(t.Context(), op, src), relsop.ENOTFOUND)
		op, src = liveOp(d.ID, 1<<40, 1, "tab-x", 1)
		wantCode(t, "AppendOp by a missing user", s.AppendOp(t.Context(), op, src), relsop.ENOTFOUND)
		got, err := s.DocumentByID(t.Context(), d.ID)
		must(t, "DocumentByID", err)
		if got.Seq != 0 || string(got.Source) != string(d.Source) {
			t.Errorf("AppendOp by a missing user stored something: Seq = %d, Source = %q", got.Seq, got.Source)
		}
		_, err = s.LastClientOp(t.Context(), d.ID+1000, "tab-b")
		wantCode(t, "LastClientOp of a missing document", err, relsop.ENOTFOUND)
	})

	t.Run("OpsSince", func(t *testing.T) {
		s, d, ann, bob := setup(t)
		other := newDocument(t, s, d.WorkspaceID, ann.ID, "Other", nil)
		made := appendOps(t, s, d.ID, bob.ID, "tab-b", 1, 5)
		appendOps(t, s, other.ID, bob.ID, "tab-b", 1, 3)
		tests := []struct {
			since int64
			limit int
			want  []relsop.LiveOp
		}{
			{0, 0, made},
			{2, 0, made[2:]},
			{0, 2, made[:2]},
			{1, 3, made[1:4]},
			{4, 10, made[4:]},
			{5, 0, nil},
			{9, 0, nil},
		}
		for _, tt := range tests {
			got, err := s.OpsSince(t.Context(), d.ID, tt.since, tt.limit)
			must(t, "OpsSince", err)
			if diff := cmp.Diff(tt.want, got, equateEmpty); diff != "" {
				t.Errorf("OpsSince(%d, limit %d) (-want +got):\n%s", tt.since, tt.limit, diff)
			}
		}
	})

	t.Run("OpsSinceDefaultLimit", func(t *testing.T) {
		s, d, _, bob := setup(t)
		const n = 1005
		src := liveSource(1, "tab-b")
		for seq := int64(1); seq <= n; seq++ {
			op := &relsop.LiveOp{DocumentID: d.ID, Seq: seq, AuthorID: bob.ID, ClientID: "tab-b", ClientSeq: seq, Ops: []byte("[]")}
			must(t, "AppendOp", s.AppendOp(t.Context(), op, src))
		}
		got, err := s.OpsSince(t.Context(), d.ID, 0, 0)
		must(t, "OpsSince", err)
		if len(got) != 1000 || got[0].Seq != 1 || got[999].Seq != 1000 {
			t.Errorf("OpsSince with limit 0 returned %d operations, want 1 to 1000", len(got))
		}
	})

	t.Run("LastClientOp", func(t *testing.T) {
		s, d, ann, bob := setup(t)
		for _, o := range []struct {
			author    int64
			client    string
			clientSeq int64
		}{{bob.ID, "tab-a", 1}, {bob.ID, "tab-a", 2}, {ann.ID, "tab-b", 7}, {bob.ID, "tab-a", 3}} {
			ops, err := s.OpsSince(t.Context(), d.ID, 0, 0)
			must(t, "OpsSince", err)
			op, src := liveOp(d.ID, o.author, int64(len(ops))+1, o.client, o.clientSeq)
			must(t, "AppendOp", s.AppendOp(t.Context(), op, src))
		}
		// A replacement, which has no client.
		cur, err := s.DocumentByID(t.Context(), d.ID)
		must(t, "DocumentByID", err)
		nd, r := edit(*cur, ann.ID, 2)
		must(t, "SaveRevision", s.SaveRevision(t.Context(), nd, r, cur.Revision))

		all, err := s.OpsSince(t.Context(), d.ID, 0, 0)
		must(t, "OpsSince", err)
		for client, want := range map[string]relsop.LiveOp{"tab-a": all[3], "tab-b": all[2]} {
			got, err := s.LastClientOp(t.Context(), d.ID, client)
			must(t, "LastClientOp "+client, err)
			if diff := cmp.Diff(&want, got); diff != "" {
				t.Errorf("LastClientOp %s (-want +got):\n%s", client, diff)
			}
		}
		for _, client := range []string{"tab-c", ""} {
			_, err := s.LastClientOp(t.Context(), d.ID, client)
			wantCode(t, fmt.Sprintf("LastClientOp %q", client), err, relsop.ENOTFOUND)
		}
	})

	t.Run("Checkpoint", func(t *testing.T) {
		s, d, ann, bob := setup(t)
		appendOps(t, s, d.ID, bob.ID, "tab-b", 1, 2)
		cur, err := s.DocumentByID(t.Context(), d.ID)
		must(t, "DocumentByID", err)
		if cur.Seq != 2 || cur.RevisionSeq != 0 {
			t.Fatalf("after two operations: Seq = %d, RevisionSeq = %d, want 2, 0", cur.Seq, cur.RevisionSeq)
		}

		nd, r := edit(*cur, ann.ID, 2)
		nd.Source, r.Source = cur.Source, cur.Source // the live source as it is
		r.Coauthors = []int64{bob.ID}
		must(t, "SaveRevision", s.SaveRevision(t.Context(), nd, r, cur.Revision))
		if r.Seq != 2 || nd.Seq != 2 || nd.RevisionSeq != 2 {
			t.Errorf("checkpoint: r.Seq = %d, d.Seq = %d, d.RevisionSeq = %d, want 2, 2, 2", r.Seq, nd.Seq, nd.RevisionSeq)
		}

		got, err := s.DocumentByID(t.Context(), d.ID)
		must(t, "DocumentByID", err)
		if diff := cmp.Diff(nd, got); diff != "" {
			t.Errorf("DocumentByID after a checkpoint (-want +got):\n%s", diff)
		}
		ops, err := s.OpsSince(t.Context(), d.ID, 0, 0)
		must(t, "OpsSince", err)
		if len(ops) != 2 {
			t.Errorf("%d operations after a checkpoint, want the 2 appended: a checkpoint appends none", len(ops))
		}
		rev, err := s.RevisionByNumber(t.Context(), d.ID, 2)
		must(t, "RevisionByNumber", err)
		if rev.Seq != 2 || string(rev.Source) != string(cur.Source) {
			t.Errorf("checkpoint revision: Seq = %d, Source = %q, want 2, the live source", rev.Seq, rev.Source)
		}

		// Editing goes on from the checkpoint.
		appendOps(t, s, d.ID, bob.ID, "tab-b", 3, 3)
		got, err = s.DocumentByID(t.Context(), d.ID)
		must(t, "DocumentByID", err)
		if got.Seq != 3 || got.RevisionSeq != 2 || got.Revision != 2 || string(got.Source) != string(liveSource(3, "tab-b")) {
			t.Errorf("after an operation past the checkpoint: Seq = %d, RevisionSeq = %d, Revision = %d, Source = %q; want 3, 2, 2, the operation's",
				got.Seq, got.RevisionSeq, got.Revision, got.Source)
		}
	})

	t.Run("Replacement", func(t *testing.T) {
		s, d, ann, bob := setup(t)
		appendOps(t, s, d.ID, bob.ID, "tab-b", 1, 2)
		cur, err := s.DocumentByID(t.Context(), d.ID)
		must(t, "DocumentByID", err)

		nd, r := edit(*cur, ann.ID, 2) // a source other than the live one
		must(t, "SaveRevision", s.SaveRevision(t.Context(), nd, r, cur.Revision))
		if r.Seq != 3 || nd.Seq != 3 || nd.RevisionSeq != 3 {
			t.Errorf("replacement: r.Seq = %d, d.Seq = %d, d.RevisionSeq = %d, want 3, 3, 3", r.Seq, nd.Seq, nd.RevisionSeq)
		}
		got, err := s.DocumentByID(t.Context(), d.ID)
		must(t, "DocumentByID", err)
		if diff := cmp.Diff(nd, got); diff != "" {
			t.Errorf("DocumentByID after a replacement (-want +got):\n%s", diff)
		}

		ops, err := s.OpsSince(t.Context(), d.ID, 2, 0)
		must(t, "OpsSince", err)
		if len(ops) != 1 {
			t.Fatalf("OpsSince 2 after a replacement = %+v, want the replacement", ops)
		}
		want := relsop.LiveOp{DocumentID: d.ID, Seq: 3, AuthorID: ann.ID, CreatedAt: ops[0].CreatedAt}
		if diff := cmp.Diff(want, ops[0], equateEmpty); diff != "" {
			t.Errorf("the replacement operation (-want +got):\n%s", diff)
		}
		checkStamp(t, "replacement CreatedAt", ops[0].CreatedAt)

		// A second replacement straight after: replacements share the
		// empty client.
		nd2, r2 := edit(*nd, bob.ID, 3)
		must(t, "SaveRevision", s.SaveRevision(t.Context(), nd2, r2, nd.Revision))
		if r2.Seq != 4 || nd2.Seq != 4 || nd2.RevisionSeq != 4 {
			t.Errorf("second replacement: r.Seq = %d, d.Seq = %d, d.RevisionSeq = %d, want 4, 4, 4", r2.Seq, nd2.Seq, nd2.RevisionSeq)
		}

		// Live editing goes on from the replacement.
		appendOps(t, s, d.ID, bob.ID, "tab-b", 5, 5)
		got, err = s.DocumentByID(t.Context(), d.ID)
		must(t, "DocumentByID", err)
		if got.Seq != 5 || got.RevisionSeq != 4 {
			t.Errorf("after an operation past the replacement: Seq = %d, RevisionSeq = %d, want 5, 4", got.Seq, got.RevisionSeq)
		}
		revs, err := s.Revisions(t.Context(), d.ID)
		must(t, "Revisions", err)
		var seqs []int64
		for _, r := range revs {
			seqs = append(seqs, r.Seq)
		}
		if diff := cmp.Diff([]int64{4, 3, 0}, seqs); diff != "" {
			t.Errorf("Revisions' Seq, newest first (-want +got):\n%s", diff)
		}
	})

	t.Run("StaleSeq", func(t *testing.T) {
		s, d, ann, bob := setup(t)
		appendOps(t, s, d.ID, bob.ID, "tab-b", 1, 2)
		before, err := s.DocumentByID(t.Context(), d.ID)
		must(t, "DocumentByID", err)

		for _, seq := range []int64{0, 1, 3} {
			for _, same := range []bool{true, false} {
				stale, r := edit(*before, ann.ID, 2)
				stale.Seq = seq
				if same {
					stale.Source, r.Source = before.Source, before.Source
				}
				err := s.SaveRevision(t.Context(), stale, r, before.Revision)
				wantCode(t, fmt.Sprintf("SaveRevision at Seq %d of 2 (same source %t)", seq, same), err, relsop.ECONFLICT)
			}
		}

		after, err := s.DocumentByID(t.Context(), d.ID)
		must(t, "DocumentByID", err)
		if diff := cmp.Diff(before, after); diff != "" {
			t.Errorf("a refused SaveRevision changed the document (-before +after):\n%s", diff)
		}
		ops, err := s.OpsSince(t.Context(), d.ID, 0, 0)
		must(t, "OpsSince", err)
		if len(ops) != 2 {
			t.Errorf("%d operations after refused saves, want 2", len(ops))
		}
		revs, err := s.Revisions(t.Context(), d.ID)
		must(t, "Revisions", err)
		if len(revs) != 1 {
			t.Errorf("%d revisions after refused saves, want 1", len(revs))
		}
	})

	t.Run("Coauthors", func(t *testing.T) {
		s, d, ann, bob := setup(t)
		carol := newUser(t, s, "carol@example.com")
		appendOps(t, s, d.ID, bob.ID, "tab-b", 1, 1)
		appendOps(t, s, d.ID, carol.ID, "tab-c", 2, 2)
		cur, err := s.DocumentByID(t.Context(), d.ID)
		must(t, "DocumentByID", err)
		nd, r := edit(*cur, ann.ID, 2)
		nd.Source, r.Source = cur.Source, cur.Source
		r.Coauthors = []int64{carol.ID, bob.ID, carol.ID} // unsorted, with a duplicate
		must(t, "SaveRevision", s.SaveRevision(t.Context(), nd, r, cur.Revision))
		want := []int64{min(bob.ID, carol.ID), max(bob.ID, carol.ID)}
		if diff := cmp.Diff(want, r.Coauthors); diff != "" {
			t.Errorf("r.Coauthors after SaveRevision (-want +got):\n%s", diff)
		}

		got, err := s.RevisionByNumber(t.Context(), d.ID, 2)
		must(t, "RevisionByNumber", err)
		wantRev := *r
		wantRev.AuthorName = ann.Name
		if diff := cmp.Diff(&wantRev, got); diff != "" {
			t.Errorf("RevisionByNumber (-want +got):\n%s", diff)
		}
		revs, err := s.Revisions(t.Context(), d.ID)
		must(t, "Revisions", err)
		if len(revs) != 2 {
			t.Fatalf("%d revisions, want 2", len(revs))
		}
		if diff := cmp.Diff(want, revs[0].Coauthors); diff != "" {
			t.Errorf("Revisions[0].Coauthors (-want +got):\n%s", diff)
		}
		if len(revs[1].Coauthors) != 0 {
			t.Errorf("Revisions[1].Coauthors = %v, want none", revs[1].Coauthors)
		}
	})

	t.Run("ConcurrentAppends", func(t *testing.T) {
		s, d, _, bob := setup(t)
		appendOps(t, s, d.ID, bob.ID, "tab-b", 1, 1)
		const n = 8
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			op, src := liveOp(d.ID, bob.ID, 2, fmt.Sprintf("tab-%d", i), 1)
			wg.Go(func() { errs[i] = s.AppendOp(t.Context(), op, src) })
		}
		wg.Wait()
		winner := oneWinner(t, "AppendOp", "operation 2", errs)
		client := fmt.Sprintf("tab-%d", winner)
		got, err := s.DocumentByID(t.Context(), d.ID)
		must(t, "DocumentByID", err)
		if got.Seq != 2 || string(got.Source) != string(liveSource(2, client)) {
			t.Errorf("after concurrent appends: Seq = %d, Source = %q, want 2 and the winner's", got.Seq, got.Source)
		}
		ops, err := s.OpsSince(t.Context(), d.ID, 1, 0)
		must(t, "OpsSince", err)
		if len(ops) != 1 || ops[0].ClientID != client {
			t.Errorf("OpsSince 1 = %+v, want the winner's operation alone", ops)
		}
	})

	t.Run("ConcurrentSaveAndAppend", func(t *testing.T) {
		// A replacement and a live operation both take the next number:
		// exactly one of them may have it.
		s, d, ann, bob := setup(t)
		for round := range 5 {
			cur, err := s.DocumentByID(t.Context(), d.ID)
			must(t, "DocumentByID", err)
			nd, r := edit(*cur, ann.ID, 100+round)
			op, src := liveOp(d.ID, bob.ID, cur.Seq+1, "tab-b", int64(round+1))
			var saveErr, appendErr error
			var wg sync.WaitGroup
			wg.Go(func() { saveErr = s.SaveRevision(t.Context(), nd, r, cur.Revision) })
			wg.Go(func() { appendErr = s.AppendOp(t.Context(), op, src) })
			wg.Wait()
			saved, appended := saveErr == nil, appendErr == nil
			if saved == appended {
				t.Fatalf("round %d: SaveRevision: %v; AppendOp: %v; want exactly one to succeed", round, saveErr, appendErr)
			}
			for _, err := range []error{saveErr, appendErr} {
				if err != nil {
					wantCode(t, "the losing write", err, relsop.ECONFLICT)
				}
			}
			got, err := s.DocumentByID(t.Context(), d.ID)
			must(t, "DocumentByID", err)
			wantSrc := src
			if saved {
				wantSrc = r.Source
			}
			if got.Seq != cur.Seq+1 || string(got.Source) != string(wantSrc) {
				t.Errorf("round %d: Seq = %d, Source = %q; want %d and the winner's", round, got.Seq, got.Source, cur.Seq+1)
			}
		}
	})
}
