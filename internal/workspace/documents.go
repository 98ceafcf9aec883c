package workspace

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/generate/edit"
	"github.com/relsop/relsop/internal/templates"
)

// Opened is a document as its editor shows it.
type Opened struct {
	relsop.Document
	Role     relsop.MemberRole // the caller's role in its workspace
	Findings []relsop.Finding  // lint of the latest revision
	// ExportNotes says, per export format, what that format's own tool is
	// known to fail at for this SOP (Mermaid and D2 on large ones).
	ExportNotes map[string]string
	// Variants are its release types as the side panel edits them.
	Variants []Variant
}

// Variant is a release type as the side panel shows it: what it is, the
// base-flow steps it skips, and the ids of the steps it adds and changes
// (which are edited in the YAML).
type Variant struct {
	ID, Name, Description, Base string
	Emergency                   bool
	Remove, Adds, Changes       []string
}

func variants(sop *relsop.SOP) []Variant {
	out := []Variant{}
	for _, rt := range sop.ReleaseTypes {
		v := Variant{ID: rt.ID, Name: rt.Name, Description: rt.Description, Base: rt.Base, Emergency: rt.Emergency,
			Remove: slices.Clone(rt.Remove), Adds: []string{}, Changes: []string{}}
		if v.Remove == nil {
			v.Remove = []string{}
		}
		for _, a := range rt.Add {
			v.Adds = append(v.Adds, a.Step.ID)
		}
		for _, c := range rt.Change {
			v.Changes = append(v.Changes, c.Step)
		}
		out = append(out, v)
	}
	return out
}

// document loads a document the caller may act on with role need; a
// document of a workspace the caller is not in is ENOTFOUND.
func (s *Service) document(ctx context.Context, id int64, need relsop.MemberRole) (*relsop.Document, *relsop.Member, error) {
	if _, err := signedIn(ctx); err != nil {
		return nil, nil, err
	}
	d, err := s.store.DocumentByID(ctx, id)
	if relsop.ErrorCode(err) == relsop.ENOTFOUND {
		return nil, nil, relsop.Errorf(relsop.ENOTFOUND, "No such SOP.")
	}
	if err != nil {
		return nil, nil, err
	}
	m, err := s.access(ctx, d.WorkspaceID, need, "SOP")
	if err != nil {
		return nil, nil, err
	}
	return d, m, nil
}

