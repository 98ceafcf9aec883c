package server

import (
	"net/http"
	"net/url"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/live"
)

// liveSOP opens a live editing connection (docs/live.md): the caller must
// be able to read the SOP; what it may do there is checked per message.
func (s *Server) liveSOP(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	d, m, err := s.svc.LiveDocument(r.Context(), id)
	if err != nil {
		return err
	}
	if s.cfg.Live == nil {
		return relsop.Errorf(relsop.EUNAVAILABLE, "Live editing is not running on this server.")
	}
	req := live.Request{Document: id, ClientID: r.URL.Query().Get("client"), Origins: s.origins(r)}
	if !live.ValidClientID(req.ClientID) {
		return relsop.Errorf(relsop.EINVALID, "The parameter client must be 8 to 64 letters, digits, - or _.")
	}
	since, err := queryInt(r, "since")
	if err != nil {
		return err
	}
	req.Since = int64(since)
	s.cfg.Live.Serve(w, r, req, d, m)
	return nil
}

// origins are the hosts a browser page may open a WebSocket from: this
// server's own, as the request names it, and as --base-url does.
func (s *Server) origins(r *http.Request) []string {
	hosts := []string{r.Host}
	if u, err := url.Parse(s.cfg.BaseURL); err == nil && u.Host != "" && u.Host != r.Host {
		hosts = append(hosts, u.Host)
	}
	return hosts
}
