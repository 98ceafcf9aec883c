package server

import (
	"net/http"

	"github.com/relsop/relsop"
)

type credentials struct {
	Email    string `json:"email"`
	Name     string `json:"name"`
	Password string `json:"password"`
}

func (s *Server) signUp(w http.ResponseWriter, r *http.Request) error {
	var in credentials
	if err := readJSON(r, &in); err != nil {
		return err
	}
	u, sess, token, err := s.svc.SignUp(r.Context(), in.Email, in.Name, in.Password)
	if err != nil {
		return err
	}
	s.setSessionCookie(w, r, token, sess.ExpiresAt)
	writeJSON(w, http.StatusCreated, map[string]any{"user": userView(u), "csrf_token": sess.CSRF})
	return nil
}

func (s *Server) signIn(w http.ResponseWriter, r *http.Request) error {
	var in credentials
	if err := readJSON(r, &in); err != nil {
		return err
	}
	u, sess, token, err := s.svc.SignIn(r.Context(), in.Email, in.Password, s.clientAddr(r))
	if err != nil {
		return err
	}
	if old := callerFrom(r.Context()); old.token != "" {
		s.svc.SignOut(r.Context(), old.token) // a new session replaces the old one
	}
	s.setSessionCookie(w, r, token, sess.ExpiresAt)
	writeJSON(w, http.StatusOK, map[string]any{"user": userView(u), "csrf_token": sess.CSRF})
	return nil
}

func (s *Server) signOut(w http.ResponseWriter, r *http.Request) error {
	if c := callerFrom(r.Context()); c.token != "" {
		if err := s.svc.SignOut(r.Context(), c.token); err != nil && !isNotFound(err) {
			return err
		}
	}
	s.clearSessionCookie(w, r)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// me says who is signed in, with the CSRF token to send; signed out, it
// answers 401 with a pre-session token for signing in or up.
func (s *Server) me(w http.ResponseWriter, r *http.Request) error {
	c := callerFrom(r.Context())
	if c.user == nil {
		token := s.preSessionCSRF(w, r)
		writeJSON(w, http.StatusUnauthorized, map[string]any{
			"error":      errorDetail{Code: relsop.EUNAUTHORIZED, Message: "Sign in first."},
			"csrf_token": token,
		})
		return nil
	}
	ms, err := s.svc.Workspaces(r.Context())
	if err != nil {
		return err
	}
	out := map[string]any{"user": userView(c.user), "workspaces": list(ms, membershipView), "mail": s.svc.Mailing()}
	if s.svc.Mailing() {
		// For the account page: "08:00 CET", in the user's zone, and the
		// server's zone, which "" stands for.
		out["digest_at"], out["server_zone"] = s.svc.DigestTime(c.user), s.svc.ServerZone()
	}
	if c.session != nil {
		out["csrf_token"] = c.session.CSRF
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// setNotifications sets the signed-in user's notification emails: on or
// off ({"email": false}), each time or in one summary a day ({"digest":
// true}), and the time zone the summary comes in ({"time_zone":
// "Europe/Berlin"}, "" for the server's); any of them.
func (s *Server) setNotifications(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Email    *bool   `json:"email"`
		Digest   *bool   `json:"digest"`
		TimeZone *string `json:"time_zone"`
	}
	if err := readJSON(r, &in); err != nil {
		return err
	}
	if in.Email == nil && in.Digest == nil && in.TimeZone == nil {
		return relsop.Errorf(relsop.EINVALID, `Say whether you want notification emails, {"email": true} or {"email": false}; whether as one summary a day, {"digest": true} or {"digest": false}; or the time zone the summary comes in, {"time_zone": "Europe/Berlin"} ("" for the server's).`)
	}
	u := callerFrom(r.Context()).user
	var err error
	if in.TimeZone != nil { // first: a bad zone changes nothing
		if u, err = s.svc.SetTimeZone(r.Context(), *in.TimeZone); err != nil {
			return err
		}
	}
	if in.Email != nil {
		if u, err = s.svc.SetMailOff(r.Context(), !*in.Email); err != nil {
			return err
		}
	}
	if in.Digest != nil {
		if u, err = s.svc.SetMailDigest(r.Context(), *in.Digest); err != nil {
			return err
		}
	}
	out := map[string]any{"user": userView(u)}
	if s.svc.Mailing() {
		out["digest_at"] = s.svc.DigestTime(u) // in the zone just chosen
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) listTokens(w http.ResponseWriter, r *http.Request) error {
	ts, err := s.svc.APITokens(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"tokens": list(ts, tokenView)})
	return nil
}

func (s *Server) createToken(w http.ResponseWriter, r *http.Request) error {
	name, err := readName(r)
	if err != nil {
		return err
	}
	t, token, err := s.svc.CreateAPIToken(r.Context(), name)
	if err != nil {
		return err
	}
	v := tokenView(*t)
	v.Token = token
	writeJSON(w, http.StatusCreated, v)
	return nil
}

func (s *Server) deleteToken(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.svc.DeleteAPIToken(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// readName reads the body {"name": ...} of the two routes that create a
// named thing, POST /api/tokens and POST /api/workspaces.
func readName(r *http.Request) (string, error) {
	var in struct {
		Name string `json:"name"`
	}
	err := readJSON(r, &in)
	return in.Name, err
}

func (s *Server) listWorkspaces(w http.ResponseWriter, r *http.Request) error {
	ms, err := s.svc.Workspaces(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"workspaces": list(ms, membershipView)})
	return nil
}

func (s *Server) createWorkspace(w http.ResponseWriter, r *http.Request) error {
	name, err := readName(r)
	if err != nil {
		return err
	}
	m, err := s.svc.CreateWorkspace(r.Context(), name)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, membershipView(*m))
	return nil
}

func (s *Server) listMembers(w http.ResponseWriter, r *http.Request) error {
	ws, err := pathID(r, "ws")
	if err != nil {
		return err
	}
	ms, err := s.svc.Members(r.Context(), ws)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"members": list(ms, memberView)})
	return nil
}

