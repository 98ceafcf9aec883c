package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"time"
)

// migrations are applied in file-name order; a file, once released, is
// never edited: a change to the schema is a new file.
//
//go:embed migrations/*.sql
var migrations embed.FS

// migrate applies the migrations that schema_migrations does not record,
// each in its own transaction together with its record, and returns the
// versions it applied. Because each transaction begins IMMEDIATE and checks
// the record inside, two processes opening one new file cannot both apply a
// migration.
func migrate(ctx context.Context, db *sql.DB) ([]string, error) {
	const create = `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    TEXT    PRIMARY KEY,
		applied_at INTEGER NOT NULL
	)`
	if _, err := db.ExecContext(ctx, create); err != nil {
		return nil, err
	}
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	var applied []string
	for _, name := range names {
		version := strings.TrimSuffix(path.Base(name), ".sql")
		ok, err := apply(ctx, db, name, version)
		if err != nil {
			return applied, fmt.Errorf("%s: %w", version, err)
		}
		if ok {
			applied = append(applied, version)
		}
	}
	return applied, nil
}

// apply runs one migration unless it is recorded, and reports whether it ran.
func apply(ctx context.Context, db *sql.DB, name, version string) (bool, error) {
	body, err := migrations.ReadFile(name)
	if err != nil {
		return false, err
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer tx.Rollback() // a no-op after Commit
	var done bool
	err = tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE version = ?)`, version).Scan(&done)
	if err != nil || done {
		return false, err
	}
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return false, err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`, version, micros(time.Now()))
	if err != nil {
		return false, err
	}
	return true, tx.Commit()
}
