package workspace

import (
	"context"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/generate/edit"
)

// Duplicate copies an SOP into a new document of the same workspace,
// titled "Copy of …", starting as a draft.
func (s *Service) Duplicate(ctx context.Context, id int64) (*relsop.Document, error) {
	d, _, err := s.document(ctx, id, relsop.RoleEditor)
	if err != nil {
		return nil, err
	}
	res, err := edit.ApplyOps(d.Source, []edit.Op{{Op: "set", Kind: "sop", Field: "title", Value: "Copy of " + d.Title}})
	if err != nil {
		return nil, err
	}
	return s.Create(ctx, d.WorkspaceID, "", res.Source, "Duplicated from "+d.Title)
}

// AddVariant adds a release type to an SOP that starts as a copy of the
// base flow (or of the release type base), to be edited into a variant
// ("make the hotfix variant skip the CAB").
func (s *Service) AddVariant(ctx context.Context, id int64, typeID, name, base string, baseRevision int) (*relsop.Document, error) {
	d, _, err := s.document(ctx, id, relsop.RoleEditor)
	if err != nil {
		return nil, err
	}
	if baseRevision != d.Revision {
		return nil, staleBase(baseRevision, d.Revision)
	}
	res, err := edit.ApplyOps(d.Source, []edit.Op{{Op: "add_release_type", Type: &edit.NewType{ID: typeID, Name: name, Base: base}}})
	if err != nil {
		return nil, relsop.Errorf(relsop.EINVALID, "%s", capitalise(err.Error()))
	}
	return s.Save(ctx, id, res.Source, baseRevision, capitalise(joinSummary(res.Summary)))
}
