package server

import (
	"net/http"
	"time"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/release"
	"github.com/relsop/relsop/internal/workspace"
)

// Releases carried out through a workspace SOP (docs/releases.md,
// "Releases in the workspace"). The workspace service checks who may do
// what; these handlers only move JSON.

type releaseJSON struct {
	ID          int64               `json:"id"`
	SOPID       int64               `json:"sop_id"`
	Revision    int                 `json:"revision"`
	Name        string              `json:"name"`
	ReleaseType string              `json:"release_type"`
	Rehearsal   bool                `json:"rehearsal"`
	State       relsop.ReleaseState `json:"state"`
	Records     int                 `json:"records"`
	Head        string              `json:"head"`
	CreatedBy   int64               `json:"created_by"`
	CreatorName string              `json:"creator_name"`
	SOPTitle    string              `json:"sop_title"`
	CreatedAt   time.Time           `json:"created_at"`
	UpdatedAt   time.Time           `json:"updated_at"`
}

func releaseView(rel relsop.Release) releaseJSON {
	return releaseJSON{ID: rel.ID, SOPID: rel.DocumentID, Revision: rel.Revision, Name: rel.Name, ReleaseType: rel.ReleaseType,
		Rehearsal: rel.Rehearsal, State: rel.State, Records: rel.Records, Head: rel.Head, CreatedBy: rel.CreatedBy,
		CreatorName: rel.CreatorName, SOPTitle: rel.SOPTitle, CreatedAt: rel.CreatedAt.UTC(), UpdatedAt: rel.UpdatedAt.UTC()}
}

// releaseStateJSON is a release with where it stands and what the caller
// may do in it.
type releaseStateJSON struct {
	Release  releaseJSON             `json:"release"`
	Status   release.Status          `json:"status"`
	Problems []release.Problem       `json:"problems"`
	You      workspace.ReleaseRights `json:"you"`
}

func releaseStateView(v *workspace.ReleaseView) releaseStateJSON {
	return releaseStateJSON{Release: releaseView(v.Release), Status: v.Status, Problems: v.Problems, You: v.You}
}

func (s *Server) listReleases(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	rels, sg, err := s.svc.Releases(r.Context(), id)
	if err != nil {
		return err
	}
	out := map[string]any{"releases": list(rels, releaseView)}
	if sg != nil {
		out["review_suggested"] = suggestionView(sg)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// suggestionJSON is a release that suggests reviewing its SOP
// (workspace/lessons.go).
type suggestionJSON struct {
	Release releaseJSON `json:"release"`
	Ended   time.Time   `json:"ended"`
	Lessons []string    `json:"lessons"`
	// Since is when the SOP was last approved or reviewed; absent when
	// never.
	Since *time.Time `json:"since,omitempty"`
}

func suggestionView(sg *workspace.ReviewSuggestion) suggestionJSON {
	v := suggestionJSON{Release: releaseView(sg.Release), Ended: sg.Ended.UTC(), Lessons: sg.Lessons}
	if !sg.Since.IsZero() {
		since := sg.Since.UTC()
		v.Since = &since
	}
	return v
}

func (s *Server) workspaceReleases(w http.ResponseWriter, r *http.Request) error {
	ws, err := pathID(r, "ws")
	if err != nil {
		return err
	}
	rels, err := s.svc.WorkspaceReleases(r.Context(), ws, relsop.ReleaseState(r.URL.Query().Get("state")))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"releases": list(rels, releaseView)})
	return nil
}

func (s *Server) startRelease(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in workspace.ReleaseRequest
	if err := readJSON(r, &in); err != nil {
		return err
	}
	v, err := s.svc.StartRelease(r.Context(), id, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, releaseStateView(v))
	return nil
}

func (s *Server) getRelease(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	v, err := s.svc.Release(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, releaseStateView(v))
	return nil
}

func (s *Server) addReleaseRecord(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in workspace.RecordRequest
	if err := readJSON(r, &in); err != nil {
		return err
	}
	v, err := s.svc.AddRecord(r.Context(), id, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, releaseStateView(v))
	return nil
}

func (s *Server) releaseTrail(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	a, err := s.svc.ReleaseTrail(r.Context(), id)
	if err != nil {
		return err
	}
	writeArtifact(w, a, true)
	return nil
}

func (s *Server) releaseDiagram(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	a, err := s.svc.ReleaseDiagram(r.Context(), id, r.URL.Query().Get("theme"), r.URL.Query().Get("prefix"))
	if err != nil {
		return err
	}
	writeArtifact(w, a, false)
	return nil
}

func (s *Server) releaseReport(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	format := r.URL.Query().Get("format")
	if format == "" {
		format = "pdf"
	}
	a, err := s.svc.ReleaseReport(r.Context(), id, format)
	if err != nil {
		return err
	}
	writeArtifact(w, a, true)
	return nil
}
