package storetest

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/relsop/relsop"
)

func testDocuments(t *testing.T, open Opener) {
	t.Run("CreateAndRead", func(t *testing.T) {
		s := open(t)
		ann := newUser(t, s, "ann@example.com")
		w := newWorkspace(t, s, "Platform", ann.ID)
		d, r := draft(w.ID, ann.ID, "Monthly release")
		d.Status, r.Status = relsop.StatusInReview, relsop.StatusInReview
		d.ReleaseTypes = []string{"patch", "major", "minor"} // file order, not sorted
		d.Lint = relsop.LintWarnings
		must(t, "CreateDocument", s.CreateDocument(t.Context(), d, r))

		if d.ID <= 0 {
			t.Errorf("ID = %d, want > 0", d.ID)
		}
		if d.Revision != 1 || r.Number != 1 {
			t.Errorf("Revision = %d, r.Number = %d, want 1, 1", d.Revision, r.Number)
		}
		if r.DocumentID != d.ID {
			t.Errorf("r.DocumentID = %d, want %d", r.DocumentID, d.ID)
		}
		checkStamp(t, "CreatedAt", d.CreatedAt)
		checkStamp(t, "UpdatedAt", d.UpdatedAt)
		checkStamp(t, "r.CreatedAt", r.CreatedAt)

		got, err := s.DocumentByID(t.Context(), d.ID)
		must(t, "DocumentByID", err)
		want := relsop.Document{
			ID: d.ID, WorkspaceID: w.ID, Title: "Monthly release", Status: relsop.StatusInReview,
			Owner: "release-team", ReleaseTypes: []string{"patch", "major", "minor"}, Lint: relsop.LintWarnings,
			Revision: 1, CreatedBy: ann.ID, CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt, UpdatedBy: ann.ID,
			Source: r.Source,
		}
		if diff := cmp.Diff(&want, got); diff != "" {
			t.Errorf("DocumentByID (-want +got):\n%s", diff)
		}
		checkUTC(t, "CreatedAt", got.CreatedAt)
		checkUTC(t, "UpdatedAt", got.UpdatedAt)

		rev, err := s.RevisionByNumber(t.Context(), d.ID, 1)
		must(t, "RevisionByNumber", err)
		wantRev := relsop.Revision{
			DocumentID: d.ID, Number: 1, AuthorID: ann.ID, AuthorName: ann.Name, CreatedAt: r.CreatedAt,
			Message: "Created Monthly release", Status: relsop.StatusInReview, Source: r.Source,
		}
		if diff := cmp.Diff(&wantRev, rev); diff != "" {
			t.Errorf("RevisionByNumber (-want +got):\n%s", diff)
		}
	})

	t.Run("NoReleaseTypes", func(t *testing.T) {
		s := open(t)
		ann := newUser(t, s, "ann@example.com")
		w := newWorkspace(t, s, "Platform", ann.ID)
		d := newDocument(t, s, w.ID, ann.ID, "Bare", func(d *relsop.Document) { d.ReleaseTypes = nil })
		got, err := s.DocumentByID(t.Context(), d.ID)
		must(t, "DocumentByID", err)
		if len(got.ReleaseTypes) != 0 {
			t.Errorf("ReleaseTypes = %q, want none", got.ReleaseTypes)
		}
	})

	t.Run("NotFound", func(t *testing.T) {
		s := open(t)
		ann := newUser(t, s, "ann@example.com")
		w := newWorkspace(t, s, "Platform", ann.ID)
		d := newDocument(t, s, w.ID, ann.ID, "Release", nil)
		_, err := s.DocumentByID(t.Context(), d.ID+1000)
		wantCode(t, "DocumentByID", err, relsop.ENOTFOUND)
	})

	t.Run("SourceRoundTrip", func(t *testing.T) {
		sources := []struct{ name, src string }{
			{"ASCII", "sop: Release\nsteps:\n  - id: build\n"},
			{"CJK", "sop: 发布流程\ndescription: リリース手順書 — 배포 절차\n"},
			{"Emoji", "sop: \"Ship it 🚀\"\nnote: 👩🏽‍💻 + 🧪 = ✅\n"},
			{"CRLF and tabs", "sop: Release\r\nnote: |\r\n  a\tb\r\n"},
			{"No final newline, trailing blanks", "sop: Release   \n\n\n  "},
			{"Byte order mark", "\ufeffsop: Release\n"},
			{"Quotes and backslashes", "sop: 'it''s'\npath: \"C:\\\\tmp\\\\%_\"\n"},
			{"Large", strings.Repeat("- step: x\n", 20000)},
		}
		for _, tt := range sources {
			t.Run(tt.name, func(t *testing.T) {
				s := open(t)
				ann := newUser(t, s, "ann@example.com")
				w := newWorkspace(t, s, "Platform", ann.ID)
				d := newDocument(t, s, w.ID, ann.ID, "Release", func(d *relsop.Document) { d.Source = []byte(tt.src) })

				got, err := s.DocumentByID(t.Context(), d.ID)
				must(t, "DocumentByID", err)
				if string(got.Source) != tt.src {
					t.Errorf("DocumentByID Source = %q, want %q", clip(got.Source), clip([]byte(tt.src)))
				}
				rev, err := s.RevisionByNumber(t.Context(), d.ID, 1)
				must(t, "RevisionByNumber", err)
				if string(rev.Source) != tt.src {
					t.Errorf("RevisionByNumber Source = %q, want %q", clip(rev.Source), clip([]byte(tt.src)))
				}
			})
		}
	})

	t.Run("Title", func(t *testing.T) {
		titles := []string{"Überprüfung der Freigabe", "发布流程 🚀", "100% _done_ \\o/", "  padded  "}
		for _, title := range titles {
			t.Run(title, func(t *testing.T) {
				s := open(t)
				ann := newUser(t, s, "ann@example.com")
				w := newWorkspace(t, s, "Platform", ann.ID)
				d := newDocument(t, s, w.ID, ann.ID, title, nil)
				got, err := s.DocumentByID(t.Context(), d.ID)
				must(t, "DocumentByID", err)
				if got.Title != title {
					t.Errorf("Title = %q, want %q", got.Title, title)
				}
			})
		}
	})

	t.Run("SetArchived", func(t *testing.T) {
		s := open(t)
		ann := newUser(t, s, "ann@example.com")
		w := newWorkspace(t, s, "Platform", ann.ID)
		d := newDocument(t, s, w.ID, ann.ID, "Release", nil)
		for _, archived := range []bool{true, true, false} {
			must(t, "SetArchived", s.SetArchived(t.Context(), d.ID, archived))
			got, err := s.DocumentByID(t.Context(), d.ID)
			must(t, "DocumentByID", err)
			if got.Archived != archived {
				t.Errorf("Archived = %v after SetArchived(%v)", got.Archived, archived)
			}
		}
		wantCode(t, "SetArchived of a missing document", s.SetArchived(t.Context(), d.ID+1000, true), relsop.ENOTFOUND)
	})

	t.Run("ReviewsDue", func(t *testing.T) { testReviewsDue(t, open) })
}

