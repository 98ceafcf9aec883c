package server

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/generate/edit"
	"github.com/relsop/relsop/internal/templates"
	"github.com/relsop/relsop/internal/workspace"
)

func (s *Server) listTemplates(w http.ResponseWriter, r *http.Request) error {
	type templateJSON struct {
		Name        string `json:"name"`
		Title       string `json:"title"`
		Description string `json:"description"`
		Profile     string `json:"profile"`
	}
	writeJSON(w, http.StatusOK, map[string]any{"templates": list(templates.All(), func(t templates.Template) templateJSON {
		return templateJSON{Name: t.Name, Title: t.Title, Description: t.Description, Profile: t.Profile}
	})})
	return nil
}

func (s *Server) templateThumbnail(w http.ResponseWriter, r *http.Request) error {
	a, err := workspace.TemplateThumbnail(r.PathValue("name"))
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "public, max-age=3600")
	writeArtifact(w, a, false)
	return nil
}

func (s *Server) listSOPs(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	ws, err := strconv.ParseInt(q.Get("workspace"), 10, 64)
	if err != nil {
		return relsop.Errorf(relsop.EINVALID, "Say which workspace: /api/sops?workspace=ID.")
	}
	limit, err := queryInt(r, "limit")
	if err != nil {
		return err
	}
	offset, err := queryInt(r, "offset")
	if err != nil {
		return err
	}
	f := relsop.DocumentFilter{WorkspaceID: ws, Query: q.Get("q"), Status: relsop.Status(q.Get("status")), Owner: q.Get("owner"),
		ReleaseType: q.Get("type"), Lint: relsop.LintState(q.Get("lint")), Archived: q.Get("archived") == "true", Limit: limit, Offset: offset}
	docs, err := s.svc.Documents(r.Context(), f)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"sops": list(docs, func(d relsop.Document) documentJSON { return documentView(&d, false) })})
	return nil
}

func (s *Server) createSOP(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		WorkspaceID int64  `json:"workspace_id"`
		Template    string `json:"template"`
		Source      string `json:"source"`
		Title       string `json:"title"`
	}
	if err := readJSON(r, &in); err != nil {
		return err
	}
	d, err := s.svc.Create(r.Context(), in.WorkspaceID, in.Template, []byte(in.Source), "")
	if err != nil {
		return err
	}
	if in.Title != "" && in.Title != d.Title {
		if d, err = s.svc.ApplyOps(r.Context(), d.ID, d.Revision, []edit.Op{{Op: "set", Kind: "sop", Field: "title", Value: in.Title}}); err != nil {
			return err
		}
	}
	writeJSON(w, http.StatusCreated, map[string]any{"document": documentView(d, true)})
	return nil
}

func (s *Server) generateSOP(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		WorkspaceID int64    `json:"workspace_id"`
		Brief       string   `json:"brief"`
		Policy      string   `json:"policy"`
		RACI        string   `json:"raci"`
		Calendar    string   `json:"calendar"`
		Checklist   string   `json:"checklist"`
		Types       []string `json:"types"`
		Profile     string   `json:"profile"`
	}
	if err := readJSON(r, &in); err != nil {
		return err
	}
	d, res, err := s.svc.Generate(r.Context(), in.WorkspaceID, workspace.GenerateRequest{Brief: in.Brief, Policy: in.Policy, RACI: in.RACI,
		Calendar: in.Calendar, Checklist: in.Checklist, Types: in.Types, Profile: in.Profile})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]any{"document": documentView(d, true), "explanation": map[string]any{
		"reasons": nonNil(res.Reasons), "assumptions": nonNil(res.Assumptions), "notes": nonNil(res.Notes),
	}})
	return nil
}

func (s *Server) importSOP(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		WorkspaceID int64  `json:"workspace_id"`
		Filename    string `json:"filename"`
		Content     string `json:"content"`
		From        string `json:"from"`
	}
	if err := readJSON(r, &in); err != nil {
		return err
	}
	res, err := s.svc.Import(r.Context(), in.WorkspaceID, in.Filename, []byte(in.Content), in.From)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]any{"document": documentView(res.Document, true),
		"warnings": nonNil(findingsJSON(res.Warnings)), "assumptions": nonNil(res.Assumptions)})
	return nil
}

func (s *Server) getSOP(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	o, err := s.svc.Document(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"document": openedView(o)})
	return nil
}

func (s *Server) saveSOP(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in struct {
		Source       string `json:"source"`
		BaseRevision int    `json:"base_revision"`
		Message      string `json:"message"`
	}
	if err := readJSON(r, &in); err != nil {
		return err
	}
	d, err := s.svc.Save(r.Context(), id, []byte(in.Source), in.BaseRevision, in.Message)
	return s.reopen(w, r, d, err)
}

