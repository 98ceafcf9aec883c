package server

import (
	"context"
	"crypto/subtle"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/workspace"
)

const (
	sessionCookie = "relsop_session"
	csrfCookie    = "relsop_csrf" // double-submit token before sign-in
	csrfHeader    = "X-CSRF-Token"
)

// caller is who made a request and how.
type caller struct {
	user    *relsop.User
	session *relsop.Session // nil for bearer tokens
	token   string          // the session cookie's value
}

// authenticate finds the caller from a bearer token or the session
// cookie; a request with neither has a nil user.
func (s *Server) authenticate(r *http.Request) (*caller, error) {
	if h := r.Header.Get("Authorization"); h != "" {
		token, ok := strings.CutPrefix(h, "Bearer ")
		if !ok {
			return nil, relsop.Errorf(relsop.EUNAUTHORIZED, "The Authorization header must be Bearer followed by an API token.")
		}
		u, err := s.svc.UserByAPIToken(r.Context(), strings.TrimSpace(token))
		if err != nil {
			return nil, err
		}
		return &caller{user: u}, nil
	}
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return &caller{}, nil
	}
	sess, u, err := s.svc.Session(r.Context(), c.Value)
	if relsop.ErrorCode(err) == relsop.EUNAUTHORIZED {
		return &caller{}, nil // an old cookie: treated as signed out
	}
	if err != nil {
		return nil, err
	}
	return &caller{user: u, session: sess, token: c.Value}, nil
}

// checkCSRF refuses a state-changing request that a cross-site page could
// have sent: the Origin, when given, must be this server, and a cookie
// caller must echo its session's CSRF token (or, before sign-in, the
// relsop_csrf cookie) in X-CSRF-Token. Bearer-token callers are not at
// risk: browsers never add that header by themselves.
func (s *Server) checkCSRF(r *http.Request, c *caller) error {
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return nil
	}
	if origin := r.Header.Get("Origin"); origin != "" {
		u, err := url.Parse(origin)
		if err != nil || u.Host != r.Host {
			return relsop.Errorf(relsop.EFORBIDDEN, "Requests from another site are refused.")
		}
	}
	if c.user != nil && c.session == nil {
		return nil // bearer token
	}
	want := ""
	if c.session != nil {
		want = c.session.CSRF
	} else if ck, err := r.Cookie(csrfCookie); err == nil {
		want = ck.Value
	}
	got := r.Header.Get(csrfHeader)
	if want == "" || got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		return relsop.Errorf(relsop.EFORBIDDEN, "The CSRF token is missing or wrong; reload the page (API clients: send the token from GET /api/me in the X-CSRF-Token header, or use an API token).")
	}
	return nil
}

// secure says whether cookies must be Secure for this request.
func (s *Server) secure(r *http.Request) bool {
	return s.cfg.SecureCookies || r.TLS != nil || (s.cfg.TrustProxy && r.Header.Get("X-Forwarded-Proto") == "https")
}

func (s *Server) setSessionCookie(w http.ResponseWriter, r *http.Request, token string, expires time.Time) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", Expires: expires,
		HttpOnly: true, Secure: s.secure(r), SameSite: http.SameSiteLaxMode})
}

func (s *Server) clearSessionCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.secure(r), SameSite: http.SameSiteLaxMode})
}

// preSessionCSRF returns the double-submit token of a signed-out browser,
// setting its cookie when there is none yet.
func (s *Server) preSessionCSRF(w http.ResponseWriter, r *http.Request) string {
	if ck, err := r.Cookie(csrfCookie); err == nil && len(ck.Value) >= 32 && len(ck.Value) <= 100 {
		return ck.Value
	}
	token := workspace.RandomToken()
	http.SetCookie(w, &http.Cookie{Name: csrfCookie, Value: token, Path: "/", HttpOnly: true,
		Secure: s.secure(r), SameSite: http.SameSiteStrictMode})
	return token
}

// clientAddr is the caller's address, for rate limiting.
func (s *Server) clientAddr(r *http.Request) string {
	if s.cfg.TrustProxy {
		if f := r.Header.Get("X-Forwarded-For"); f != "" {
			first, _, _ := strings.Cut(f, ",")
			return strings.TrimSpace(first)
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

type callerKey struct{}

func withCaller(ctx context.Context, c *caller) context.Context {
	return context.WithValue(workspace.WithUser(ctx, c.user), callerKey{}, c)
}

func callerFrom(ctx context.Context) *caller {
	c, _ := ctx.Value(callerKey{}).(*caller)
	if c == nil {
		return &caller{}
	}
	return c
}

func isNotFound(err error) bool { return relsop.ErrorCode(err) == relsop.ENOTFOUND }
