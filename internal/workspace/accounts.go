package workspace

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/relsop/relsop"
)

// Session and token lifetimes.
const (
	SessionLifetime = 14 * 24 * time.Hour
	InviteLifetime  = 7 * 24 * time.Hour
	minPassword     = 10
	maxPassword     = 1024 // argon2 reads all of it; longer is an attack
	maxName         = 200
	tokenPrefix     = "relsop_"
)

// SignUp creates an account and its first workspace, and signs the user in:
// it returns the user, and the session with the cookie token to set. The
// first user of a server is its admin. EINVALID for a bad email, name or
// password, ECONFLICT when the email is taken.
func (s *Service) SignUp(ctx context.Context, email, name, password string) (*relsop.User, *relsop.Session, string, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	name = strings.TrimSpace(name)
	if err := checkEmail(email); err != nil {
		return nil, nil, "", err
	}
	if name == "" {
		name = strings.SplitN(email, "@", 2)[0]
	}
	if err := checkText("name", name, maxName); err != nil {
		return nil, nil, "", err
	}
	if utf8.RuneCountInString(password) < minPassword {
		return nil, nil, "", relsop.Errorf(relsop.EINVALID, "The password needs at least %d characters.", minPassword)
	}
	if len(password) > maxPassword {
		return nil, nil, "", relsop.Errorf(relsop.EINVALID, "The password may have at most %d bytes.", maxPassword)
	}
	hash, err := hashPassword(password)
	if err != nil {
		return nil, nil, "", err
	}
	u := &relsop.User{Email: email, Name: name, PasswordHash: hash}
	if err := s.store.CreateUser(ctx, u); err != nil {
		if relsop.ErrorCode(err) == relsop.ECONFLICT {
			return nil, nil, "", relsop.Errorf(relsop.ECONFLICT, "There is already an account for %s; sign in instead.", email)
		}
		return nil, nil, "", err
	}
	ws := &relsop.Workspace{Name: name + "'s workspace"}
	if err := s.store.CreateWorkspace(ctx, ws, u.ID); err != nil {
		return nil, nil, "", err
	}
	sess, token, err := s.newSession(ctx, u.ID)
	if err != nil {
		return nil, nil, "", err
	}
	return u, sess, token, nil
}

// SignIn checks an email and password and starts a session. client names
// the caller's address for rate limiting. EUNAUTHORIZED for a wrong email or
// password (the same message for both), ERATELIMIT after too many failures.
func (s *Service) SignIn(ctx context.Context, email, password, client string) (*relsop.User, *relsop.Session, string, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	keys := []string{"email:" + email, "client:" + client}
	for _, k := range keys {
		if wait := s.signins.wait(k); wait > 0 {
			return nil, nil, "", &RateLimitError{Wait: wait}
		}
	}
	u, err := s.store.UserByEmail(ctx, email)
	if err != nil && relsop.ErrorCode(err) != relsop.ENOTFOUND {
		return nil, nil, "", err
	}
	if len(password) > maxPassword {
		password = password[:maxPassword]
	}
	ok := false
	if u != nil {
		ok = checkPassword(u.PasswordHash, password)
	} else {
		checkPassword(dummyHash(), password)
	}
	if !ok {
		for _, k := range keys {
			s.signins.fail(k)
		}
		return nil, nil, "", relsop.Errorf(relsop.EUNAUTHORIZED, "The email or the password is wrong.")
	}
	s.signins.reset("email:" + email)
	sess, token, err := s.newSession(ctx, u.ID)
	if err != nil {
		return nil, nil, "", err
	}
	return u, sess, token, nil
}

// RateLimitError is ERATELIMIT with how long to wait.
type RateLimitError struct{ Wait time.Duration }

func (e *RateLimitError) Error() string {
	return "Too many failed sign-ins; try again in " + e.Wait.Round(time.Second).String() + "."
}

// Unwrap gives the error its code.
func (e *RateLimitError) Unwrap() error { return relsop.Errorf(relsop.ERATELIMIT, "%s", e.Error()) }

// SignOut ends the session of the cookie token.
func (s *Service) SignOut(ctx context.Context, token string) error {
	return s.store.DeleteSession(ctx, hashToken(token))
}

