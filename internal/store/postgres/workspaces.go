package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/relsop/relsop"
)

// CreateWorkspace adds w and makes owner its owner, in one transaction.
func (s *Store) CreateWorkspace(ctx context.Context, w *relsop.Workspace, owner int64) error {
	created := s.now()
	var id int64
	err := inTx(ctx, s.pool, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, "INSERT INTO workspaces (name, created_at) VALUES ($1, $2) RETURNING id",
			w.Name, created).Scan(&id)
		if err != nil {
			return fail(err, "workspace")
		}
		_, err = tx.Exec(ctx, "INSERT INTO members (workspace_id, user_id, role) VALUES ($1, $2, $3)",
			id, owner, relsop.RoleOwner)
		if err != nil {
			return fail(err, "the workspace's owner")
		}
		return nil
	})
	if err != nil {
		return err
	}
	w.ID, w.CreatedAt = id, created
	return nil
}

// WorkspaceByID returns the workspace with the given id.
func (s *Store) WorkspaceByID(ctx context.Context, id int64) (*relsop.Workspace, error) {
	var w relsop.Workspace
	err := s.pool.QueryRow(ctx, "SELECT id, name, created_at FROM workspaces WHERE id = $1", id).
		Scan(&w.ID, &w.Name, &w.CreatedAt)
	if err != nil {
		return nil, fail(err, "workspace")
	}
	w.CreatedAt = w.CreatedAt.UTC()
	return &w, nil
}

// Memberships lists the workspaces a user belongs to, by workspace id.
func (s *Store) Memberships(ctx context.Context, userID int64) ([]relsop.Membership, error) {
	rows, _ := s.pool.Query(ctx, `
		SELECT w.id, w.name, w.created_at, m.role
		FROM members m JOIN workspaces w ON w.id = m.workspace_id
		WHERE m.user_id = $1 ORDER BY w.id`, userID)
	ms, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (relsop.Membership, error) {
		var m relsop.Membership
		err := row.Scan(&m.Workspace.ID, &m.Workspace.Name, &m.Workspace.CreatedAt, &m.Role)
		m.Workspace.CreatedAt = m.Workspace.CreatedAt.UTC()
		return m, err
	})
	if err != nil {
		return nil, fail(err, "memberships")
	}
	return ms, nil
}

const memberQuery = `
	SELECT m.workspace_id, m.user_id, m.role, u.name, u.email, u.mail_off, u.mail_digest
	FROM members m JOIN users u ON u.id = m.user_id`

func scanMember(row pgx.Row) (relsop.Member, error) {
	var m relsop.Member
	err := row.Scan(&m.WorkspaceID, &m.UserID, &m.Role, &m.Name, &m.Email, &m.MailOff, &m.MailDigest)
	return m, err
}

// MemberOf returns the user's membership of the workspace.
func (s *Store) MemberOf(ctx context.Context, workspaceID, userID int64) (*relsop.Member, error) {
	m, err := scanMember(s.pool.QueryRow(ctx, memberQuery+" WHERE m.workspace_id = $1 AND m.user_id = $2",
		workspaceID, userID))
	if err != nil {
		return nil, fail(err, "member")
	}
	return &m, nil
}

// Members lists a workspace's members by user id.
func (s *Store) Members(ctx context.Context, workspaceID int64) ([]relsop.Member, error) {
	rows, _ := s.pool.Query(ctx, memberQuery+" WHERE m.workspace_id = $1 ORDER BY m.user_id", workspaceID)
	ms, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (relsop.Member, error) {
		return scanMember(row)
	})
	if err != nil {
		return nil, fail(err, "members")
	}
	return ms, nil
}

// SetMember adds a member or changes a member's role.
func (s *Store) SetMember(ctx context.Context, m relsop.Member) error {
	_, err := s.pool.Exec(ctx, `
		INSERT INTO members (workspace_id, user_id, role) VALUES ($1, $2, $3)
		ON CONFLICT (workspace_id, user_id) DO UPDATE SET role = excluded.role`,
		m.WorkspaceID, m.UserID, m.Role)
	if err != nil {
		return fail(err, "member")
	}
	return nil
}

// RemoveMember removes a user from a workspace; ENOTFOUND when the user
// is not a member.
func (s *Store) RemoveMember(ctx context.Context, workspaceID, userID int64) error {
	tag, err := s.pool.Exec(ctx, "DELETE FROM members WHERE workspace_id = $1 AND user_id = $2", workspaceID, userID)
	return affected(tag, err, "member")
}

// CreateInvite adds inv, setting its CreatedAt when it is zero.
func (s *Store) CreateInvite(ctx context.Context, inv *relsop.Invite) error {
	created := utc(inv.CreatedAt)
	if inv.CreatedAt.IsZero() {
		created = s.now()
	}
	expires := utc(inv.ExpiresAt)
	_, err := s.pool.Exec(ctx, `
		INSERT INTO invites (token_hash, workspace_id, role, created_by, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6)`,
		inv.TokenHash, inv.WorkspaceID, inv.Role, inv.CreatedBy, created, expires)
	if err != nil {
		return fail(err, "invite")
	}
	inv.CreatedAt, inv.ExpiresAt = created, expires
	return nil
}

// InviteByToken returns the invite with the given token hash if it has
// not expired by now.
func (s *Store) InviteByToken(ctx context.Context, tokenHash string, now time.Time) (*relsop.Invite, error) {
	var inv relsop.Invite
	err := s.pool.QueryRow(ctx, `
		SELECT token_hash, workspace_id, role, created_by, created_at, expires_at FROM invites
		WHERE token_hash = $1 AND expires_at > $2`, tokenHash, utc(now)).
		Scan(&inv.TokenHash, &inv.WorkspaceID, &inv.Role, &inv.CreatedBy, &inv.CreatedAt, &inv.ExpiresAt)
	if err != nil {
		return nil, fail(err, "invite")
	}
	inv.CreatedAt, inv.ExpiresAt = inv.CreatedAt.UTC(), inv.ExpiresAt.UTC()
	return &inv, nil
}
