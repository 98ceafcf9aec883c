package workspace

import (
	"context"
	"strings"

	"github.com/relsop/relsop"
)

// Workspaces lists the signed-in user's workspaces.
func (s *Service) Workspaces(ctx context.Context) ([]relsop.Membership, error) {
	u, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	return s.store.Memberships(ctx, u.ID)
}

// CreateWorkspace makes a workspace owned by the signed-in user.
func (s *Service) CreateWorkspace(ctx context.Context, name string) (*relsop.Membership, error) {
	u, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	name = strings.TrimSpace(name)
	if err := checkText("workspace name", name, maxName); err != nil {
		return nil, err
	}
	ws := &relsop.Workspace{Name: name}
	if err := s.store.CreateWorkspace(ctx, ws, u.ID); err != nil {
		return nil, err
	}
	return &relsop.Membership{Workspace: *ws, Role: relsop.RoleOwner}, nil
}

// Members lists a workspace's members; any member may see them (to mention
// them in comments).
func (s *Service) Members(ctx context.Context, workspaceID int64) ([]relsop.Member, error) {
	if _, err := s.access(ctx, workspaceID, relsop.RoleViewer, "workspace"); err != nil {
		return nil, err
	}
	return s.store.Members(ctx, workspaceID)
}

// SetMemberRole changes a member's role (owners only). The last owner
// cannot step down, so a workspace always has one.
func (s *Service) SetMemberRole(ctx context.Context, workspaceID, userID int64, role relsop.MemberRole) (*relsop.Member, error) {
	if _, err := s.access(ctx, workspaceID, relsop.RoleOwner, "workspace"); err != nil {
		return nil, err
	}
	if role.Rank() == 0 {
		return nil, relsop.Errorf(relsop.EINVALID, "The role must be owner, editor or viewer, not %q.", role)
	}
	m, err := s.store.MemberOf(ctx, workspaceID, userID)
	if err != nil {
		return nil, err
	}
	if m.Role == relsop.RoleOwner && role != relsop.RoleOwner {
		if err := s.keepAnOwner(ctx, workspaceID); err != nil {
			return nil, err
		}
	}
	m.Role = role
	if err := s.store.SetMember(ctx, *m); err != nil {
		return nil, err
	}
	return m, nil
}

// RemoveMember takes a user out of a workspace (owners only; anyone may
// leave). The last owner cannot leave.
func (s *Service) RemoveMember(ctx context.Context, workspaceID, userID int64) error {
	need := relsop.RoleOwner
	if u := UserFrom(ctx); u != nil && u.ID == userID {
		need = relsop.RoleViewer
	}
	if _, err := s.access(ctx, workspaceID, need, "workspace"); err != nil {
		return err
	}
	m, err := s.store.MemberOf(ctx, workspaceID, userID)
	if err != nil {
		return err
	}
	if m.Role == relsop.RoleOwner {
		if err := s.keepAnOwner(ctx, workspaceID); err != nil {
			return err
		}
	}
	return s.store.RemoveMember(ctx, workspaceID, userID)
}

func (s *Service) keepAnOwner(ctx context.Context, workspaceID int64) error {
	ms, err := s.store.Members(ctx, workspaceID)
	if err != nil {
		return err
	}
	owners := 0
	for _, m := range ms {
		if m.Role == relsop.RoleOwner {
			owners++
		}
	}
	if owners <= 1 {
		return relsop.Errorf(relsop.EINVALID, "A workspace needs an owner; make someone else owner first.")
	}
	return nil
}

// CreateInvite makes an invite link for a role (owners only) and returns
// it with its token, which goes into the link.
func (s *Service) CreateInvite(ctx context.Context, workspaceID int64, role relsop.MemberRole) (*relsop.Invite, string, error) {
	m, err := s.access(ctx, workspaceID, relsop.RoleOwner, "workspace")
	if err != nil {
		return nil, "", err
	}
	if role == "" {
		role = relsop.RoleEditor
	}
	if role.Rank() == 0 {
		return nil, "", relsop.Errorf(relsop.EINVALID, "The role must be owner, editor or viewer, not %q.", role)
	}
	token := RandomToken()
	now := s.now()
	inv := &relsop.Invite{TokenHash: hashToken(token), WorkspaceID: workspaceID, Role: role, CreatedBy: m.UserID, CreatedAt: now, ExpiresAt: now.Add(InviteLifetime)}
	if err := s.store.CreateInvite(ctx, inv); err != nil {
		return nil, "", err
	}
	return inv, token, nil
}

// AcceptInvite adds the signed-in user to the invite's workspace. A member
// keeps a higher role than the invite's.
func (s *Service) AcceptInvite(ctx context.Context, token string) (*relsop.Membership, error) {
	u, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	inv, err := s.store.InviteByToken(ctx, hashToken(token), s.now())
	if relsop.ErrorCode(err) == relsop.ENOTFOUND {
		return nil, relsop.Errorf(relsop.ENOTFOUND, "This invite link is not valid or has expired; ask for a new one.")
	}
	if err != nil {
		return nil, err
	}
	role := inv.Role
	if m, err := s.store.MemberOf(ctx, inv.WorkspaceID, u.ID); err == nil && m.Role.Rank() > role.Rank() {
		role = m.Role
	}
	if err := s.store.SetMember(ctx, relsop.Member{WorkspaceID: inv.WorkspaceID, UserID: u.ID, Role: role}); err != nil {
		return nil, err
	}
	ws, err := s.store.WorkspaceByID(ctx, inv.WorkspaceID)
	if err != nil {
		return nil, err
	}
	return &relsop.Membership{Workspace: *ws, Role: role}, nil
}
