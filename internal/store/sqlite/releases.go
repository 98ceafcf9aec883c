package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"github.com/relsop/relsop"
)

// CreateRelease adds rel with first as record 1 of its trail, in one
// transaction. The release is stored with one record whatever rel.Records
// says, and rel.Records is set to match, so that the count and the trail
// agree from the start.
func (s *Store) CreateRelease(ctx context.Context, rel *relsop.Release, first []byte) error {
	now := s.stamp()
	var id int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `
			INSERT INTO releases (document_id, revision, name, release_type, rehearsal, state, records, head,
				created_by, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)
			RETURNING id`,
			rel.DocumentID, rel.Revision, rel.Name, rel.ReleaseType, rel.Rehearsal, rel.State, rel.Head,
			rel.CreatedBy, micros(now), micros(now)).Scan(&id)
		if err != nil {
			return err
		}
		return insertRecord(ctx, tx, id, 1, first)
	})
	if err != nil {
		return storeErr(err, "release")
	}
	rel.ID, rel.Records, rel.CreatedAt, rel.UpdatedAt = id, 1, now, now
	return nil
}

// AppendReleaseRecord stores line as record rel.Records of release rel.ID.
// The compare-and-set is the UPDATE's WHERE clause: only a release whose
// trail still holds rel.Records-1 lines moves to rel.Records.
func (s *Store) AppendReleaseRecord(ctx context.Context, rel *relsop.Release, line []byte) error {
	now := s.stamp()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		ok, err := moved(tx.ExecContext(ctx, `
			UPDATE releases SET state = ?, records = ?, head = ?, updated_at = ?
			WHERE id = ? AND records = ?`,
			rel.State, rel.Records, rel.Head, micros(now), rel.ID, rel.Records-1))
		if err != nil {
			return err
		}
		if !ok {
			return staleRecords(ctx, tx, rel.ID, rel.Records)
		}
		return insertRecord(ctx, tx, rel.ID, rel.Records, line)
	})
	if err != nil {
		return storeErr(err, "release record")
	}
	rel.UpdatedAt = now
	return nil
}

// staleRecords tells why an UPDATE guarded by a release's record count
// matched nothing.
func staleRecords(ctx context.Context, tx *sql.Tx, releaseID int64, record int) error {
	var records int
	err := tx.QueryRowContext(ctx, `SELECT records FROM releases WHERE id = ?`, releaseID).Scan(&records)
	if errors.Is(err, sql.ErrNoRows) {
		return relsop.Errorf(relsop.ENOTFOUND, "release %d not found", releaseID)
	}
	if err != nil {
		return err
	}
	return relsop.Errorf(relsop.ECONFLICT, "the release has %d records, not %d: someone else added a record first", records, record-1)
}

// insertRecord stores line as record seq of a release's trail.
func insertRecord(ctx context.Context, tx *sql.Tx, releaseID int64, seq int, line []byte) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO release_records (release_id, seq, line) VALUES (?, ?, ?)`,
		releaseID, seq, nonNil(line))
	return err
}

// releaseQuery selects releases with their creator's name; callers add the
// rest.
const releaseQuery = `
	SELECT r.id, r.document_id, r.revision, r.name, r.release_type, r.rehearsal, r.state, r.records, r.head,
		r.created_by, u.name, d.title, r.created_at, r.updated_at
	FROM releases r JOIN users u ON u.id = r.created_by JOIN documents d ON d.id = r.document_id `

func scanRelease(row scanner) (relsop.Release, error) {
	var rel relsop.Release
	var created, updated int64
	err := row.Scan(&rel.ID, &rel.DocumentID, &rel.Revision, &rel.Name, &rel.ReleaseType, &rel.Rehearsal, &rel.State,
		&rel.Records, &rel.Head, &rel.CreatedBy, &rel.CreatorName, &rel.SOPTitle, &created, &updated)
	rel.CreatedAt, rel.UpdatedAt = fromMicros(created), fromMicros(updated)
	return rel, err
}

// ReleaseByID returns the release with id.
func (s *Store) ReleaseByID(ctx context.Context, id int64) (*relsop.Release, error) {
	rel, err := scanRelease(s.read.QueryRowContext(ctx, releaseQuery+`WHERE r.id = ?`, id))
	if err != nil {
		return nil, storeErr(err, "release")
	}
	return &rel, nil
}

// Releases lists a document's releases, most recently started first, then
// newest first.
func (s *Store) Releases(ctx context.Context, documentID int64) ([]relsop.Release, error) {
	rows, err := s.read.QueryContext(ctx, releaseQuery+`WHERE r.document_id = ? ORDER BY r.created_at DESC, r.id DESC`,
		documentID)
	return collect(rows, err, "releases", scanRelease)
}

// WorkspaceReleases lists the releases of a workspace's documents in state
// (every state when empty), most recently updated first.
func (s *Store) WorkspaceReleases(ctx context.Context, workspaceID int64, state relsop.ReleaseState, limit int) ([]relsop.Release, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, err := s.read.QueryContext(ctx, releaseQuery+`WHERE (?1 = 0 OR d.workspace_id = ?1) AND (?2 = '' OR r.state = ?2)
		ORDER BY r.updated_at DESC, r.id DESC LIMIT ?3`, workspaceID, state, limit)
	return collect(rows, err, "releases", scanRelease)
}

// ReleaseTrail returns the lines of a release's trail in order. Every
// release has its first record from the moment it is created, so no lines
// means no release.
func (s *Store) ReleaseTrail(ctx context.Context, releaseID int64) ([][]byte, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT line FROM release_records WHERE release_id = ? ORDER BY seq`, releaseID)
	if err != nil {
		return nil, storeErr(err, "release trail")
	}
	defer rows.Close()
	var lines [][]byte
	for rows.Next() {
		var line []byte
		if err := rows.Scan(&line); err != nil {
			return nil, storeErr(err, "release trail")
		}
		lines = append(lines, line)
	}
	if err := rows.Err(); err != nil {
		return nil, storeErr(err, "release trail")
	}
	if len(lines) == 0 {
		return nil, relsop.Errorf(relsop.ENOTFOUND, "release %d not found", releaseID)
	}
	return lines, nil
}

// ClaimReleaseAlert records alert key of a release once (store.go): the
// primary key lets one insert in.
func (s *Store) ClaimReleaseAlert(ctx context.Context, releaseID int64, key string) (bool, error) {
	res, err := s.write.ExecContext(ctx, `INSERT INTO release_alerts (release_id, key, created_at) VALUES (?, ?, ?)
		ON CONFLICT (release_id, key) DO NOTHING`, releaseID, key, micros(s.stamp()))
	if err != nil {
		return false, storeErr(err, "release")
	}
	n, err := res.RowsAffected()
	return n == 1, storeErr(err, "release alert")
}
