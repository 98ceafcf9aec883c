package workspace

import (
	"context"
	"fmt"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/sopdiff"
)

// Revisions lists an SOP's revisions, newest first.
func (s *Service) Revisions(ctx context.Context, id int64) ([]relsop.Revision, error) {
	if _, _, err := s.document(ctx, id, relsop.RoleViewer); err != nil {
		return nil, err
	}
	return s.store.Revisions(ctx, id)
}

// Revision returns one revision with its source.
func (s *Service) Revision(ctx context.Context, id int64, number int) (*relsop.Revision, error) {
	if _, _, err := s.document(ctx, id, relsop.RoleViewer); err != nil {
		return nil, err
	}
	r, err := s.store.RevisionByNumber(ctx, id, number)
	if relsop.ErrorCode(err) == relsop.ENOTFOUND {
		return nil, relsop.Errorf(relsop.ENOTFOUND, "This SOP has no revision %d.", number)
	}
	return r, err
}

// Restore saves an old revision's content as the next revision. The
// status stays as it is now: restoring content is a change like any other.
func (s *Service) Restore(ctx context.Context, id int64, number, base int) (*relsop.Document, error) {
	d, _, err := s.document(ctx, id, relsop.RoleEditor)
	if err != nil {
		return nil, err
	}
	r, err := s.Revision(ctx, id, number)
	if err != nil {
		return nil, err
	}
	source := r.Source
	if r.Status != d.Status {
		if source, err = withStatus(source, d.Status); err != nil {
			return nil, err
		}
	}
	return s.Save(ctx, id, source, base, fmt.Sprintf("Restored revision %d", number))
}

// Comparison is the semantic difference between two revisions.
type Comparison struct {
	From, To int
	Diff     sopdiff.Diff
	a, b     *relsop.SOP
}

// Compare compares two revisions of an SOP (to 0 means the latest).
func (s *Service) Compare(ctx context.Context, id int64, from, to int) (*Comparison, error) {
	d, _, err := s.document(ctx, id, relsop.RoleViewer)
	if err != nil {
		return nil, err
	}
	if to == 0 {
		to = d.Revision
	}
	if from == 0 {
		from = max(to-1, 1)
	}
	load := func(n int) (*relsop.SOP, error) {
		r, err := s.Revision(ctx, id, n)
		if err != nil {
			return nil, err
		}
		return load(r.Source)
	}
	a, err := load(from)
	if err != nil {
		return nil, err
	}
	b, err := load(to)
	if err != nil {
		return nil, err
	}
	return &Comparison{From: from, To: to, Diff: sopdiff.Compare(a, b), a: a, b: b}, nil
}

// SVG draws the newer revision with the differences marked.
func (c *Comparison) SVG(theme, idPrefix string) ([]byte, error) {
	return sopdiff.SVG(c.a, c.b, sopdiff.Options{Theme: theme, IDPrefix: idPrefix})
}
