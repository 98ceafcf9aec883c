package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/relsop/relsop"
)

// liveSource is a document's live source, from documents d joined with its
// latest revision r: documents.live_source is NULL while the two are the
// same.
const liveSource = `COALESCE(d.live_source, r.source)`

// AppendOp stores op as the next live operation of its document, with
// source as the live source. The compare-and-set is the UPDATE's WHERE
// clause: only a document still at op.Seq-1 moves to op.Seq.
func (s *Store) AppendOp(ctx context.Context, op *relsop.LiveOp, source []byte) error {
	now := s.stamp()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		ok, err := moved(tx.ExecContext(ctx, `UPDATE documents SET seq = ?, live_source = ? WHERE id = ? AND seq = ?`,
			op.Seq, nonNil(source), op.DocumentID, op.Seq-1))
		if err != nil {
			return err
		}
		if !ok {
			return staleSeq(ctx, tx, op.DocumentID, op.Seq)
		}
		return insertOp(ctx, tx, op, now)
	})
	if err != nil {
		return storeErr(err, "live operation")
	}
	op.CreatedAt = now
	return nil
}

// staleSeq tells why an UPDATE guarded by a live operation's number
// matched nothing.
func staleSeq(ctx context.Context, tx *sql.Tx, documentID, seq int64) error {
	var latest int64
	err := tx.QueryRowContext(ctx, `SELECT seq FROM documents WHERE id = ?`, documentID).Scan(&latest)
	if errors.Is(err, sql.ErrNoRows) {
		return relsop.Errorf(relsop.ENOTFOUND, "document %d not found", documentID)
	}
	if err != nil {
		return err
	}
	return relsop.Errorf(relsop.ECONFLICT, "the document is at live operation %d: %d is not the next", latest, seq)
}

// insertOp stores op, made at at.
func insertOp(ctx context.Context, tx *sql.Tx, op *relsop.LiveOp, at time.Time) error {
	_, err := tx.ExecContext(ctx, `
		INSERT INTO live_ops (document_id, seq, author_id, client_id, client_seq, ops, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`,
		op.DocumentID, op.Seq, op.AuthorID, op.ClientID, op.ClientSeq, nonNil(op.Ops), micros(at))
	return err
}

// opCols reads a live operation from live_ops o.
const opCols = `o.document_id, o.seq, o.author_id, o.client_id, o.client_seq, o.ops, o.created_at`

// scanOp reads opCols into a LiveOp. A replacement's empty ops come back
// nil.
func scanOp(row scanner) (relsop.LiveOp, error) {
	var op relsop.LiveOp
	var created int64
	err := row.Scan(&op.DocumentID, &op.Seq, &op.AuthorID, &op.ClientID, &op.ClientSeq, &op.Ops, &created)
	if len(op.Ops) == 0 {
		op.Ops = nil
	}
	op.CreatedAt = fromMicros(created)
	return op, err
}

// OpsSince lists a document's live operations numbered after seq, oldest
// first, at most limit (0 means 1000).
func (s *Store) OpsSince(ctx context.Context, documentID, seq int64, limit int) ([]relsop.LiveOp, error) {
	if limit <= 0 {
		limit = 1000
	}
	rows, err := s.read.QueryContext(ctx, `SELECT `+opCols+` FROM live_ops o
		WHERE o.document_id = ? AND o.seq > ? ORDER BY o.seq LIMIT ?`, documentID, seq, limit)
	return collect(rows, err, "live operations", scanOp)
}

// LastClientOp returns the operation with the highest client number that
// clientID stored for a document. The condition on client_id lets SQLite
// use the partial index on client numbers.
func (s *Store) LastClientOp(ctx context.Context, documentID int64, clientID string) (*relsop.LiveOp, error) {
	op, err := scanOp(s.read.QueryRowContext(ctx, `SELECT `+opCols+` FROM live_ops o
		WHERE o.document_id = ? AND o.client_id = ? AND o.client_id <> ''
		ORDER BY o.client_seq DESC LIMIT 1`, documentID, clientID))
	if err != nil {
		return nil, storeErr(err, "live operation")
	}
	return &op, nil
}
