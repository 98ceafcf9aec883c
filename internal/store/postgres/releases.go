package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/relsop/relsop"
)

// CreateRelease adds rel with first as record 1 of its trail, in one
// transaction. The release is stored with one record whatever rel.Records
// says, and rel.Records is set to match, so that the count and the trail
// agree from the start.
func (s *Store) CreateRelease(ctx context.Context, rel *relsop.Release, first []byte) error {
	now := s.now()
	var id int64
	err := inTx(ctx, s.pool, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `
			INSERT INTO releases (document_id, revision, name, release_type, rehearsal, state, records, head,
				created_by, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8, $9, $9)
			RETURNING id`,
			rel.DocumentID, rel.Revision, rel.Name, rel.ReleaseType, rel.Rehearsal, rel.State, rel.Head,
			rel.CreatedBy, now).Scan(&id)
		if err != nil {
			return fail(err, "release")
		}
		_, err = tx.Exec(ctx, "INSERT INTO release_records (release_id, seq, line) VALUES ($1, 1, $2)", id, nonNil(first))
		if err != nil {
			return fail(err, fmt.Sprintf("record 1 of release %d", id))
		}
		return nil
	})
	if err != nil {
		return err
	}
	rel.ID, rel.Records, rel.CreatedAt, rel.UpdatedAt = id, 1, now, now
	return nil
}

// AppendReleaseRecord stores line as record rel.Records of release rel.ID,
// in one statement: the compare-and-set UPDATE only matches a release whose
// trail still holds rel.Records-1 lines, and the INSERT stores the line
// only for a release it matched. Of two appends of the same record, the
// second waits for the first's row lock and then matches nothing.
func (s *Store) AppendReleaseRecord(ctx context.Context, rel *relsop.Release, line []byte) error {
	now := s.now()
	tag, err := s.pool.Exec(ctx, `
		WITH r AS (
			UPDATE releases SET state = $3, records = $2, head = $4, updated_at = $5
			WHERE id = $1 AND records = $2 - 1 RETURNING id
		)
		INSERT INTO release_records (release_id, seq, line)
		SELECT r.id, $2, $6::bytea FROM r`,
		rel.ID, rel.Records, rel.State, rel.Head, now, nonNil(line))
	if err != nil {
		return fail(err, fmt.Sprintf("record %d of release %d", rel.Records, rel.ID))
	}
	if tag.RowsAffected() == 0 {
		var records int
		err := s.pool.QueryRow(ctx, "SELECT records FROM releases WHERE id = $1", rel.ID).Scan(&records)
		if err != nil {
			return fail(err, fmt.Sprintf("release %d", rel.ID))
		}
		return relsop.Errorf(relsop.ECONFLICT, "release %d has %d records, not %d: someone else added a record first",
			rel.ID, records, rel.Records-1)
	}
	rel.UpdatedAt = now
	return nil
}

const releaseQuery = `
	SELECT r.id, r.document_id, r.revision, r.name, r.release_type, r.rehearsal, r.state, r.records, r.head,
		r.created_by, u.name, d.title, r.created_at, r.updated_at
	FROM releases r JOIN users u ON u.id = r.created_by JOIN documents d ON d.id = r.document_id`

func scanRelease(row pgx.Row) (relsop.Release, error) {
	var rel relsop.Release
	err := row.Scan(&rel.ID, &rel.DocumentID, &rel.Revision, &rel.Name, &rel.ReleaseType, &rel.Rehearsal, &rel.State,
		&rel.Records, &rel.Head, &rel.CreatedBy, &rel.CreatorName, &rel.SOPTitle, &rel.CreatedAt, &rel.UpdatedAt)
	rel.CreatedAt, rel.UpdatedAt = rel.CreatedAt.UTC(), rel.UpdatedAt.UTC()
	return rel, err
}

// ReleaseByID returns the release with the given id.
func (s *Store) ReleaseByID(ctx context.Context, id int64) (*relsop.Release, error) {
	rel, err := scanRelease(s.pool.QueryRow(ctx, releaseQuery+" WHERE r.id = $1", id))
	if err != nil {
		return nil, fail(err, fmt.Sprintf("release %d", id))
	}
	return &rel, nil
}

// Releases lists a document's releases, most recently started first, then
// newest first.
func (s *Store) Releases(ctx context.Context, documentID int64) ([]relsop.Release, error) {
	rows, _ := s.pool.Query(ctx, releaseQuery+" WHERE r.document_id = $1 ORDER BY r.created_at DESC, r.id DESC", documentID)
	rels, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (relsop.Release, error) {
		return scanRelease(row)
	})
	if err != nil {
		return nil, fail(err, fmt.Sprintf("releases of document %d", documentID))
	}
	return rels, nil
}

// WorkspaceReleases lists the releases of a workspace's documents in state
// (every state when empty), most recently updated first.
func (s *Store) WorkspaceReleases(ctx context.Context, workspaceID int64, state relsop.ReleaseState, limit int) ([]relsop.Release, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, _ := s.pool.Query(ctx, releaseQuery+` WHERE ($1 = 0 OR d.workspace_id = $1) AND ($2 = '' OR r.state = $2)
		ORDER BY r.updated_at DESC, r.id DESC LIMIT $3`, workspaceID, string(state), limit)
	rels, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (relsop.Release, error) {
		return scanRelease(row)
	})
	if err != nil {
		return nil, fail(err, fmt.Sprintf("releases of workspace %d", workspaceID))
	}
	return rels, nil
}

// ReleaseTrail returns the lines of a release's trail in order. Every
// release has its first record from the moment it is created, so no lines
// means no release.
func (s *Store) ReleaseTrail(ctx context.Context, releaseID int64) ([][]byte, error) {
	rows, _ := s.pool.Query(ctx, "SELECT line FROM release_records WHERE release_id = $1 ORDER BY seq", releaseID)
	lines, err := pgx.CollectRows(rows, pgx.RowTo[[]byte])
	if err != nil {
		return nil, fail(err, fmt.Sprintf("trail of release %d", releaseID))
	}
	if len(lines) == 0 {
		return nil, relsop.Errorf(relsop.ENOTFOUND, "release %d not found", releaseID)
	}
	return lines, nil
}

// ClaimReleaseAlert records alert key of a release once (store.go): the
// primary key lets one insert in.
func (s *Store) ClaimReleaseAlert(ctx context.Context, releaseID int64, key string) (bool, error) {
	tag, err := s.pool.Exec(ctx, `INSERT INTO release_alerts (release_id, key, created_at) VALUES ($1, $2, $3)
		ON CONFLICT (release_id, key) DO NOTHING`, releaseID, key, s.now())
	if err != nil {
		return false, fail(err, fmt.Sprintf("release %d", releaseID))
	}
	return tag.RowsAffected() == 1, nil
}
