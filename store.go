package relsop

import (
	"context"
	"time"
)

// The workspace (relsop serve) keeps users, workspaces, SOP documents with
// their revisions, and comments in a Store. There are two: SQLite, the
// default, and PostgreSQL. Both pass one conformance suite
// (internal/store/storetest). The Store knows nothing of permissions: the
// workspace service (internal/workspace) checks them before every call.
//
// Times are stored with microsecond precision in UTC; ids are positive and
// assigned by the store. Lists come back in a documented, stable order.

// User is a person with an account.
type User struct {
	ID           int64
	Email        string // unique, compared case-insensitively; stored lower-case
	Name         string
	PasswordHash string // argon2id or bcrypt in PHC/modular form; never sent to clients
	Admin        bool   // the first user to sign up is the admin
	// MailOff: the user asked for no notification emails (gates waiting
	// for them, mentions); set with SetMailOff.
	MailOff bool
	// MailDigest: the user asked for one summary email a day (what waits
	// for them, docs/email.md) instead of an email each time; set with
	// SetMailDigest. It has no effect while MailOff is set.
	MailDigest bool
	// TimeZone is the IANA name of the user's time zone ("Europe/Berlin"),
	// in which their daily summary comes; "" for the server's. Set with
	// SetTimeZone.
	TimeZone  string
	CreatedAt time.Time
}

// Session is a signed-in browser. Only a hash of the cookie's token is kept.
type Session struct {
	TokenHash string // hex SHA-256 of the cookie value
	UserID    int64
	CSRF      string // the token forms and fetches must echo in X-CSRF-Token
	CreatedAt time.Time
	ExpiresAt time.Time
}

// APIToken lets the CLI and scripts call the API as a user. Only a hash of
// the token is kept; the token itself is shown once, when it is made.
type APIToken struct {
	ID         int64
	UserID     int64
	Name       string
	TokenHash  string // hex SHA-256 of the token
	CreatedAt  time.Time
	LastUsedAt time.Time // zero when never used
}

// MemberRole is what a member may do in a workspace.
type MemberRole string

// The member roles, from most to least rights.
const (
	RoleOwner  MemberRole = "owner"  // everything, including members and deleting
	RoleEditor MemberRole = "editor" // create, edit, comment, change status
	RoleViewer MemberRole = "viewer" // read and comment
)

// Rank orders member roles: owner 3, editor 2, viewer 1, anything else 0.
func (r MemberRole) Rank() int {
	switch r {
	case RoleOwner:
		return 3
	case RoleEditor:
		return 2
	case RoleViewer:
		return 1
	}
	return 0
}

// Workspace is a team's space: its members and its SOPs.
type Workspace struct {
	ID        int64
	Name      string
	CreatedAt time.Time
}

// Member is a user's role in a workspace, with the user's name and email
// filled in when members are listed.
type Member struct {
	WorkspaceID int64
	UserID      int64
	Role        MemberRole
	Name        string // read-only, from the user
	Email       string // read-only, from the user
	MailOff     bool   // read-only, from the user
	MailDigest  bool   // read-only, from the user
}

// Membership is a workspace a user belongs to, and the user's role there.
type Membership struct {
	Workspace Workspace
	Role      MemberRole
}

// Invite is a link that adds whoever opens it, signed in, to a workspace.
type Invite struct {
	TokenHash   string // hex SHA-256 of the token in the link
	WorkspaceID int64
	Role        MemberRole
	CreatedBy   int64
	CreatedAt   time.Time
	ExpiresAt   time.Time
}

// LintState sums up a document's lint findings for filtering.
type LintState string

// The lint states.
const (
	LintClean    LintState = "clean"    // no findings above info
	LintWarnings LintState = "warnings" // warnings, no errors
	LintErrors   LintState = "errors"   // at least one error, or it does not load
)

