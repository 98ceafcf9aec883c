// Package workspace holds the rules of the browser workspace (relsop serve):
// who may do what, and what saving, generating, importing or approving an
// SOP means. It checks permissions before every call into the Store, so the
// HTTP server above it is only transport: every request goes through a
// method here with the signed-in user in its context.
//
// Methods return *relsop.Error codes: EUNAUTHORIZED without a user,
// ENOTFOUND for anything in a workspace the user is not a member of (so that
// a non-member cannot even learn it exists), EFORBIDDEN when a member's role
// does not allow the action, EINVALID for bad input, ECONFLICT for a stale
// base revision.
package workspace

import (
	"cmp"
	"context"
	"strings"
	"sync"
	"time"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/generate/llm"
	"github.com/relsop/relsop/internal/notify"
)

// Service is the workspace's rules over a Store.
type Service struct {
	store   relsop.Store
	now     func() time.Time
	signins *limiter
	llm     *llm.Client   // nil: the built-in planner only
	opened  analyses      // lint of recently opened revisions
	runs    replays       // releases replayed for reading (replays.go)
	reviews reviewStates  // review states by latest revision (cache.go)
	heavy   chan struct{} // a slot per PNG or PDF document being made (artifacts.go)

	notify          *notify.Sender // nil: webhooks are not delivered
	mail            Mailer         // nil: no notification emails
	webhooksPrivate bool
	baseURL         string
	digestAt        time.Duration  // the time of day daily summaries go out
	digestZone      *time.Location // the zone of digestAt

	changedMu sync.Mutex
	changed   func(documentID int64) // told when a save replaced a document's source
}

// Options tune a Service; the zero value is fine.
type Options struct {
	// Now is the clock; tests inject one. Default time.Now.
	Now func() time.Time
	// LLM, when set, drafts generated SOPs with a model; the built-in
	// planner is the fallback when it fails, and the default.
	LLM *llm.Client
	// MaxPNGs bounds the PNG downloads and PDF documents made at once;
	// others wait their turn. A PNG holds its whole image in memory,
	// about 230 MB for a template; a PDF document its pages. Default 2.
	MaxPNGs int
	// Notify delivers release events to the workspaces' webhooks; nil:
	// none are, and none may be added.
	Notify *notify.Sender
	// WebhooksPrivate lets owners add webhooks at addresses on the
	// server's own network; it should match Notify's AllowPrivate.
	WebhooksPrivate bool
	// Mail sends members notification emails (mail.go); nil: none are.
	Mail Mailer
	// BaseURL is the address people open the workspace at, for links in
	// the alerts the server's own rounds send (SweepOverdue); a request's
	// links use WithBaseURL. "" leaves them out.
	BaseURL string
	// DigestAt is the time of day, from midnight in DigestZone, the daily
	// summaries go out (digest.go): zero sends them in the first round of
	// the day. relsop serve's default is 08:00.
	DigestAt time.Duration
	// DigestZone is the time zone of DigestAt. Default time.Local.
	DigestZone *time.Location
}

// New returns a Service over store.
func New(store relsop.Store, opts Options) *Service {
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	pngs := opts.MaxPNGs
	if pngs <= 0 {
		pngs = 2
	}
	return &Service{store: store, now: now, signins: newLimiter(10, 15*time.Minute, now), llm: opts.LLM,
		heavy: make(chan struct{}, pngs), notify: opts.Notify, mail: opts.Mail, webhooksPrivate: opts.WebhooksPrivate,
		baseURL: strings.TrimRight(opts.BaseURL, "/"), digestAt: opts.DigestAt, digestZone: cmp.Or(opts.DigestZone, time.Local)}
}

// Store returns the store, for health checks.
func (s *Service) Store() relsop.Store { return s.store }

type userKey struct{}

// WithUser returns a context in which u is the signed-in user.
func WithUser(ctx context.Context, u *relsop.User) context.Context {
	return context.WithValue(ctx, userKey{}, u)
}

// UserFrom returns the signed-in user, or nil.
func UserFrom(ctx context.Context) *relsop.User {
	u, _ := ctx.Value(userKey{}).(*relsop.User)
	return u
}

// signedIn returns the signed-in user or EUNAUTHORIZED.
func signedIn(ctx context.Context) (*relsop.User, error) {
	if u := UserFrom(ctx); u != nil {
		return u, nil
	}
	return nil, relsop.Errorf(relsop.EUNAUTHORIZED, "Sign in first.")
}

// access returns the signed-in user's membership of a workspace when its
// role is at least need. A non-member gets ENOTFOUND, with the message of
// the thing looked for, so that what exists in other workspaces stays
// hidden.
func (s *Service) access(ctx context.Context, workspaceID int64, need relsop.MemberRole, what string) (*relsop.Member, error) {
	u, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	m, err := s.store.MemberOf(ctx, workspaceID, u.ID)
	if relsop.ErrorCode(err) == relsop.ENOTFOUND {
		return nil, relsop.Errorf(relsop.ENOTFOUND, "No such %s.", what)
	}
	if err != nil {
		return nil, err
	}
	if m.Role.Rank() < need.Rank() {
		return nil, relsop.Errorf(relsop.EFORBIDDEN, "A %s of this workspace may not do this; ask an owner for the %s role.", m.Role, need)
	}
	return m, nil
}
