package postgres

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/relsop/relsop"
)

// documentOrder lists documents most recently updated first; documents
// updated at the same moment by id, newest first.
const documentOrder = "ORDER BY d.updated_at DESC, d.id DESC"

// CreateDocument adds d with its first revision r, in one transaction.
// d.CreatedBy, when zero, is r's author; d.UpdatedBy is always r's author.
func (s *Store) CreateDocument(ctx context.Context, d *relsop.Document, r *relsop.Revision) error {
	now := s.now()
	createdBy := d.CreatedBy
	if createdBy == 0 {
		createdBy = r.AuthorID
	}
	var id int64
	err := inTx(ctx, s.pool, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `
			INSERT INTO documents (workspace_id, title, title_lower, status, owner, release_types, lint,
				archived, revision, created_by, created_at, updated_by, updated_at, review_due)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $10, $11, $10, $12)
			RETURNING id`,
			d.WorkspaceID, d.Title, strings.ToLower(d.Title), d.Status, d.Owner, textArray(d.ReleaseTypes), d.Lint,
			d.Archived, createdBy, now, r.AuthorID, d.ReviewDue).Scan(&id)
		if err != nil {
			return fail(err, "document")
		}
		return insertRevision(ctx, tx, id, 1, r, 0, now)
	})
	if err != nil {
		return err
	}
	d.ID, d.Revision, d.Seq, d.RevisionSeq = id, 1, 0, 0
	d.CreatedBy, d.CreatedAt, d.UpdatedBy, d.UpdatedAt = createdBy, now, r.AuthorID, now
	d.Source = r.Source
	r.DocumentID, r.Number, r.Seq, r.CreatedAt = id, 1, 0, now
	r.Coauthors = coauthors(r.Coauthors)
	return nil
}