// Document is an SOP kept in a workspace. Its source is the YAML of its
// latest revision; the other fields are read from that YAML when it is
// saved, so that the library can be listed and filtered without loading
// every file.
type Document struct {
	ID           int64
	WorkspaceID  int64
	Title        string
	Status       Status    // from the SOP's status field
	Owner        string    // from the SOP's owner field
	ReleaseTypes []string  // ids of the SOP's release types, in file order
	Lint         LintState // of the latest revision, under the default profile
	// ReviewDue is the date (YYYY-MM-DD) the SOP's scheduled review falls
	// due: its review.last_reviewed plus its review.cadence, as lint's
	// review-freshness judges it; "" when it states either not.
	ReviewDue   string
	Archived    bool
	Revision    int   // number of the latest revision, from 1
	Seq         int64 // number of the latest live operation (LiveOp), 0 before the first
	RevisionSeq int64 // Seq when the latest revision was saved; Seq > RevisionSeq means live edits not yet in a revision
	CreatedBy   int64
	CreatedAt   time.Time
	UpdatedAt   time.Time
	UpdatedBy   int64
	Source      []byte // YAML of the latest live state (the latest revision plus live edits since); empty in lists
}

// Revision is one saved state of a document: who saved it, when, and why.
type Revision struct {
	DocumentID int64
	Number     int // 1, 2, 3, ... per document
	AuthorID   int64
	AuthorName string // read-only, from the user
	CreatedAt  time.Time
	Message    string  // what changed, in a line ("Renamed step build", "Status: draft → in review")
	Status     Status  // the SOP's status at this revision
	Source     []byte  // empty in lists
	Seq        int64   // the live operations this revision includes: those numbered up to Seq
	Coauthors  []int64 // other users whose live edits are in this revision, sorted, no duplicates
}

// LiveOp is one batch of structured edits made in the live editor (the
// JSON of a list of edit.Op), numbered in the order the server applied
// it. Every change to a document's source is numbered in the same
// sequence: a batch with no Ops marks a replacement of the whole source (a
// saved YAML, a restore, a status change) after which live editors reload.
type LiveOp struct {
	DocumentID int64
	Seq        int64  // 1, 2, 3, ... per document, without gaps
	AuthorID   int64  // who made it
	ClientID   string // the editor tab that sent it; "" for a replacement
	ClientSeq  int64  // the tab's own number for the batch: acknowledges it, and drops it when sent twice
	Ops        []byte // JSON array of edit.Op; empty for a replacement
	CreatedAt  time.Time
}

// DocumentFilter selects documents of one workspace. Empty fields do not
// filter. Documents come back most recently updated first, then by id.
type DocumentFilter struct {
	WorkspaceID int64
	Query       string // a case-insensitive substring of the title
	Status      Status
	Owner       string
	ReleaseType string // documents that have this release type id
	Lint        LintState
	Archived    bool // false: only active documents; true: only archived ones
	Limit       int  // 0 means 100
	Offset      int
}

// Comment is a remark on an SOP, or on one of its steps, or a reply in a
// thread (ParentID set). Resolving applies to a thread's first comment.
type Comment struct {
	ID         int64
	DocumentID int64
	StepID     string // "" for the SOP as a whole
	ParentID   int64  // 0 for the first comment of a thread
	AuthorID   int64
	AuthorName string  // read-only, from the user
	Body       string  // plain text, shown as text
	Mentions   []int64 // user ids mentioned, sorted, no duplicates
	Resolved   bool
	CreatedAt  time.Time
	SOPTitle   string // read-only, from the document; set by Mentions
}

// ReleaseState says where a release stands.
type ReleaseState string

// The release states, as internal/release's Status names them.
const (
	ReleaseInProgress ReleaseState = "in-progress"
	ReleaseFinished   ReleaseState = "finished"
	ReleaseAborted    ReleaseState = "aborted"
)

// Release is a release carried out through an SOP of a workspace
// (docs/releases.md). Its trail is kept line by line, as
// internal/release writes it: JSON records chained by their SHA-256. The
// other fields are read from the trail as each record is added, so that a
// document's releases list without replaying every trail.
type Release struct {
	ID          int64
	DocumentID  int64
	Revision    int          // the document's revision the release runs through
	Name        string       // the release: a version or a change number
	ReleaseType string       // the release type followed; "" for the base flow
	Rehearsal   bool         // a practice run through an SOP not approved
	State       ReleaseState // where the release stands after its last record
	Records     int          // the number of records in its trail, from 1
	Head        string       // the chain head: the SHA-256 of the trail's last line
	CreatedBy   int64
	CreatorName string // read-only, from the user
	SOPTitle    string // read-only, from the document
	CreatedAt   time.Time
	UpdatedAt   time.Time // when its last record was added
}

