package storetest

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/relsop/relsop"
)

func testAPITokens(t *testing.T, open Opener) {
	newToken := func(t *testing.T, s relsop.Store, userID int64, name, hash string) *relsop.APIToken {
		t.Helper()
		tok := &relsop.APIToken{UserID: userID, Name: name, TokenHash: hash, CreatedAt: at(0)}
		must(t, "CreateAPIToken", s.CreateAPIToken(t.Context(), tok))
		if tok.ID <= 0 {
			t.Errorf("ID = %d, want > 0", tok.ID)
		}
		checkStamp(t, "CreatedAt", tok.CreatedAt)
		return tok
	}

	t.Run("ListByID", func(t *testing.T) {
		s := open(t)
		ann := newUser(t, s, "ann@example.com")
		bob := newUser(t, s, "bob@example.com")
		a1 := newToken(t, s, ann.ID, "laptop", "h1")
		newToken(t, s, bob.ID, "ci", "h2")
		a2 := newToken(t, s, ann.ID, "ci", "h3")

		got, err := s.APITokens(t.Context(), ann.ID)
		must(t, "APITokens", err)
		want := []relsop.APIToken{*a1, *a2}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("APITokens (-want +got):\n%s", diff)
		}
		for _, tok := range got {
			if !tok.LastUsedAt.IsZero() {
				t.Errorf("token %d never used has LastUsedAt %v", tok.ID, tok.LastUsedAt)
			}
			checkUTC(t, "CreatedAt", tok.CreatedAt)
		}

		carl := newUser(t, s, "carl@example.com")
		got, err = s.APITokens(t.Context(), carl.ID)
		must(t, "APITokens of a user without tokens", err)
		if diff := cmp.Diff([]relsop.APIToken(nil), got, equateEmpty); diff != "" {
			t.Errorf("APITokens of a user without tokens (-want +got):\n%s", diff)
		}
	})

	t.Run("ByHashRecordsLastUse", func(t *testing.T) {
		s := open(t)
		ann := newUser(t, s, "ann@example.com")
		tok := newToken(t, s, ann.ID, "laptop", "h1")
		other := newToken(t, s, ann.ID, "ci", "h2")

		got, err := s.APITokenByHash(t.Context(), "h1", at(time.Hour))
		must(t, "APITokenByHash", err)
		if got.ID != tok.ID || got.UserID != ann.ID || got.Name != "laptop" || got.TokenHash != "h1" || !got.CreatedAt.Equal(tok.CreatedAt) {
			t.Errorf("APITokenByHash = %+v, want token %+v", got, tok)
		}
		_, err = s.APITokenByHash(t.Context(), "h1", at(2*time.Hour))
		must(t, "APITokenByHash again", err)

		list, err := s.APITokens(t.Context(), ann.ID)
		must(t, "APITokens", err)
		tok.LastUsedAt = at(2 * time.Hour)
		want := []relsop.APIToken{*tok, *other}
		if diff := cmp.Diff(want, list); diff != "" {
			t.Errorf("APITokens after use (-want +got):\n%s", diff)
		}
		for _, tok := range list {
			checkUTC(t, "LastUsedAt", tok.LastUsedAt)
		}
	})

	t.Run("NotFound", func(t *testing.T) {
		s := open(t)
		ann := newUser(t, s, "ann@example.com")
		newToken(t, s, ann.ID, "laptop", "h1")
		_, err := s.APITokenByHash(t.Context(), "h9", at(0))
		wantCode(t, "APITokenByHash", err, relsop.ENOTFOUND)
	})

	t.Run("HashUnique", func(t *testing.T) {
		s := open(t)
		ann := newUser(t, s, "ann@example.com")
		bob := newUser(t, s, "bob@example.com")
		newToken(t, s, ann.ID, "laptop", "h1")
		err := s.CreateAPIToken(t.Context(), &relsop.APIToken{UserID: bob.ID, Name: "x", TokenHash: "h1", CreatedAt: at(0)})
		wantCode(t, "CreateAPIToken with a taken hash", err, relsop.ECONFLICT)
	})

	t.Run("Delete", func(t *testing.T) {
		s := open(t)
		ann := newUser(t, s, "ann@example.com")
		bob := newUser(t, s, "bob@example.com")
		tok := newToken(t, s, ann.ID, "laptop", "h1")

		// A user cannot delete another user's token, nor learn that it exists.
		wantCode(t, "DeleteAPIToken of another user", s.DeleteAPIToken(t.Context(), bob.ID, tok.ID), relsop.ENOTFOUND)
		if _, err := s.APITokenByHash(t.Context(), "h1", at(0)); err != nil {
			t.Fatalf("token gone after another user's delete: %v", err)
		}

		must(t, "DeleteAPIToken", s.DeleteAPIToken(t.Context(), ann.ID, tok.ID))
		_, err := s.APITokenByHash(t.Context(), "h1", at(0))
		wantCode(t, "APITokenByHash after delete", err, relsop.ENOTFOUND)
		wantCode(t, "DeleteAPIToken twice", s.DeleteAPIToken(t.Context(), ann.ID, tok.ID), relsop.ENOTFOUND)
	})
}
