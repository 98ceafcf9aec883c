package postgres_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/store/postgres"
	"github.com/relsop/relsop/internal/store/storetest"
	"github.com/relsop/relsop/internal/testenv"
)

// The tests run against the server RELSOP_TEST_POSTGRES names, as a role
// that may create databases; .ci/run starts a throwaway one. The tests of
// one run share a database, made for them and dropped at the end, and
// every store gets a schema of its own there: empty, found through the
// search path, and dropped when its test ends.
const envURL = "RELSOP_TEST_POSTGRES"

func TestStore(t *testing.T) {
	srv := testServer(t)
	storetest.Run(t, func(t *testing.T) relsop.Store {
		return srv.open(t)
	})
}

// TestOpenConcurrently starts servers at once against an empty schema:
// the advisory lock makes one migrate and the others find it done.
func TestOpenConcurrently(t *testing.T) {
	srv := testServer(t)
	dsn := srv.emptySchema(t)
	const n = 4
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			s, err := postgres.Open(t.Context(), dsn)
			if err == nil {
				s.Close()
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("Open %d: %v", i, err)
		}
	}

	if got, want := appliedMigrations(t, dsn), len(migrationFiles(t)); got != want {
		t.Errorf("schema_migrations has %d rows, want %d (one per migration)", got, want)
	}
}

// TestOpenAgain restarts a server: the data stays and no migration runs
// twice.
func TestOpenAgain(t *testing.T) {
	srv := testServer(t)
	dsn := srv.emptySchema(t)
	s, err := postgres.Open(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	u := relsop.User{Email: "ann@example.com", Name: "Ann", PasswordHash: "x"}
	if err := s.CreateUser(t.Context(), &u); err != nil {
		t.Fatal(err)
	}
	s.Close()

	s, err = postgres.Open(t.Context(), dsn)
	if err != nil {
		t.Fatalf("Open again: %v", err)
	}
	defer s.Close()
	if _, err := s.UserByID(t.Context(), u.ID); err != nil {
		t.Errorf("UserByID after Open again: %v", err)
	}
	if got, want := appliedMigrations(t, dsn), len(migrationFiles(t)); got != want {
		t.Errorf("schema_migrations has %d rows, want %d (one per migration)", got, want)
	}
}

// server is the PostgreSQL server the tests run against.
type server struct {
	admin string       // the URL from the environment
	db    string       // the database this process's tests run in
	n     atomic.Int64 // schemas made so far
}

var (
	srvOnce sync.Once
	srv     *server
	srvErr  error
)

// testServer returns the server, skipping the test when RELSOP_TEST_POSTGRES
// is not set (failing it under RELSOP_REQUIRE_TOOLS=1). Its database is
// created on first use.
func testServer(t *testing.T) *server {
	t.Helper()
	admin := os.Getenv(envURL)
	if admin == "" {
		testenv.Missing(t, "a PostgreSQL server ("+envURL+", a URL for a role that may create databases)")
	}
	srvOnce.Do(func() {
		srv = &server{admin: admin, db: fmt.Sprintf("relsop_test_%d", os.Getpid())}
		srvErr = srv.exec(context.Background(), "", "CREATE DATABASE "+srv.db)
	})
	if srvErr != nil {
		t.Fatal(srvErr)
	}
	return srv
}

// TestMain drops the tests' database when they are done.
func TestMain(m *testing.M) {
	code := m.Run()
	if srv != nil && srvErr == nil {
		if err := srv.exec(context.Background(), "", "DROP DATABASE "+srv.db+" WITH (FORCE)"); err != nil {
			fmt.Fprintln(os.Stderr, err)
		}
	}
	os.Exit(code)
}

// emptySchema creates a schema, dropped when the test ends, and returns a
// URL that connects with it as the search path, so that a store opened
// there sees only its own tables. A schema is much quicker to make than a
// database.
func (s *server) emptySchema(t *testing.T) string {
	t.Helper()
	name := fmt.Sprint("test_", s.n.Add(1))
	if err := s.exec(t.Context(), s.db, "CREATE SCHEMA "+name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.exec(context.Background(), s.db, "DROP SCHEMA "+name+" CASCADE"); err != nil {
			t.Error(err)
		}
	})
	return s.url(s.db, name)
}

// open opens a store in a new schema, closed when the test ends.
func (s *server) open(t *testing.T) relsop.Store {
	t.Helper()
	st, err := postgres.Open(t.Context(), s.emptySchema(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// exec runs one statement in database db, or in the environment URL's
// when db is empty.
func (s *server) exec(ctx context.Context, db, sql string) error {
	dsn := s.admin
	if db != "" {
		dsn = s.url(db, "")
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return fmt.Errorf("%s: %w", envURL, err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, sql); err != nil {
		return fmt.Errorf("%s: %w", sql, err)
	}
	return nil
}

// url returns the server's URL with the database db and, when not empty,
// the search path schema.
func (s *server) url(db, schema string) string {
	if u, err := url.Parse(s.admin); err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql") {
		u.Path = "/" + db
		if schema != "" {
			q := u.Query()
			q.Set("search_path", schema)
			u.RawQuery = q.Encode()
		}
		return u.String()
	}
	// The keyword/value form: the last of a repeated keyword counts.
	kv := s.admin + " dbname=" + db
	if schema != "" {
		kv += " search_path=" + schema
	}
	return kv
}

// appliedMigrations counts the rows of schema_migrations.
func appliedMigrations(t *testing.T, dsn string) int {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var n int
	if err := conn.QueryRow(t.Context(), "SELECT count(*) FROM schema_migrations").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// migrationFiles lists the migrations the package embeds.
func migrationFiles(t *testing.T) []string {
	t.Helper()
	entries, err := os.ReadDir("migrations")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".sql") {
			names = append(names, e.Name())
		}
	}
	return names
}

// TestUnderived checks the documents of a database from before review
// dates were kept (migration 0009 leaves theirs NULL).
func TestUnderived(t *testing.T) {
	srv := testServer(t)
	dsn := srv.emptySchema(t)
	s, err := postgres.Open(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	conn, err := pgx.Connect(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	storetest.Underived(t, s, func(id int64) {
		if _, err := conn.Exec(t.Context(), "UPDATE documents SET review_due = NULL WHERE id = $1", id); err != nil {
			t.Fatal(err)
		}
	})
}