// testReviewsDue checks the scheduled reviews a workspace's inbox reads:
// approved documents only, not archived, not another workspace's, by the
// date they fall due; the date kept by CreateDocument, SaveRevision and
// SetReviewDue.
func testReviewsDue(t *testing.T, open Opener) {
	s := open(t)
	ann := newUser(t, s, "ann@example.com")
	w := newWorkspace(t, s, "Platform", ann.ID)
	other := newWorkspace(t, s, "Payments", ann.ID)
	approved := func(ws int64, title, due string) *relsop.Document {
		return newDocument(t, s, ws, ann.ID, title, func(d *relsop.Document) {
			d.Status, d.ReviewDue = relsop.StatusApproved, due
		})
	}
	dec := approved(w.ID, "December", "2026-12-01")
	nov := approved(w.ID, "November", "2026-11-20")
	approved(w.ID, "No cadence", "")
	approved(other.ID, "Elsewhere", "2026-11-01")
	newDocument(t, s, w.ID, ann.ID, "Draft", func(d *relsop.Document) { d.ReviewDue = "2026-11-01" })
	gone := approved(w.ID, "Archived", "2026-11-01")
	must(t, "SetArchived", s.SetArchived(t.Context(), gone.ID, true))

	due := func(through string, limit int, want ...*relsop.Document) {
		t.Helper()
		got, err := s.ReviewsDue(t.Context(), w.ID, through, limit)
		must(t, "ReviewsDue", err)
		var titles, wantTitles []string
		for _, d := range got {
			titles = append(titles, d.Title+" "+d.ReviewDue)
			if d.Source != nil {
				t.Errorf("ReviewsDue returns %q with its source", d.Title)
			}
		}
		for _, d := range want {
			wantTitles = append(wantTitles, d.Title+" "+d.ReviewDue)
		}
		if diff := cmp.Diff(wantTitles, titles); diff != "" {
			t.Errorf("ReviewsDue(%s, %d) (-want +got):\n%s", through, limit, diff)
		}
	}
	due("2026-12-01", 0, nov, dec)
	due("2026-11-30", 0, nov)
	due("2026-12-31", 1, nov)
	due("2026-11-19", 0)
	// Every workspace's not yet told of, for the server's rounds.
	toTell := func(want ...string) {
		t.Helper()
		got, err := s.ReviewsToTell(t.Context(), "2026-12-01", 0)
		must(t, "ReviewsToTell", err)
		var titles []string
		for _, d := range got {
			titles = append(titles, d.Title)
		}
		if diff := cmp.Diff(want, titles); diff != "" {
			t.Errorf("ReviewsToTell (-want +got):\n%s", diff)
		}
	}
	toTell("Elsewhere", "November", "December")

	// Alerts about a document are claimed once per key.
	for _, tc := range []struct {
		doc  int64
		key  string
		want bool
	}{
		{nov.ID, "review-due:2026-11-20", true},
		{nov.ID, "review-due:2026-11-20", false},
		{dec.ID, "review-due:2026-11-20", true},
		{nov.ID, "review-due:2027-02-20", true},
	} {
		got, err := s.ClaimDocumentAlert(t.Context(), tc.doc, tc.key)
		must(t, "ClaimDocumentAlert", err)
		if got != tc.want {
			t.Errorf("ClaimDocumentAlert(%d, %q) = %v, want %v", tc.doc, tc.key, got, tc.want)
		}
	}
	_, err := s.ClaimDocumentAlert(t.Context(), dec.ID+1000, "review-due:2026-11-20")
	wantCode(t, "ClaimDocumentAlert of a missing document", err, relsop.ENOTFOUND)
	toTell("Elsewhere", "December") // December's alert was claimed for November's date, not its own

	got, err := s.DocumentByID(t.Context(), dec.ID)
	must(t, "DocumentByID", err)
	if got.ReviewDue != "2026-12-01" {
		t.Errorf("DocumentByID.ReviewDue = %q, want 2026-12-01", got.ReviewDue)
	}

	// A revision keeps the date it is given, as the other listed fields.
	dec.ReviewDue = "2027-03-01"
	r := &relsop.Revision{AuthorID: ann.ID, Message: "Reviewed", Status: relsop.StatusApproved, Source: []byte("sop: December\n")}
	must(t, "SaveRevision", s.SaveRevision(t.Context(), dec, r, dec.Revision))
	due("2026-12-31", 0, nov)
	due("2027-03-01", 0, nov, dec)

	must(t, "SetReviewDue", s.SetReviewDue(t.Context(), nov.ID, ""))
	nov.ReviewDue = ""
	due("2027-03-01", 0, dec)
	wantCode(t, "SetReviewDue of a missing document", s.SetReviewDue(t.Context(), dec.ID+1000, "2026-01-01"), relsop.ENOTFOUND)

	// Documents saved by this store have their date: none is underived.
	ids, err := s.UnderivedDocuments(t.Context(), 10)
	must(t, "UnderivedDocuments", err)
	if len(ids) != 0 {
		t.Errorf("UnderivedDocuments = %v, want none", ids)
	}
}

