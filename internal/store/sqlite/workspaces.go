package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/relsop/relsop"
)

// CreateWorkspace adds w and makes owner its owner, in one transaction.
func (s *Store) CreateWorkspace(ctx context.Context, w *relsop.Workspace, owner int64) error {
	created := s.stamp()
	var id int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO workspaces (name, created_at) VALUES (?, ?) RETURNING id`,
			w.Name, micros(created)).Scan(&id)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO members (workspace_id, user_id, role) VALUES (?, ?, ?)`,
			id, owner, relsop.RoleOwner)
		return err
	})
	if err != nil {
		return storeErr(err, "workspace")
	}
	w.ID, w.CreatedAt = id, created
	return nil
}

// WorkspaceByID returns the workspace with id.
func (s *Store) WorkspaceByID(ctx context.Context, id int64) (*relsop.Workspace, error) {
	var w relsop.Workspace
	var created int64
	err := s.read.QueryRowContext(ctx, `SELECT id, name, created_at FROM workspaces WHERE id = ?`, id).
		Scan(&w.ID, &w.Name, &created)
	if err != nil {
		return nil, storeErr(err, "workspace")
	}
	w.CreatedAt = fromMicros(created)
	return &w, nil
}

// Memberships lists the workspaces userID belongs to, by workspace id.
func (s *Store) Memberships(ctx context.Context, userID int64) ([]relsop.Membership, error) {
	rows, err := s.read.QueryContext(ctx, `
		SELECT w.id, w.name, w.created_at, m.role
		FROM members m JOIN workspaces w ON w.id = m.workspace_id
		WHERE m.user_id = ? ORDER BY w.id`, userID)
	if err != nil {
		return nil, storeErr(err, "memberships")
	}
	defer rows.Close()
	var list []relsop.Membership
	for rows.Next() {
		var m relsop.Membership
		var created int64
		if err := rows.Scan(&m.Workspace.ID, &m.Workspace.Name, &created, &m.Role); err != nil {
			return nil, storeErr(err, "memberships")
		}
		m.Workspace.CreatedAt = fromMicros(created)
		list = append(list, m)
	}
	return list, storeErr(rows.Err(), "memberships")
}

// memberQuery selects members with their user's name and email; callers
// add the WHERE clause.
const memberQuery = `
	SELECT m.workspace_id, m.user_id, m.role, u.name, u.email, u.mail_off, u.mail_digest
	FROM members m JOIN users u ON u.id = m.user_id `

func scanMember(row scanner) (relsop.Member, error) {
	var m relsop.Member
	err := row.Scan(&m.WorkspaceID, &m.UserID, &m.Role, &m.Name, &m.Email, &m.MailOff, &m.MailDigest)
	return m, err
}

// MemberOf returns userID's membership of workspaceID.
func (s *Store) MemberOf(ctx context.Context, workspaceID, userID int64) (*relsop.Member, error) {
	m, err := scanMember(s.read.QueryRowContext(ctx, memberQuery+`WHERE m.workspace_id = ? AND m.user_id = ?`, workspaceID, userID))
	if err != nil {
		return nil, storeErr(err, "member")
	}
	return &m, nil
}

// Members lists workspaceID's members by user id.
func (s *Store) Members(ctx context.Context, workspaceID int64) ([]relsop.Member, error) {
	rows, err := s.read.QueryContext(ctx, memberQuery+`WHERE m.workspace_id = ? ORDER BY m.user_id`, workspaceID)
	return collect(rows, err, "members", scanMember)
}

// SetMember adds m or changes its role.
func (s *Store) SetMember(ctx context.Context, m relsop.Member) error {
	_, err := s.write.ExecContext(ctx, `
		INSERT INTO members (workspace_id, user_id, role) VALUES (?, ?, ?)
		ON CONFLICT (workspace_id, user_id) DO UPDATE SET role = excluded.role`,
		m.WorkspaceID, m.UserID, m.Role)
	return storeErr(err, "member")
}

// RemoveMember takes userID out of workspaceID.
func (s *Store) RemoveMember(ctx context.Context, workspaceID, userID int64) error {
	res, err := s.write.ExecContext(ctx, `DELETE FROM members WHERE workspace_id = ? AND user_id = ?`, workspaceID, userID)
	if err != nil {
		return storeErr(err, "member")
	}
	return mustAffect(res, "member")
}

// CreateInvite adds inv.
func (s *Store) CreateInvite(ctx context.Context, inv *relsop.Invite) error {
	created, expires := s.given(inv.CreatedAt), inv.ExpiresAt.UTC().Truncate(time.Microsecond)
	_, err := s.write.ExecContext(ctx, `
		INSERT INTO invites (token_hash, workspace_id, role, created_by, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?)`,
		inv.TokenHash, inv.WorkspaceID, inv.Role, inv.CreatedBy, micros(created), micros(expires))
	if err != nil {
		return storeErr(err, "invite")
	}
	inv.CreatedAt, inv.ExpiresAt = created, expires
	return nil
}

// InviteByToken returns the invite with tokenHash unless it expired by now.
func (s *Store) InviteByToken(ctx context.Context, tokenHash string, now time.Time) (*relsop.Invite, error) {
	var inv relsop.Invite
	var created, expires int64
	err := s.read.QueryRowContext(ctx, `
		SELECT token_hash, workspace_id, role, created_by, created_at, expires_at FROM invites
		WHERE token_hash = ? AND expires_at > ?`, tokenHash, micros(now)).
		Scan(&inv.TokenHash, &inv.WorkspaceID, &inv.Role, &inv.CreatedBy, &created, &expires)
	if err != nil {
		return nil, storeErr(err, "invite")
	}
	inv.CreatedAt, inv.ExpiresAt = fromMicros(created), fromMicros(expires)
	return &inv, nil
}
