package storetest

import (
	"cmp"
	"fmt"
	"slices"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/relsop/relsop"
)

// shelf is a small library of documents whose fields differ one at a time,
// so that each filter case selects a known set.
type shelf struct {
	s    relsop.Store
	ws   int64
	docs map[string]relsop.Document // as listed, by key
}

// shelfDocs are the documents of the workspace under test. The same titles
// and fields are created in a second workspace, which must never show.
var shelfDocs = []struct {
	key, title string
	status     relsop.Status
	owner      string
	types      []string
	lint       relsop.LintState
	archived   bool
}{
	{"review", "Überprüfung der Freigabe", relsop.StatusDraft, "release-team", []string{"minor", "major"}, relsop.LintClean, false},
	{"hotfix", "Hotfix 100% coverage", relsop.StatusInReview, "qa", []string{"minor-hotfix"}, relsop.LintWarnings, false},
	{"snake", "snake_case steps", relsop.StatusApproved, "release-team", []string{"major"}, relsop.LintErrors, false},
	{"snakex", "snakeXcase steps", relsop.StatusDraft, "qa", nil, relsop.LintClean, false},
	{"old", "Old release", relsop.StatusRetired, "qa", []string{"minor"}, relsop.LintClean, true},
}

func newShelf(t *testing.T, s relsop.Store) *shelf {
	t.Helper()
	ann := newUser(t, s, "ann@example.com")
	sh := &shelf{s: s, docs: map[string]relsop.Document{}}
	for i, name := range []string{"Other", "Platform"} {
		w := newWorkspace(t, s, name, ann.ID)
		for _, sd := range shelfDocs {
			d := newDocument(t, s, w.ID, ann.ID, sd.title, func(d *relsop.Document) {
				d.Status, d.Owner, d.ReleaseTypes, d.Lint = sd.status, sd.owner, sd.types, sd.lint
				d.Source = []byte(fmt.Sprintf("sop: %q\n", sd.title))
			})
			if sd.archived {
				must(t, "SetArchived", s.SetArchived(t.Context(), d.ID, true))
			}
			if i == 0 {
				continue
			}
			got, err := s.DocumentByID(t.Context(), d.ID)
			must(t, "DocumentByID", err)
			sh.docs[sd.key] = listed(*got)
		}
		sh.ws = w.ID
	}
	return sh
}

// want returns the documents of keys in the documented order: most
// recently updated first, then newest id first.
func (sh *shelf) want(keys ...string) []relsop.Document {
	var docs []relsop.Document
	for _, k := range keys {
		docs = append(docs, sh.docs[k])
	}
	slices.SortFunc(docs, func(a, b relsop.Document) int {
		return cmp.Or(b.UpdatedAt.Compare(a.UpdatedAt), cmp.Compare(b.ID, a.ID))
	})
	return docs
}