// insertRevision stores r as revision number of documentID, including the
// live operations up to seq.
func insertRevision(ctx context.Context, tx pgx.Tx, documentID int64, number int, r *relsop.Revision, seq int64, created time.Time) error {
	_, err := tx.Exec(ctx, `
		INSERT INTO revisions (document_id, number, author_id, created_at, message, status, source, seq, coauthors)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		documentID, number, r.AuthorID, created, r.Message, r.Status, nonNil(r.Source), seq, int64Array(coauthors(r.Coauthors)))
	if err != nil {
		return fail(err, "revision")
	}
	return nil
}

// coauthors returns ids sorted and without duplicates, as store.go
// describes a revision's coauthors, and nil for none.
func coauthors(ids []int64) []int64 {
	if len(ids) == 0 {
		return nil
	}
	return slices.Compact(slices.Sorted(slices.Values(ids)))
}

// documentColumns reads a document's listed fields from documents d. A
// review date not yet derived (UnderivedDocuments) reads as none.
const documentColumns = `d.id, d.workspace_id, d.title, d.status, d.owner, d.release_types, d.lint, COALESCE(d.review_due, ''),
	d.archived, d.revision, d.seq, d.revision_seq, d.created_by, d.created_at, d.updated_at, d.updated_by`

// scanDocument reads documentColumns, and the source after them when
// source is not nil.
func scanDocument(row pgx.Row, source *[]byte) (relsop.Document, error) {
	var d relsop.Document
	dest := []any{&d.ID, &d.WorkspaceID, &d.Title, &d.Status, &d.Owner, &d.ReleaseTypes, &d.Lint, &d.ReviewDue,
		&d.Archived, &d.Revision, &d.Seq, &d.RevisionSeq, &d.CreatedBy, &d.CreatedAt, &d.UpdatedAt, &d.UpdatedBy}
	if source != nil {
		dest = append(dest, source)
	}
	if err := row.Scan(dest...); err != nil {
		return d, err
	}
	if len(d.ReleaseTypes) == 0 {
		d.ReleaseTypes = nil
	}
	d.CreatedAt, d.UpdatedAt = d.CreatedAt.UTC(), d.UpdatedAt.UTC()
	return d, nil
}

// DocumentByID returns the document with its live source.
func (s *Store) DocumentByID(ctx context.Context, id int64) (*relsop.Document, error) {
	var source []byte
	d, err := scanDocument(s.pool.QueryRow(ctx, "SELECT "+documentColumns+", "+liveSource+`
		FROM documents d JOIN revisions r ON r.document_id = d.id AND r.number = d.revision
		WHERE d.id = $1`, id), &source)
	if err != nil {
		return nil, fail(err, fmt.Sprintf("document %d", id))
	}
	d.Source = source
	return &d, nil
}

// Documents lists the documents f selects, without their source.
func (s *Store) Documents(ctx context.Context, f relsop.DocumentFilter) ([]relsop.Document, error) {
	var where strings.Builder
	args := []any{f.WorkspaceID, f.Archived}
	where.WriteString("d.workspace_id = $1 AND d.archived = $2")
	and := func(cond string, arg any) {
		args = append(args, arg)
		fmt.Fprintf(&where, " AND "+cond, len(args))
	}
	if f.Query != "" {
		// strpos matches a literal substring: no wildcards to escape.
		and("strpos(d.title_lower, $%d) > 0", strings.ToLower(f.Query))
	}
	if f.Status != "" {
		and("d.status = $%d", f.Status)
	}
	if f.Owner != "" {
		and("d.owner = $%d", f.Owner)
	}
	if f.ReleaseType != "" {
		and("$%d = ANY (d.release_types)", f.ReleaseType)
	}
	if f.Lint != "" {
		and("d.lint = $%d", f.Lint)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	args = append(args, limit, max(f.Offset, 0))
	rows, _ := s.pool.Query(ctx, fmt.Sprintf("SELECT %s FROM documents d WHERE %s %s LIMIT $%d OFFSET $%d",
		documentColumns, where.String(), documentOrder, len(args)-1, len(args)), args...)
	return collectDocuments(rows)
}

// SaveRevision stores r as revision base+1 of d.ID with d's listed fields.
// It first locks the document's row, so of two saves from the same base,
// or a save and a live operation, one waits for the other and then finds
// the document changed: ECONFLICT.
func (s *Store) SaveRevision(ctx context.Context, d *relsop.Document, r *relsop.Revision, base int) error {
	now := s.now()
	number := base + 1
	var seq int64
	err := inTx(ctx, s.pool, func(tx pgx.Tx) error {
		var latest int
		err := tx.QueryRow(ctx, "SELECT revision, seq FROM documents WHERE id = $1 FOR UPDATE", d.ID).Scan(&latest, &seq)
		if err != nil {
			return fail(err, fmt.Sprintf("document %d", d.ID))
		}
		switch {
		case latest != base:
			return relsop.Errorf(relsop.ECONFLICT, "document %d has changed since revision %d", d.ID, base)
		case seq != d.Seq:
			return relsop.Errorf(relsop.ECONFLICT, "document %d has been edited since live operation %d", d.ID, d.Seq)
		}
		// The source is compared where it is, rather than read out. A
		// separate query from the lock: joined to it, a row updated
		// meanwhile would be rechecked against the old revision and dropped.
		var same bool
		err = tx.QueryRow(ctx, "SELECT "+liveSource+` = $2
			FROM documents d JOIN revisions r ON r.document_id = d.id AND r.number = d.revision
			WHERE d.id = $1`, d.ID, nonNil(r.Source)).Scan(&same)
		if err != nil {
			return fail(err, fmt.Sprintf("document %d", d.ID))
		}
		if !same {
			// A replacement: live editors learn of it from its operation.
			seq++
			if err := insertOp(ctx, tx, &relsop.LiveOp{DocumentID: d.ID, Seq: seq, AuthorID: r.AuthorID}, now); err != nil {
				return err
			}
		}
		_, err = tx.Exec(ctx, `
			UPDATE documents SET revision = $2, seq = $3, revision_seq = $3, live_source = NULL,
				title = $4, title_lower = $5, status = $6, owner = $7,
				release_types = $8, lint = $9, updated_by = $10, updated_at = $11, review_due = $12
			WHERE id = $1`,
			d.ID, number, seq, d.Title, strings.ToLower(d.Title), d.Status, d.Owner,
			textArray(d.ReleaseTypes), d.Lint, r.AuthorID, now, d.ReviewDue)
		if err != nil {
			return fail(err, fmt.Sprintf("document %d", d.ID))
		}
		return insertRevision(ctx, tx, d.ID, number, r, seq, now)
	})
	if err != nil {
		return err
	}
	d.Revision, d.Seq, d.RevisionSeq = number, seq, seq
	d.UpdatedAt, d.UpdatedBy, d.Source = now, r.AuthorID, r.Source
	r.DocumentID, r.Number, r.Seq, r.CreatedAt = d.ID, number, seq, now
	r.Coauthors = coauthors(r.Coauthors)
	return nil
}

// ReviewsDue lists a workspace's approved documents whose review falls
// due on or before through. The dates are ISO 8601, so they compare as
// text (in the C collation, whatever the database's).
func (s *Store) ReviewsDue(ctx context.Context, workspaceID int64, through string, limit int) ([]relsop.Document, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, _ := s.pool.Query(ctx, "SELECT "+documentColumns+` FROM documents d
		WHERE d.workspace_id = $1 AND d.review_due <> '' AND d.review_due COLLATE "C" <= $2 AND d.status = $3 AND NOT d.archived
		ORDER BY d.review_due COLLATE "C", d.id LIMIT $4`, workspaceID, through, relsop.StatusApproved, limit)
	return collectDocuments(rows)
}

// ReviewsToTell lists the documents of every workspace whose review falls
// due on or before through and that no round told of yet.
func (s *Store) ReviewsToTell(ctx context.Context, through string, limit int) ([]relsop.Document, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, _ := s.pool.Query(ctx, "SELECT "+documentColumns+` FROM documents d
		WHERE d.review_due <> '' AND d.review_due COLLATE "C" <= $1 AND d.status = $2 AND NOT d.archived
			AND NOT EXISTS (SELECT 1 FROM document_alerts a WHERE a.document_id = d.id AND a.key = 'review-due:' || d.review_due)
		ORDER BY d.review_due COLLATE "C", d.id LIMIT $3`, through, relsop.StatusApproved, limit)
	return collectDocuments(rows)
}

// collectDocuments reads documentColumns rows, without source.
func collectDocuments(rows pgx.Rows) ([]relsop.Document, error) {
	docs, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (relsop.Document, error) {
		return scanDocument(row, nil)
	})
	if err != nil {
		return nil, fail(err, "documents")
	}
	return docs, nil
}

// ClaimDocumentAlert claims an alert about a document: true the first
// time.
func (s *Store) ClaimDocumentAlert(ctx context.Context, documentID int64, key string) (bool, error) {
	tag, err := s.pool.Exec(ctx, `INSERT INTO document_alerts (document_id, key, created_at) VALUES ($1, $2, $3)
		ON CONFLICT (document_id, key) DO NOTHING`, documentID, key, s.now())
	if err != nil {
		return false, fail(err, fmt.Sprintf("document %d", documentID))
	}
	return tag.RowsAffected() == 1, nil
}

// UnderivedDocuments lists documents whose review date is not yet derived.
func (s *Store) UnderivedDocuments(ctx context.Context, limit int) ([]int64, error) {
	rows, _ := s.pool.Query(ctx, "SELECT id FROM documents WHERE review_due IS NULL ORDER BY id LIMIT $1", limit)
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fail(err, "documents")
	}
	return ids, nil
}

// SetReviewDue sets a document's derived review date.
func (s *Store) SetReviewDue(ctx context.Context, documentID int64, due string) error {
	tag, err := s.pool.Exec(ctx, "UPDATE documents SET review_due = $2 WHERE id = $1", documentID, due)
	return affected(tag, err, fmt.Sprintf("document %d", documentID))
}

// SetArchived archives or restores a document. It does not count as an
// update: UpdatedAt stays.
func (s *Store) SetArchived(ctx context.Context, documentID int64, archived bool) error {
	tag, err := s.pool.Exec(ctx, "UPDATE documents SET archived = $2 WHERE id = $1", documentID, archived)
	return affected(tag, err, fmt.Sprintf("document %d", documentID))
}

const revisionColumns = "r.document_id, r.number, r.author_id, u.name, r.created_at, r.message, r.status, r.seq, r.coauthors"

// scanRevision reads revisionColumns, and the source after them when
// source is not nil.
func scanRevision(row pgx.Row, source *[]byte) (relsop.Revision, error) {
	var r relsop.Revision
	dest := []any{&r.DocumentID, &r.Number, &r.AuthorID, &r.AuthorName, &r.CreatedAt, &r.Message, &r.Status, &r.Seq, &r.Coauthors}
	if source != nil {
		dest = append(dest, source)
	}
	err := row.Scan(dest...)
	r.CreatedAt = r.CreatedAt.UTC()
	if len(r.Coauthors) == 0 {
		r.Coauthors = nil
	}
	return r, err
}

// Revisions lists a document's revisions, newest first, without source.
// ENOTFOUND when there is no such document.
func (s *Store) Revisions(ctx context.Context, documentID int64) ([]relsop.Revision, error) {
	rows, _ := s.pool.Query(ctx, "SELECT "+revisionColumns+`
		FROM revisions r JOIN users u ON u.id = r.author_id
		WHERE r.document_id = $1 ORDER BY r.number DESC`, documentID)
	revs, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (relsop.Revision, error) {
		return scanRevision(row, nil)
	})
	if err != nil {
		return nil, fail(err, "revisions")
	}
	if len(revs) == 0 { // every document has a first revision
		return nil, relsop.Errorf(relsop.ENOTFOUND, "document %d not found", documentID)
	}
	return revs, nil
}

// RevisionByNumber returns a revision of a document with its source.
func (s *Store) RevisionByNumber(ctx context.Context, documentID int64, number int) (*relsop.Revision, error) {
	var source []byte
	r, err := scanRevision(s.pool.QueryRow(ctx, "SELECT "+revisionColumns+`, r.source
		FROM revisions r JOIN users u ON u.id = r.author_id
		WHERE r.document_id = $1 AND r.number = $2`, documentID, number), &source)
	if err != nil {
		return nil, fail(err, fmt.Sprintf("revision %d of document %d", number, documentID))
	}
	r.Source = source
	return &r, nil
}

// textArray is ss for a NOT NULL text[] column: pgx sends a nil slice as
// NULL.
func textArray(ss []string) []string {
	if ss == nil {
		return []string{}
	}
	return ss
}

// nonNil is b for a NOT NULL bytea column.
func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}
