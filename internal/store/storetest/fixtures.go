package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/relsop/relsop"
)

// equateEmpty lets a store return nil or an empty slice for "none": the
// interface does not tell them apart.
var equateEmpty = cmpopts.EquateEmpty()

// zone is not UTC on purpose: the stores must hand times back in UTC
// whatever zone they were given in.
var zone = time.FixedZone("UTC+05:30", 5*3600+30*60)

// at returns a fixed instant, already at microsecond precision, in zone,
// offset by d. Tests that pass times in use it so expectations are exact.
func at(d time.Duration) time.Time {
	return time.Date(2031, 3, 4, 5, 6, 7, 123456000, zone).Add(d)
}

// wantCode fails the test unless err carries the application error code.
func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if got := relsop.ErrorCode(err); got != code {
		t.Errorf("%s: error code %q (%v), want %q", what, got, err, code)
	}
}

// must fails the test now when err is not nil.
func must(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// checkStamp checks a time the store set itself: present, in UTC, and no
// finer than a microsecond, so that it survives a round trip unchanged.
func checkStamp(t *testing.T, what string, tm time.Time) {
	t.Helper()
	switch {
	case tm.IsZero():
		t.Errorf("%s is zero, want it set", what)
	case tm.Location() != time.UTC:
		t.Errorf("%s is in %v, want UTC", what, tm.Location())
	case tm.Nanosecond()%1000 != 0:
		t.Errorf("%s = %v has sub-microsecond digits", what, tm)
	}
}

// checkUTC checks that a time read back from the store is in UTC. Needed
// beside cmp.Diff, which compares times with Equal and ignores the zone.
func checkUTC(t *testing.T, what string, tm time.Time) {
	t.Helper()
	if !tm.IsZero() && tm.Location() != time.UTC {
		t.Errorf("%s is in %v, want UTC", what, tm.Location())
	}
}

// newUser creates a user with the given email and a name derived from it.
func newUser(t *testing.T, s relsop.Store, email string) *relsop.User {
	t.Helper()
	u := &relsop.User{Email: email, Name: "Name of " + email, PasswordHash: "$argon2id$v=19$m=65536,t=1,p=4$c2FsdA$aGFzaA"}
	must(t, "CreateUser "+email, s.CreateUser(t.Context(), u))
	return u
}

// newWorkspace creates a workspace owned by owner.
func newWorkspace(t *testing.T, s relsop.Store, name string, owner int64) *relsop.Workspace {
	t.Helper()
	w := &relsop.Workspace{Name: name}
	must(t, "CreateWorkspace "+name, s.CreateWorkspace(t.Context(), w, owner))
	return w
}

// draft returns a document and its first revision, ready for
// CreateDocument, with every listed field set so that round trips are
// checked field by field.
func draft(workspaceID, author int64, title string) (*relsop.Document, *relsop.Revision) {
	src := []byte(fmt.Sprintf("sop: %q\nstatus: draft\nowner: release-team\n", title))
	d := &relsop.Document{
		WorkspaceID:  workspaceID,
		Title:        title,
		Status:       relsop.StatusDraft,
		Owner:        "release-team",
		ReleaseTypes: []string{"minor", "patch"},
		Lint:         relsop.LintClean,
		CreatedBy:    author,
		UpdatedBy:    author,
		Source:       src,
	}
	r := &relsop.Revision{
		AuthorID: author,
		Message:  "Created " + title,
		Status:   relsop.StatusDraft,
		Source:   src,
	}
	return d, r
}

// newDocument creates a document from draft, changed by edit when not nil.
func newDocument(t *testing.T, s relsop.Store, workspaceID, author int64, title string, edit func(*relsop.Document)) *relsop.Document {
	t.Helper()
	d, r := draft(workspaceID, author, title)
	if edit != nil {
		edit(d)
		r.Status = d.Status
		r.Source = d.Source
	}
	must(t, "CreateDocument "+title, s.CreateDocument(t.Context(), d, r))
	return d
}

// listed is d as a list returns it: without source.
func listed(d relsop.Document) relsop.Document {
	d.Source = nil
	return d
}

// oneWinner checks the errors of writers that raced to store the same
// next item (what): exactly one stored it, and every other got a
// conflict. It returns the winner's index.
func oneWinner(t *testing.T, method, what string, errs []error) int {
	t.Helper()
	winner := -1
	for i, err := range errs {
		switch relsop.ErrorCode(err) {
		case "":
			if winner >= 0 {
				t.Errorf("%s %d and %d both stored %s", method, winner, i, what)
			}
			winner = i
		case relsop.ECONFLICT:
		default:
			t.Errorf("%s: %v, want nil or a conflict", method, err)
		}
	}
	if winner < 0 {
		t.Fatalf("no %s of %d stored %s", method, len(errs), what)
	}
	return winner
}
