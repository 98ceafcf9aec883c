package storetest

import (
	"testing"
	"time"

	"github.com/relsop/relsop"
)

// testMissingReferences checks that a write naming a user, workspace,
// document or comment that does not exist fails with ENOTFOUND rather than
// storing a dangling row or failing as an internal error.
func testMissingReferences(t *testing.T, open Opener) {
	const missing = 1 << 40
	tests := []struct {
		name  string
		write func(t *testing.T, s relsop.Store, user, ws, doc int64) error
	}{
		{"CreateSession user", func(t *testing.T, s relsop.Store, user, ws, doc int64) error {
			return s.CreateSession(t.Context(), &relsop.Session{TokenHash: "t", UserID: missing, CSRF: "c", CreatedAt: at(0), ExpiresAt: at(time.Hour)})
		}},
		{"CreateAPIToken user", func(t *testing.T, s relsop.Store, user, ws, doc int64) error {
			return s.CreateAPIToken(t.Context(), &relsop.APIToken{UserID: missing, Name: "n", TokenHash: "t", CreatedAt: at(0)})
		}},
		{"CreateWorkspace owner", func(t *testing.T, s relsop.Store, user, ws, doc int64) error {
			return s.CreateWorkspace(t.Context(), &relsop.Workspace{Name: "W"}, missing)
		}},
		{"SetMember user", func(t *testing.T, s relsop.Store, user, ws, doc int64) error {
			return s.SetMember(t.Context(), relsop.Member{WorkspaceID: ws, UserID: missing, Role: relsop.RoleViewer})
		}},
		{"SetMember workspace", func(t *testing.T, s relsop.Store, user, ws, doc int64) error {
			return s.SetMember(t.Context(), relsop.Member{WorkspaceID: missing, UserID: user, Role: relsop.RoleViewer})
		}},
		{"RemoveMember workspace", func(t *testing.T, s relsop.Store, user, ws, doc int64) error {
			return s.RemoveMember(t.Context(), missing, user)
		}},
		{"CreateInvite workspace", func(t *testing.T, s relsop.Store, user, ws, doc int64) error {
			return s.CreateInvite(t.Context(), &relsop.Invite{TokenHash: "t", WorkspaceID: missing, Role: relsop.RoleViewer, CreatedBy: user, CreatedAt: at(0), ExpiresAt: at(time.Hour)})
		}},
		{"CreateDocument workspace", func(t *testing.T, s relsop.Store, user, ws, doc int64) error {
			d, r := draft(missing, user, "Orphan")
			return s.CreateDocument(t.Context(), d, r)
		}},
		{"CreateDocument author", func(t *testing.T, s relsop.Store, user, ws, doc int64) error {
			d, r := draft(ws, missing, "Orphan")
			return s.CreateDocument(t.Context(), d, r)
		}},
		{"SaveRevision document", func(t *testing.T, s relsop.Store, user, ws, doc int64) error {
			d, r := draft(ws, user, "Orphan")
			d.ID, r.DocumentID = missing, missing
			return s.SaveRevision(t.Context(), d, r, 1)
		}},
		{"CreateComment document", func(t *testing.T, s relsop.Store, user, ws, doc int64) error {
			return s.CreateComment(t.Context(), &relsop.Comment{DocumentID: missing, AuthorID: user, Body: "b"})
		}},
		{"CreateComment author", func(t *testing.T, s relsop.Store, user, ws, doc int64) error {
			return s.CreateComment(t.Context(), &relsop.Comment{DocumentID: doc, AuthorID: missing, Body: "b"})
		}},
		{"CreateComment parent", func(t *testing.T, s relsop.Store, user, ws, doc int64) error {
			return s.CreateComment(t.Context(), &relsop.Comment{DocumentID: doc, ParentID: missing, AuthorID: user, Body: "b"})
		}},
		{"CreateRelease document", func(t *testing.T, s relsop.Store, user, ws, doc int64) error {
			return s.CreateRelease(t.Context(), orphanRelease(missing, user), []byte(`{"seq":1}`))
		}},
		{"CreateRelease creator", func(t *testing.T, s relsop.Store, user, ws, doc int64) error {
			return s.CreateRelease(t.Context(), orphanRelease(doc, missing), []byte(`{"seq":1}`))
		}},
		{"CreateWebhook workspace", func(t *testing.T, s relsop.Store, user, ws, doc int64) error {
			return s.CreateWebhook(t.Context(), &relsop.Webhook{WorkspaceID: missing, URL: "https://example.com/", Secret: "s", Events: []string{"release.finished"}, CreatedBy: user})
		}},
		{"CreateWebhook creator", func(t *testing.T, s relsop.Store, user, ws, doc int64) error {
			return s.CreateWebhook(t.Context(), &relsop.Webhook{WorkspaceID: ws, URL: "https://example.com/", Secret: "s", Events: []string{"release.finished"}, CreatedBy: missing})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			ann := newUser(t, s, "ann@example.com")
			w := newWorkspace(t, s, "Platform", ann.ID)
			d := newDocument(t, s, w.ID, ann.ID, "Release", nil)
			wantCode(t, tt.name, tt.write(t, s, ann.ID, w.ID, d.ID), relsop.ENOTFOUND)

			docs, err := s.Documents(t.Context(), relsop.DocumentFilter{WorkspaceID: w.ID})
			must(t, "Documents", err)
			if len(docs) != 1 {
				t.Errorf("%d documents in the workspace after a failed write, want 1", len(docs))
			}
			ms, err := s.Memberships(t.Context(), ann.ID)
			must(t, "Memberships", err)
			if len(ms) != 1 {
				t.Errorf("%d memberships after a failed write, want 1", len(ms))
			}
			rels, err := s.Releases(t.Context(), d.ID)
			must(t, "Releases", err)
			if len(rels) != 0 {
				t.Errorf("%d releases after a failed write, want none", len(rels))
			}
			hooks, err := s.Webhooks(t.Context(), w.ID)
			must(t, "Webhooks", err)
			if len(hooks) != 0 {
				t.Errorf("%d webhooks after a failed write, want none", len(hooks))
			}
		})
	}
}

// orphanRelease is a release of doc started by user, for a create that
// must fail.
func orphanRelease(doc, user int64) *relsop.Release {
	return &relsop.Release{DocumentID: doc, Revision: 1, Name: "v1", State: relsop.ReleaseInProgress,
		Records: 1, Head: sha([]byte(`{"seq":1}`)), CreatedBy: user}
}
