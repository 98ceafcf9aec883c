package server

import (
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/workspace"
)

// access is the authentication a route needs; permissions inside a
// workspace are checked by the workspace service.
type access int

const (
	public access = iota // anyone, signed in or not
	member               // a signed-in user (session or API token)
)

// route is one API endpoint.
type route struct {
	method string
	path   string // a net/http pattern
	access access
	handle func(s *Server, w http.ResponseWriter, r *http.Request) error
}

// routes is every API endpoint, in the order of docs/api.md. Tests walk it
// to check that each refuses strangers and other workspaces' members.
var routes = []route{
	{"POST", "/api/auth/signup", public, (*Server).signUp},
	{"POST", "/api/auth/signin", public, (*Server).signIn},
	{"POST", "/api/auth/signout", public, (*Server).signOut},
	{"GET", "/api/me", public, (*Server).me},
	{"PUT", "/api/me/notifications", member, (*Server).setNotifications},
	{"GET", "/api/tokens", member, (*Server).listTokens},
	{"POST", "/api/tokens", member, (*Server).createToken},
	{"DELETE", "/api/tokens/{id}", member, (*Server).deleteToken},

	{"GET", "/api/workspaces", member, (*Server).listWorkspaces},
	{"POST", "/api/workspaces", member, (*Server).createWorkspace},
	{"GET", "/api/workspaces/{ws}/members", member, (*Server).listMembers},
	{"PUT", "/api/workspaces/{ws}/members/{user}", member, (*Server).setMember},
	{"DELETE", "/api/workspaces/{ws}/members/{user}", member, (*Server).removeMember},
	{"POST", "/api/workspaces/{ws}/invites", member, (*Server).createInvite},
	{"POST", "/api/invites/{token}/accept", member, (*Server).acceptInvite},

	{"GET", "/api/templates", public, (*Server).listTemplates},
	{"GET", "/api/templates/{name}/thumbnail.svg", public, (*Server).templateThumbnail},

	{"GET", "/api/sops", member, (*Server).listSOPs},
	{"POST", "/api/sops", member, (*Server).createSOP},
	{"POST", "/api/sops/generate", member, (*Server).generateSOP},
	{"POST", "/api/sops/import", member, (*Server).importSOP},
	{"GET", "/api/sops/{id}", member, (*Server).getSOP},
	{"PUT", "/api/sops/{id}", member, (*Server).saveSOP},
	{"POST", "/api/sops/{id}/ops", member, (*Server).applyOps},
	{"POST", "/api/sops/{id}/edit", member, (*Server).previewEdit},
	{"POST", "/api/sops/{id}/status", member, (*Server).setStatus},
	{"GET", "/api/sops/{id}/review", member, (*Server).getReview},
	{"POST", "/api/sops/{id}/duplicate", member, (*Server).duplicate},
	{"POST", "/api/sops/{id}/archive", member, (*Server).archive},
	{"GET", "/api/sops/{id}/diagram.svg", member, (*Server).diagram},
	{"GET", "/api/sops/{id}/export", member, (*Server).exportSOP},
	{"GET", "/api/sops/{id}/live", member, (*Server).liveSOP},
	{"POST", "/api/validate", member, (*Server).validate},

	{"GET", "/api/sops/{id}/revisions", member, (*Server).listRevisions},
	{"GET", "/api/sops/{id}/revisions/{n}", member, (*Server).getRevision},
	{"GET", "/api/sops/{id}/revisions/{n}/diagram.svg", member, (*Server).revisionDiagram},
	{"GET", "/api/sops/{id}/compare", member, (*Server).compare},
	{"POST", "/api/sops/{id}/revisions/{n}/restore", member, (*Server).restore},

	{"GET", "/api/sops/{id}/comments", member, (*Server).listComments},
	{"POST", "/api/sops/{id}/comments", member, (*Server).addComment},
	{"POST", "/api/comments/{id}/resolve", member, (*Server).resolveComment},

	{"GET", "/api/workspaces/{ws}/releases", member, (*Server).workspaceReleases},
	{"GET", "/api/workspaces/{ws}/inbox", member, (*Server).inbox},
	{"GET", "/api/workspaces/{ws}/webhooks", member, (*Server).listWebhooks},
	{"POST", "/api/workspaces/{ws}/webhooks", member, (*Server).addWebhook},
	{"DELETE", "/api/workspaces/{ws}/webhooks/{id}", member, (*Server).deleteWebhook},
	{"POST", "/api/workspaces/{ws}/webhooks/{id}/ping", member, (*Server).pingWebhook},
	{"GET", "/api/sops/{id}/releases", member, (*Server).listReleases},
	{"POST", "/api/sops/{id}/releases", member, (*Server).startRelease},
	{"GET", "/api/releases/{id}", member, (*Server).getRelease},
	{"POST", "/api/releases/{id}/records", member, (*Server).addReleaseRecord},
	{"GET", "/api/releases/{id}/trail", member, (*Server).releaseTrail},
	{"GET", "/api/releases/{id}/progress.svg", member, (*Server).releaseDiagram},
	{"GET", "/api/releases/{id}/report", member, (*Server).releaseReport},
}

// api wraps a route: it authenticates the caller, checks CSRF, runs the
// handler with the caller in the context, writes its error, and logs and
// counts the request.
func (s *Server) api(rt route) http.Handler {
	name := rt.method + " " + rt.path
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		w.Header().Set("Cache-Control", "no-store")
		c, err := s.authenticate(r)
		if err == nil {
			err = s.checkCSRF(r, c)
		}
		if err == nil && rt.access == member && c.user == nil {
			err = relsop.Errorf(relsop.EUNAUTHORIZED, "Sign in first.")
		}
		if err == nil {
			r = r.WithContext(workspace.WithBaseURL(withCaller(r.Context(), c), s.baseURL(r)))
			err = s.run(rt, sw, r)
		}
		if err != nil {
			s.writeError(sw, r, err)
		}
		status := sw.status
		if status == 0 {
			status = http.StatusOK
		}
		s.metrics.requests.WithLabelValues(name, strconv.Itoa(status)).Inc()
		s.metrics.duration.WithLabelValues(name).Observe(since(start))
		attrs := []any{slog.String("route", name), slog.Int("status", status), slog.Float64("ms", float64(time.Since(start).Microseconds())/1000)}
		if c != nil && c.user != nil {
			attrs = append(attrs, slog.Int64("user", c.user.ID))
		}
		s.log.InfoContext(r.Context(), "request", attrs...)
	})
}

// run calls the handler, turning a panic into an internal error so that
// one bad request cannot take the server down.
func (s *Server) run(rt route, w http.ResponseWriter, r *http.Request) (err error) {
	defer func() {
		if p := recover(); p != nil {
			s.log.ErrorContext(r.Context(), "panic in handler", slog.String("route", rt.path), slog.Any("panic", p))
			err = relsop.Errorf(relsop.EINTERNAL, "An internal error occurred.")
		}
	}()
	return rt.handle(s, w, r)
}

// pathID reads a numeric path parameter.
func pathID(r *http.Request, name string) (int64, error) {
	v, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || v <= 0 {
		return 0, relsop.Errorf(relsop.ENOTFOUND, "No such %s.", name)
	}
	return v, nil
}

// queryInt reads an optional numeric query parameter.
func queryInt(r *http.Request, name string) (int, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, relsop.Errorf(relsop.EINVALID, "The parameter %s must be a whole number, not %q.", name, v)
	}
	return n, nil
}
