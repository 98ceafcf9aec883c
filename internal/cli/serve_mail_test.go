package cli

import (
	"fmt"
	"io"
	"mime/quotedprintable"
	"net/http"
	"strings"
	"testing"

	"github.com/relsop/relsop/internal/mail/mailtest"
)

// TestServeMails runs relsop serve with --smtp at a real SMTP server and
// follows a mention from the comment to the inbox of the member named,
// then the member turning emails off on their account.
func TestServeMails(t *testing.T) {
	smtp := mailtest.Start(t, "127.0.0.1")
	base, said := startServe(t, serveFlags{smtp: smtp.URL(), mailFrom: "relsop <relsop@example.com>"})
	if !strings.Contains(said, `"msg":"sending notification emails"`) || !strings.Contains(said, smtp.Port) {
		t.Errorf("serve did not say where mail goes: %q", said)
	}

	alice := signUp(t, base, "alice@example.com", "Alice")
	bob := signUp(t, base, "bob@example.com", "Bob")
	var me struct {
		Mail bool `json:"mail"`
		User struct {
			EmailNotifications bool `json:"email_notifications"`
		} `json:"user"`
		Workspaces []struct {
			ID int64 `json:"id"`
		} `json:"workspaces"`
	}
	alice.call("GET", "/api/me", nil, &me)
	if !me.Mail || !me.User.EmailNotifications {
		t.Errorf("GET /api/me: mail %v, email_notifications %v; want both true", me.Mail, me.User.EmailNotifications)
	}
	ws := me.Workspaces[0].ID
	var invite struct {
		Token string `json:"token"`
	}
	if st := alice.call("POST", fmt.Sprintf("/api/workspaces/%d/invites", ws), map[string]string{"role": "editor"}, &invite); st != http.StatusCreated {
		t.Fatalf("invite: %d", st)
	}
	if st := bob.call("POST", "/api/invites/"+invite.Token+"/accept", nil, nil); st != http.StatusOK {
		t.Fatalf("accept: %d", st)
	}
	var created struct {
		Document struct {
			ID    int64  `json:"id"`
			Title string `json:"title"`
		} `json:"document"`
	}
	if st := alice.call("POST", "/api/sops", map[string]any{"workspace_id": ws, "template": "saas-weekly"}, &created); st != http.StatusCreated {
		t.Fatalf("create: %d", st)
	}
	doc := created.Document
	var c struct {
		Comment struct {
			ID int64 `json:"id"`
		} `json:"comment"`
	}
	if st := alice.call("POST", fmt.Sprintf("/api/sops/%d/comments", doc.ID), map[string]any{"body": "@bob can you check the canary criteria?"}, &c); st != http.StatusCreated {
		t.Fatalf("comment: %d", st)
	}

	got := smtp.Wait(t, 1)[0]
	if to := got.Header.Get("X-Test-Rcpt"); to != "bob@example.com" {
		t.Errorf("the mail went to %q", to)
	}
	if from, subject := got.Header.Get("From"), got.Header.Get("Subject"); from != `"relsop" <relsop@example.com>` || subject != "Alice mentioned you on "+doc.Title {
		t.Errorf("From %q, Subject %q", from, subject)
	}
	body, err := io.ReadAll(quotedprintable.NewReader(got.Body))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"> @bob can you check the canary criteria?", fmt.Sprintf("Answer it: %s/#/sops/%d/comments/%d", base, doc.ID, c.Comment.ID),
		"turn them off on your account page: " + base + "/#/account"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("the mail lacks %q:\n%s", want, body)
		}
	}

	// Bob turns emails off; a bad request says what to send.
	var out struct {
		User struct {
			EmailNotifications bool `json:"email_notifications"`
		} `json:"user"`
		Error struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	if st := bob.call("PUT", "/api/me/notifications", map[string]any{}, &out); st != http.StatusBadRequest || !strings.Contains(out.Error.Message, `{"email": false}`) {
		t.Errorf("PUT without email: %d %q", st, out.Error.Message)
	}
	if st := bob.call("PUT", "/api/me/notifications", map[string]any{"email": false}, &out); st != http.StatusOK || out.User.EmailNotifications {
		t.Errorf("PUT {email: false}: %d, email_notifications %v", st, out.User.EmailNotifications)
	}
	bob.call("GET", "/api/me", nil, &me)
	if me.User.EmailNotifications {
		t.Error("GET /api/me after turning emails off: still on")
	}

	// Alice asks for one summary a day; the account page learns when.
	var digest struct {
		User struct {
			EmailNotifications bool `json:"email_notifications"`
			EmailDigest        bool `json:"email_digest"`
		} `json:"user"`
		DigestAt string `json:"digest_at"`
		Error    struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	if st := alice.call("PUT", "/api/me/notifications", map[string]any{"digest": "daily"}, &digest); st != http.StatusBadRequest {
		t.Errorf(`PUT {"digest": "daily"}: %d, want 400`, st)
	}
	if st := alice.call("PUT", "/api/me/notifications", map[string]any{"digest": true}, &digest); st != http.StatusOK || !digest.User.EmailDigest || !digest.User.EmailNotifications {
		t.Errorf("PUT {digest: true}: %d, %+v", st, digest.User)
	}
	alice.call("GET", "/api/me", nil, &digest)
	if !digest.User.EmailDigest || !strings.HasPrefix(digest.DigestAt, "08:00") {
		t.Errorf("GET /api/me after asking for a summary: email_digest %v, digest_at %q (want 08:00, the default)", digest.User.EmailDigest, digest.DigestAt)
	}

	// She wants it at 08:00 in Tokyo; a zone the server does not know is
	// refused with what to give, and changes nothing of the rest.
	var zoned struct {
		User struct {
			EmailDigest bool   `json:"email_digest"`
			TimeZone    string `json:"time_zone"`
		} `json:"user"`
		DigestAt   string `json:"digest_at"`
		ServerZone string `json:"server_zone"`
		Error      struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	if st := alice.call("PUT", "/api/me/notifications", map[string]any{"time_zone": "Asia/Tokyo"}, &zoned); st != http.StatusOK || zoned.User.TimeZone != "Asia/Tokyo" || !zoned.User.EmailDigest {
		t.Errorf(`PUT {"time_zone": "Asia/Tokyo"}: %d, %+v`, st, zoned.User)
	}
	if st := alice.call("PUT", "/api/me/notifications", map[string]any{"time_zone": "Tokyo", "digest": false}, &zoned); st != http.StatusBadRequest || !strings.Contains(zoned.Error.Message, "Europe/Berlin") {
		t.Errorf(`PUT {"time_zone": "Tokyo"}: %d, %q`, st, zoned.Error.Message)
	}
	zoned.User.TimeZone = ""
	alice.call("GET", "/api/me", nil, &zoned)
	if zoned.User.TimeZone != "Asia/Tokyo" || !zoned.User.EmailDigest || zoned.DigestAt != "08:00 JST" || zoned.ServerZone == "" {
		t.Errorf("GET /api/me after choosing Tokyo: %+v, digest_at %q, server_zone %q", zoned.User, zoned.DigestAt, zoned.ServerZone)
	}
}