func testDocumentFilter(t *testing.T, open Opener) {
	active := []string{"review", "hotfix", "snake", "snakex"}
	tests := []struct {
		name   string
		filter relsop.DocumentFilter
		want   []string
	}{
		{"Active", relsop.DocumentFilter{}, active},
		{"Archived", relsop.DocumentFilter{Archived: true}, []string{"old"}},

		{"Query exact case", relsop.DocumentFilter{Query: "Hotfix"}, []string{"hotfix"}},
		{"Query ASCII other case", relsop.DocumentFilter{Query: "HOTFIX"}, []string{"hotfix"}},
		{"Query middle", relsop.DocumentFilter{Query: "case st"}, []string{"snake", "snakex"}},
		{"Query non-ASCII lower", relsop.DocumentFilter{Query: "überprüfung"}, []string{"review"}},
		{"Query non-ASCII upper", relsop.DocumentFilter{Query: "ÜBERPRÜFUNG"}, []string{"review"}},
		{"Query non-ASCII inner", relsop.DocumentFilter{Query: "PRÜF"}, []string{"review"}},
		{"Query percent literal", relsop.DocumentFilter{Query: "%"}, []string{"hotfix"}},
		{"Query percent inside", relsop.DocumentFilter{Query: "100% c"}, []string{"hotfix"}},
		{"Query percent no match", relsop.DocumentFilter{Query: "Hot%cov"}, nil},
		{"Query underscore literal", relsop.DocumentFilter{Query: "_"}, []string{"snake"}},
		{"Query underscore inside", relsop.DocumentFilter{Query: "e_c"}, []string{"snake"}},
		{"Query backslash", relsop.DocumentFilter{Query: `\`}, nil},
		{"Query escaped percent", relsop.DocumentFilter{Query: `\%`}, nil},
		{"Query no match", relsop.DocumentFilter{Query: "deploy"}, nil},
		{"Query only archived", relsop.DocumentFilter{Query: "release"}, nil},
		{"Query archived", relsop.DocumentFilter{Query: "release", Archived: true}, []string{"old"}},

		{"Status", relsop.DocumentFilter{Status: relsop.StatusDraft}, []string{"review", "snakex"}},
		{"Status none", relsop.DocumentFilter{Status: relsop.StatusRetired}, nil},
		{"Owner", relsop.DocumentFilter{Owner: "qa"}, []string{"hotfix", "snakex"}},
		{"Owner prefix", relsop.DocumentFilter{Owner: "release"}, nil},

		{"ReleaseType", relsop.DocumentFilter{ReleaseType: "minor"}, []string{"review"}},
		{"ReleaseType longer id", relsop.DocumentFilter{ReleaseType: "minor-hotfix"}, []string{"hotfix"}},
		{"ReleaseType suffix", relsop.DocumentFilter{ReleaseType: "hotfix"}, nil},
		{"ReleaseType shared", relsop.DocumentFilter{ReleaseType: "major"}, []string{"review", "snake"}},
		{"ReleaseType wildcard", relsop.DocumentFilter{ReleaseType: "min%"}, nil},
		{"ReleaseType one-char wildcard", relsop.DocumentFilter{ReleaseType: "m_jor"}, nil},
		{"ReleaseType archived", relsop.DocumentFilter{ReleaseType: "minor", Archived: true}, []string{"old"}},

		{"Lint clean", relsop.DocumentFilter{Lint: relsop.LintClean}, []string{"review", "snakex"}},
		{"Lint warnings", relsop.DocumentFilter{Lint: relsop.LintWarnings}, []string{"hotfix"}},
		{"Lint errors", relsop.DocumentFilter{Lint: relsop.LintErrors}, []string{"snake"}},

		{"Combined", relsop.DocumentFilter{Status: relsop.StatusDraft, Owner: "qa"}, []string{"snakex"}},
		{"Combined with query", relsop.DocumentFilter{Query: "steps", Lint: relsop.LintErrors, ReleaseType: "major"}, []string{"snake"}},
		{"Combined no match", relsop.DocumentFilter{Owner: "qa", Lint: relsop.LintErrors}, nil},
	}

	// The library is made once for all cases: Documents does not write.
	s := open(t)
	sh := newShelf(t, s)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := tt.filter
			f.WorkspaceID = sh.ws
			got, err := s.Documents(t.Context(), f)
			must(t, "Documents", err)
			if diff := gocmp.Diff(sh.want(tt.want...), got, equateEmpty); diff != "" {
				t.Errorf("Documents(%+v) (-want +got):\n%s", f, diff)
			}
		})
	}

	t.Run("Pages", func(t *testing.T) {
		all := sh.want(active...)
		pages := []struct {
			limit, offset int
			want          []relsop.Document
		}{
			{2, 0, all[:2]},
			{2, 1, all[1:3]},
			{2, 3, all[3:]},
			{2, 4, nil},
			{0, 2, all[2:]},
			{10, 0, all},
			{1, 0, all[:1]},
		}
		for _, p := range pages {
			f := relsop.DocumentFilter{WorkspaceID: sh.ws, Limit: p.limit, Offset: p.offset}
			got, err := s.Documents(t.Context(), f)
			must(t, "Documents", err)
			if diff := gocmp.Diff(p.want, got, equateEmpty); diff != "" {
				t.Errorf("Documents(Limit %d, Offset %d) (-want +got):\n%s", p.limit, p.offset, diff)
			}
		}
	})

	t.Run("UnknownWorkspace", func(t *testing.T) {
		got, err := s.Documents(t.Context(), relsop.DocumentFilter{WorkspaceID: sh.ws + 1000})
		must(t, "Documents", err)
		if len(got) != 0 {
			t.Errorf("Documents of a missing workspace = %d documents, want none", len(got))
		}
	})

	t.Run("Order", func(t *testing.T) { testDocumentOrder(t, open) })
	t.Run("DefaultLimit", func(t *testing.T) { testDefaultLimit(t, open) })
}

// testDocumentOrder checks that a save moves a document to the top. The
// pauses make the store's own clock move on between the writes.
func testDocumentOrder(t *testing.T, open Opener) {
	s := open(t)
	ann := newUser(t, s, "ann@example.com")
	w := newWorkspace(t, s, "Platform", ann.ID)
	var docs []*relsop.Document
	for _, title := range []string{"A", "B", "C"} {
		docs = append(docs, newDocument(t, s, w.ID, ann.ID, title, nil))
		time.Sleep(5 * time.Millisecond)
	}
	nd, r := edit(*docs[0], ann.ID, 2)
	must(t, "SaveRevision", s.SaveRevision(t.Context(), nd, r, 1))

	got, err := s.Documents(t.Context(), relsop.DocumentFilter{WorkspaceID: w.ID})
	must(t, "Documents", err)
	var titles []string
	for _, d := range got {
		titles = append(titles, d.Title)
		if len(d.Source) != 0 {
			t.Errorf("document %d listed with source", d.ID)
		}
		checkUTC(t, "UpdatedAt", d.UpdatedAt)
	}
	if diff := gocmp.Diff([]string{"A (edited)", "C", "B"}, titles); diff != "" {
		t.Errorf("Documents order (-want +got):\n%s", diff)
	}
}

// testDefaultLimit checks that Limit 0 means 100.
func testDefaultLimit(t *testing.T, open Opener) {
	s := open(t)
	ann := newUser(t, s, "ann@example.com")
	w := newWorkspace(t, s, "Platform", ann.ID)
	for i := range 101 {
		newDocument(t, s, w.ID, ann.ID, fmt.Sprintf("SOP %03d", i), nil)
	}
	got, err := s.Documents(t.Context(), relsop.DocumentFilter{WorkspaceID: w.ID})
	must(t, "Documents", err)
	if len(got) != 100 {
		t.Errorf("Documents with Limit 0 = %d documents, want 100", len(got))
	}
	got, err = s.Documents(t.Context(), relsop.DocumentFilter{WorkspaceID: w.ID, Offset: 100})
	must(t, "Documents", err)
	if len(got) != 1 {
		t.Errorf("Documents with Offset 100 = %d documents, want 1", len(got))
	}
}
