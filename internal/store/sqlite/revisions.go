package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/relsop/relsop"
)

// insertRevision stores r as revision number of documentID.
func insertRevision(ctx context.Context, tx *sql.Tx, documentID int64, number int, r *relsop.Revision, at time.Time) error {
	src := r.Source
	if src == nil {
		src = []byte{} // a nil slice would be stored as NULL
	}
	_, err := tx.ExecContext(ctx, `
		INSERT INTO revisions (document_id, number, author_id, created_at, message, status, source)
		VALUES (?, ?, ?, ?, ?, ?, ?)`,
		documentID, number, r.AuthorID, micros(at), r.Message, r.Status, src)
	return err
}

// SaveRevision stores r as the next revision of d.ID if the latest is
// still base. The compare-and-set is the UPDATE's WHERE clause, so the
// check and the write cannot be split by another writer.
func (s *Store) SaveRevision(ctx context.Context, d *relsop.Document, r *relsop.Revision, base int) error {
	now := s.stamp()
	updatedBy := cmp.Or(d.UpdatedBy, r.AuthorID) // the author, unless the caller says otherwise
	next := base + 1
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `
			UPDATE documents SET title = ?, title_fold = ?, status = ?, owner = ?, lint = ?,
				revision = revision + 1, updated_by = ?, updated_at = ?
			WHERE id = ? AND revision = ?`,
			d.Title, strings.ToLower(d.Title), d.Status, d.Owner, d.Lint, updatedBy, micros(now), d.ID, base)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		if n == 0 {
			return staleOrMissing(ctx, tx, d.ID, base)
		}
		if err := setReleaseTypes(ctx, tx, d.ID, d.ReleaseTypes); err != nil {
			return err
		}
		return insertRevision(ctx, tx, d.ID, next, r, now)
	})
	if err != nil {
		return storeErr(err, "document")
	}
	d.Revision, d.UpdatedAt, d.UpdatedBy = next, now, updatedBy
	r.DocumentID, r.Number, r.CreatedAt = d.ID, next, now
	return nil
}

// staleOrMissing tells why an UPDATE guarded by a revision matched nothing.
func staleOrMissing(ctx context.Context, tx *sql.Tx, id int64, base int) error {
	var latest int
	err := tx.QueryRowContext(ctx, `SELECT revision FROM documents WHERE id = ?`, id).Scan(&latest)
	if err != nil {
		return err
	}
	return relsop.Errorf(relsop.ECONFLICT, "the document is at revision %d, not %d: someone else saved it meanwhile", latest, base)
}

// Revisions lists a document's revisions, newest first, without source.
func (s *Store) Revisions(ctx context.Context, documentID int64) ([]relsop.Revision, error) {
	rows, err := s.read.QueryContext(ctx, revisionQuery+`WHERE r.document_id = ? ORDER BY r.number DESC`, documentID)
	if err != nil {
		return nil, storeErr(err, "revisions")
	}
	defer rows.Close()
	var list []relsop.Revision
	for rows.Next() {
		r, err := scanRevision(rows)
		if err != nil {
			return nil, storeErr(err, "revisions")
		}
		list = append(list, r)
	}
	return list, storeErr(rows.Err(), "revisions")
}

// RevisionByNumber returns one revision of a document, with its source.
func (s *Store) RevisionByNumber(ctx context.Context, documentID int64, number int) (*relsop.Revision, error) {
	var src []byte
	r, err := scanRevision(s.read.QueryRowContext(ctx, `
		SELECT r.document_id, r.number, r.author_id, u.name, r.created_at, r.message, r.status, r.source
		FROM revisions r JOIN users u ON u.id = r.author_id
		WHERE r.document_id = ? AND r.number = ?`, documentID, number), &src)
	if err != nil {
		return nil, storeErr(err, "revision")
	}
	r.Source = src
	return &r, nil
}

// revisionQuery selects revisions without source; callers add the rest.
const revisionQuery = `
	SELECT r.document_id, r.number, r.author_id, u.name, r.created_at, r.message, r.status
	FROM revisions r JOIN users u ON u.id = r.author_id `

func scanRevision(row scanner, extra ...any) (relsop.Revision, error) {
	var r relsop.Revision
	var created int64
	dest := append([]any{&r.DocumentID, &r.Number, &r.AuthorID, &r.AuthorName, &created, &r.Message, &r.Status}, extra...)
	err := row.Scan(dest...)
	r.CreatedAt = fromMicros(created)
	return r, err
}
