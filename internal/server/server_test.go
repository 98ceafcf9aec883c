package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/relsop/relsop/internal/compile"
	"github.com/relsop/relsop/internal/live"
	"github.com/relsop/relsop/internal/notify"
	"github.com/relsop/relsop/internal/release"
	"github.com/relsop/relsop/internal/store/sqlite"
	"github.com/relsop/relsop/internal/synth"
	"github.com/relsop/relsop/internal/templates"
	"github.com/relsop/relsop/internal/workspace"
)

// testLiveOptions tune the live editing of test servers: quick
// checkpoints, a small catch-up so that snapshots can be tested, and
// frequent membership checks.
var testLiveOptions = live.Options{CheckpointIdle: 200 * time.Millisecond, MaxBehind: 20, Heartbeat: 300 * time.Millisecond}

// newTestServer runs the whole API on a temporary SQLite database.
func newTestServer(t testing.TB) *httptest.Server {
	t.Helper()
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "relsop.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	sender := notify.New(notify.Options{AllowPrivate: true, Backoff: []time.Duration{}, Record: workspace.RecordDelivery(st)})
	t.Cleanup(sender.Close)
	svc := workspace.New(st, workspace.Options{Notify: sender, WebhooksPrivate: true})
	hub := live.New(svc, testLiveOptions)
	ts := httptest.NewServer(New(Config{Service: svc, Live: hub}))
	t.Cleanup(func() { hub.Close(context.Background()); ts.Close() })
	return ts
}

// client is a browser: a cookie jar and the CSRF token of its session.
type client struct {
	t    testing.TB
	base string
	http *http.Client
	csrf string
}

func newClient(t testing.TB, ts *httptest.Server) *client {
	jar, _ := cookiejar.New(nil)
	c := &client{t: t, base: ts.URL, http: &http.Client{Jar: jar}}
	var me struct {
		CSRF string `json:"csrf_token"`
	}
	c.call("GET", "/api/me", nil, &me)
	c.csrf = me.CSRF
	return c
}

// call sends a JSON request and decodes the answer into out, returning
// the status.
func (c *client) call(method, path string, body, out any) int {
	c.t.Helper()
	resp := c.raw(method, path, body, true)
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if out != nil && len(data) > 0 && strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(data, out); err != nil {
			c.t.Fatalf("%s %s: %v in %s", method, path, err, data)
		}
	}
	return resp.StatusCode
}

