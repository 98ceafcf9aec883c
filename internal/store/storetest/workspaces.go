package storetest

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/relsop/relsop"
)

func testWorkspaces(t *testing.T, open Opener) {
	t.Run("CreateMakesOwner", func(t *testing.T) {
		s := open(t)
		ann := newUser(t, s, "Ann@example.com")
		w := newWorkspace(t, s, "Platform", ann.ID)
		if w.ID <= 0 {
			t.Errorf("ID = %d, want > 0", w.ID)
		}
		checkStamp(t, "CreatedAt", w.CreatedAt)

		got, err := s.WorkspaceByID(t.Context(), w.ID)
		must(t, "WorkspaceByID", err)
		if diff := cmp.Diff(&relsop.Workspace{ID: w.ID, Name: "Platform", CreatedAt: w.CreatedAt}, got); diff != "" {
			t.Errorf("WorkspaceByID (-want +got):\n%s", diff)
		}
		checkUTC(t, "CreatedAt", got.CreatedAt)

		m, err := s.MemberOf(t.Context(), w.ID, ann.ID)
		must(t, "MemberOf", err)
		want := &relsop.Member{WorkspaceID: w.ID, UserID: ann.ID, Role: relsop.RoleOwner, Name: ann.Name, Email: "ann@example.com"}
		if diff := cmp.Diff(want, m); diff != "" {
			t.Errorf("MemberOf the creator (-want +got):\n%s", diff)
		}
	})

	t.Run("NotFound", func(t *testing.T) {
		s := open(t)
		ann := newUser(t, s, "ann@example.com")
		w := newWorkspace(t, s, "Platform", ann.ID)
		_, err := s.WorkspaceByID(t.Context(), w.ID+1000)
		wantCode(t, "WorkspaceByID", err, relsop.ENOTFOUND)
	})

	t.Run("Memberships", func(t *testing.T) {
		s := open(t)
		ann := newUser(t, s, "ann@example.com")
		bob := newUser(t, s, "bob@example.com")
		w1 := newWorkspace(t, s, "Zeta", bob.ID) // ann joins as editor
		w2 := newWorkspace(t, s, "Alpha", ann.ID)
		newWorkspace(t, s, "Other", bob.ID) // ann is not a member
		w4 := newWorkspace(t, s, "Beta", bob.ID)
		must(t, "SetMember", s.SetMember(t.Context(), relsop.Member{WorkspaceID: w4.ID, UserID: ann.ID, Role: relsop.RoleViewer}))
		must(t, "SetMember", s.SetMember(t.Context(), relsop.Member{WorkspaceID: w1.ID, UserID: ann.ID, Role: relsop.RoleEditor}))

		got, err := s.Memberships(t.Context(), ann.ID)
		must(t, "Memberships", err)
		want := []relsop.Membership{
			{Workspace: *w1, Role: relsop.RoleEditor},
			{Workspace: *w2, Role: relsop.RoleOwner},
			{Workspace: *w4, Role: relsop.RoleViewer},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Memberships (-want +got):\n%s", diff)
		}
		for _, m := range got {
			checkUTC(t, "Workspace.CreatedAt", m.Workspace.CreatedAt)
		}

		carl := newUser(t, s, "carl@example.com")
		got, err = s.Memberships(t.Context(), carl.ID)
		must(t, "Memberships of a user in no workspace", err)
		if diff := cmp.Diff([]relsop.Membership(nil), got, equateEmpty); diff != "" {
			t.Errorf("Memberships of a user in no workspace (-want +got):\n%s", diff)
		}
	})
}