// Documents lists a workspace's SOPs.
func (s *Service) Documents(ctx context.Context, f relsop.DocumentFilter) ([]relsop.Document, error) {
	if _, err := s.access(ctx, f.WorkspaceID, relsop.RoleViewer, "workspace"); err != nil {
		return nil, err
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	if f.Offset < 0 {
		f.Offset = 0
	}
	return s.store.Documents(ctx, f)
}

// Document opens an SOP with its source and lint findings.
func (s *Service) Document(ctx context.Context, id int64) (*Opened, error) {
	d, m, err := s.document(ctx, id, relsop.RoleViewer)
	if err != nil {
		return nil, err
	}
	o := &Opened{Document: *d, Role: m.Role}
	if a, err := s.opened.get(d.Source, s.now().UTC().Format(time.DateOnly)); err == nil {
		o.Findings = slices.Clone(a.findings)
		o.ExportNotes = exportNotes(a.sop)
		o.Variants = variants(a.sop)
	}
	return o, nil
}

// Create adds an SOP to a workspace from a built-in template (by name) or
// from YAML source; it starts as a draft whatever its file says, since
// approval happens here.
func (s *Service) Create(ctx context.Context, workspaceID int64, template string, source []byte, message string) (*relsop.Document, error) {
	m, err := s.access(ctx, workspaceID, relsop.RoleEditor, "workspace")
	if err != nil {
		return nil, err
	}
	switch {
	case template != "":
		t, ok := templates.Get(template)
		if !ok {
			return nil, relsop.Errorf(relsop.EINVALID, "There is no template %q.", template)
		}
		source = t.Source
		if message == "" {
			message = "Created from the template " + t.Title
		}
	case len(source) == 0:
		return nil, relsop.Errorf(relsop.EINVALID, "Give a template or the SOP's YAML.")
	}
	if message == "" {
		message = "Created"
	}
	source, err = asDraft(source)
	if err != nil {
		return nil, err
	}
	a, err := analyse(source)
	if err != nil {
		return nil, err
	}
	d := &relsop.Document{WorkspaceID: workspaceID, CreatedBy: m.UserID, UpdatedBy: m.UserID}
	a.describe(d)
	r := &relsop.Revision{AuthorID: m.UserID, Message: message, Status: d.Status, Source: source}
	if err := s.store.CreateDocument(ctx, d, r); err != nil {
		return nil, err
	}
	d.Source = source
	return d, nil
}

// asDraft sets an SOP's status to draft.
func asDraft(source []byte) ([]byte, error) { return withStatus(source, relsop.StatusDraft) }

// withStatus sets an SOP's status field.
func withStatus(source []byte, status relsop.Status) ([]byte, error) {
	a, err := analyse(source)
	if err != nil {
		return nil, err
	}
	if a.sop.Status == status {
		return source, nil
	}
	res, err := edit.ApplyOps(source, []edit.Op{{Op: "set", Kind: "sop", Field: "status", Value: string(status)}})
	if err != nil {
		return nil, err
	}
	return res.Source, nil
}

// Save stores source as the next revision of a document, if base is still
// its latest revision (ECONFLICT otherwise). The status cannot be changed
// by saving (use SetStatus), and changing an approved SOP's content makes
// it a draft again: an approval covers what was approved.
func (s *Service) Save(ctx context.Context, id int64, source []byte, base int, message string) (*relsop.Document, error) {
	d, m, err := s.document(ctx, id, relsop.RoleEditor)
	if err != nil {
		return nil, err
	}
	if base != d.Revision {
		return nil, staleBase(base, d.Revision)
	}
	a, err := analyse(source)
	if err != nil {
		return nil, err
	}
	if a.sop.Status != d.Status {
		if a.sop.Status != "" || d.Status != relsop.StatusDraft {
			return nil, relsop.Errorf(relsop.EINVALID, "Saving cannot change the status from %s to %s; use the status buttons (submit for review, approve, retire).", d.Status, a.sop.Status)
		}
	}
	if d.Status == relsop.StatusApproved || d.Status == relsop.StatusInReview {
		if source, err = asDraft(source); err != nil {
			return nil, err
		}
		if a, err = analyse(source); err != nil {
			return nil, err
		}
		message = joinMessage(message, fmt.Sprintf("%s%s → %s (the content changed)", StatusPrefix, d.Status, relsop.StatusDraft))
	}
	if message == "" {
		message = "Edited"
	}
	return s.saveRevision(ctx, d, m.UserID, source, a, base, message)
}

// ApplyOps makes structured edits and saves the result as the next
// revision; base 0 makes them on the latest. (A server with live editing
// makes them as a live operation instead: live.Hub.Apply.)
func (s *Service) ApplyOps(ctx context.Context, id int64, base int, ops []edit.Op) (*relsop.Document, error) {
	d, _, err := s.document(ctx, id, relsop.RoleEditor)
	if err != nil {
		return nil, err
	}
	if base == 0 { // on the latest: operations name elements by id
		base = d.Revision
	}
	if base != d.Revision {
		return nil, staleBase(base, d.Revision)
	}
	if err := CheckOps(ops); err != nil {
		return nil, err
	}
	res, err := edit.ApplyOps(d.Source, ops)
	if err != nil {
		return nil, relsop.Errorf(relsop.EINVALID, "%s", capitalise(err.Error()))
	}
	return s.Save(ctx, id, res.Source, base, capitalise(joinSummary(res.Summary)))
}

// saveRevision stores a revision whose source has been analysed, replacing
// the live source: live edits not yet in a revision would be lost, so
// their presence is a conflict.
func (s *Service) saveRevision(ctx context.Context, d *relsop.Document, author int64, source []byte, a *analysis, base int, message string) (*relsop.Document, error) {
	if d.Seq != d.RevisionSeq {
		return nil, liveConflict()
	}
	a.describe(d)
	d.UpdatedBy = author
	r := &relsop.Revision{DocumentID: d.ID, AuthorID: author, Message: message, Status: d.Status, Source: source}
	if err := s.store.SaveRevision(ctx, d, r, base); err != nil {
		if relsop.ErrorCode(err) == relsop.ECONFLICT {
			return nil, staleBase(base, base+1)
		}
		return nil, err
	}
	d.Source = source
	s.notifyChanged(d.ID)
	return d, nil
}

func liveConflict() error {
	return relsop.Errorf(relsop.ECONFLICT, "Someone is editing this SOP live; their edits go into its history within seconds. Reload it and make your change again, or make it in the editor.")
}

func staleBase(base, latest int) error {
	return relsop.Errorf(relsop.ECONFLICT, "Someone saved this SOP after you opened it (you edited revision %d, the latest is %d); reload it and make your change again.", base, latest)
}

// SetArchived archives or restores a document.
func (s *Service) SetArchived(ctx context.Context, id int64, archived bool) (*relsop.Document, error) {
	d, _, err := s.document(ctx, id, relsop.RoleEditor)
	if err != nil {
		return nil, err
	}
	if err := s.store.SetArchived(ctx, id, archived); err != nil {
		return nil, err
	}
	d.Archived = archived
	return d, nil
}
