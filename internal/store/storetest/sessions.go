package storetest

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/relsop/relsop"
)

func testSessions(t *testing.T, open Opener) {
	newSession := func(t *testing.T, s relsop.Store, userID int64, token string) *relsop.Session {
		t.Helper()
		sess := &relsop.Session{TokenHash: token, UserID: userID, CSRF: "csrf-" + token, CreatedAt: at(0), ExpiresAt: at(time.Hour)}
		must(t, "CreateSession", s.CreateSession(t.Context(), sess))
		return sess
	}

	t.Run("CreateAndRead", func(t *testing.T) {
		s := open(t)
		u := newUser(t, s, "ann@example.com")
		sess := newSession(t, s, u.ID, "aa11")
		checkStamp(t, "CreatedAt", sess.CreatedAt)
		want := relsop.Session{TokenHash: "aa11", UserID: u.ID, CSRF: "csrf-aa11", CreatedAt: sess.CreatedAt, ExpiresAt: at(time.Hour)}

		got, err := s.SessionByToken(t.Context(), "aa11", at(time.Minute))
		must(t, "SessionByToken", err)
		if diff := cmp.Diff(&want, got); diff != "" {
			t.Errorf("SessionByToken (-want +got):\n%s", diff)
		}
		checkUTC(t, "CreatedAt", got.CreatedAt)
		checkUTC(t, "ExpiresAt", got.ExpiresAt)
	})

	t.Run("Expired", func(t *testing.T) {
		s := open(t)
		u := newUser(t, s, "ann@example.com")
		newSession(t, s, u.ID, "aa11")
		_, err := s.SessionByToken(t.Context(), "aa11", at(time.Hour+time.Second))
		wantCode(t, "SessionByToken after expiry", err, relsop.ENOTFOUND)
		_, err = s.SessionByToken(t.Context(), "aa11", at(time.Hour-time.Second))
		if err != nil {
			t.Errorf("SessionByToken before expiry: %v", err)
		}
	})

	t.Run("NotFound", func(t *testing.T) {
		s := open(t)
		u := newUser(t, s, "ann@example.com")
		newSession(t, s, u.ID, "aa11")
		_, err := s.SessionByToken(t.Context(), "bb22", at(0))
		wantCode(t, "SessionByToken", err, relsop.ENOTFOUND)
		_, err = s.SessionByToken(t.Context(), "AA11", at(0))
		wantCode(t, "SessionByToken in another case", err, relsop.ENOTFOUND)
	})

	t.Run("TokenUnique", func(t *testing.T) {
		s := open(t)
		u := newUser(t, s, "ann@example.com")
		newSession(t, s, u.ID, "aa11")
		err := s.CreateSession(t.Context(), &relsop.Session{TokenHash: "aa11", UserID: u.ID, CSRF: "c", CreatedAt: at(0), ExpiresAt: at(time.Hour)})
		wantCode(t, "CreateSession with a taken token", err, relsop.ECONFLICT)
	})

	t.Run("Delete", func(t *testing.T) {
		s := open(t)
		u := newUser(t, s, "ann@example.com")
		newSession(t, s, u.ID, "aa11")
		newSession(t, s, u.ID, "bb22")
		must(t, "DeleteSession", s.DeleteSession(t.Context(), "aa11"))
		_, err := s.SessionByToken(t.Context(), "aa11", at(0))
		wantCode(t, "SessionByToken after delete", err, relsop.ENOTFOUND)
		if _, err := s.SessionByToken(t.Context(), "bb22", at(0)); err != nil {
			t.Errorf("the other session is gone too: %v", err)
		}
		wantCode(t, "DeleteSession twice", s.DeleteSession(t.Context(), "aa11"), relsop.ENOTFOUND)
	})
}