// memberPath reads the {ws} and {user} path parameters of the routes that
// change one member of a workspace (PUT and DELETE .../members/{user}).
func memberPath(r *http.Request) (ws, user int64, err error) {
	if ws, err = pathID(r, "ws"); err != nil {
		return 0, 0, err
	}
	user, err = pathID(r, "user")
	return ws, user, err
}

// readRole reads the body {"role": ...} of the two routes that give a role:
// to a member (PUT .../members/{user}) or to an invite (POST .../invites).
func readRole(r *http.Request) (relsop.MemberRole, error) {
	var in struct {
		Role relsop.MemberRole `json:"role"`
	}
	err := readJSON(r, &in)
	return in.Role, err
}

func (s *Server) setMember(w http.ResponseWriter, r *http.Request) error {
	ws, user, err := memberPath(r)
	if err != nil {
		return err
	}
	role, err := readRole(r)
	if err != nil {
		return err
	}
	m, err := s.svc.SetMemberRole(r.Context(), ws, user, role)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"member": memberView(*m)})
	return nil
}

func (s *Server) removeMember(w http.ResponseWriter, r *http.Request) error {
	ws, user, err := memberPath(r)
	if err != nil {
		return err
	}
	if err := s.svc.RemoveMember(r.Context(), ws, user); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) createInvite(w http.ResponseWriter, r *http.Request) error {
	ws, err := pathID(r, "ws")
	if err != nil {
		return err
	}
	role, err := readRole(r)
	if err != nil {
		return err
	}
	inv, token, err := s.svc.CreateInvite(r.Context(), ws, role)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]any{
		"token": token, "url": s.baseURL(r) + "/#/invite/" + token,
		"role": inv.Role, "expires_at": inv.ExpiresAt.UTC(),
	})
	return nil
}

func (s *Server) acceptInvite(w http.ResponseWriter, r *http.Request) error {
	m, err := s.svc.AcceptInvite(r.Context(), r.PathValue("token"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, membershipView(*m))
	return nil
}

// baseURL is the address invite links start with.
func (s *Server) baseURL(r *http.Request) string {
	if s.cfg.BaseURL != "" {
		return s.cfg.BaseURL
	}
	scheme := "http"
	if s.secure(r) {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
