package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"slices"
	"strings"
	"time"

	"github.com/relsop/relsop"
)

// insertRevision stores r as revision number of documentID, including the
// live operations up to seq.
func insertRevision(ctx context.Context, tx *sql.Tx, documentID int64, number int, r *relsop.Revision, seq int64, at time.Time) error {
	_, err := tx.ExecContext(ctx, `
		INSERT INTO revisions (document_id, number, author_id, created_at, message, status, source, seq, coauthors)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		documentID, number, r.AuthorID, micros(at), r.Message, r.Status, nonNil(r.Source), seq, joinIDs(coauthors(r.Coauthors)))
	return err
}

// coauthors returns ids sorted and without duplicates, as store.go
// describes a revision's coauthors, and nil for none.
func coauthors(ids []int64) []int64 {
	if len(ids) == 0 {
		return nil
	}
	return slices.Compact(slices.Sorted(slices.Values(ids)))
}

// nonNil is b for a NOT NULL BLOB column: a nil slice would be stored as
// NULL.
func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

// SaveRevision stores r as the next revision of d.ID if the latest is
// still base and the latest live operation still d.Seq. The transaction
// holds SQLite's one write lock from its start, so no other write can come
// between the check and the writes.
func (s *Store) SaveRevision(ctx context.Context, d *relsop.Document, r *relsop.Revision, base int) error {
	now := s.stamp()
	updatedBy := cmp.Or(d.UpdatedBy, r.AuthorID) // the author, unless the caller says otherwise
	next := base + 1
	var seq int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var latest int
		var same bool
		err := tx.QueryRowContext(ctx, `
			SELECT d.revision, d.seq, `+liveSource+` = ?
			FROM documents d JOIN revisions r ON r.document_id = d.id AND r.number = d.revision
			WHERE d.id = ?`, nonNil(r.Source), d.ID).Scan(&latest, &seq, &same)
		if err != nil {
			return err
		}
		switch {
		case latest != base:
			return relsop.Errorf(relsop.ECONFLICT, "the document is at revision %d, not %d: someone else saved it meanwhile", latest, base)
		case seq != d.Seq:
			return relsop.Errorf(relsop.ECONFLICT, "the document is at live operation %d, not %d: someone edited it meanwhile", seq, d.Seq)
		}
		if !same {
			// A replacement: live editors learn of it from its operation.
			seq++
			if err := insertOp(ctx, tx, &relsop.LiveOp{DocumentID: d.ID, Seq: seq, AuthorID: r.AuthorID}, now); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `
			UPDATE documents SET title = ?, title_fold = ?, status = ?, owner = ?, lint = ?, review_due = ?,
				revision = ?, seq = ?, revision_seq = ?, live_source = NULL, updated_by = ?, updated_at = ?
			WHERE id = ?`,
			d.Title, strings.ToLower(d.Title), d.Status, d.Owner, d.Lint, d.ReviewDue, next, seq, seq, updatedBy, micros(now), d.ID)
		if err != nil {
			return err
		}
		if err := setReleaseTypes(ctx, tx, d.ID, d.ReleaseTypes); err != nil {
			return err
		}
		return insertRevision(ctx, tx, d.ID, next, r, seq, now)
	})
	if err != nil {
		return storeErr(err, "document")
	}
	d.Revision, d.Seq, d.RevisionSeq, d.UpdatedAt, d.UpdatedBy = next, seq, seq, now, updatedBy
	r.DocumentID, r.Number, r.Seq, r.CreatedAt = d.ID, next, seq, now
	r.Coauthors = coauthors(r.Coauthors)
	return nil
}

// Revisions lists a document's revisions, newest first, without source.
func (s *Store) Revisions(ctx context.Context, documentID int64) ([]relsop.Revision, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+revisionCols+` FROM revisions r JOIN users u ON u.id = r.author_id
		WHERE r.document_id = ? ORDER BY r.number DESC`, documentID)
	return collect(rows, err, "revisions", func(row scanner) (relsop.Revision, error) { return scanRevision(row) })
}

// RevisionByNumber returns one revision of a document, with its source.
func (s *Store) RevisionByNumber(ctx context.Context, documentID int64, number int) (*relsop.Revision, error) {
	var src []byte
	r, err := scanRevision(s.read.QueryRowContext(ctx, `
		SELECT `+revisionCols+`, r.source
		FROM revisions r JOIN users u ON u.id = r.author_id
		WHERE r.document_id = ? AND r.number = ?`, documentID, number), &src)
	if err != nil {
		return nil, storeErr(err, "revision")
	}
	r.Source = src
	return &r, nil
}

// revisionCols reads a revision without its source from revisions r
// joined with its author u.
const revisionCols = `r.document_id, r.number, r.author_id, u.name, r.created_at, r.message, r.status, r.seq, r.coauthors`

// scanRevision reads revisionCols, and then extra, into a Revision.
func scanRevision(row scanner, extra ...any) (relsop.Revision, error) {
	var r relsop.Revision
	var created int64
	var coauthors string
	dest := append([]any{&r.DocumentID, &r.Number, &r.AuthorID, &r.AuthorName, &created, &r.Message, &r.Status,
		&r.Seq, &coauthors}, extra...)
	if err := row.Scan(dest...); err != nil {
		return r, err
	}
	r.CreatedAt = fromMicros(created)
	var err error
	r.Coauthors, err = splitIDs(coauthors)
	return r, err
}
