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

	t.Run("MailDigest", func(t *testing.T) {
		s := open(t)
		ann := newUser(t, s, "ann@example.com") // digest
		bob := newUser(t, s, "bob@example.com") // digest, but mail off
		cat := newUser(t, s, "cat@example.com") // an email each time
		dan := newUser(t, s, "dan@example.com") // digest
		ws := newWorkspace(t, s, "Digest", ann.ID)
		must(t, "SetMember", s.SetMember(t.Context(), relsop.Member{WorkspaceID: ws.ID, UserID: bob.ID, Role: relsop.RoleEditor}))
		if ann.MailDigest {
			t.Error("a new user asked for a digest; want not")
		}
		for _, id := range []int64{ann.ID, bob.ID, dan.ID} {
			must(t, "SetMailDigest", s.SetMailDigest(t.Context(), id, true))
		}
		must(t, "SetMailOff", s.SetMailOff(t.Context(), bob.ID, true))

		for _, u := range []struct {
			id   int64
			want bool
		}{{ann.ID, true}, {bob.ID, true}, {cat.ID, false}} {
			got, err := s.UserByID(t.Context(), u.id)
			must(t, "UserByID", err)
			if got.MailDigest != u.want {
				t.Errorf("UserByID(%d).MailDigest = %v, want %v", u.id, got.MailDigest, u.want)
			}
		}
		m, err := s.MemberOf(t.Context(), ws.ID, bob.ID)
		must(t, "MemberOf", err)
		if !m.MailDigest {
			t.Error("MemberOf: MailDigest = false, want true")
		}
		members, err := s.Members(t.Context(), ws.ID)
		must(t, "Members", err)
		if len(members) != 2 {
			t.Fatalf("Members: %d, want 2", len(members))
		}
		for _, m := range members {
			if !m.MailDigest {
				t.Errorf("Members: user %d MailDigest = false, want true", m.UserID)
			}
		}

		// due checks that DigestUsers lists exactly want, as UserByID
		// reads them, in order.
		due := func(day string, limit int, want ...*relsop.User) {
			t.Helper()
			got, err := s.DigestUsers(t.Context(), "", day, limit)
			must(t, "DigestUsers", err)
			var wantUsers []relsop.User
			for _, u := range want {
				stored, err := s.UserByID(t.Context(), u.ID)
				must(t, "UserByID", err)
				wantUsers = append(wantUsers, *stored)
			}
			if diff := cmp.Diff(wantUsers, got); diff != "" {
				t.Errorf("DigestUsers(%q, %d) (-want +got):\n%s", day, limit, diff)
			}
		}
		claim := func(u *relsop.User, day string, want bool) {
			t.Helper()
			got, err := s.ClaimDigest(t.Context(), u.ID, day)
			must(t, "ClaimDigest", err)
			if got != want {
				t.Errorf("ClaimDigest(%s, %q) = %v, want %v", u.Email, day, got, want)
			}
		}

		due("2026-11-26", 0, ann, dan)
		claim(ann, "2026-11-26", true)
		claim(ann, "2026-11-26", false)
		claim(ann, "2026-11-25", false) // a late server's claim for yesterday
		due("2026-11-26", 0, dan)
		due("2026-11-27", 0, ann, dan)
		claim(ann, "2026-11-27", true)
		due("2026-11-27", 0, dan)
		due("2026-11-28", 1, ann)
		due("2026-11-28", 2, ann, dan)

		must(t, "SetMailDigest off", s.SetMailDigest(t.Context(), dan.ID, false))
		due("2026-11-28", 0, ann)

		// Time zones: each zone's users are listed apart, with the day as
		// it is there; DigestZones lists the zones of those due any.
		zones := func(want ...string) {
			t.Helper()
			got, err := s.DigestZones(t.Context())
			must(t, "DigestZones", err)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("DigestZones (-want +got):\n%s", diff)
			}
		}
		zones("")
		must(t, "SetMailDigest", s.SetMailDigest(t.Context(), dan.ID, true))
		must(t, "SetTimeZone", s.SetTimeZone(t.Context(), dan.ID, "Pacific/Auckland"))
		must(t, "SetMailDigest", s.SetMailDigest(t.Context(), cat.ID, true))
		must(t, "SetTimeZone", s.SetTimeZone(t.Context(), cat.ID, "America/New_York"))
		must(t, "SetTimeZone", s.SetTimeZone(t.Context(), bob.ID, "Asia/Tokyo")) // mail off: in no zone's list
		zones("", "America/New_York", "Pacific/Auckland")
		if got, err := s.UserByID(t.Context(), dan.ID); err != nil || got.TimeZone != "Pacific/Auckland" {
			t.Errorf("UserByID(dan).TimeZone = %+v, %v; want Pacific/Auckland", got, err)
		}
		due("2026-11-28", 0, ann) // the server's zone: dan is no longer in it
		inZone := func(zone, day string, want ...*relsop.User) {
			t.Helper()
			got, err := s.DigestUsers(t.Context(), zone, day, 0)
			must(t, "DigestUsers", err)
			var ids, wantIDs []int64
			for _, u := range got {
				ids = append(ids, u.ID)
				if u.TimeZone != zone {
					t.Errorf("DigestUsers(%q) lists %s of %q", zone, u.Email, u.TimeZone)
				}
			}
			for _, u := range want {
				wantIDs = append(wantIDs, u.ID)
			}
			if diff := cmp.Diff(wantIDs, ids); diff != "" {
				t.Errorf("DigestUsers(%q, %q) (-want +got):\n%s", zone, day, diff)
			}
		}
		inZone("Pacific/Auckland", "2026-11-29", dan)
		inZone("America/New_York", "2026-11-28", cat)
		inZone("Asia/Tokyo", "2026-11-28")
		claim(dan, "2026-11-29", true)
		inZone("Pacific/Auckland", "2026-11-29")
		must(t, "SetTimeZone back", s.SetTimeZone(t.Context(), dan.ID, ""))
		due("2026-11-29", 0, ann) // dan's summary for the 29th is claimed
		due("2026-11-30", 0, ann, dan)
		wantCode(t, "SetTimeZone of no user", s.SetTimeZone(t.Context(), dan.ID+1000, "UTC"), relsop.ENOTFOUND)

		wantCode(t, "SetMailDigest of no user", s.SetMailDigest(t.Context(), dan.ID+1000, true), relsop.ENOTFOUND)
		_, err = s.ClaimDigest(t.Context(), dan.ID+1000, "2026-11-26")
		wantCode(t, "ClaimDigest of no user", err, relsop.ENOTFOUND)
	})

	t.Run("ConcurrentClaimDigest", func(t *testing.T) {
		s := open(t)
		u := newUser(t, s, "ann@example.com")
		must(t, "SetMailDigest", s.SetMailDigest(t.Context(), u.ID, true))
		// Eight servers claim one summary at once: one sends it.
		const n = 8
		claimed := make([]bool, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() { claimed[i], errs[i] = s.ClaimDigest(t.Context(), u.ID, "2026-11-26") })
		}
		wg.Wait()
		won := 0
		for i := range n {
			must(t, "ClaimDigest", errs[i])
			if claimed[i] {
				won++
			}
		}
		if won != 1 {
			t.Errorf("%d of %d racing claims won, want 1", won, n)
		}
	})
}
