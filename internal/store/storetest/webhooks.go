package storetest

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/relsop/relsop"
)

func testWebhooks(t *testing.T, open Opener) {
	// setup makes ann, the owner of two workspaces.
	setup := func(t *testing.T) (relsop.Store, *relsop.User, *relsop.Workspace, *relsop.Workspace) {
		s := open(t)
		ann := newUser(t, s, "ann@example.com")
		return s, ann, newWorkspace(t, s, "Platform", ann.ID), newWorkspace(t, s, "Mobile", ann.ID)
	}
	newHook := func(t *testing.T, s relsop.Store, workspaceID, by int64, url string, events ...string) *relsop.Webhook {
		t.Helper()
		h := &relsop.Webhook{WorkspaceID: workspaceID, URL: url, Secret: "secret of " + url, Events: events, CreatedBy: by}
		must(t, "CreateWebhook "+url, s.CreateWebhook(t.Context(), h))
		if h.ID <= 0 {
			t.Errorf("ID = %d, want > 0", h.ID)
		}
		checkStamp(t, "CreatedAt", h.CreatedAt)
		return h
	}
	list := func(t *testing.T, s relsop.Store, workspaceID int64) []relsop.Webhook {
		t.Helper()
		got, err := s.Webhooks(t.Context(), workspaceID)
		must(t, "Webhooks", err)
		for _, h := range got {
			checkUTC(t, "CreatedAt", h.CreatedAt)
			checkUTC(t, "LastAt", h.LastAt)
		}
		return got
	}

	t.Run("CreateAndList", func(t *testing.T) {
		s, ann, w, other := setup(t)
		bob := newUser(t, s, "bob@example.com")
		chat := newHook(t, s, w.ID, ann.ID, "https://chat.example.com/hooks/1",
			"release.started", "release.finished", "release.aborted", "release.finished")
		newHook(t, s, other.ID, ann.ID, "https://elsewhere.example.com/")
		tool := newHook(t, s, w.ID, bob.ID, "https://tool.example.com/relsop?a=1&b=2", "release.gate", "release.aborted")
		none := newHook(t, s, w.ID, ann.ID, "https://none.example.com/")

		// The struct is filled in as stored: events sorted, no duplicates.
		if diff := cmp.Diff([]string{"release.aborted", "release.finished", "release.started"}, chat.Events); diff != "" {
			t.Errorf("CreateWebhook's events (-want +got):\n%s", diff)
		}
		want := []relsop.Webhook{
			{ID: chat.ID, WorkspaceID: w.ID, URL: "https://chat.example.com/hooks/1", Secret: "secret of https://chat.example.com/hooks/1",
				Events: []string{"release.aborted", "release.finished", "release.started"}, CreatedBy: ann.ID, CreatedAt: chat.CreatedAt},
			{ID: tool.ID, WorkspaceID: w.ID, URL: "https://tool.example.com/relsop?a=1&b=2", Secret: "secret of https://tool.example.com/relsop?a=1&b=2",
				Events: []string{"release.aborted", "release.gate"}, CreatedBy: bob.ID, CreatedAt: tool.CreatedAt},
			{ID: none.ID, WorkspaceID: w.ID, URL: "https://none.example.com/", Secret: "secret of https://none.example.com/",
				CreatedBy: ann.ID, CreatedAt: none.CreatedAt},
		}
		got := list(t, s, w.ID)
		if diff := cmp.Diff(want, got, equateEmpty); diff != "" {
			t.Errorf("Webhooks (-want +got):\n%s", diff)
		}
		for _, h := range got {
			if !h.LastAt.IsZero() || h.LastStatus != 0 || h.LastError != "" {
				t.Errorf("webhook %d never delivered has LastAt %v, LastStatus %d, LastError %q", h.ID, h.LastAt, h.LastStatus, h.LastError)
			}
		}
		if diff := cmp.Diff([]relsop.Webhook{*chat, *tool, *none}, got, equateEmpty); diff != "" {
			t.Errorf("Webhooks against what CreateWebhook filled in (-want +got):\n%s", diff)
		}

		empty := newWorkspace(t, s, "Empty", ann.ID)
		if diff := cmp.Diff([]relsop.Webhook(nil), list(t, s, empty.ID), equateEmpty); diff != "" {
			t.Errorf("Webhooks of a workspace without webhooks (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]relsop.Webhook(nil), list(t, s, 1<<40), equateEmpty); diff != "" {
			t.Errorf("Webhooks of a workspace that does not exist (-want +got):\n%s", diff)
		}
	})

	t.Run("Delete", func(t *testing.T) {
		s, ann, w, other := setup(t)
		keep := newHook(t, s, w.ID, ann.ID, "https://keep.example.com/", "release.finished")
		gone := newHook(t, s, w.ID, ann.ID, "https://gone.example.com/", "release.started")

		// A webhook is deleted through its own workspace only.
		wantCode(t, "DeleteWebhook with another workspace", s.DeleteWebhook(t.Context(), other.ID, gone.ID), relsop.ENOTFOUND)
		if diff := cmp.Diff([]relsop.Webhook{*keep, *gone}, list(t, s, w.ID), equateEmpty); diff != "" {
			t.Errorf("Webhooks after a delete through another workspace (-want +got):\n%s", diff)
		}

		must(t, "DeleteWebhook", s.DeleteWebhook(t.Context(), w.ID, gone.ID))
		if diff := cmp.Diff([]relsop.Webhook{*keep}, list(t, s, w.ID), equateEmpty); diff != "" {
			t.Errorf("Webhooks after delete (-want +got):\n%s", diff)
		}
		wantCode(t, "DeleteWebhook twice", s.DeleteWebhook(t.Context(), w.ID, gone.ID), relsop.ENOTFOUND)
		wantCode(t, "DeleteWebhook of a missing id", s.DeleteWebhook(t.Context(), w.ID, 1<<40), relsop.ENOTFOUND)
		if diff := cmp.Diff([]relsop.Webhook{*keep}, list(t, s, w.ID), equateEmpty); diff != "" {
			t.Errorf("Webhooks after failed deletes (-want +got):\n%s", diff)
		}
	})

	t.Run("Delivery", func(t *testing.T) {
		s, ann, w, _ := setup(t)
		h := newHook(t, s, w.ID, ann.ID, "https://chat.example.com/", "release.finished")
		other := newHook(t, s, w.ID, ann.ID, "https://other.example.com/", "release.finished")

		// at() is in a zone other than UTC: it must come back in UTC.
		must(t, "SetWebhookDelivery", s.SetWebhookDelivery(t.Context(), h.ID, at(0), 0, "dial tcp: connection refused"))
		h.LastAt, h.LastStatus, h.LastError = at(0), 0, "dial tcp: connection refused"
		got := list(t, s, w.ID)
		if diff := cmp.Diff([]relsop.Webhook{*h, *other}, got, equateEmpty); diff != "" {
			t.Errorf("Webhooks after a failed delivery (-want +got):\n%s", diff)
		}

		// A second delivery overwrites the first; a sub-microsecond time is
		// kept to the microsecond.
		must(t, "SetWebhookDelivery again", s.SetWebhookDelivery(t.Context(), h.ID, at(time.Minute+999), 204, ""))
		h.LastAt, h.LastStatus, h.LastError = at(time.Minute), 204, ""
		got = list(t, s, w.ID)
		if diff := cmp.Diff([]relsop.Webhook{*h, *other}, got, equateEmpty); diff != "" {
			t.Errorf("Webhooks after a second delivery (-want +got):\n%s", diff)
		}
		for _, h := range got {
			if h.LastAt.Nanosecond()%1000 != 0 {
				t.Errorf("LastAt = %v keeps sub-microsecond digits", h.LastAt)
			}
		}

		wantCode(t, "SetWebhookDelivery of a missing id", s.SetWebhookDelivery(t.Context(), 1<<40, at(0), 500, "boom"), relsop.ENOTFOUND)
		must(t, "DeleteWebhook", s.DeleteWebhook(t.Context(), w.ID, other.ID))
		wantCode(t, "SetWebhookDelivery of a deleted webhook", s.SetWebhookDelivery(t.Context(), other.ID, at(0), 500, "boom"), relsop.ENOTFOUND)
		if diff := cmp.Diff([]relsop.Webhook{*h}, list(t, s, w.ID), equateEmpty); diff != "" {
			t.Errorf("Webhooks after deliveries to missing webhooks (-want +got):\n%s", diff)
		}
	})

}
