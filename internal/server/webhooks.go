package server

import (
	"net/http"
	"time"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/workspace"
)

// A workspace's webhooks, for its owners (docs/webhooks.md).

type webhookJSON struct {
	ID     int64    `json:"id"`
	URL    string   `json:"url"`
	Events []string `json:"events"`
	// Secret is shown once, when the webhook is added.
	Secret     string     `json:"secret,omitempty"`
	CreatedBy  int64      `json:"created_by"`
	CreatedAt  time.Time  `json:"created_at"`
	LastAt     *time.Time `json:"last_at"` // null before the first delivery
	LastStatus int        `json:"last_status"`
	LastError  string     `json:"last_error"`
}

func webhookView(h relsop.Webhook) webhookJSON {
	v := webhookJSON{ID: h.ID, URL: h.URL, Events: nonNil(h.Events), CreatedBy: h.CreatedBy, CreatedAt: h.CreatedAt.UTC(),
		LastStatus: h.LastStatus, LastError: h.LastError}
	if !h.LastAt.IsZero() {
		at := h.LastAt.UTC()
		v.LastAt = &at
	}
	return v
}

func (s *Server) listWebhooks(w http.ResponseWriter, r *http.Request) error {
	ws, err := pathID(r, "ws")
	if err != nil {
		return err
	}
	hooks, err := s.svc.Webhooks(r.Context(), ws)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"webhooks": list(hooks, webhookView), "events": workspace.Events})
	return nil
}

func (s *Server) addWebhook(w http.ResponseWriter, r *http.Request) error {
	ws, err := pathID(r, "ws")
	if err != nil {
		return err
	}
	var in workspace.WebhookRequest
	if err := readJSON(r, &in); err != nil {
		return err
	}
	h, err := s.svc.AddWebhook(r.Context(), ws, in)
	if err != nil {
		return err
	}
	v := webhookView(*h)
	v.Secret = h.Secret
	writeJSON(w, http.StatusCreated, map[string]any{"webhook": v})
	return nil
}

// webhookPath reads the workspace and webhook ids of a webhook's path.
func webhookPath(r *http.Request) (ws, id int64, err error) {
	if ws, err = pathID(r, "ws"); err == nil {
		id, err = pathID(r, "id")
	}
	return ws, id, err
}

func (s *Server) deleteWebhook(w http.ResponseWriter, r *http.Request) error {
	ws, id, err := webhookPath(r)
	if err != nil {
		return err
	}
	if err := s.svc.DeleteWebhook(r.Context(), ws, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) pingWebhook(w http.ResponseWriter, r *http.Request) error {
	ws, id, err := webhookPath(r)
	if err != nil {
		return err
	}
	h, err := s.svc.PingWebhook(r.Context(), ws, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"webhook": webhookView(*h)})
	return nil
}
