package server

import (
	"net/http"
	"strconv"

	"github.com/relsop/relsop"
)

func (s *Server) listRevisions(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	revs, err := s.svc.Revisions(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"revisions": list(revs, func(r relsop.Revision) revisionJSON { return revisionView(r, false) })})
	return nil
}

// revisionNumber reads the {n} path parameter.
func revisionNumber(r *http.Request) (int, error) {
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n <= 0 {
		return 0, relsop.Errorf(relsop.ENOTFOUND, "No such revision.")
	}
	return n, nil
}

// revisionPath reads the {id} and {n} path parameters of the routes on one
// revision of a document (GET .../revisions/{n} and its restore).
func revisionPath(r *http.Request) (id int64, n int, err error) {
	if id, err = pathID(r, "id"); err != nil {
		return 0, 0, err
	}
	n, err = revisionNumber(r)
	return id, n, err
}

func (s *Server) getRevision(w http.ResponseWriter, r *http.Request) error {
	id, n, err := revisionPath(r)
	if err != nil {
		return err
	}
	rev, err := s.svc.Revision(r.Context(), id, n)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"revision": revisionView(*rev, true)})
	return nil
}

func (s *Server) revisionDiagram(w http.ResponseWriter, r *http.Request) error {
	n, err := revisionNumber(r)
	if err != nil {
		return err
	}
	return s.artifact(w, r, "svg", n, false)
}

func (s *Server) compare(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	from, err := queryInt(r, "from")
	if err != nil {
		return err
	}
	to, err := queryInt(r, "to")
	if err != nil {
		return err
	}
	c, err := s.svc.Compare(r.Context(), id, from, to)
	if err != nil {
		return err
	}
	switch format := r.URL.Query().Get("format"); format {
	case "", "json":
		writeJSON(w, http.StatusOK, map[string]any{"from": c.From, "to": c.To, "diff": c.Diff})
	case "text":
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte(c.Diff.Text()))
	case "svg":
		q := r.URL.Query()
		data, err := c.SVG(q.Get("theme"), q.Get("prefix"))
		if err != nil {
			return relsop.Errorf(relsop.EINVALID, "%v", err)
		}
		w.Header().Set("Content-Type", "image/svg+xml")
		w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; font-src data:; sandbox")
		w.Write(data)
	default:
		return relsop.Errorf(relsop.EINVALID, "The format must be json, text or svg, not %q.", format)
	}
	return nil
}

func (s *Server) restore(w http.ResponseWriter, r *http.Request) error {
	id, n, err := revisionPath(r)
	if err != nil {
		return err
	}
	var in struct {
		BaseRevision int `json:"base_revision"`
	}
	if err := readJSON(r, &in); err != nil {
		return err
	}
	d, err := s.svc.Restore(r.Context(), id, n, in.BaseRevision)
	return s.reopen(w, r, d, err)
}

func (s *Server) listComments(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	cs, err := s.svc.Comments(r.Context(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"comments": list(cs, commentView)})
	return nil
}

func (s *Server) addComment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in struct {
		Body     string `json:"body"`
		StepID   string `json:"step_id"`
		ParentID int64  `json:"parent_id"`
	}
	if err := readJSON(r, &in); err != nil {
		return err
	}
	c, err := s.svc.AddComment(r.Context(), id, in.StepID, in.ParentID, in.Body)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]any{"comment": commentView(*c)})
	return nil
}

func (s *Server) resolveComment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	var in struct {
		Resolved bool `json:"resolved"`
	}
	if err := readJSON(r, &in); err != nil {
		return err
	}
	c, err := s.svc.ResolveComment(r.Context(), id, in.Resolved)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"comment": commentView(*c)})
	return nil
}
