// Package postgres is the relsop.Store on PostgreSQL, for a workspace
// served by more than one process or kept on a database server.
//
// Open applies the schema's migrations (embedded, in migrations/) before it
// returns, under an advisory lock, so that servers starting at once against
// one database do not race.
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/relsop/relsop"
)

//go:embed migrations/*.sql
var migrations embed.FS

// migrationLock is the key of the advisory lock held while migrating:
// "relsop" in ASCII.
const migrationLock = 0x72656c736f70

// Store is a relsop.Store on a PostgreSQL database.
type Store struct {
	pool *pgxpool.Pool
}

var _ relsop.Store = (*Store)(nil)

// Open connects to the database at url (a postgres:// URL or a libpq
// keyword/value string), brings its schema up to date and returns the
// store.
func Open(ctx context.Context, url string) (*Store, error) {
	// The pool is pgx's default, max(4, CPUs) connections (pool_max_conns
	// in the URL changes it): bench/liveload on 2 cores had a p99 of
	// 77 ms with 4 and several hundred with 16, whose queries only
	// crowded the same cores.
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if err := migrate(ctx, pool); err != nil {
		pool.Close()
		return nil, err
	}
	return &Store{pool: pool}, nil
}

// Close closes the store's connections.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// migrate applies the migrations not yet recorded in schema_migrations, in
// the order of their names, in one transaction. The transaction first
// takes an advisory lock, so a second process waits and then finds
// everything applied.
func migrate(ctx context.Context, pool *pgxpool.Pool) error {
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return fmt.Errorf("postgres: migrations: %w", err)
	}
	slices.Sort(names)
	return inTx(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", int64(migrationLock)); err != nil {
			return fmt.Errorf("postgres: migrations: lock: %w", err)
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			name       text PRIMARY KEY,
			applied_at timestamptz NOT NULL DEFAULT now()
		)`); err != nil {
			return fmt.Errorf("postgres: migrations: %w", err)
		}
		rows, _ := tx.Query(ctx, "SELECT name FROM schema_migrations")
		applied, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return fmt.Errorf("postgres: migrations: %w", err)
		}
		for _, name := range names {
			if slices.Contains(applied, name) {
				continue
			}
			sql, err := migrations.ReadFile(name)
			if err != nil {
				return fmt.Errorf("postgres: migrations: %w", err)
			}
			// Without arguments, Exec sends the file in one simple query,
			// which may hold many statements.
			if _, err := tx.Exec(ctx, string(sql)); err != nil {
				return fmt.Errorf("postgres: migration %s: %w", name, err)
			}
			if _, err := tx.Exec(ctx, "INSERT INTO schema_migrations (name) VALUES ($1)", name); err != nil {
				return fmt.Errorf("postgres: migration %s: %w", name, err)
			}
		}
		return nil
	})
}

// inTx runs fn in a transaction, committing when it returns nil and
// rolling back otherwise.
func inTx(ctx context.Context, pool *pgxpool.Pool, fn func(pgx.Tx) error) error {
	tx, err := pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("postgres: begin: %w", err)
	}
	defer tx.Rollback(ctx) // a no-op after Commit
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("postgres: commit: %w", err)
	}
	return nil
}

// now returns the time the store stamps rows with: in UTC, to the
// microsecond PostgreSQL keeps. It is taken in Go rather than from the
// server so that the struct a method fills in holds exactly what is stored.
func (s *Store) now() time.Time { return utc(time.Now()) }

// utc returns t in UTC truncated to microseconds, as it reads back from a
// timestamptz column.
func utc(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// PostgreSQL error codes the store maps to application errors.
const (
	uniqueViolation     = "23505"
	foreignKeyViolation = "23503"
)

// fail turns err from a query about what ("user", "document 12") into an
// application error: ENOTFOUND for no row, or for a row that refers to a
// missing one; ECONFLICT for a unique key already taken; anything else
// wrapped as an internal error.
func fail(err error, what string) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return relsop.Errorf(relsop.ENOTFOUND, "%s not found", what)
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case uniqueViolation:
			return relsop.Errorf(relsop.ECONFLICT, "%s already exists", what)
		case foreignKeyViolation:
			return relsop.Errorf(relsop.ENOTFOUND, "%s refers to something that does not exist", what)
		}
	}
	return fmt.Errorf("postgres: %s: %w", what, err)
}

// affected returns ENOTFOUND when a statement about what changed no row.
func affected(tag pgconn.CommandTag, err error, what string) error {
	if err != nil {
		return fail(err, what)
	}
	if tag.RowsAffected() == 0 {
		return relsop.Errorf(relsop.ENOTFOUND, "%s not found", what)
	}
	return nil
}
