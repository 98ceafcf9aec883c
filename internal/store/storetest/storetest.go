// Package storetest is the conformance suite every relsop.Store must pass.
//
// The workspace has more than one Store (SQLite and PostgreSQL); this suite
// is the single written-down meaning of store.go's comments, so that the
// stores cannot drift apart. It asserts only what the interface promises:
// nothing here depends on how a database stores, orders or compares values.
//
// Where store.go leaves a choice open, the suite settles it once, for every
// store:
//   - A method that names a row which does not exist returns ENOTFOUND: a
//     lookup, a delete, an update, and a create that refers to a missing
//     user, workspace or document.
//   - Create methods for sessions, API tokens and invites may keep a
//     caller-set CreatedAt or set their own, but the struct must hold what
//     is stored when they return.
//   - Documents with the same UpdatedAt are listed newest id first, in
//     keeping with "most recently updated first".
//   - Comment mentions are stored sorted and without duplicates, whatever
//     order the caller gives them in.
//   - A document that does not exist has no releases: Releases lists none
//     rather than failing, as Comments does. A new release's UpdatedAt is
//     its CreatedAt, the moment its first record was added.
//   - Webhook events are stored sorted and without duplicates, whatever
//     order the caller gives them in. A workspace without webhooks, or one
//     that does not exist, lists none rather than failing. DeleteWebhook
//     through another workspace than the webhook's is ENOTFOUND, as
//     DeleteAPIToken of another user's token is.
package storetest

import (
	"testing"

	"github.com/relsop/relsop"
)

// Opener returns a fresh, empty store for one test. It registers the
// store's cleanup with t.Cleanup; the suite never closes it.
type Opener = func(t *testing.T) relsop.Store

// Run runs the whole suite. Every leaf subtest opens its own store, so the
// subtests do not depend on each other's data or order.
func Run(t *testing.T, open func(t *testing.T) relsop.Store) {
	t.Run("Users", func(t *testing.T) { testUsers(t, open) })
	t.Run("Sessions", func(t *testing.T) { testSessions(t, open) })
	t.Run("APITokens", func(t *testing.T) { testAPITokens(t, open) })
	t.Run("Workspaces", func(t *testing.T) { testWorkspaces(t, open) })
	t.Run("Members", func(t *testing.T) { testMembers(t, open) })
	t.Run("Invites", func(t *testing.T) { testInvites(t, open) })
	t.Run("Documents", func(t *testing.T) { testDocuments(t, open) })
	t.Run("DocumentFilter", func(t *testing.T) { testDocumentFilter(t, open) })
	t.Run("Revisions", func(t *testing.T) { testRevisions(t, open) })
	t.Run("LiveOps", func(t *testing.T) { testLiveOps(t, open) })
	t.Run("Comments", func(t *testing.T) { testComments(t, open) })
	t.Run("Releases", func(t *testing.T) { testReleases(t, open) })
	t.Run("Webhooks", func(t *testing.T) { testWebhooks(t, open) })
	t.Run("MissingReferences", func(t *testing.T) { testMissingReferences(t, open) })
	t.Run("Times", func(t *testing.T) { testTimes(t, open) })
}
