package sqlite

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/store/storetest"
)

// open opens a new database in a temporary folder that does not exist
// yet, which also checks that Open creates it.
func open(t testing.TB) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "data", "relsop.db"))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) relsop.Store { return open(t) })
}

// TestReopen checks that a database keeps its data across a restart and
// that opening it again applies no migration a second time.
func TestReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "relsop.db")
	s, err := Open(path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	first := &relsop.User{Email: "ann@example.com", Name: "Ann", PasswordHash: "x"}
	if err := s.CreateUser(t.Context(), first); err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
	before := appliedMigrations(t, s)
	if len(before) == 0 {
		t.Fatalf("no migration recorded")
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	s, err = Open(path)
	if err != nil {
		t.Fatalf("Open again: %v", err)
	}
	defer s.Close()
	if diff := cmp.Diff(before, appliedMigrations(t, s)); diff != "" {
		t.Errorf("schema_migrations changed on reopen (-before +after):\n%s", diff)
	}
	applied, err := migrate(t.Context(), s.write)
	if err != nil {
		t.Fatalf("migrate: %v", err)
	}
	if len(applied) != 0 {
		t.Errorf("migrate on an up-to-date database applied %q", applied)
	}

	got, err := s.UserByEmail(t.Context(), "ann@example.com")
	if err != nil {
		t.Fatalf("UserByEmail after reopen: %v", err)
	}
	if diff := cmp.Diff(first, got); diff != "" {
		t.Errorf("user after reopen (-want +got):\n%s", diff)
	}
	second := &relsop.User{Email: "bob@example.com", Name: "Bob", PasswordHash: "x"}
	if err := s.CreateUser(t.Context(), second); err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
	if second.Admin {
		t.Errorf("the first user after a reopen was made admin; the admin already exists")
	}
}

// appliedMigrations returns schema_migrations as "version@applied_at".
func appliedMigrations(t *testing.T, s *Store) []string {
	t.Helper()
	rows, err := s.read.QueryContext(t.Context(), `SELECT version, applied_at FROM schema_migrations ORDER BY version`)
	if err != nil {
		t.Fatalf("schema_migrations: %v", err)
	}
	defer rows.Close()
	var list []string
	for rows.Next() {
		var version string
		var at int64
		if err := rows.Scan(&version, &at); err != nil {
			t.Fatalf("schema_migrations: %v", err)
		}
		list = append(list, fmt.Sprintf("%s@%d", version, at))
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("schema_migrations: %v", err)
	}
	return list
}

// TestReadPoolIsReadOnly guards the split between the pools: a write sent
// to the read pool by mistake must fail, not race the writer.
func TestReadPoolIsReadOnly(t *testing.T) {
	s := open(t)
	_, err := s.read.ExecContext(t.Context(), `INSERT INTO workspaces (name, created_at) VALUES ('x', 0)`)
	if err == nil {
		t.Errorf("a write through the read pool succeeded")
	}
}

// TestPragmas checks the settings every connection must have.
func TestPragmas(t *testing.T) {
	s := open(t)
	for _, db := range []*sql.DB{s.write, s.read} {
		var mode string
		var fk int
		if err := db.QueryRowContext(t.Context(), `PRAGMA journal_mode`).Scan(&mode); err != nil {
			t.Fatal(err)
		}
		if err := db.QueryRowContext(t.Context(), `PRAGMA foreign_keys`).Scan(&fk); err != nil {
			t.Fatal(err)
		}
		if mode != "wal" || fk != 1 {
			t.Errorf("journal_mode %q, foreign_keys %d; want wal, 1", mode, fk)
		}
	}
}

// BenchmarkSaveRevision measures one edit saved: the compare-and-set
// update, the release types and a revision of a typical SOP's size.
func BenchmarkSaveRevision(b *testing.B) {
	s := open(b)
	ctx := b.Context()
	u, w := annsWorkspace(b, s)
	src := []byte(strings.Repeat("- id: step\n  name: Build the release candidate\n", 200))
	d := &relsop.Document{WorkspaceID: w.ID, Title: "Release", Status: relsop.StatusDraft, Owner: "team",
		ReleaseTypes: []string{"minor", "patch"}, Lint: relsop.LintClean, CreatedBy: u.ID}
	if err := s.CreateDocument(ctx, d, &relsop.Revision{AuthorID: u.ID, Status: relsop.StatusDraft, Source: src}); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		r := &relsop.Revision{AuthorID: u.ID, Message: "Edited", Status: relsop.StatusDraft, Source: src}
		if err := s.SaveRevision(ctx, d, r, d.Revision); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAppendOp measures one live edit stored: the compare-and-set
// on the document with the live source of a typical SOP's size, and the
// operation.
func BenchmarkAppendOp(b *testing.B) {
	s := open(b)
	ctx := b.Context()
	u, w := annsWorkspace(b, s)
	src := []byte(strings.Repeat("- id: step\n  name: Build the release candidate\n", 200))
	d := &relsop.Document{WorkspaceID: w.ID, Title: "Release", Status: relsop.StatusDraft, Lint: relsop.LintClean, CreatedBy: u.ID}
	if err := s.CreateDocument(ctx, d, &relsop.Revision{AuthorID: u.ID, Status: relsop.StatusDraft, Source: src}); err != nil {
		b.Fatal(err)
	}
	ops := []byte(`[{"op":"set","kind":"step","id":"build","field":"name","value":"Build it"}]`)
	b.SetBytes(int64(len(src)))
	var seq int64
	for b.Loop() {
		seq++
		op := &relsop.LiveOp{DocumentID: d.ID, Seq: seq, AuthorID: u.ID, ClientID: "tab", ClientSeq: seq, Ops: ops}
		if err := s.AppendOp(ctx, op, src); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDocuments measures listing a page of a library of 1,000 SOPs
// with a title query and a release-type filter.
func BenchmarkDocuments(b *testing.B) {
	s := open(b)
	ctx := b.Context()
	u, w := annsWorkspace(b, s)
	for i := range 1000 {
		d := &relsop.Document{WorkspaceID: w.ID, Title: fmt.Sprintf("Release %d", i), Status: relsop.StatusDraft,
			Owner: "team", ReleaseTypes: []string{"minor", "patch"}, Lint: relsop.LintClean, CreatedBy: u.ID}
		if err := s.CreateDocument(ctx, d, &relsop.Revision{AuthorID: u.ID, Source: []byte("sop: x\n")}); err != nil {
			b.Fatal(err)
		}
	}
	f := relsop.DocumentFilter{WorkspaceID: w.ID, Query: "release 9", ReleaseType: "minor", Limit: 50}
	for b.Loop() {
		if _, err := s.Documents(ctx, f); err != nil {
			b.Fatal(err)
		}
	}
}

// TestDocumentsSameInstant pins the tie-break the conformance suite can
// only state: documents updated in the same microsecond list newest id
// first. Only here can the clock be stopped.
func TestDocumentsSameInstant(t *testing.T) {
	s := open(t)
	instant := time.Date(2031, 3, 4, 5, 6, 7, 0, time.UTC)
	s.now = func() time.Time { return instant }
	u, w := annsWorkspace(t, s)
	var want []int64
	for _, title := range []string{"A", "B", "C"} {
		d := &relsop.Document{WorkspaceID: w.ID, Title: title, Status: relsop.StatusDraft, Lint: relsop.LintClean, CreatedBy: u.ID}
		if err := s.CreateDocument(t.Context(), d, &relsop.Revision{AuthorID: u.ID, Source: []byte("sop: x\n")}); err != nil {
			t.Fatal(err)
		}
		want = append([]int64{d.ID}, want...)
	}
	docs, err := s.Documents(t.Context(), relsop.DocumentFilter{WorkspaceID: w.ID})
	if err != nil {
		t.Fatal(err)
	}
	var got []int64
	for _, d := range docs {
		got = append(got, d.ID)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Documents order at one instant (-want +got):\n%s", diff)
	}
}

// annsWorkspace makes the user Ann and her workspace.
func annsWorkspace(tb testing.TB, s *Store) (*relsop.User, *relsop.Workspace) {
	tb.Helper()
	u := &relsop.User{Email: "ann@example.com", Name: "Ann", PasswordHash: "x"}
	if err := s.CreateUser(tb.Context(), u); err != nil {
		tb.Fatal(err)
	}
	w := &relsop.Workspace{Name: "Platform"}
	if err := s.CreateWorkspace(tb.Context(), w, u.ID); err != nil {
		tb.Fatal(err)
	}
	return u, w
}

// TestUnderived checks the documents of a database from before review
// dates were kept (migration 0009 leaves theirs NULL).
func TestUnderived(t *testing.T) {
	s := open(t)
	storetest.Underived(t, s, func(id int64) {
		if _, err := s.write.ExecContext(t.Context(), `UPDATE documents SET review_due = NULL WHERE id = ?`, id); err != nil {
			t.Fatal(err)
		}
	})
}
