package storetest

import (
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
}

// clip shortens a source for a failure message.
func clip(b []byte) string {
	if len(b) > 200 {
		return string(b[:200]) + "…"
	}
	return string(b)
}
