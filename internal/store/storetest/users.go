package storetest

import (
	"fmt"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/relsop/relsop"
)

func testUsers(t *testing.T, open Opener) {
	t.Run("CreateAndRead", func(t *testing.T) {
		s := open(t)
		u := &relsop.User{Email: "Ann@Example.COM", Name: "Ann", PasswordHash: "$2a$10$hash"}
		must(t, "CreateUser", s.CreateUser(t.Context(), u))
		if u.ID <= 0 {
			t.Errorf("ID = %d, want > 0", u.ID)
		}
		checkStamp(t, "CreatedAt", u.CreatedAt)
		want := relsop.User{ID: u.ID, Email: "ann@example.com", Name: "Ann", PasswordHash: "$2a$10$hash", Admin: true, CreatedAt: u.CreatedAt}

		got, err := s.UserByID(t.Context(), u.ID)
		must(t, "UserByID", err)
		if diff := cmp.Diff(&want, got); diff != "" {
			t.Errorf("UserByID (-want +got):\n%s", diff)
		}
		checkUTC(t, "UserByID CreatedAt", got.CreatedAt)

		for _, email := range []string{"ann@example.com", "ANN@EXAMPLE.COM", "aNn@example.Com"} {
			got, err := s.UserByEmail(t.Context(), email)
			must(t, "UserByEmail "+email, err)
			if diff := cmp.Diff(&want, got); diff != "" {
				t.Errorf("UserByEmail(%q) (-want +got):\n%s", email, diff)
			}
		}
	})

	t.Run("OnlyFirstIsAdmin", func(t *testing.T) {
		s := open(t)
		first := newUser(t, s, "first@example.com")
		second := newUser(t, s, "second@example.com")
		if !first.Admin || second.Admin {
			t.Errorf("Admin after create: first %v, second %v; want true, false", first.Admin, second.Admin)
		}
		for _, u := range []*relsop.User{first, second} {
			got, err := s.UserByID(t.Context(), u.ID)
			must(t, "UserByID", err)
			if got.Admin != u.Admin {
				t.Errorf("%s: stored Admin %v, struct says %v", u.Email, got.Admin, u.Admin)
			}
		}
	})

	t.Run("ConcurrentFirstUsers", func(t *testing.T) {
		s := open(t)
		const n = 8
		users := make([]*relsop.User, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			users[i] = &relsop.User{Email: fmt.Sprintf("racer%d@example.com", i), Name: "Racer", PasswordHash: "x"}
			wg.Go(func() { errs[i] = s.CreateUser(t.Context(), users[i]) })
		}
		wg.Wait()
		admins := 0
		for i, u := range users {
			must(t, "CreateUser "+u.Email, errs[i])
			got, err := s.UserByID(t.Context(), u.ID)
			must(t, "UserByID", err)
			if got.Admin != u.Admin {
				t.Errorf("%s: stored Admin %v, struct says %v", u.Email, got.Admin, u.Admin)
			}
			if got.Admin {
				admins++
			}
		}
		if admins != 1 {
			t.Errorf("%d admins among %d users created at once, want exactly 1", admins, n)
		}
	})

	t.Run("EmailUnique", func(t *testing.T) {
		tests := []struct{ first, second string }{
			{"bob@example.com", "bob@example.com"},
			{"bob@example.com", "BOB@Example.com"},
			{"Bob@Example.com", "bob@example.COM"},
			{"ÜLLA@example.com", "ülla@example.com"},
		}
		for _, tt := range tests {
			t.Run(tt.second, func(t *testing.T) {
				s := open(t)
				newUser(t, s, tt.first)
				err := s.CreateUser(t.Context(), &relsop.User{Email: tt.second, Name: "Other", PasswordHash: "x"})
				wantCode(t, "CreateUser with a taken email", err, relsop.ECONFLICT)
			})
		}
	})

	t.Run("EmailStoredLowerCase", func(t *testing.T) {
		s := open(t)
		u := newUser(t, s, "ÜLLA@Example.COM")
		got, err := s.UserByID(t.Context(), u.ID)
		must(t, "UserByID", err)
		if got.Email != "ülla@example.com" {
			t.Errorf("Email = %q, want %q", got.Email, "ülla@example.com")
		}
		if _, err := s.UserByEmail(t.Context(), "Ülla@example.com"); err != nil {
			t.Errorf("UserByEmail in another case: %v", err)
		}
	})

	t.Run("NotFound", func(t *testing.T) {
		s := open(t)
		u := newUser(t, s, "ann@example.com")
		_, err := s.UserByID(t.Context(), u.ID+1000)
		wantCode(t, "UserByID", err, relsop.ENOTFOUND)
		_, err = s.UserByEmail(t.Context(), "nobody@example.com")
		wantCode(t, "UserByEmail", err, relsop.ENOTFOUND)
		_, err = s.UserByEmail(t.Context(), "ann@example.co")
		wantCode(t, "UserByEmail of a prefix", err, relsop.ENOTFOUND)
	})

	t.Run("MailOff", func(t *testing.T) {
		s := open(t)
		ann := newUser(t, s, "ann@example.com")
		bob := newUser(t, s, "bob@example.com")
		ws := newWorkspace(t, s, "Mail", ann.ID)
		must(t, "SetMember", s.SetMember(t.Context(), relsop.Member{WorkspaceID: ws.ID, UserID: bob.ID, Role: relsop.RoleEditor}))
		if ann.MailOff {
			t.Error("a new user has mail off; want on")
		}
		must(t, "SetMailOff", s.SetMailOff(t.Context(), bob.ID, true))
		check := func(wantAnn, wantBob bool) {
			t.Helper()
			for _, u := range []struct {
				id   int64
				want bool
			}{{ann.ID, wantAnn}, {bob.ID, wantBob}} {
				got, err := s.UserByID(t.Context(), u.id)
				must(t, "UserByID", err)
				if got.MailOff != u.want {
					t.Errorf("UserByID(%d).MailOff = %v, want %v", u.id, got.MailOff, u.want)
				}
				m, err := s.MemberOf(t.Context(), ws.ID, u.id)
				must(t, "MemberOf", err)
				if m.MailOff != u.want {
					t.Errorf("MemberOf(%d).MailOff = %v, want %v", u.id, m.MailOff, u.want)
				}
			}
			members, err := s.Members(t.Context(), ws.ID)
			must(t, "Members", err)
			for _, m := range members {
				if want := map[int64]bool{ann.ID: wantAnn, bob.ID: wantBob}[m.UserID]; m.MailOff != want {
					t.Errorf("Members: user %d MailOff = %v, want %v", m.UserID, m.MailOff, want)
				}
			}
		}
		check(false, true)
		must(t, "SetMailOff back on", s.SetMailOff(t.Context(), bob.ID, false))
		check(false, false)
		wantCode(t, "SetMailOff of no user", s.SetMailOff(t.Context(), bob.ID+1000, true), relsop.ENOTFOUND)
	})
}
