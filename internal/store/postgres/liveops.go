package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/relsop/relsop"
)

// liveSource is a document's live source, from documents d joined with its
// latest revision r: documents.live_source is NULL while the two are the
// same.
const liveSource = "COALESCE(d.live_source, r.source)"

// AppendOp stores op as the next live operation of its document, with
// source as the live source, in one statement: the compare-and-set UPDATE
// only matches a document still at op.Seq-1, and the INSERT stores the
// operation only for a document it matched. Of two appends with the same
// number, the second waits for the first's row lock and then matches
// nothing. It takes one round trip; a second only to explain a refusal.
func (s *Store) AppendOp(ctx context.Context, op *relsop.LiveOp, source []byte) error {
	now := s.now()
	tag, err := s.pool.Exec(ctx, `
		WITH d AS (
			UPDATE documents SET seq = $2, live_source = $3 WHERE id = $1 AND seq = $2 - 1 RETURNING id
		)
		INSERT INTO live_ops (document_id, seq, author_id, client_id, client_seq, ops, created_at)
		SELECT d.id, $2, $4::bigint, $5::text, $6::bigint, $7::bytea, $8::timestamptz FROM d`,
		op.DocumentID, op.Seq, nonNil(source), op.AuthorID, op.ClientID, op.ClientSeq, nonNil(op.Ops), now)
	if err != nil {
		return fail(err, fmt.Sprintf("live operation %d of document %d", op.Seq, op.DocumentID))
	}
	if tag.RowsAffected() == 0 {
		var latest int64
		err := s.pool.QueryRow(ctx, "SELECT seq FROM documents WHERE id = $1", op.DocumentID).Scan(&latest)
		if err != nil {
			return fail(err, fmt.Sprintf("document %d", op.DocumentID))
		}
		return relsop.Errorf(relsop.ECONFLICT, "document %d is at live operation %d: %d is not the next", op.DocumentID, latest, op.Seq)
	}
	op.CreatedAt = now
	return nil
}

// insertOp stores op, made at created, in a transaction that has moved its
// document to op.Seq.
func insertOp(ctx context.Context, tx pgx.Tx, op *relsop.LiveOp, created time.Time) error {
	_, err := tx.Exec(ctx, `
		INSERT INTO live_ops (document_id, seq, author_id, client_id, client_seq, ops, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		op.DocumentID, op.Seq, op.AuthorID, op.ClientID, op.ClientSeq, nonNil(op.Ops), created)
	if err != nil {
		return fail(err, fmt.Sprintf("live operation %d of document %d", op.Seq, op.DocumentID))
	}
	return nil
}

const opColumns = "o.document_id, o.seq, o.author_id, o.client_id, o.client_seq, o.ops, o.created_at"

// scanOp reads opColumns into a LiveOp. A replacement's empty ops come
// back nil.
func scanOp(row pgx.Row) (relsop.LiveOp, error) {
	var op relsop.LiveOp
	err := row.Scan(&op.DocumentID, &op.Seq, &op.AuthorID, &op.ClientID, &op.ClientSeq, &op.Ops, &op.CreatedAt)
	if len(op.Ops) == 0 {
		op.Ops = nil
	}
	op.CreatedAt = op.CreatedAt.UTC()
	return op, err
}

// OpsSince lists a document's live operations numbered after seq, oldest
// first, at most limit (0 means 1000).
func (s *Store) OpsSince(ctx context.Context, documentID, seq int64, limit int) ([]relsop.LiveOp, error) {
	if limit <= 0 {
		limit = 1000
	}
	rows, _ := s.pool.Query(ctx, "SELECT "+opColumns+` FROM live_ops o
		WHERE o.document_id = $1 AND o.seq > $2 ORDER BY o.seq LIMIT $3`, documentID, seq, limit)
	ops, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (relsop.LiveOp, error) {
		return scanOp(row)
	})
	if err != nil {
		return nil, fail(err, fmt.Sprintf("live operations of document %d", documentID))
	}
	return ops, nil
}

// LastClientOp returns the operation with the highest client number that
// clientID stored for a document. The condition on client_id lets the
// planner use the partial index on client numbers also in a generic plan.
func (s *Store) LastClientOp(ctx context.Context, documentID int64, clientID string) (*relsop.LiveOp, error) {
	op, err := scanOp(s.pool.QueryRow(ctx, "SELECT "+opColumns+` FROM live_ops o
		WHERE o.document_id = $1 AND o.client_id = $2 AND o.client_id <> ''
		ORDER BY o.client_seq DESC LIMIT 1`, documentID, clientID))
	if err != nil {
		return nil, fail(err, fmt.Sprintf("live operation of client %q on document %d", clientID, documentID))
	}
	return &op, nil
}
