package workspace

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/generate/edit"
)

// Live editing (docs/live.md) is run by package live, which numbers and
// stores the edits of everyone on an SOP's editor page. What it needs of
// the workspace's rules is here: who may watch and who may edit, and how
// live edits become revisions in the SOP's history.

// OnChange sets fn to be told whenever a save replaces a document's
// source (a saved YAML, a restore, a status change), so that live editors
// can reload it.
func (s *Service) OnChange(fn func(documentID int64)) {
	s.changedMu.Lock()
	defer s.changedMu.Unlock()
	s.changed = fn
}

func (s *Service) notifyChanged(id int64) {
	s.changedMu.Lock()
	fn := s.changed
	s.changedMu.Unlock()
	if fn != nil {
		fn(id)
	}
}

// LiveDocument opens a document for the live editor: anyone who may read
// it may watch it being edited.
func (s *Service) LiveDocument(ctx context.Context, id int64) (*relsop.Document, *relsop.Member, error) {
	return s.document(ctx, id, relsop.RoleViewer)
}

// MayRead checks that the signed-in user still belongs to the workspace:
// a live connection is checked now and then, so that someone removed from
// a workspace stops receiving its edits.
func (s *Service) MayRead(ctx context.Context, workspaceID int64) error {
	_, err := s.access(ctx, workspaceID, relsop.RoleViewer, "SOP")
	return err
}

// MayEdit checks, for one batch of live edits, that the signed-in user may
// still edit the workspace's SOPs: roles can change while an editor is
// open. A member who is no longer a member gets ENOTFOUND.
func (s *Service) MayEdit(ctx context.Context, workspaceID int64) error {
	_, err := s.access(ctx, workspaceID, relsop.RoleEditor, "SOP")
	return err
}

// CheckOps refuses a batch of edits from a person that changes the SOP's
// status: the status changes only through its workflow (SetStatus).
func CheckOps(ops []edit.Op) error {
	for _, op := range ops {
		if op.Op == "set" && op.Kind == "sop" && op.Field == "status" {
			return relsop.Errorf(relsop.EINVALID, "The status changes only through the status workflow (submit for review, approve, retire).")
		}
	}
	return nil
}

// AsContentChange is a checked batch as it is applied to an SOP that has
// the given status: an approval covers what was approved, so a content
// change to an approved or in-review SOP first makes it a draft again, as
// saving does.
func AsContentChange(status relsop.Status, ops []edit.Op) []edit.Op {
	if status != relsop.StatusApproved && status != relsop.StatusInReview {
		return ops
	}
	return append([]edit.Op{{Op: "set", Kind: "sop", Field: "status", Value: string(relsop.StatusDraft)}}, ops...)
}

// CheckBase refuses a change made on an older revision than d's latest,
// with the message every save gives.
func CheckBase(d *relsop.Document, base int) error {
	if base != d.Revision {
		return staleBase(base, d.Revision)
	}
	return nil
}

// Checkpoint saves a document's live edits that are not yet in a revision
// as a revision of their own; it returns the document as it is then. It
// is for package live: it checks no permission (the edits were checked
// when they were made). ECONFLICT when more edits arrived meanwhile: try
// again later.
func (s *Service) Checkpoint(ctx context.Context, id int64) (*relsop.Document, error) {
	d, err := s.store.DocumentByID(ctx, id)
	if err != nil {
		return nil, err
	}
	return s.checkpoint(ctx, d)
}

// checkpoint saves d's pending live edits as a revision. Its author is
// whoever made the last of them; the others are its coauthors, so that
// none of them can approve the result alone.
func (s *Service) checkpoint(ctx context.Context, d *relsop.Document) (*relsop.Document, error) {
	if d.Seq == d.RevisionSeq {
		return d, nil
	}
	authors, changes, err := s.liveAuthors(ctx, d)
	if err != nil {
		return nil, err
	}
	a, err := analyse(d.Source)
	if err != nil {
		return nil, err
	}
	a.describe(d)
	last := authors[len(authors)-1]
	d.UpdatedBy = last
	coauthors := slices.Clone(authors[:len(authors)-1])
	slices.Sort(coauthors)
	r := &relsop.Revision{DocumentID: d.ID, AuthorID: last, Coauthors: coauthors, Status: d.Status, Source: d.Source,
		Message: s.liveMessage(ctx, authors, changes)}
	if err := s.store.SaveRevision(ctx, d, r, d.Revision); err != nil {
		return nil, err
	}
	return d, nil
}

// liveAuthors lists who made d's pending live edits, each once, in the
// order of their last edit, and counts the edits.
func (s *Service) liveAuthors(ctx context.Context, d *relsop.Document) ([]int64, int, error) {
	var authors []int64
	changes := 0
	for seq := d.RevisionSeq; seq < d.Seq; {
		ops, err := s.store.OpsSince(ctx, d.ID, seq, 1000)
		if err != nil {
			return nil, 0, err
		}
		if len(ops) == 0 {
			break
		}
		for _, op := range ops {
			if op.Seq > d.Seq {
				break
			}
			authors = slices.DeleteFunc(authors, func(a int64) bool { return a == op.AuthorID })
			authors = append(authors, op.AuthorID)
			changes++
		}
		seq = ops[len(ops)-1].Seq
	}
	if len(authors) == 0 {
		return nil, 0, relsop.Errorf(relsop.EINTERNAL, "Document %d has live edits %d to %d, but none are stored.", d.ID, d.RevisionSeq+1, d.Seq)
	}
	return authors, changes, nil
}

// liveMessage sums up live edits for the history: "Live edits by Ann and
// Bob (12 changes)".
func (s *Service) liveMessage(ctx context.Context, authors []int64, changes int) string {
	names := make([]string, 0, len(authors))
	for _, id := range authors {
		if u, err := s.store.UserByID(ctx, id); err == nil {
			names = append(names, u.Name)
		}
	}
	what := "1 change"
	if changes != 1 {
		what = fmt.Sprintf("%d changes", changes)
	}
	if len(names) == 0 {
		return fmt.Sprintf("Live edits (%s)", what)
	}
	return fmt.Sprintf("Live edits by %s (%s)", joinNames(names), what)
}

// joinNames joins names as a sentence does: "Ann", "Ann and Bob", "Ann,
// Bob and Cy".
func joinNames(names []string) string {
	if len(names) <= 1 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}
