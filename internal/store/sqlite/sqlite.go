// Package sqlite is relsop's default Store: one SQLite file beside the
// server, in pure Go (modernc.org/sqlite), so that relsop serve needs no
// database server and no C toolchain.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/relsop/relsop"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Store keeps the workspace in one SQLite database file.
//
// SQLite lets one connection write at a time. Writes therefore go through a
// pool of exactly one connection, where they queue in Go instead of failing
// with SQLITE_BUSY, and every write transaction begins IMMEDIATE, so that a
// transaction that reads before it writes cannot be refused the write lock
// half-way. Reads use a separate pool: in WAL mode they run beside the
// writer and see every committed write.
type Store struct {
	write *sql.DB
	read  *sql.DB
	now   func() time.Time // the clock; tests may replace it
}

var _ relsop.Store = (*Store)(nil)

// dsnParams configure every connection: WAL for concurrent readers, a busy
// timeout for other processes holding the file, foreign keys (off by
// default in SQLite) and IMMEDIATE transactions.
const dsnParams = "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(5000)&_pragma=foreign_keys(1)&_txlock=immediate"

// Open opens the database file at path, creating it and its parent folder
// if missing, and brings its schema up to date.
func Open(path string) (*Store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	write, err := sql.Open("sqlite", path+dsnParams)
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	write.SetMaxOpenConns(1)
	if _, err := migrate(context.Background(), write); err != nil {
		write.Close()
		return nil, fmt.Errorf("sqlite: migrate %s: %w", path, err)
	}
	// query_only makes a write that strays into the read pool fail loudly
	// rather than compete with the writer.
	read, err := sql.Open("sqlite", path+dsnParams+"&_pragma=query_only(1)")
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	read.SetMaxOpenConns(max(4, runtime.NumCPU()))
	return &Store{write: write, read: read, now: time.Now}, nil
}

// Close closes both connection pools.
func (s *Store) Close() error {
	return errors.Join(s.read.Close(), s.write.Close())
}

// inTx runs fn in a write transaction and commits it if fn succeeds.
func (s *Store) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() // a no-op after Commit
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// stamp returns the current time as the store keeps it.
func (s *Store) stamp() time.Time {
	return s.now().UTC().Truncate(time.Microsecond)
}

// storeErr turns a database error into the application error store.go
// promises: ENOTFOUND for a missing row or a reference to one, ECONFLICT for
// a unique key already taken. what names the thing for the message.
func storeErr(err error, what string) error {
	if err == nil {
		return nil
	}
	var appErr *relsop.Error
	if errors.As(err, &appErr) {
		return err
	}
	if errors.Is(err, sql.ErrNoRows) {
		return relsop.Errorf(relsop.ENOTFOUND, "%s not found", what)
	}
	var sqlErr *sqlite.Error
	if errors.As(err, &sqlErr) {
		switch sqlErr.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return relsop.Errorf(relsop.ECONFLICT, "%s already exists", what)
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return relsop.Errorf(relsop.ENOTFOUND, "%s refers to something that does not exist", what)
		}
	}
	return fmt.Errorf("sqlite: %s: %w", what, err)
}

// moved reports whether an UPDATE changed a row: a compare-and-set whose
// WHERE clause holds the value the writer read (a count, a sequence
// number) is refused by not matching when another writer got there first.
func moved(res sql.Result, err error) (bool, error) {
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// mustAffect returns ENOTFOUND when an update or delete touched no row.
func mustAffect(res sql.Result, what string) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return relsop.Errorf(relsop.ENOTFOUND, "%s not found", what)
	}
	return nil
}

// scanner is a *sql.Row or *sql.Rows, so that one function reads a row
// for both a lookup and a list.
type scanner interface{ Scan(dest ...any) error }

// collect reads every row of a query with scan, and closes them. err is
// the query's error; what names the rows in errors.
func collect[T any](rows *sql.Rows, err error, what string, scan func(scanner) (T, error)) ([]T, error) {
	if err != nil {
		return nil, storeErr(err, what)
	}
	defer rows.Close()
	var list []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, storeErr(err, what)
		}
		list = append(list, v)
	}
	return list, storeErr(rows.Err(), what)
}

// micros is how a time is stored: microseconds since 1970, UTC.
func micros(t time.Time) int64 { return t.UnixMicro() }

// fromMicros reads a stored time back.
func fromMicros(v int64) time.Time { return time.UnixMicro(v).UTC() }

// nullMicros stores the zero time as NULL.
func nullMicros(t time.Time) sql.NullInt64 {
	if t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: micros(t), Valid: true}
}

// fromNullMicros reads NULL back as the zero time.
func fromNullMicros(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return fromMicros(v.Int64)
}

// given returns t as stored, or the current time when t is zero: some
// rows take their creation time from the caller, who may leave it to us.
func (s *Store) given(t time.Time) time.Time {
	if t.IsZero() {
		return s.stamp()
	}
	return t.UTC().Truncate(time.Microsecond)
}
