package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"strings"

	"github.com/relsop/relsop"
)

// docCols reads a document's listed fields, its release types as a JSON
// array in file order, from documents d. A review date not yet derived
// (UnderivedDocuments) reads as none.
const docCols = `d.id, d.workspace_id, d.title, d.status, d.owner, d.lint, COALESCE(d.review_due, ''), d.archived, d.revision,
	d.seq, d.revision_seq, d.created_by, d.created_at, d.updated_by, d.updated_at,
	(SELECT json_group_array(t.release_type ORDER BY t.position) FROM document_release_types t WHERE t.document_id = d.id)`

// scanDocument reads docCols, and then extra, into a Document.
func scanDocument(row scanner, extra ...any) (relsop.Document, error) {
	var d relsop.Document
	var created, updated int64
	var types string
	dest := append([]any{&d.ID, &d.WorkspaceID, &d.Title, &d.Status, &d.Owner, &d.Lint, &d.ReviewDue, &d.Archived, &d.Revision,
		&d.Seq, &d.RevisionSeq, &d.CreatedBy, &created, &d.UpdatedBy, &updated, &types}, extra...)
	if err := row.Scan(dest...); err != nil {
		return d, err
	}
	d.CreatedAt, d.UpdatedAt = fromMicros(created), fromMicros(updated)
	if err := json.Unmarshal([]byte(types), &d.ReleaseTypes); err != nil {
		return d, err
	}
	if len(d.ReleaseTypes) == 0 {
		d.ReleaseTypes = nil
	}
	return d, nil
}

// CreateDocument adds d with its first revision r, in one transaction.
func (s *Store) CreateDocument(ctx context.Context, d *relsop.Document, r *relsop.Revision) error {
	now := s.stamp()
	updatedBy := cmp.Or(d.UpdatedBy, d.CreatedBy) // the creator, unless the caller says otherwise
	var id int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `
			INSERT INTO documents (workspace_id, title, title_fold, status, owner, lint, review_due, archived, revision,
				created_by, created_at, updated_by, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)
			RETURNING id`,
			d.WorkspaceID, d.Title, strings.ToLower(d.Title), d.Status, d.Owner, d.Lint, d.ReviewDue, d.Archived,
			d.CreatedBy, micros(now), updatedBy, micros(now)).Scan(&id)
		if err != nil {
			return err
		}
		if err := setReleaseTypes(ctx, tx, id, d.ReleaseTypes); err != nil {
			return err
		}
		return insertRevision(ctx, tx, id, 1, r, 0, now)
	})
	if err != nil {
		return storeErr(err, "document")
	}
	d.ID, d.Revision, d.Seq, d.RevisionSeq, d.CreatedAt, d.UpdatedAt, d.UpdatedBy = id, 1, 0, 0, now, now, updatedBy
	r.DocumentID, r.Number, r.Seq, r.CreatedAt = id, 1, 0, now
	r.Coauthors = coauthors(r.Coauthors)
	return nil
}