// Webhook is an address a workspace's release events are posted to, for
// a chat channel or another tool (docs/webhooks.md). Owners add and remove
// them.
type Webhook struct {
	ID          int64
	WorkspaceID int64
	URL         string
	// Secret signs every delivery (HMAC-SHA256 of the body), so that the
	// receiver can tell it came from this workspace.
	Secret string
	// Events are the event names it receives, sorted, without duplicates.
	Events    []string
	CreatedBy int64
	CreatedAt time.Time
	// The last delivery tried: when (zero before the first), the HTTP
	// status answered (0 when none was), and what went wrong ("" when it
	// was delivered).
	LastAt     time.Time
	LastStatus int
	LastError  string
}

// Store keeps the workspace's data. Every method returns an *Error with
// code ENOTFOUND for a missing row and ECONFLICT for a unique key already
// taken; anything else is an internal error.
type Store interface {
	// CreateUser adds u and sets its ID and CreatedAt. The first user
	// ever created is made admin, atomically; u.Admin is set to match.
	// ECONFLICT when the email is taken.
	CreateUser(ctx context.Context, u *User) error
	UserByID(ctx context.Context, id int64) (*User, error)
	UserByEmail(ctx context.Context, email string) (*User, error)
	// SetMailOff records whether the user wants no notification emails.
	SetMailOff(ctx context.Context, userID int64, off bool) error
	// SetMailDigest records whether the user wants one summary email a
	// day instead of an email each time.
	SetMailDigest(ctx context.Context, userID int64, digest bool) error
	// SetTimeZone records the user's time zone (an IANA name the caller
	// checked, or "" for the server's).
	SetTimeZone(ctx context.Context, userID int64, zone string) error
	// DigestZones lists the time zones (User.TimeZone, "" included) of
	// the users who asked for a daily summary and have mail on, sorted.
	DigestZones(ctx context.Context) ([]string, error)
	// DigestUsers lists the users of time zone zone due a daily summary
	// for day (YYYY-MM-DD, their day): those who asked for one, have mail
	// on, and have no summary claimed for day or a later day; by id, at
	// most limit (0 means 1000).
	DigestUsers(ctx context.Context, zone, day string, limit int) ([]User, error)
	// ClaimDigest records that the user's summary for day (YYYY-MM-DD) is
	// sent: true the first time, false when a summary for day or a later
	// day was claimed before, also when several servers claim it at once.
	// ENOTFOUND when the user does not exist.
	ClaimDigest(ctx context.Context, userID int64, day string) (bool, error)

	CreateSession(ctx context.Context, s *Session) error
	// SessionByToken returns ENOTFOUND also for an expired session.
	SessionByToken(ctx context.Context, tokenHash string, now time.Time) (*Session, error)
	DeleteSession(ctx context.Context, tokenHash string) error

	CreateAPIToken(ctx context.Context, t *APIToken) error
	// APITokenByHash returns the token and records now as its last use.
	APITokenByHash(ctx context.Context, tokenHash string, now time.Time) (*APIToken, error)
	// APITokens lists a user's tokens by id.
	APITokens(ctx context.Context, userID int64) ([]APIToken, error)
	DeleteAPIToken(ctx context.Context, userID, id int64) error

	// CreateWorkspace adds w, sets its ID and CreatedAt, and makes owner
	// its owner, in one transaction.
	CreateWorkspace(ctx context.Context, w *Workspace, owner int64) error
	WorkspaceByID(ctx context.Context, id int64) (*Workspace, error)
	// Memberships lists the workspaces a user belongs to, by workspace id.
	Memberships(ctx context.Context, userID int64) ([]Membership, error)
	// MemberOf returns ENOTFOUND when the user is not a member.
	MemberOf(ctx context.Context, workspaceID, userID int64) (*Member, error)
	// Members lists a workspace's members by user id.
	Members(ctx context.Context, workspaceID int64) ([]Member, error)
	// SetMember adds a member or changes a member's role.
	SetMember(ctx context.Context, m Member) error
	RemoveMember(ctx context.Context, workspaceID, userID int64) error

	CreateInvite(ctx context.Context, inv *Invite) error
	// InviteByToken returns ENOTFOUND also for an expired invite.
	InviteByToken(ctx context.Context, tokenHash string, now time.Time) (*Invite, error)

	// CreateDocument adds d with its first revision r (number 1), sets
	// d.ID, d.Revision, the times and r.DocumentID, in one transaction.
	CreateDocument(ctx context.Context, d *Document, r *Revision) error
	// DocumentByID returns the document with the source of its latest
	// revision.
	DocumentByID(ctx context.Context, id int64) (*Document, error)
	Documents(ctx context.Context, f DocumentFilter) ([]Document, error)
	// SaveRevision stores r as the next revision of document d.ID, and d's
	// listed fields (title, status, owner, release types, lint, review
	// due) with it, in one transaction, but only if the latest revision is
	// still base and the latest live operation is still d.Seq: otherwise
	// ECONFLICT and nothing is stored. r.Source becomes the live source.
	//
	// When r.Source is the live source byte for byte, the revision is a
	// checkpoint of live edits: r.Seq = d.Seq. Otherwise the save replaces
	// the source, and it also appends a replacement LiveOp (no Ops, author
	// r.AuthorID) so that live editors reload: r.Seq is that op's number.
	// It sets r.Number, r.Seq, r.CreatedAt, d.Revision, d.Seq,
	// d.RevisionSeq and d.UpdatedAt.
	SaveRevision(ctx context.Context, d *Document, r *Revision, base int) error
	SetArchived(ctx context.Context, documentID int64, archived bool) error
	// ReviewsDue lists a workspace's approved documents, not archived,
	// whose scheduled review falls due on or before the date through
	// (YYYY-MM-DD), the longest due first, then by id; at most limit (0
	// means 100).
	ReviewsDue(ctx context.Context, workspaceID int64, through string, limit int) ([]Document, error)
	// ReviewsToTell is ReviewsDue over every workspace, for the server's
	// rounds, less the documents whose alert "review-due:DATE" (DATE their
	// ReviewDue) is claimed already (ClaimDocumentAlert): a round told of
	// those.
	ReviewsToTell(ctx context.Context, through string, limit int) ([]Document, error)
	// ClaimDocumentAlert records that the alert key of a document was
	// sent, as ClaimReleaseAlert does for a release. ENOTFOUND when the
	// document does not exist.
	ClaimDocumentAlert(ctx context.Context, documentID int64, key string) (bool, error)
	// UnderivedDocuments lists, by id, at most limit documents saved before
	// the store kept ReviewDue (it was added later): their ReviewDue is
	// not known until SetReviewDue sets it.
	UnderivedDocuments(ctx context.Context, limit int) ([]int64, error)
	// SetReviewDue sets a document's ReviewDue, derived from its latest
	// revision, without a new revision. ENOTFOUND when it does not exist.
	SetReviewDue(ctx context.Context, documentID int64, due string) error

	// AppendOp stores op as the next live operation of document
	// op.DocumentID and source as its live source, in one transaction, but
	// only if op.Seq is the next number (the latest plus one): otherwise
	// ECONFLICT and nothing is stored. Also ECONFLICT when op.ClientID has
	// already stored op.ClientSeq. It sets op.CreatedAt. The document's
	// listed fields, revision and updated time are left as they are: they
	// change when a revision is saved.
	AppendOp(ctx context.Context, op *LiveOp, source []byte) error
	// OpsSince lists a document's live operations numbered after seq,
	// oldest first, at most limit (0 means 1000).
	OpsSince(ctx context.Context, documentID, seq int64, limit int) ([]LiveOp, error)
	// LastClientOp returns the latest operation a client stored for a
	// document; ENOTFOUND when it stored none.
	LastClientOp(ctx context.Context, documentID int64, clientID string) (*LiveOp, error)
	// Revisions lists a document's revisions, newest first, without source.
	Revisions(ctx context.Context, documentID int64) ([]Revision, error)
	RevisionByNumber(ctx context.Context, documentID int64, number int) (*Revision, error)

	CreateComment(ctx context.Context, c *Comment) error
	CommentByID(ctx context.Context, id int64) (*Comment, error)
	// Comments lists a document's comments in the order they were made.
	Comments(ctx context.Context, documentID int64) ([]Comment, error)
	SetCommentResolved(ctx context.Context, id int64, resolved bool) error
	// Mentions lists the comments that mention user in a workspace's
	// documents not archived, newest first, at most limit (0 means 100),
	// each with its document's title. Only those still waiting for user:
	// in a thread not resolved, written by someone else, and not followed
	// by a comment of user's in the same thread (a reply answers them).
	Mentions(ctx context.Context, workspaceID, userID int64, limit int) ([]Comment, error)

	// CreateRelease adds rel with its trail's first line (record 1), sets
	// rel.ID, rel.CreatedAt and rel.UpdatedAt, in one transaction. The
	// caller sets the other fields, with Records 1 and Head the SHA-256
	// of first. ENOTFOUND when the document or user does not exist.
	CreateRelease(ctx context.Context, rel *Release, first []byte) error
	// ReleaseByID returns a release with its creator's name and its
	// document's title.
	ReleaseByID(ctx context.Context, id int64) (*Release, error)
	// Releases lists a document's releases, most recently started first,
	// then by id, newest first.
	Releases(ctx context.Context, documentID int64) ([]Release, error)
	// WorkspaceReleases lists the releases of a workspace's documents in
	// state (in every state when it is empty), most recently updated
	// first, then by id, newest first; at most limit (0 means 100).
	// workspaceID 0 lists those of every workspace, for the server's own
	// rounds (overdue gates).
	WorkspaceReleases(ctx context.Context, workspaceID int64, state ReleaseState, limit int) ([]Release, error)
	// AppendReleaseRecord stores line as record rel.Records of release
	// rel.ID, and rel's State, Records and Head with it, in one
	// transaction, but only if the trail holds rel.Records-1 lines:
	// otherwise ECONFLICT and nothing is stored (someone else added a
	// record first). It sets rel.UpdatedAt.
	AppendReleaseRecord(ctx context.Context, rel *Release, line []byte) error
	// ReleaseTrail returns the lines of a release's trail, in order,
	// without newlines. ENOTFOUND when the release does not exist.
	ReleaseTrail(ctx context.Context, releaseID int64) ([][]byte, error)
	// ClaimReleaseAlert records that the alert key of a release was sent:
	// true the first time a key is claimed, false every time after, also
	// when several servers claim it at once. ENOTFOUND when the release
	// does not exist.
	ClaimReleaseAlert(ctx context.Context, releaseID int64, key string) (bool, error)

	// CreateWebhook adds h and sets its ID and CreatedAt; its events are
	// stored sorted and without duplicates. ENOTFOUND when the workspace
	// or user does not exist.
	CreateWebhook(ctx context.Context, h *Webhook) error
	// Webhooks lists a workspace's webhooks by id.
	Webhooks(ctx context.Context, workspaceID int64) ([]Webhook, error)
	// DeleteWebhook removes webhook id of workspaceID; ENOTFOUND when that
	// workspace has no such webhook.
	DeleteWebhook(ctx context.Context, workspaceID, id int64) error
	// SetWebhookDelivery records the last delivery tried of webhook id.
	// ENOTFOUND when it does not exist (it may have been deleted since).
	SetWebhookDelivery(ctx context.Context, id int64, at time.Time, status int, errText string) error

	Close() error
}

// Fanout carries small messages between server processes that share one
// store, so that live edits made through one reach editors connected to
// another. The PostgreSQL store implements it with LISTEN/NOTIFY; a store
// used by one process at a time (SQLite) does not need to.
type Fanout interface {
	// Publish sends payload (at most MaxFanoutPayload bytes) to every
	// process subscribed, this one included.
	Publish(ctx context.Context, payload []byte) error
	// Subscribe calls fn with every payload published, in the order
	// published, until ctx ends. After the connection that carries them
	// was lost and made again it calls fn with nil: messages may have been
	// missed, so the subscriber should read what it holds again.
	Subscribe(ctx context.Context, fn func(payload []byte)) error
}

// MaxFanoutPayload bounds a Fanout message (PostgreSQL's NOTIFY allows
// 8000 bytes).
const MaxFanoutPayload = 7900
