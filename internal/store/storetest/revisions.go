package storetest

import (
	"strconv"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/relsop/relsop"
)

// edit returns d as a client would send it for the next revision: every
// listed field changed, by author, and the matching revision.
func edit(d relsop.Document, author int64, n int) (*relsop.Document, *relsop.Revision) {
	src := []byte("sop: edited\nrevision: " + strconv.Itoa(n) + "\n")
	d.Title = d.Title + " (edited)"
	d.Status = relsop.StatusApproved
	d.Owner = "platform"
	d.ReleaseTypes = []string{"major"}
	d.Lint = relsop.LintErrors
	d.UpdatedBy = author
	d.Source = src
	r := &relsop.Revision{DocumentID: d.ID, AuthorID: author, Message: "Status: in review → approved", Status: relsop.StatusApproved, Source: src}
	return &d, r
}

func testRevisions(t *testing.T, open Opener) {
	setup := func(t *testing.T) (relsop.Store, *relsop.Document, *relsop.User, *relsop.User) {
		return annsDocument(t, open)
	}

	t.Run("Save", func(t *testing.T) {
		s, d, ann, bob := setup(t)
		first, err := s.DocumentByID(t.Context(), d.ID)
		must(t, "DocumentByID", err)
		nd, r := edit(*first, bob.ID, 2)
		must(t, "SaveRevision", s.SaveRevision(t.Context(), nd, r, 1))
		if nd.Revision != 2 || r.Number != 2 {
			t.Errorf("d.Revision = %d, r.Number = %d, want 2, 2", nd.Revision, r.Number)
		}
		checkStamp(t, "UpdatedAt", nd.UpdatedAt)
		checkStamp(t, "r.CreatedAt", r.CreatedAt)
		if nd.UpdatedAt.Before(first.UpdatedAt) {
			t.Errorf("UpdatedAt went back: %v before %v", nd.UpdatedAt, first.UpdatedAt)
		}

		got, err := s.DocumentByID(t.Context(), d.ID)
		must(t, "DocumentByID", err)
		want := *nd
		want.CreatedAt, want.CreatedBy = first.CreatedAt, ann.ID
		if diff := cmp.Diff(&want, got); diff != "" {
			t.Errorf("DocumentByID after SaveRevision (-want +got):\n%s", diff)
		}

		old, err := s.RevisionByNumber(t.Context(), d.ID, 1)
		must(t, "RevisionByNumber 1", err)
		if string(old.Source) != string(first.Source) || old.AuthorID != ann.ID || old.Status != relsop.StatusDraft {
			t.Errorf("revision 1 changed by SaveRevision: %+v", old)
		}
		newest, err := s.RevisionByNumber(t.Context(), d.ID, 2)
		must(t, "RevisionByNumber 2", err)
		wantRev := *r
		wantRev.AuthorName = bob.Name
		if diff := cmp.Diff(&wantRev, newest); diff != "" {
			t.Errorf("RevisionByNumber 2 (-want +got):\n%s", diff)
		}
	})

	t.Run("SaveKeepsArchived", func(t *testing.T) {
		s, d, _, bob := setup(t)
		must(t, "SetArchived", s.SetArchived(t.Context(), d.ID, true))
		nd, r := edit(*d, bob.ID, 2)
		nd.Archived = false // not one of the fields SaveRevision stores
		must(t, "SaveRevision", s.SaveRevision(t.Context(), nd, r, 1))
		got, err := s.DocumentByID(t.Context(), d.ID)
		must(t, "DocumentByID", err)
		if !got.Archived {
			t.Errorf("SaveRevision unarchived the document")
		}
	})

	t.Run("StaleBase", func(t *testing.T) {
		s, d, _, bob := setup(t)
		nd, r := edit(*d, bob.ID, 2)
		must(t, "SaveRevision", s.SaveRevision(t.Context(), nd, r, 1))
		before, err := s.DocumentByID(t.Context(), d.ID)
		must(t, "DocumentByID", err)

		for _, base := range []int{1, 0, 3, 7} {
			stale, r := edit(*d, bob.ID, 3)
			stale.Title = "Lost update"
			err := s.SaveRevision(t.Context(), stale, r, base)
			wantCode(t, "SaveRevision on a stale base", err, relsop.ECONFLICT)
		}

		after, err := s.DocumentByID(t.Context(), d.ID)
		must(t, "DocumentByID", err)
		if diff := cmp.Diff(before, after); diff != "" {
			t.Errorf("a conflicting SaveRevision changed the document (-before +after):\n%s", diff)
		}
		revs, err := s.Revisions(t.Context(), d.ID)
		must(t, "Revisions", err)
		if len(revs) != 2 {
			t.Errorf("%d revisions after conflicting saves, want 2", len(revs))
		}
		_, err = s.RevisionByNumber(t.Context(), d.ID, 3)
		wantCode(t, "RevisionByNumber 3", err, relsop.ENOTFOUND)
	})

	t.Run("ConcurrentSaves", func(t *testing.T) {
		s, d, _, bob := setup(t)
		const n = 8
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			nd, r := edit(*d, bob.ID, i)
			wg.Go(func() { errs[i] = s.SaveRevision(t.Context(), nd, r, 1) })
		}
		wg.Wait()
		won := 0
		for _, err := range errs {
			switch relsop.ErrorCode(err) {
			case "":
				won++
			case relsop.ECONFLICT:
			default:
				t.Errorf("SaveRevision: %v, want nil or a conflict", err)
			}
		}
		if won != 1 {
			t.Errorf("%d of %d saves on the same base won, want exactly 1", won, n)
		}
		revs, err := s.Revisions(t.Context(), d.ID)
		must(t, "Revisions", err)
		if len(revs) != 2 {
			t.Errorf("%d revisions, want 2", len(revs))
		}
	})

	t.Run("List", func(t *testing.T) {
		s, d, ann, bob := setup(t)
		cur := d
		var made []*relsop.Revision
		first, err := s.RevisionByNumber(t.Context(), d.ID, 1)
		must(t, "RevisionByNumber", err)
		made = append(made, first)
		for i, author := range []*relsop.User{bob, ann, bob} {
			nd, r := edit(*cur, author.ID, i+2)
			must(t, "SaveRevision", s.SaveRevision(t.Context(), nd, r, cur.Revision))
			r.AuthorName = author.Name
			made = append(made, r)
			cur = nd
		}
		other := newDocument(t, s, d.WorkspaceID, ann.ID, "Other", nil)

		got, err := s.Revisions(t.Context(), d.ID)
		must(t, "Revisions", err)
		var want []relsop.Revision
		for i := len(made) - 1; i >= 0; i-- {
			r := *made[i]
			r.Source = nil
			want = append(want, r)
		}
		if diff := cmp.Diff(want, got, equateEmpty); diff != "" {
			t.Errorf("Revisions (-want +got):\n%s", diff)
		}
		for _, r := range got {
			checkUTC(t, "CreatedAt", r.CreatedAt)
		}

		got, err = s.Revisions(t.Context(), other.ID)
		must(t, "Revisions of the other document", err)
		if len(got) != 1 || got[0].DocumentID != other.ID {
			t.Errorf("Revisions of the other document = %+v, want its one revision", got)
		}
	})

	t.Run("NotFound", func(t *testing.T) {
		s, d, _, _ := setup(t)
		for _, tt := range []struct {
			doc    int64
			number int
		}{{d.ID, 2}, {d.ID, 0}, {d.ID + 1000, 1}} {
			_, err := s.RevisionByNumber(t.Context(), tt.doc, tt.number)
			wantCode(t, "RevisionByNumber", err, relsop.ENOTFOUND)
		}
	})
}

// annsDocument opens a store with Ann's document (one revision) in her
// workspace, and Bob, a second user to edit it.
func annsDocument(t *testing.T, open Opener) (s relsop.Store, d *relsop.Document, ann, bob *relsop.User) {
	s = open(t)
	ann = newUser(t, s, "ann@example.com")
	bob = newUser(t, s, "bob@example.com")
	w := newWorkspace(t, s, "Platform", ann.ID)
	return s, newDocument(t, s, w.ID, ann.ID, "Release", nil), ann, bob
}