// setReleaseTypes replaces a document's release types, keeping their order.
func setReleaseTypes(ctx context.Context, tx *sql.Tx, documentID int64, types []string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM document_release_types WHERE document_id = ?`, documentID); err != nil {
		return err
	}
	for i, t := range types {
		_, err := tx.ExecContext(ctx, `INSERT INTO document_release_types (document_id, position, release_type) VALUES (?, ?, ?)`,
			documentID, i, t)
		if err != nil {
			return err
		}
	}
	return nil
}

// DocumentByID returns the document with id and its live source.
func (s *Store) DocumentByID(ctx context.Context, id int64) (*relsop.Document, error) {
	var src []byte
	d, err := scanDocument(s.read.QueryRowContext(ctx, `
		SELECT `+docCols+`, `+liveSource+`
		FROM documents d JOIN revisions r ON r.document_id = d.id AND r.number = d.revision
		WHERE d.id = ?`, id), &src)
	if err != nil {
		return nil, storeErr(err, "document")
	}
	d.Source = src
	return &d, nil
}

// Documents lists the documents f selects, most recently updated first,
// then newest first.
//
// The title query is matched with instr on a lower-cased copy of the
// title: unlike LIKE it has no wildcards to escape, and unlike SQLite's
// lower() and NOCASE, Go's strings.ToLower folds more than ASCII.
func (s *Store) Documents(ctx context.Context, f relsop.DocumentFilter) ([]relsop.Document, error) {
	var where strings.Builder
	args := []any{f.WorkspaceID, f.Archived}
	where.WriteString(`d.workspace_id = ? AND d.archived = ?`)
	if f.Query != "" {
		where.WriteString(` AND instr(d.title_fold, ?) > 0`)
		args = append(args, strings.ToLower(f.Query))
	}
	for _, c := range []struct {
		col, val string
	}{{"d.status", string(f.Status)}, {"d.owner", f.Owner}, {"d.lint", string(f.Lint)}} {
		if c.val != "" {
			where.WriteString(` AND ` + c.col + ` = ?`)
			args = append(args, c.val)
		}
	}
	if f.ReleaseType != "" {
		where.WriteString(` AND EXISTS (SELECT 1 FROM document_release_types t WHERE t.document_id = d.id AND t.release_type = ?)`)
		args = append(args, f.ReleaseType)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	args = append(args, limit, max(f.Offset, 0))

	rows, err := s.read.QueryContext(ctx, `SELECT `+docCols+` FROM documents d WHERE `+where.String()+`
		ORDER BY d.updated_at DESC, d.id DESC LIMIT ? OFFSET ?`, args...)
	return collect(rows, err, "documents", func(row scanner) (relsop.Document, error) { return scanDocument(row) })
}

// ReviewsDue lists a workspace's approved documents whose review falls
// due on or before through.
func (s *Store) ReviewsDue(ctx context.Context, workspaceID int64, through string, limit int) ([]relsop.Document, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, err := s.read.QueryContext(ctx, `SELECT `+docCols+` FROM documents d
		WHERE d.workspace_id = ? AND d.review_due <> '' AND d.review_due <= ? AND d.status = ? AND NOT d.archived
		ORDER BY d.review_due, d.id LIMIT ?`, workspaceID, through, relsop.StatusApproved, limit)
	return collect(rows, err, "documents", func(row scanner) (relsop.Document, error) { return scanDocument(row) })
}

// ReviewsToTell lists the documents of every workspace whose review falls
// due on or before through and that no round told of yet.
func (s *Store) ReviewsToTell(ctx context.Context, through string, limit int) ([]relsop.Document, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, err := s.read.QueryContext(ctx, `SELECT `+docCols+` FROM documents d
		WHERE d.review_due <> '' AND d.review_due <= ? AND d.status = ? AND NOT d.archived
			AND NOT EXISTS (SELECT 1 FROM document_alerts a WHERE a.document_id = d.id AND a.key = 'review-due:' || d.review_due)
		ORDER BY d.review_due, d.id LIMIT ?`, through, relsop.StatusApproved, limit)
	return collect(rows, err, "documents", func(row scanner) (relsop.Document, error) { return scanDocument(row) })
}

// ClaimDocumentAlert claims an alert about a document: true the first
// time.
func (s *Store) ClaimDocumentAlert(ctx context.Context, documentID int64, key string) (bool, error) {
	res, err := s.write.ExecContext(ctx, `INSERT INTO document_alerts (document_id, key, created_at) VALUES (?, ?, ?)
		ON CONFLICT (document_id, key) DO NOTHING`, documentID, key, micros(s.stamp()))
	if err != nil {
		return false, storeErr(err, "document")
	}
	n, err := res.RowsAffected()
	return n == 1, storeErr(err, "document alert")
}

// UnderivedDocuments lists documents whose review date is not yet derived.
func (s *Store) UnderivedDocuments(ctx context.Context, limit int) ([]int64, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id FROM documents WHERE review_due IS NULL ORDER BY id LIMIT ?`, limit)
	return collect(rows, err, "documents", func(row scanner) (int64, error) {
		var id int64
		return id, row.Scan(&id)
	})
}

// SetReviewDue sets a document's derived review date.
func (s *Store) SetReviewDue(ctx context.Context, documentID int64, due string) error {
	res, err := s.write.ExecContext(ctx, `UPDATE documents SET review_due = ? WHERE id = ?`, due, documentID)
	if err != nil {
		return storeErr(err, "document")
	}
	return mustAffect(res, "document")
}

// SetArchived archives or restores a document.
func (s *Store) SetArchived(ctx context.Context, documentID int64, archived bool) error {
	res, err := s.write.ExecContext(ctx, `UPDATE documents SET archived = ? WHERE id = ?`, archived, documentID)
	if err != nil {
		return storeErr(err, "document")
	}
	return mustAffect(res, "document")
}