// Session returns the session and user of a cookie token; EUNAUTHORIZED
// when it is unknown or expired.
func (s *Service) Session(ctx context.Context, token string) (*relsop.Session, *relsop.User, error) {
	if token == "" || len(token) > 200 {
		return nil, nil, relsop.Errorf(relsop.EUNAUTHORIZED, "Sign in first.")
	}
	sess, err := s.store.SessionByToken(ctx, hashToken(token), s.now())
	if relsop.ErrorCode(err) == relsop.ENOTFOUND {
		return nil, nil, relsop.Errorf(relsop.EUNAUTHORIZED, "Your session has ended; sign in again.")
	}
	if err != nil {
		return nil, nil, err
	}
	u, err := s.store.UserByID(ctx, sess.UserID)
	if err != nil {
		return nil, nil, err
	}
	return sess, u, nil
}

// UserByAPIToken returns the user of a bearer token; EUNAUTHORIZED when it
// is unknown.
func (s *Service) UserByAPIToken(ctx context.Context, token string) (*relsop.User, error) {
	if !strings.HasPrefix(token, tokenPrefix) || len(token) > 200 {
		return nil, relsop.Errorf(relsop.EUNAUTHORIZED, "The API token is not valid.")
	}
	t, err := s.store.APITokenByHash(ctx, hashToken(token), s.now())
	if relsop.ErrorCode(err) == relsop.ENOTFOUND {
		return nil, relsop.Errorf(relsop.EUNAUTHORIZED, "The API token is not valid; it may have been deleted.")
	}
	if err != nil {
		return nil, err
	}
	return s.store.UserByID(ctx, t.UserID)
}

// CreateAPIToken makes a token for the signed-in user and returns it with
// the token itself, which is shown only this once.
func (s *Service) CreateAPIToken(ctx context.Context, name string) (*relsop.APIToken, string, error) {
	u, err := signedIn(ctx)
	if err != nil {
		return nil, "", err
	}
	name = strings.TrimSpace(name)
	if name == "" {
		name = "API token"
	}
	if err := checkText("name", name, maxName); err != nil {
		return nil, "", err
	}
	token := tokenPrefix + RandomToken()
	t := &relsop.APIToken{UserID: u.ID, Name: name, TokenHash: hashToken(token), CreatedAt: s.now()}
	if err := s.store.CreateAPIToken(ctx, t); err != nil {
		return nil, "", err
	}
	return t, token, nil
}

// APITokens lists the signed-in user's tokens.
func (s *Service) APITokens(ctx context.Context) ([]relsop.APIToken, error) {
	u, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	return s.store.APITokens(ctx, u.ID)
}

// DeleteAPIToken deletes one of the signed-in user's tokens.
func (s *Service) DeleteAPIToken(ctx context.Context, id int64) error {
	u, err := signedIn(ctx)
	if err != nil {
		return err
	}
	return s.store.DeleteAPIToken(ctx, u.ID, id)
}

func (s *Service) newSession(ctx context.Context, userID int64) (*relsop.Session, string, error) {
	token := RandomToken()
	now := s.now()
	sess := &relsop.Session{TokenHash: hashToken(token), UserID: userID, CSRF: RandomToken(), CreatedAt: now, ExpiresAt: now.Add(SessionLifetime)}
	if err := s.store.CreateSession(ctx, sess); err != nil {
		return nil, "", err
	}
	return sess, token, nil
}

// RandomToken returns 32 random bytes in URL-safe base64, for tokens.
func RandomToken() string {
	b := make([]byte, 32)
	rand.Read(b) // never fails (crypto/rand panics instead)
	return base64.RawURLEncoding.EncodeToString(b)
}

// hashToken is what the store keeps of a token: its SHA-256 in hex. The
// tokens are random, so no salt or slow hash is needed.
func hashToken(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

func checkEmail(email string) error {
	if len(email) > 254 {
		return relsop.Errorf(relsop.EINVALID, "The email address is too long.")
	}
	a, err := mail.ParseAddress(email)
	if err != nil || a.Address != email || a.Name != "" {
		return relsop.Errorf(relsop.EINVALID, "%q is not an email address.", email)
	}
	return nil
}

// checkText refuses empty, over-long or control-character text for a
// one-line field.
func checkText(field, v string, max int) error {
	if strings.TrimSpace(v) == "" {
		return relsop.Errorf(relsop.EINVALID, "The %s must not be empty.", field)
	}
	if utf8.RuneCountInString(v) > max {
		return relsop.Errorf(relsop.EINVALID, "The %s may have at most %d characters.", field, max)
	}
	if !utf8.ValidString(v) {
		return relsop.Errorf(relsop.EINVALID, "The %s is not valid UTF-8.", field)
	}
	for _, r := range v {
		if r < 0x20 || r == 0x7f {
			return relsop.Errorf(relsop.EINVALID, "The %s must be one line without control characters.", field)
		}
	}
	return nil
}
