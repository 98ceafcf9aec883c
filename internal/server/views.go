package server

import (
	"time"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/workspace"
)

// The JSON shapes of the API (docs/api.md). They are separate from the
// domain types so that nothing is sent by accident (a password hash) and
// field names are the API's, in snake_case.

type userJSON struct {
	ID    int64  `json:"id"`
	Email string `json:"email"`
	Name  string `json:"name"`
	Admin bool   `json:"admin"`
	// EmailNotifications: the user gets notification emails when the
	// server sends them (GET /api/me says whether it does).
	EmailNotifications bool `json:"email_notifications"`
	// EmailDigest: they come as one summary a day instead of one each
	// time (docs/email.md).
	EmailDigest bool `json:"email_digest"`
	// TimeZone is the IANA zone the summary comes in; "" for the
	// server's.
	TimeZone string `json:"time_zone"`
}

func userView(u *relsop.User) userJSON {
	return userJSON{ID: u.ID, Email: u.Email, Name: u.Name, Admin: u.Admin, EmailNotifications: !u.MailOff, EmailDigest: u.MailDigest, TimeZone: u.TimeZone}
}

type workspaceJSON struct {
	ID   int64             `json:"id"`
	Name string            `json:"name"`
	Role relsop.MemberRole `json:"role"`
}

func membershipView(m relsop.Membership) workspaceJSON {
	return workspaceJSON{ID: m.Workspace.ID, Name: m.Workspace.Name, Role: m.Role}
}

type memberJSON struct {
	UserID int64             `json:"user_id"`
	Name   string            `json:"name"`
	Email  string            `json:"email"`
	Role   relsop.MemberRole `json:"role"`
}

func memberView(m relsop.Member) memberJSON {
	return memberJSON{UserID: m.UserID, Name: m.Name, Email: m.Email, Role: m.Role}
}

type tokenJSON struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	Token      string     `json:"token,omitempty"`
}

func tokenView(t relsop.APIToken) tokenJSON {
	v := tokenJSON{ID: t.ID, Name: t.Name, CreatedAt: t.CreatedAt.UTC()}
	if !t.LastUsedAt.IsZero() {
		last := t.LastUsedAt.UTC()
		v.LastUsedAt = &last
	}
	return v
}

type documentJSON struct {
	ID           int64             `json:"id"`
	WorkspaceID  int64             `json:"workspace_id"`
	Title        string            `json:"title"`
	Status       relsop.Status     `json:"status"`
	Owner        string            `json:"owner"`
	ReleaseTypes []string          `json:"release_types"`
	Lint         relsop.LintState  `json:"lint"`
	ReviewDue    string            `json:"review_due,omitempty"` // the date its scheduled review falls due
	Archived     bool              `json:"archived"`
	Revision     int               `json:"revision"`
	CreatedBy    int64             `json:"created_by"`
	CreatedAt    time.Time         `json:"created_at"`
	UpdatedAt    time.Time         `json:"updated_at"`
	UpdatedBy    int64             `json:"updated_by"`
	Source       *string           `json:"source,omitempty"`
	Role         relsop.MemberRole `json:"role,omitempty"`
	Findings     *[]findingJSON    `json:"findings,omitempty"`     // opened form only, [] when clean
	ExportNotes  map[string]string `json:"export_notes,omitempty"` // opened form only: format -> what its tool fails at
	Variants     *[]variantJSON    `json:"variants,omitempty"`     // opened form only: the release types, for the side panel; [] for none
}

type variantJSON struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Description string   `json:"description,omitempty"`
	Base        string   `json:"base,omitempty"`
	Emergency   bool     `json:"emergency"`
	Remove      []string `json:"remove"`
	Adds        []string `json:"adds"`
	Changes     []string `json:"changes"`
}

func documentView(d *relsop.Document, withSource bool) documentJSON {
	v := documentJSON{ID: d.ID, WorkspaceID: d.WorkspaceID, Title: d.Title, Status: d.Status, Owner: d.Owner,
		ReleaseTypes: d.ReleaseTypes, Lint: d.Lint, ReviewDue: d.ReviewDue, Archived: d.Archived, Revision: d.Revision,
		CreatedBy: d.CreatedBy, CreatedAt: d.CreatedAt.UTC(), UpdatedAt: d.UpdatedAt.UTC(), UpdatedBy: d.UpdatedBy}
	if v.ReleaseTypes == nil {
		v.ReleaseTypes = []string{}
	}
	if withSource {
		src := string(d.Source)
		v.Source = &src
	}
	return v
}

func openedView(o *workspace.Opened) documentJSON {
	v := documentView(&o.Document, true)
	v.Role = o.Role
	fs := nonNil(findingsJSON(o.Findings))
	v.Findings = &fs
	v.ExportNotes = o.ExportNotes
	vs := []variantJSON{}
	for _, rt := range o.Variants {
		vs = append(vs, variantJSON{ID: rt.ID, Name: rt.Name, Description: rt.Description, Base: rt.Base,
			Emergency: rt.Emergency, Remove: rt.Remove, Adds: rt.Adds, Changes: rt.Changes})
	}
	v.Variants = &vs
	return v
}

type revisionJSON struct {
	Number     int           `json:"number"`
	AuthorID   int64         `json:"author_id"`
	AuthorName string        `json:"author_name"`
	CreatedAt  time.Time     `json:"created_at"`
	Message    string        `json:"message"`
	Status     relsop.Status `json:"status"`
	Source     *string       `json:"source,omitempty"`
}

func revisionView(r relsop.Revision, withSource bool) revisionJSON {
	v := revisionJSON{Number: r.Number, AuthorID: r.AuthorID, AuthorName: r.AuthorName, CreatedAt: r.CreatedAt.UTC(), Message: r.Message, Status: r.Status}
	if withSource {
		src := string(r.Source)
		v.Source = &src
	}
	return v
}

type commentJSON struct {
	ID         int64     `json:"id"`
	StepID     string    `json:"step_id"`
	ParentID   int64     `json:"parent_id"`
	AuthorID   int64     `json:"author_id"`
	AuthorName string    `json:"author_name"`
	Body       string    `json:"body"`
	Mentions   []int64   `json:"mentions"`
	Resolved   bool      `json:"resolved"`
	CreatedAt  time.Time `json:"created_at"`
}

func commentView(c relsop.Comment) commentJSON {
	v := commentJSON{ID: c.ID, StepID: c.StepID, ParentID: c.ParentID, AuthorID: c.AuthorID, AuthorName: c.AuthorName,
		Body: c.Body, Mentions: c.Mentions, Resolved: c.Resolved, CreatedAt: c.CreatedAt.UTC()}
	if v.Mentions == nil {
		v.Mentions = []int64{}
	}
	return v
}

type findingJSON struct {
	Line     int             `json:"line"`
	Col      int             `json:"col"`
	Severity relsop.Severity `json:"severity"`
	Code     string          `json:"code"`
	Element  string          `json:"element,omitempty"`
	Message  string          `json:"message"`
	Hint     string          `json:"hint,omitempty"`
}

func findingsJSON(fs []relsop.Finding) []findingJSON {
	var out []findingJSON
	for _, f := range fs {
		out = append(out, findingJSON{Line: f.Pos.Line, Col: f.Pos.Col, Severity: f.Severity, Code: f.Code, Element: f.Element, Message: f.Message, Hint: f.Hint})
	}
	return out
}

// list wraps a slice so that an empty list is [] rather than null.
func list[T, V any](items []T, view func(T) V) []V {
	out := make([]V, 0, len(items))
	for _, it := range items {
		out = append(out, view(it))
	}
	return out
}