// reopen answers a change with the document as GET /api/sops/{id} shows it.
func (s *Server) reopen(w http.ResponseWriter, r *http.Request, d *relsop.Document, err error) error {
	if err != nil {
		return err
	}
	o, err := s.svc.Document(r.Context(), d.ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"document": openedView(o)})
	return nil
}

func (s *Server) applyOps(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in struct {
		BaseRevision int       `json:"base_revision"`
		Ops          []edit.Op `json:"ops"`
	}
	if err := readJSON(r, &in); err != nil {
		return err
	}
	if s.cfg.Live != nil {
		// Ordered with the live editors' edits and sent to them.
		err := s.cfg.Live.Apply(r.Context(), id, in.BaseRevision, in.Ops)
		return s.reopen(w, r, &relsop.Document{ID: id}, err)
	}
	d, err := s.svc.ApplyOps(r.Context(), id, in.BaseRevision, in.Ops)
	return s.reopen(w, r, d, err)
}

func (s *Server) previewEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in struct {
		Instruction  string `json:"instruction"`
		BaseRevision int    `json:"base_revision"`
	}
	if err := readJSON(r, &in); err != nil {
		return err
	}
	p, err := s.svc.PreviewEdit(r.Context(), id, in.Instruction, in.BaseRevision)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"source": string(p.Source), "diff": p.Diff, "summary": nonNil(p.Summary), "base_revision": p.Revision})
	return nil
}

func (s *Server) setStatus(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in struct {
		Status       relsop.Status `json:"status"`
		BaseRevision int           `json:"base_revision"`
	}
	if err := readJSON(r, &in); err != nil {
		return err
	}
	d, err := s.svc.SetStatus(r.Context(), id, in.Status, in.BaseRevision)
	return s.reopen(w, r, d, err)
}

func (s *Server) duplicate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in struct {
		As           string `json:"as"`
		ReleaseType  string `json:"release_type"`
		Name         string `json:"name"`
		Base         string `json:"base"`
		BaseRevision int    `json:"base_revision"`
	}
	if err := readJSON(r, &in); err != nil {
		return err
	}
	switch in.As {
	case "", "copy":
		d, err := s.svc.Duplicate(r.Context(), id)
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusCreated, map[string]any{"document": documentView(d, true)})
		return nil
	case "variant":
		d, err := s.svc.AddVariant(r.Context(), id, in.ReleaseType, in.Name, in.Base, in.BaseRevision)
		return s.reopen(w, r, d, err)
	}
	return relsop.Errorf(relsop.EINVALID, "Duplicate as copy or as variant, not %q.", in.As)
}

func (s *Server) archive(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in struct {
		Archived bool `json:"archived"`
	}
	if err := readJSON(r, &in); err != nil {
		return err
	}
	d, err := s.svc.SetArchived(r.Context(), id, in.Archived)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"document": documentView(d, false)})
	return nil
}

func (s *Server) diagram(w http.ResponseWriter, r *http.Request) error {
	return s.artifact(w, r, "svg", 0, false)
}

func (s *Server) exportSOP(w http.ResponseWriter, r *http.Request) error {
	return s.artifact(w, r, r.URL.Query().Get("format"), 0, true)
}

// artifact draws or exports an SOP (a revision of it, with ?rev=).
func (s *Server) artifact(w http.ResponseWriter, r *http.Request, format string, rev int, download bool) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if rev == 0 {
		if rev, err = queryInt(r, "rev"); err != nil {
			return err
		}
	}
	q := r.URL.Query()
	a, err := s.svc.Artifact(r.Context(), id, workspace.ArtifactRequest{Format: format, Type: q.Get("type"), Theme: q.Get("theme"), Revision: rev, IDPrefix: q.Get("prefix")})
	if err != nil {
		return err
	}
	writeArtifact(w, a, download)
	return nil
}

// writeArtifact sends a file. SVG gets a sandboxing CSP of its own, so
// that even opened directly it can run no script.
func writeArtifact(w http.ResponseWriter, a *workspace.Artifact, download bool) {
	w.Header().Set("Content-Type", a.MediaType)
	if a.MediaType == "image/svg+xml" {
		w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; font-src data:; sandbox")
	}
	if download {
		w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"`, a.Filename))
	}
	w.Write(a.Data)
}

func (s *Server) validate(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Source string `json:"source"`
	}
	if err := readJSON(r, &in); err != nil {
		return err
	}
	fs, err := s.svc.Validate(r.Context(), []byte(in.Source))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"findings": nonNil(findingsJSON(fs))})
	return nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