func testMembers(t *testing.T, open Opener) {
	// setup makes three users and a workspace owned by the last of them, so
	// that listing by user id differs from the order members were added in.
	setup := func(t *testing.T) (relsop.Store, *relsop.Workspace, []*relsop.User) {
		s := open(t)
		users := []*relsop.User{
			newUser(t, s, "ann@example.com"),
			newUser(t, s, "bob@example.com"),
			newUser(t, s, "carl@example.com"),
		}
		w := newWorkspace(t, s, "Platform", users[2].ID)
		return s, w, users
	}
	member := func(w *relsop.Workspace, u *relsop.User, role relsop.MemberRole) relsop.Member {
		return relsop.Member{WorkspaceID: w.ID, UserID: u.ID, Role: role, Name: u.Name, Email: u.Email}
	}

	t.Run("ListByUserID", func(t *testing.T) {
		s, w, users := setup(t)
		other := newWorkspace(t, s, "Other", users[0].ID)
		must(t, "SetMember", s.SetMember(t.Context(), relsop.Member{WorkspaceID: w.ID, UserID: users[1].ID, Role: relsop.RoleEditor}))
		must(t, "SetMember", s.SetMember(t.Context(), relsop.Member{WorkspaceID: w.ID, UserID: users[0].ID, Role: relsop.RoleViewer}))

		got, err := s.Members(t.Context(), w.ID)
		must(t, "Members", err)
		want := []relsop.Member{
			member(w, users[0], relsop.RoleViewer),
			member(w, users[1], relsop.RoleEditor),
			member(w, users[2], relsop.RoleOwner),
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Members (-want +got):\n%s", diff)
		}

		got, err = s.Members(t.Context(), other.ID)
		must(t, "Members of the other workspace", err)
		if diff := cmp.Diff([]relsop.Member{member(other, users[0], relsop.RoleOwner)}, got); diff != "" {
			t.Errorf("Members of the other workspace (-want +got):\n%s", diff)
		}
	})

	t.Run("SetMemberChangesRole", func(t *testing.T) {
		s, w, users := setup(t)
		for _, role := range []relsop.MemberRole{relsop.RoleViewer, relsop.RoleEditor, relsop.RoleOwner, relsop.RoleViewer} {
			must(t, "SetMember "+string(role), s.SetMember(t.Context(), relsop.Member{WorkspaceID: w.ID, UserID: users[0].ID, Role: role}))
			got, err := s.MemberOf(t.Context(), w.ID, users[0].ID)
			must(t, "MemberOf", err)
			if diff := cmp.Diff(member(w, users[0], role), *got); diff != "" {
				t.Errorf("MemberOf after SetMember %s (-want +got):\n%s", role, diff)
			}
		}
		list, err := s.Members(t.Context(), w.ID)
		must(t, "Members", err)
		if len(list) != 2 {
			t.Errorf("Members has %d entries after changing a role 4 times, want 2: %+v", len(list), list)
		}
	})

	t.Run("Remove", func(t *testing.T) {
		s, w, users := setup(t)
		must(t, "SetMember", s.SetMember(t.Context(), relsop.Member{WorkspaceID: w.ID, UserID: users[0].ID, Role: relsop.RoleEditor}))
		must(t, "SetMember", s.SetMember(t.Context(), relsop.Member{WorkspaceID: w.ID, UserID: users[1].ID, Role: relsop.RoleEditor}))
		must(t, "RemoveMember", s.RemoveMember(t.Context(), w.ID, users[0].ID))

		_, err := s.MemberOf(t.Context(), w.ID, users[0].ID)
		wantCode(t, "MemberOf after RemoveMember", err, relsop.ENOTFOUND)
		got, err := s.Members(t.Context(), w.ID)
		must(t, "Members", err)
		want := []relsop.Member{member(w, users[1], relsop.RoleEditor), member(w, users[2], relsop.RoleOwner)}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Members after RemoveMember (-want +got):\n%s", diff)
		}
		wantCode(t, "RemoveMember twice", s.RemoveMember(t.Context(), w.ID, users[0].ID), relsop.ENOTFOUND)
		if _, err := s.UserByID(t.Context(), users[0].ID); err != nil {
			t.Errorf("RemoveMember removed the user: %v", err)
		}
	})

	t.Run("NotAMember", func(t *testing.T) {
		s, w, users := setup(t)
		_, err := s.MemberOf(t.Context(), w.ID, users[0].ID)
		wantCode(t, "MemberOf a non-member", err, relsop.ENOTFOUND)
		_, err = s.MemberOf(t.Context(), w.ID+1000, users[2].ID)
		wantCode(t, "MemberOf a missing workspace", err, relsop.ENOTFOUND)
	})
}

func testInvites(t *testing.T, open Opener) {
	setup := func(t *testing.T) (relsop.Store, *relsop.Invite) {
		s := open(t)
		ann := newUser(t, s, "ann@example.com")
		w := newWorkspace(t, s, "Platform", ann.ID)
		inv := &relsop.Invite{TokenHash: "ff00", WorkspaceID: w.ID, Role: relsop.RoleEditor, CreatedBy: ann.ID, CreatedAt: at(0), ExpiresAt: at(72 * time.Hour)}
		must(t, "CreateInvite", s.CreateInvite(t.Context(), inv))
		checkStamp(t, "CreatedAt", inv.CreatedAt)
		return s, inv
	}

	t.Run("CreateAndRead", func(t *testing.T) {
		s, inv := setup(t)
		got, err := s.InviteByToken(t.Context(), "ff00", at(time.Hour))
		must(t, "InviteByToken", err)
		want := *inv
		want.ExpiresAt = at(72 * time.Hour)
		if diff := cmp.Diff(&want, got); diff != "" {
			t.Errorf("InviteByToken (-want +got):\n%s", diff)
		}
		checkUTC(t, "CreatedAt", got.CreatedAt)
		checkUTC(t, "ExpiresAt", got.ExpiresAt)
	})

	t.Run("Expired", func(t *testing.T) {
		s, _ := setup(t)
		_, err := s.InviteByToken(t.Context(), "ff00", at(72*time.Hour+time.Second))
		wantCode(t, "InviteByToken after expiry", err, relsop.ENOTFOUND)
	})

	t.Run("NotFound", func(t *testing.T) {
		s, _ := setup(t)
		_, err := s.InviteByToken(t.Context(), "ff01", at(0))
		wantCode(t, "InviteByToken", err, relsop.ENOTFOUND)
	})

	t.Run("TokenUnique", func(t *testing.T) {
		s, inv := setup(t)
		again := *inv
		again.Role = relsop.RoleViewer
		wantCode(t, "CreateInvite with a taken token", s.CreateInvite(t.Context(), &again), relsop.ECONFLICT)
	})
}