func (c *client) raw(method, path string, body any, withCSRF bool) *http.Response {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			c.t.Fatal(err)
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if withCSRF && c.csrf != "" {
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	return resp
}

// signUp makes an account and returns its user id and first workspace.
func (c *client) signUp(email string) (user, ws int64) {
	c.t.Helper()
	var out struct {
		User struct {
			ID int64 `json:"id"`
		} `json:"user"`
		CSRF string `json:"csrf_token"`
	}
	if st := c.call("POST", "/api/auth/signup", map[string]string{"email": email, "name": strings.Split(email, "@")[0], "password": "a long enough password"}, &out); st != http.StatusCreated {
		c.t.Fatalf("sign up %s: %d", email, st)
	}
	c.csrf = out.CSRF
	var me struct {
		Workspaces []struct {
			ID int64 `json:"id"`
		} `json:"workspaces"`
	}
	c.call("GET", "/api/me", nil, &me)
	return out.User.ID, me.Workspaces[0].ID
}

type world struct {
	alice, mallory *client
	aliceUser      int64
	aliceWS        int64
	doc            int64
	comment        int64
	token          int64
	release        int64
	webhook        int64
}

// newWorld has Alice with a workspace, an SOP, a comment and an API
// token, and Mallory, signed in, with a workspace of her own.
func newWorld(t testing.TB) (*httptest.Server, *world) {
	ts := newTestServer(t)
	w := &world{alice: newClient(t, ts), mallory: newClient(t, ts)}
	w.aliceUser, w.aliceWS = w.alice.signUp("alice@example.com")
	w.mallory.signUp("mallory@example.com")
	var created struct {
		Document struct {
			ID int64 `json:"id"`
		} `json:"document"`
	}
	if st := w.alice.call("POST", "/api/sops", map[string]any{"workspace_id": w.aliceWS, "template": "saas-weekly"}, &created); st != http.StatusCreated {
		t.Fatalf("create: %d", st)
	}
	w.doc = created.Document.ID
	var c struct {
		Comment struct {
			ID int64 `json:"id"`
		} `json:"comment"`
	}
	w.alice.call("POST", fmt.Sprintf("/api/sops/%d/comments", w.doc), map[string]any{"body": "secret remark"}, &c)
	w.comment = c.Comment.ID
	var tok struct {
		ID int64 `json:"id"`
	}
	w.alice.call("POST", "/api/tokens", map[string]any{"name": "ci"}, &tok)
	w.token = tok.ID
	var rel struct {
		Release struct {
			ID int64 `json:"id"`
		} `json:"release"`
	}
	if st := w.alice.call("POST", fmt.Sprintf("/api/sops/%d/releases", w.doc), w.releaseBody(), &rel); st != http.StatusCreated {
		t.Fatalf("start a release: %d", st)
	}
	w.release = rel.Release.ID
	var hook struct {
		Webhook struct {
			ID int64 `json:"id"`
		} `json:"webhook"`
	}
	if st := w.alice.call("POST", fmt.Sprintf("/api/workspaces/%d/webhooks", w.aliceWS), map[string]any{"url": "https://chat.example.com/hooks/x", "events": []string{"release.finished"}}, &hook); st != http.StatusCreated {
		t.Fatalf("add a webhook: %d", st)
	}
	w.webhook = hook.Webhook.ID
	return ts, w
}

// releaseBody starts a rehearsal of Alice's SOP (saas-weekly), with every
// role held by Alice.
func (w *world) releaseBody() map[string]any {
	t, _ := templates.Get("saas-weekly")
	roster := map[string][]string{}
	for _, role := range compile.Load(t.Source).SOP.Roles {
		roster[role.ID] = []string{"alice@example.com"}
	}
	return map[string]any{"name": "1.0", "rehearsal": true, "roster": roster}
}

// fill puts Alice's ids into a route's path.
func (w *world) fill(rt route) string {
	p := rt.path
	id := w.doc
	switch {
	case strings.HasPrefix(p, "/api/comments/"):
		id = w.comment
	case strings.HasPrefix(p, "/api/tokens/"):
		id = w.token
	case strings.HasPrefix(p, "/api/releases/"):
		id = w.release
	case strings.HasPrefix(p, "/api/workspaces/{ws}/webhooks/"):
		id = w.webhook
	}
	r := strings.NewReplacer("{id}", fmt.Sprint(id), "{ws}", fmt.Sprint(w.aliceWS), "{user}", fmt.Sprint(w.aliceUser),
		"{n}", "1", "{name}", "saas-weekly", "{token}", "no-such-invite")
	p = r.Replace(p)
	if rt.path == "/api/sops" && rt.method == "GET" {
		p += fmt.Sprintf("?workspace=%d", w.aliceWS)
	}
	if rt.path == "/api/sops/{id}/export" {
		p += "?format=yaml"
	}
	return p
}

// body is a valid request body for a route, aimed at Alice's data.
func (w *world) body(rt route) any {
	if rt.method == "GET" || rt.method == "DELETE" {
		return nil
	}
	bodies := map[string]map[string]any{
		"/api/auth/signup":                        {"email": "x@example.com", "password": "a long enough password"},
		"/api/auth/signin":                        {"email": "x@example.com", "password": "a long enough password"},
		"/api/auth/signout":                       {},
		"/api/me/notifications":                   {"email": false},
		"/api/tokens":                             {"name": "t"},
		"/api/workspaces":                         {"name": "w"},
		"/api/workspaces/{ws}/members/{user}":     {"role": "viewer"},
		"/api/workspaces/{ws}/invites":            {"role": "editor"},
		"/api/invites/{token}/accept":             {},
		"/api/sops":                               {"workspace_id": w.aliceWS, "template": "saas-weekly"},
		"/api/sops/generate":                      {"workspace_id": w.aliceWS, "brief": "weekly SaaS release"},
		"/api/sops/import":                        {"workspace_id": w.aliceWS, "filename": "x.sop.yaml", "content": "id: x"},
		"/api/sops/{id}":                          {"source": "id: x", "base_revision": 1},
		"/api/sops/{id}/ops":                      {"base_revision": 1, "ops": []map[string]any{{"op": "set", "kind": "sop", "field": "title", "value": "pwned"}}},
		"/api/sops/{id}/edit":                     {"instruction": "rename step watch-canary to pwned", "base_revision": 1},
		"/api/sops/{id}/status":                   {"status": "in-review", "base_revision": 1},
		"/api/sops/{id}/duplicate":                {"as": "copy"},
		"/api/sops/{id}/archive":                  {"archived": true},
		"/api/validate":                           {"source": "id: x"},
		"/api/sops/{id}/revisions/{n}/restore":    {"base_revision": 1},
		"/api/sops/{id}/comments":                 {"body": "hi"},
		"/api/comments/{id}/resolve":              {"resolved": true},
		"/api/sops/{id}/releases":                 w.releaseBody(),
		"/api/releases/{id}/records":              {"type": "note", "note": "pwned"},
		"/api/workspaces/{ws}/webhooks":           {"url": "https://evil.example.com/"},
		"/api/workspaces/{ws}/webhooks/{id}/ping": {},
	}
	b, ok := bodies[rt.path]
	if !ok {
		w.alice.t.Fatalf("no test body for %s %s: add one", rt.method, rt.path)
	}
	return b
}

// TestEveryRouteRefusesOtherWorkspaces walks the whole route table: a
// stranger gets 401 everywhere but the public routes, and a member of
// another workspace gets 404 for anything of Alice's — never 2xx, never a
// 403 that would tell her it exists.
func TestEveryRouteRefusesOtherWorkspaces(t *testing.T) {
	ts, w := newWorld(t)
	stranger := newClient(t, ts)
	for _, rt := range routes {
		name := rt.method + " " + rt.path
		path := w.fill(rt)
		t.Run(name, func(t *testing.T) {
			if rt.access == member {
				if st := stranger.call(rt.method, path, w.body(rt), nil); st != http.StatusUnauthorized {
					t.Errorf("signed out: status %d, want 401", st)
				}
			}
			switch rt.path {
			case "/api/auth/signup", "/api/auth/signin", "/api/auth/signout", "/api/me", "/api/me/notifications", "/api/templates",
				"/api/templates/{name}/thumbnail.svg", "/api/tokens", "/api/workspaces", "/api/validate",
				"/api/invites/{token}/accept":
				return // the caller's own things, or public
			}
			var out struct {
				Error struct {
					Code string `json:"code"`
				} `json:"error"`
			}
			st := w.mallory.call(rt.method, path, w.body(rt), &out)
			if st != http.StatusNotFound || out.Error.Code != "not_found" {
				t.Errorf("another workspace's member: status %d (%q), want 404", st, out.Error.Code)
			}
		})
	}
	// And Alice's data is untouched.
	var doc struct {
		Document struct {
			Revision int    `json:"revision"`
			Status   string `json:"status"`
		} `json:"document"`
	}
	w.alice.call("GET", fmt.Sprintf("/api/sops/%d", w.doc), nil, &doc)
	if doc.Document.Revision != 1 || doc.Document.Status != "draft" {
		t.Errorf("Alice's SOP changed: %+v", doc.Document)
	}
}

// TestCSRF: every state-changing route refuses a cookie-authenticated
// request without the token, and one from another origin.
func TestCSRF(t *testing.T) {
	_, w := newWorld(t)
	for _, rt := range routes {
		if rt.method == "GET" {
			continue
		}
		t.Run(rt.method+" "+rt.path, func(t *testing.T) {
			resp := w.alice.raw(rt.method, w.fill(rt), w.body(rt), false)
			resp.Body.Close()
			if resp.StatusCode != http.StatusForbidden {
				t.Errorf("without the CSRF token: status %d, want 403", resp.StatusCode)
			}
		})
	}
	req, _ := http.NewRequest("POST", w.alice.base+"/api/workspaces", strings.NewReader(`{"name":"x"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", w.alice.csrf)
	req.Header.Set("Origin", "https://evil.example")
	resp, err := w.alice.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-origin with token: status %d, want 403", resp.StatusCode)
	}
}

func TestBearerToken(t *testing.T) {
	ts, w := newWorld(t)
	var tok struct {
		Token string `json:"token"`
	}
	w.alice.call("POST", "/api/tokens", map[string]any{"name": "script"}, &tok)
	req, _ := http.NewRequest("PUT", fmt.Sprintf("%s/api/sops/%d", ts.URL, w.doc), strings.NewReader(`{"source":"","base_revision":1}`))
	req.Header.Set("Authorization", "Bearer "+tok.Token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest { // authenticated, no CSRF needed; the empty SOP is refused
		t.Errorf("bearer PUT: status %d, want 400", resp.StatusCode)
	}
	req, _ = http.NewRequest("GET", ts.URL+"/api/me", nil)
	req.Header.Set("Authorization", "Bearer relsop_wrong")
	resp, _ = http.DefaultClient.Do(req)
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("bad bearer: %d", resp.StatusCode)
	}
}

func TestLimitsAndHeaders(t *testing.T) {
	ts, w := newWorld(t)
	big := map[string]any{"source": strings.Repeat("x", maxBody+10), "base_revision": 1}
	var out struct {
		Error struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	if st := w.alice.call("PUT", fmt.Sprintf("/api/sops/%d", w.doc), big, &out); st != http.StatusRequestEntityTooLarge || out.Error.Code != "too_large" {
		t.Errorf("oversized body: %d %q", st, out.Error.Code)
	}
	if st := w.alice.call("POST", "/api/workspaces", map[string]any{"name": "x", "extra": 1}, nil); st != http.StatusBadRequest {
		t.Errorf("unknown field: %d", st)
	}

	// Session cookie flags, on plain HTTP and behind TLS.
	c := newClient(t, ts)
	resp := c.raw("POST", "/api/auth/signup", map[string]string{"email": "eve@example.com", "name": "Eve", "password": "a long enough password"}, true)
	resp.Body.Close()
	var session *http.Cookie
	for _, ck := range resp.Cookies() {
		if ck.Name == sessionCookie {
			session = ck
		}
	}
	if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode || session.Secure {
		t.Errorf("session cookie on HTTP: %+v", session)
	}
	tls := httptest.NewTLSServer(New(Config{Service: workspace.New(mustSQLite(t), workspace.Options{})}))
	defer tls.Close()
	jar, _ := cookiejar.New(nil)
	tc := &client{t: t, base: tls.URL, http: tls.Client()}
	tc.http.Jar = jar
	var me struct {
		CSRF string `json:"csrf_token"`
	}
	tc.call("GET", "/api/me", nil, &me)
	tc.csrf = me.CSRF
	resp = tc.raw("POST", "/api/auth/signup", map[string]string{"email": "tls@example.com", "password": "a long enough password"}, true)
	resp.Body.Close()
	secure := false
	for _, ck := range resp.Cookies() {
		if ck.Name == sessionCookie {
			secure = ck.Secure && ck.HttpOnly
		}
	}
	if !secure {
		t.Error("over TLS the session cookie must be Secure and HttpOnly")
	}

	resp = w.alice.raw("GET", "/api/me", nil, false)
	resp.Body.Close()
	for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options"} {
		if resp.Header.Get(h) == "" {
			t.Errorf("missing header %s", h)
		}
	}
	svg := w.alice.raw("GET", fmt.Sprintf("/api/sops/%d/diagram.svg", w.doc), nil, false)
	svg.Body.Close()
	if !strings.Contains(svg.Header.Get("Content-Security-Policy"), "sandbox") {
		t.Error("SVG must be served with a sandboxing CSP")
	}
}

func mustSQLite(t testing.TB) *sqlite.Store {
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "tls.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func TestSignInRateLimitOverHTTP(t *testing.T) {
	ts, _ := newWorld(t)
	c := newClient(t, ts)
	for i := 0; i < 10; i++ {
		c.call("POST", "/api/auth/signin", map[string]string{"email": "alice@example.com", "password": fmt.Sprintf("guess-%d-guess", i)}, nil)
	}
	resp := c.raw("POST", "/api/auth/signin", map[string]string{"email": "alice@example.com", "password": "a long enough password"}, true)
	resp.Body.Close()
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Errorf("after 10 failures: %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
}

func TestHealthAndMetrics(t *testing.T) {
	ts, w := newWorld(t)
	resp, err := http.Get(ts.URL + "/healthz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("healthz: %v %v", resp, err)
	}
	resp.Body.Close()
	w.alice.call("GET", fmt.Sprintf("/api/sops/%d", w.doc), nil, nil)
	resp, err = http.Get(ts.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(data), `relsop_http_requests_total{code="200",route="GET /api/sops/{id}"}`) {
		t.Errorf("metrics lack the request count:\n%.2000s", data)
	}
	if st := w.alice.call("GET", "/api/nope", nil, nil); st != http.StatusNotFound {
		t.Errorf("unknown API path: %d", st)
	}
}

// An opened SOP says which exports its format's own tool may fail to draw:
// Mermaid and D2 on one of 50 steps or more, nothing on a template.
func TestOpenedSOPHasExportNotes(t *testing.T) {
	_, w := newWorld(t)
	var created struct {
		Document struct {
			ID int64 `json:"id"`
		} `json:"document"`
	}
	if st := w.alice.call("POST", "/api/sops", map[string]any{"workspace_id": w.aliceWS, "source": synth.SOP(60, 12, 8)}, &created); st != http.StatusCreated {
		t.Fatalf("create: %d", st)
	}
	type opened struct {
		Document struct {
			ExportNotes map[string]string `json:"export_notes"`
		} `json:"document"`
	}
	var large, tpl opened
	w.alice.call("GET", fmt.Sprintf("/api/sops/%d", created.Document.ID), nil, &large)
	notes := large.Document.ExportNotes
	if len(notes) != 2 || !strings.Contains(notes["mermaid"], "Mermaid's layout (dagre) often gives up") ||
		!strings.Contains(notes["d2"], "D2's default layout (dagre) often gives up") || !strings.Contains(notes["d2"], "export SVG, PNG or PDF") {
		t.Errorf("a 60-step SOP has the export notes %q", notes)
	}
	w.alice.call("GET", fmt.Sprintf("/api/sops/%d", w.doc), nil, &tpl)
	if tpl.Document.ExportNotes != nil {
		t.Errorf("a template has the export notes %q", tpl.Document.ExportNotes)
	}
}

// An opened SOP lists its release types as the side panel edits them.
func TestOpenedSOPHasVariants(t *testing.T) {
	_, w := newWorld(t)
	var got struct {
		Document struct {
			Variants []struct {
				ID        string   `json:"id"`
				Emergency bool     `json:"emergency"`
				Remove    []string `json:"remove"`
				Adds      []string `json:"adds"`
				Changes   []string `json:"changes"`
			} `json:"variants"`
		} `json:"document"`
	}
	w.alice.call("GET", fmt.Sprintf("/api/sops/%d", w.doc), nil, &got)
	v := got.Document.Variants
	if len(v) != 3 || v[0].ID != "major" || fmt.Sprint(v[0].Adds) != "[run-load-test]" ||
		fmt.Sprint(v[1].Remove) != "[agree-readiness verify-features]" || fmt.Sprint(v[1].Changes) != "[go-no-go]" || !v[2].Emergency {
		t.Errorf("variants of saas-weekly: %+v", v)
	}
}

// TestReleaseOverTheAPI: a record is made by the signed-in caller, who
// cannot name someone else, and the trail downloads as the file the CLI
// verifies.
func TestReleaseOverTheAPI(t *testing.T) {
	_, w := newWorld(t)
	path := fmt.Sprintf("/api/releases/%d", w.release)
	var out struct {
		Error struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	if st := w.alice.call("POST", path+"/records", map[string]any{"type": "note", "note": "x", "by": "bob@example.com"}, &out); st != http.StatusBadRequest || out.Error.Code != "invalid" {
		t.Fatalf("a record naming its author: status %d (%s), want 400", st, out.Error.Code)
	}
	var rel struct {
		Release struct {
			Records int    `json:"records"`
			Head    string `json:"head"`
			State   string `json:"state"`
		} `json:"release"`
		Status struct {
			Records []struct {
				By   string `json:"by"`
				Text string `json:"text"`
			} `json:"records"`
		} `json:"status"`
		You struct {
			By     string `json:"by"`
			Record bool   `json:"record"`
		} `json:"you"`
	}
	if st := w.alice.call("POST", path+"/records", map[string]any{"type": "note", "note": "<b>dry run</b>"}, &rel); st != http.StatusCreated {
		t.Fatalf("a note: status %d", st)
	}
	last := rel.Status.Records[len(rel.Status.Records)-1]
	if rel.Release.Records != 2 || rel.Release.State != "in-progress" || last.By != "alice@example.com" || rel.You.By != "alice@example.com" || !rel.You.Record {
		t.Fatalf("after the note: %+v", rel)
	}
	var list struct {
		Releases []struct {
			ID   int64  `json:"id"`
			Head string `json:"head"`
		} `json:"releases"`
	}
	w.alice.call("GET", fmt.Sprintf("/api/sops/%d/releases", w.doc), nil, &list)
	if len(list.Releases) != 1 || list.Releases[0].ID != w.release || list.Releases[0].Head != rel.Release.Head {
		t.Fatalf("releases: %+v", list)
	}

	resp := w.alice.raw("GET", path+"/trail", nil, true)
	data, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if cd := resp.Header.Get("Content-Disposition"); !strings.Contains(cd, `filename="1.0.release.jsonl"`) {
		t.Errorf("trail Content-Disposition %q", cd)
	}
	r, problems := release.Replay(data)
	if len(problems) > 0 || r.Head() != rel.Release.Head {
		t.Fatalf("the trail downloaded: problems %v, head %s, want %s", problems, r.Head(), rel.Release.Head)
	}
	resp = w.alice.raw("GET", path+"/progress.svg", nil, true)
	data, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.HasPrefix(resp.Header.Get("Content-Type"), "image/svg+xml") || !strings.Contains(resp.Header.Get("Content-Security-Policy"), "sandbox") || !bytes.Contains(data, []byte("<svg")) {
		t.Errorf("progress.svg: %s, CSP %q", resp.Header.Get("Content-Type"), resp.Header.Get("Content-Security-Policy"))
	}
	resp = w.alice.raw("GET", path+"/report?format=markdown", nil, true)
	data, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !bytes.Contains(data, []byte("Rehearsal")) || !bytes.Contains(data, []byte("dry run")) {
		t.Errorf("report: status %d\n%s", resp.StatusCode, data)
	}
}

// TestInboxOverTheAPI carries Alice's release to its first gate: her
// inbox then lists it, with the release and the roles she may sign it for.
func TestInboxOverTheAPI(t *testing.T) {
	_, w := newWorld(t)
	path := fmt.Sprintf("/api/releases/%d", w.release)
	inboxPath := fmt.Sprintf("/api/workspaces/%d/inbox", w.aliceWS)
	type inbox struct {
		Gates []struct {
			Release struct {
				ID       int64  `json:"id"`
				SOPTitle string `json:"sop_title"`
			} `json:"release"`
			Gate struct {
				Step  string `json:"step"`
				Kind  string `json:"kind"`
				Since string `json:"since"`
			} `json:"gate"`
			Roles []string `json:"roles"`
		} `json:"gates"`
		Mentions []json.RawMessage `json:"mentions"`
	}
	var in inbox
	if st := w.alice.call("GET", inboxPath, nil, &in); st != http.StatusOK || in.Gates == nil || in.Mentions == nil || len(in.Gates) != 0 {
		t.Fatalf("inbox at the start: status %d, %+v (want empty lists, not null)", st, in)
	}
	var rel struct {
		Status struct {
			Ready []struct {
				Step string `json:"step"`
				Kind string `json:"kind"`
			} `json:"ready"`
		} `json:"status"`
	}
	w.alice.call("GET", path, nil, &rel)
	for i := 0; ; i++ {
		if i == 40 || len(rel.Status.Ready) == 0 {
			t.Fatalf("no gate reached after %d records", i)
		}
		if rel.Status.Ready[0].Kind == "gate" {
			break
		}
		body := map[string]any{"type": "done", "step": rel.Status.Ready[0].Step, "evidence": []string{"https://ci.example.com/1"}}
		if st := w.alice.call("POST", path+"/records", body, &rel); st != http.StatusCreated {
			t.Fatalf("done %s: status %d", body["step"], st)
		}
	}
	gate := rel.Status.Ready[0].Step
	if st := w.alice.call("GET", inboxPath, nil, &in); st != http.StatusOK || len(in.Gates) != 1 {
		t.Fatalf("inbox at gate %s: status %d, %+v", gate, st, in)
	}
	g := in.Gates[0]
	if g.Release.ID != w.release || g.Release.SOPTitle == "" || g.Gate.Step != gate || g.Gate.Kind != "gate" || g.Gate.Since == "" || len(g.Roles) == 0 {
		t.Errorf("the gate waiting: %+v", g)
	}
}

// TestWebhooksOverTheAPI: the secret shows once; a release started over
// the API reaches the receiver, signed, with a link to the release at the
// address the request came to.
func TestWebhooksOverTheAPI(t *testing.T) {
	ts, w := newWorld(t)
	got := make(chan []byte, 4)
	var secret string
	receiver := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if !notify.Valid(secret, body, r.Header.Get(notify.HeaderSignature)) {
			rw.WriteHeader(http.StatusUnauthorized)
			return
		}
		got <- body
	}))
	defer receiver.Close()
	hooks := fmt.Sprintf("/api/workspaces/%d/webhooks", w.aliceWS)
	type hookJSON struct {
		ID         int64   `json:"id"`
		Secret     string  `json:"secret"`
		LastAt     *string `json:"last_at"`
		LastStatus int     `json:"last_status"`
	}
	var added struct {
		Webhook hookJSON `json:"webhook"`
	}
	if st := w.alice.call("POST", hooks, map[string]any{"url": receiver.URL, "events": []string{"release.started", "release.started"}}, &added); st != http.StatusCreated || added.Webhook.Secret == "" || added.Webhook.LastAt != nil {
		t.Fatalf("add: status %d, %+v", st, added)
	}
	secret = added.Webhook.Secret
	var listed struct {
		Webhooks []hookJSON `json:"webhooks"`
		Events   []string   `json:"events"`
	}
	w.alice.call("GET", hooks, nil, &listed)
	if len(listed.Webhooks) != 2 || listed.Webhooks[1].Secret != "" || len(listed.Events) != len(workspace.Events) {
		t.Fatalf("listed: %+v (the secret must not show again)", listed)
	}

	body := w.releaseBody()
	body["name"] = "2.0"
	if st := w.alice.call("POST", fmt.Sprintf("/api/sops/%d/releases", w.doc), body, nil); st != http.StatusCreated {
		t.Fatalf("start: %d", st)
	}
	select {
	case b := <-got:
		var e struct {
			Event   string `json:"event"`
			Release struct {
				URL string `json:"url"`
			} `json:"release"`
		}
		if err := json.Unmarshal(b, &e); err != nil || e.Event != "release.started" || !strings.HasPrefix(e.Release.URL, ts.URL+"/#/sops/") {
			t.Errorf("delivered %s", b)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("release.started never arrived")
	}

	var pinged struct {
		Webhook hookJSON `json:"webhook"`
	}
	if st := w.alice.call("POST", fmt.Sprintf("%s/%d/ping", hooks, added.Webhook.ID), map[string]any{}, &pinged); st != http.StatusOK || pinged.Webhook.LastStatus != http.StatusOK || pinged.Webhook.LastAt == nil {
		t.Fatalf("ping: status %d, %+v", st, pinged)
	}
	if st := w.alice.call("DELETE", fmt.Sprintf("%s/%d", hooks, added.Webhook.ID), nil, nil); st != http.StatusNoContent {
		t.Fatalf("delete: %d", st)
	}
	if st := w.alice.call("POST", hooks, map[string]any{"url": "file:///etc/passwd"}, nil); st != http.StatusBadRequest {
		t.Errorf("a file: address: status %d, want 400", st)
	}
}