// clip shortens a source for a failure message.
func clip(b []byte) string {
	if len(b) > 200 {
		return string(b[:200]) + "…"
	}
	return string(b)
}

// Underived checks the documents of a database from before the store
// kept review dates: forget makes one so, as a migration leaves it (its
// review_due NULL), which only the backend's own SQL can. Such a document
// reads as having no date and is listed by UnderivedDocuments until
// SetReviewDue gives it one.
func Underived(t *testing.T, s relsop.Store, forget func(documentID int64)) {
	t.Helper()
	ann := newUser(t, s, "ann@example.com")
	w := newWorkspace(t, s, "Platform", ann.ID)
	var docs []*relsop.Document
	for _, title := range []string{"One", "Two", "Three"} {
		docs = append(docs, newDocument(t, s, w.ID, ann.ID, title, func(d *relsop.Document) {
			d.Status, d.ReviewDue = relsop.StatusApproved, "2026-01-01"
		}))
	}
	forget(docs[0].ID)
	forget(docs[2].ID)

	underived := func(limit int, want ...*relsop.Document) {
		t.Helper()
		got, err := s.UnderivedDocuments(t.Context(), limit)
		must(t, "UnderivedDocuments", err)
		var wantIDs []int64
		for _, d := range want {
			wantIDs = append(wantIDs, d.ID)
		}
		if !slices.Equal(wantIDs, got) {
			t.Errorf("UnderivedDocuments(%d) = %v, want %v", limit, got, wantIDs)
		}
	}
	underived(10, docs[0], docs[2])
	underived(1, docs[0])

	got, err := s.DocumentByID(t.Context(), docs[0].ID)
	must(t, "DocumentByID", err)
	if got.ReviewDue != "" {
		t.Errorf("an underived document's ReviewDue = %q, want none", got.ReviewDue)
	}
	list, err := s.ReviewsDue(t.Context(), w.ID, "2026-12-31", 0)
	must(t, "ReviewsDue", err)
	if len(list) != 1 || list[0].ID != docs[1].ID {
		t.Errorf("ReviewsDue lists %d documents, want only Two (the underived ones have no date yet)", len(list))
	}

	must(t, "SetReviewDue", s.SetReviewDue(t.Context(), docs[0].ID, "2026-02-01"))
	must(t, "SetReviewDue", s.SetReviewDue(t.Context(), docs[2].ID, ""))
	underived(10)
	list, err = s.ReviewsDue(t.Context(), w.ID, "2026-12-31", 0)
	must(t, "ReviewsDue", err)
	if len(list) != 2 || list[0].ID != docs[1].ID || list[1].ID != docs[0].ID {
		t.Errorf("ReviewsDue after SetReviewDue lists %d documents, want Two and One", len(list))
	}
}
