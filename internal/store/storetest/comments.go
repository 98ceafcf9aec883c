package storetest

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/relsop/relsop"
)

func testComments(t *testing.T, open Opener) {
	// setup makes a document and three users: ann writes, bob and carl are
	// mentioned.
	setup := func(t *testing.T) (relsop.Store, *relsop.Document, []*relsop.User) {
		s := open(t)
		users := []*relsop.User{
			newUser(t, s, "ann@example.com"),
			newUser(t, s, "bob@example.com"),
			newUser(t, s, "carl@example.com"),
		}
		w := newWorkspace(t, s, "Platform", users[0].ID)
		d := newDocument(t, s, w.ID, users[0].ID, "Release", nil)
		return s, d, users
	}

	t.Run("Threads", func(t *testing.T) {
		s, d, users := setup(t)
		ann, bob, carl := users[0], users[1], users[2]
		other := newDocument(t, s, d.WorkspaceID, ann.ID, "Other", nil)

		root := &relsop.Comment{DocumentID: d.ID, AuthorID: ann.ID, Body: "Who signs off?"}
		must(t, "CreateComment", s.CreateComment(t.Context(), root))
		step := &relsop.Comment{DocumentID: d.ID, StepID: "build", AuthorID: bob.ID, Body: "@carl @ann <b>not html</b>", Mentions: []int64{carl.ID, ann.ID}}
		must(t, "CreateComment", s.CreateComment(t.Context(), step))
		elsewhere := &relsop.Comment{DocumentID: other.ID, AuthorID: ann.ID, Body: "Not here"}
		must(t, "CreateComment", s.CreateComment(t.Context(), elsewhere))
		reply := &relsop.Comment{DocumentID: d.ID, ParentID: root.ID, AuthorID: carl.ID, Body: "Release manager 🚀\nsecond line", Mentions: []int64{bob.ID}}
		must(t, "CreateComment", s.CreateComment(t.Context(), reply))

		for _, c := range []*relsop.Comment{root, step, elsewhere, reply} {
			if c.ID <= 0 {
				t.Errorf("ID = %d, want > 0", c.ID)
			}
			checkStamp(t, "CreatedAt", c.CreatedAt)
		}

		comment := func(c *relsop.Comment, author *relsop.User, mentions ...int64) relsop.Comment {
			want := *c
			want.AuthorName = author.Name
			want.Mentions = mentions
			return want
		}
		want := []relsop.Comment{
			comment(root, ann),
			comment(step, bob, ann.ID, carl.ID), // sorted
			comment(reply, carl, bob.ID),
		}
		got, err := s.Comments(t.Context(), d.ID)
		must(t, "Comments", err)
		if diff := cmp.Diff(want, got, equateEmpty); diff != "" {
			t.Errorf("Comments (-want +got):\n%s", diff)
		}
		for _, c := range got {
			checkUTC(t, "CreatedAt", c.CreatedAt)
		}
		for _, w := range want {
			got, err := s.CommentByID(t.Context(), w.ID)
			must(t, "CommentByID", err)
			if diff := cmp.Diff(&w, got, equateEmpty); diff != "" {
				t.Errorf("CommentByID(%d) (-want +got):\n%s", w.ID, diff)
			}
		}
	})

	t.Run("Mentions", func(t *testing.T) {
		s, d, users := setup(t)
		ann, bob, carl := users[0].ID, users[1].ID, users[2].ID
		tests := []struct {
			name     string
			mentions []int64
			want     []int64
		}{
			{"none", nil, nil},
			{"one", []int64{bob}, []int64{bob}},
			{"sorted", []int64{ann, bob, carl}, []int64{ann, bob, carl}},
			{"unsorted", []int64{carl, ann, bob}, []int64{ann, bob, carl}},
			{"duplicates", []int64{carl, bob, carl, bob}, []int64{bob, carl}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				c := &relsop.Comment{DocumentID: d.ID, AuthorID: ann, Body: "mentions " + tt.name, Mentions: tt.mentions}
				must(t, "CreateComment", s.CreateComment(t.Context(), c))
				got, err := s.CommentByID(t.Context(), c.ID)
				must(t, "CommentByID", err)
				if diff := cmp.Diff(tt.want, got.Mentions, equateEmpty); diff != "" {
					t.Errorf("Mentions (-want +got):\n%s", diff)
				}
			})
		}
	})

	t.Run("WaitingMentions", func(t *testing.T) {
		s, d, users := setup(t)
		ann, bob, carl := users[0], users[1], users[2]
		ctx := t.Context()
		archived := newDocument(t, s, d.WorkspaceID, ann.ID, "Old", nil)
		must(t, "SetArchived", s.SetArchived(ctx, archived.ID, true))
		elsewhere := newWorkspace(t, s, "Elsewhere", bob.ID)
		far := newDocument(t, s, elsewhere.ID, bob.ID, "Far", nil)
		add := func(doc *relsop.Document, parent int64, by *relsop.User, body string, mentions ...int64) *relsop.Comment {
			c := &relsop.Comment{DocumentID: doc.ID, ParentID: parent, AuthorID: by.ID, Body: body, Mentions: mentions}
			must(t, "CreateComment", s.CreateComment(ctx, c))
			return c
		}

		asked := add(d, 0, bob, "@ann who signs?", ann.ID)
		answered := add(d, 0, carl, "@ann @bob thoughts?", ann.ID, bob.ID)
		add(d, answered.ID, ann, "Done.")
		resolved := add(d, 0, carl, "@ann fix the gate", ann.ID)
		must(t, "SetCommentResolved", s.SetCommentResolved(ctx, resolved.ID, true))
		add(d, resolved.ID, bob, "@ann also this", ann.ID) // a reply in a resolved thread
		add(d, 0, ann, "note to @ann", ann.ID)             // her own
		add(archived, 0, bob, "@ann in the archive", ann.ID)
		add(far, 0, bob, "@ann in another workspace", ann.ID)
		add(d, 0, bob, "@carl only", carl.ID)
		early := add(d, 0, carl, "A question")
		add(d, early.ID, ann, "An answer before the mention.")
		again := add(d, early.ID, carl, "@ann one more", ann.ID)

		got, err := s.Mentions(ctx, d.WorkspaceID, ann.ID, 0)
		must(t, "Mentions", err)
		var ids []int64
		for _, c := range got {
			ids = append(ids, c.ID)
			if c.SOPTitle != d.Title || c.AuthorName == "" || len(c.Mentions) == 0 {
				t.Errorf("Mentions: comment %d has title %q, author %q, mentions %v", c.ID, c.SOPTitle, c.AuthorName, c.Mentions)
			}
		}
		if diff := cmp.Diff([]int64{again.ID, asked.ID}, ids); diff != "" {
			t.Errorf("Mentions of ann, newest first (-want +got):\n%s", diff)
		}
		got, err = s.Mentions(ctx, d.WorkspaceID, ann.ID, 1)
		must(t, "Mentions", err)
		if len(got) != 1 || got[0].ID != again.ID {
			t.Errorf("Mentions with limit 1 = %+v, want comment %d", got, again.ID)
		}
		got, err = s.Mentions(ctx, elsewhere.ID, ann.ID, 0)
		must(t, "Mentions", err)
		if len(got) != 1 || got[0].SOPTitle != "Far" {
			t.Errorf("Mentions in the other workspace = %+v, want the one in Far", got)
		}
		got, err = s.Mentions(ctx, d.WorkspaceID, bob.ID, 0) // answered's mention is bob's still
		must(t, "Mentions", err)
		if len(got) != 1 || got[0].ID != answered.ID {
			t.Errorf("Mentions of bob = %+v, want comment %d", got, answered.ID)
		}
	})

	t.Run("Resolve", func(t *testing.T) {
		s, d, users := setup(t)
		root := &relsop.Comment{DocumentID: d.ID, AuthorID: users[0].ID, Body: "Fix this"}
		must(t, "CreateComment", s.CreateComment(t.Context(), root))
		other := &relsop.Comment{DocumentID: d.ID, AuthorID: users[0].ID, Body: "And this"}
		must(t, "CreateComment", s.CreateComment(t.Context(), other))
		for _, resolved := range []bool{true, true, false, true} {
			must(t, "SetCommentResolved", s.SetCommentResolved(t.Context(), root.ID, resolved))
			got, err := s.CommentByID(t.Context(), root.ID)
			must(t, "CommentByID", err)
			if got.Resolved != resolved {
				t.Errorf("Resolved = %v after SetCommentResolved(%v)", got.Resolved, resolved)
			}
		}
		got, err := s.CommentByID(t.Context(), other.ID)
		must(t, "CommentByID", err)
		if got.Resolved {
			t.Errorf("resolving one comment resolved another")
		}
		wantCode(t, "SetCommentResolved of a missing comment", s.SetCommentResolved(t.Context(), other.ID+1000, true), relsop.ENOTFOUND)
	})

	t.Run("NotFound", func(t *testing.T) {
		s, d, users := setup(t)
		c := &relsop.Comment{DocumentID: d.ID, AuthorID: users[0].ID, Body: "Hi"}
		must(t, "CreateComment", s.CreateComment(t.Context(), c))
		_, err := s.CommentByID(t.Context(), c.ID+1000)
		wantCode(t, "CommentByID", err, relsop.ENOTFOUND)
		got, err := s.Comments(t.Context(), d.ID+1000)
		must(t, "Comments of a missing document", err)
		if len(got) != 0 {
			t.Errorf("Comments of a missing document = %+v, want none", got)
		}
	})
}
