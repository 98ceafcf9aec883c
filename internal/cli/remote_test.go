package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/relsop/relsop/internal/server"
	"github.com/relsop/relsop/internal/store/sqlite"
	"github.com/relsop/relsop/internal/testenv"
	"github.com/relsop/relsop/internal/workspace"
)

// remoteWorld is a workspace server with one account, an API token and
// one SOP made from a template.
type remoteWorld struct {
	t      *testing.T
	url    string
	token  string
	ws     int64
	sop    int64
	http   *http.Client
	csrf   string
	cookie bool
}

func newRemoteWorld(t *testing.T) *remoteWorld {
	t.Helper()
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "relsop.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ts := httptest.NewServer(server.New(server.Config{Service: workspace.New(st, workspace.Options{})}))
	t.Cleanup(ts.Close)
	w := signUp(t, ts.URL, "alice@example.com", "Alice")
	var ws struct {
		Workspaces []struct {
			ID int64 `json:"id"`
		} `json:"workspaces"`
	}
	w.call("GET", "/api/me", nil, &ws)
	w.ws = ws.Workspaces[0].ID
	var tok struct {
		Token string `json:"token"`
	}
	if st := w.call("POST", "/api/tokens", map[string]string{"name": "cli"}, &tok); st != http.StatusCreated || !strings.HasPrefix(tok.Token, "relsop_") {
		t.Fatalf("token: %d %q", st, tok.Token)
	}
	w.token = tok.Token
	var created struct {
		Document struct {
			ID int64 `json:"id"`
		} `json:"document"`
	}
	if st := w.call("POST", "/api/sops", map[string]any{"workspace_id": w.ws, "template": "saas-weekly"}, &created); st != http.StatusCreated {
		t.Fatalf("create: %d", st)
	}
	w.sop = created.Document.ID
	return w
}

// signUp signs a new user of the relsop serve at url up as a browser does (the CSRF token of GET
// /api/me, then the session's own) and returns their browser.
func signUp(t *testing.T, url, email, name string) *remoteWorld {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	w := &remoteWorld{t: t, url: url, http: &http.Client{Jar: jar}, cookie: true}
	var me struct {
		CSRF string `json:"csrf_token"`
	}
	w.call("GET", "/api/me", nil, &me)
	w.csrf = me.CSRF
	if st := w.call("POST", "/api/auth/signup", map[string]string{"email": email, "name": name, "password": "a long enough password"}, &me); st != http.StatusCreated {
		t.Fatalf("sign up %s: %d", email, st)
	}
	w.csrf = me.CSRF
	return w
}

// member signs up another user and makes them a member of Alice's
// workspace with role, through an invite; it returns their browser.
func (w *remoteWorld) member(email, name, role string) *remoteWorld {
	w.t.Helper()
	m := signUp(w.t, w.url, email, name)
	m.ws = w.ws
	var inv struct {
		Token string `json:"token"`
	}
	if st := w.call("POST", fmt.Sprintf("/api/workspaces/%d/invites", w.ws), map[string]any{"role": role}, &inv); st != http.StatusCreated {
		w.t.Fatalf("invite: %d", st)
	}
	if st := m.call("POST", "/api/invites/"+inv.Token+"/accept", map[string]any{}, nil); st != http.StatusOK {
		w.t.Fatalf("accept: %d", st)
	}
	return m
}

// call is the browser's request: cookies and the CSRF header.
func (w *remoteWorld) call(method, path string, in, out any) int {
	w.t.Helper()
	var body io.Reader
	if in != nil {
		data, _ := json.Marshal(in)
		body = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, w.url+path, body)
	if err != nil {
		w.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if w.csrf != "" {
		req.Header.Set("X-CSRF-Token", w.csrf)
	}
	resp, err := w.http.Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if out != nil && len(data) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			w.t.Fatalf("%s %s: %v in %s", method, path, err, data)
		}
	}
	return resp.StatusCode
}

// remote runs relsop remote ARGS against the world's server with its
// token, and checks that the token is never printed.
func (w *remoteWorld) remote(stdin string, args ...string) (code int, stdout, stderr string) {
	w.t.Helper()
	full := append([]string{"remote", args[0], "--server", w.url, "--token", w.token}, args[1:]...)
	code, stdout, stderr = run(w.t, stdin, full...)
	if strings.Contains(stdout+stderr, w.token) {
		w.t.Errorf("relsop %v printed the token", args)
	}
	return code, stdout, stderr
}

func TestRemoteListPullPush(t *testing.T) {
	w := newRemoteWorld(t)
	id := fmt.Sprint(w.sop)

	code, out, errOut := w.remote("", "list")
	if code != ExitOK || !regexp.MustCompile(`(?m)^ID\s+TITLE\s+STATUS\s+LINT\s+REVIEW DUE\s+REVISION\s+UPDATED$`).MatchString(out) ||
		!regexp.MustCompile(`(?m)^`+id+`\s+Weekly SaaS feature release\s+draft\s+\S+\s+2027-01-14\s+1\s+\d{4}-\d\d-\d\d \d\d:\d\d UTC$`).MatchString(out) {
		t.Fatalf("list: exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, _ = w.remote("", "list", "--workspace", fmt.Sprint(w.ws), "--status", "approved")
	if code != ExitOK || strings.Contains(out, "Weekly") {
		t.Errorf("list --status approved: exit %d\n%s", code, out)
	}
	code, out, _ = w.remote("", "list", "--query", "saas", "--format", "json")
	var docs []struct {
		ID       int64 `json:"id"`
		Revision int   `json:"revision"`
	}
	if code != ExitOK || json.Unmarshal([]byte(out), &docs) != nil || len(docs) != 1 || docs[0].ID != w.sop {
		t.Errorf("list --format json: exit %d\n%s", code, out)
	}

	// Pull to a file: the YAML, and the revision on standard error.
	file := filepath.Join(t.TempDir(), "release.sop.yaml")
	code, out, errOut = w.remote("", "pull", id, "-o", file)
	src, _ := os.ReadFile(file)
	if code != ExitOK || out != "" || errOut != "revision 1\n" || !bytes.Contains(src, []byte("steps:")) {
		t.Fatalf("pull: exit %d %q %q\n%.200s", code, out, errOut, src)
	}
	code, out, _ = w.remote("", "pull", id)
	if code != ExitOK || out != string(src) {
		t.Errorf("pull to stdout: exit %d, %d bytes, want %d", code, len(out), len(src))
	}

	// Push with the base it was pulled at: revision 2.
	changed := bytes.Replace(src, []byte("Weekly SaaS feature release"), []byte("Weekly SaaS feature release, edited"), 1)
	os.WriteFile(file, changed, 0o644)
	code, out, errOut = w.remote("", "push", file, "--sop", id, "--base", "1", "-m", "from the CLI")
	if code != ExitOK || !strings.Contains(out, "saved SOP "+id+" as revision 2") {
		t.Fatalf("push: exit %d %q %q", code, out, errOut)
	}
	var revs struct {
		Revisions []struct {
			Number  int    `json:"number"`
			Message string `json:"message"`
		} `json:"revisions"`
	}
	w.call("GET", "/api/sops/"+id+"/revisions", nil, &revs)
	if len(revs.Revisions) != 2 || revs.Revisions[0].Message != "from the CLI" {
		t.Errorf("history: %+v", revs.Revisions)
	}

	// The same base again is stale: nothing saved, exit 1, pull first.
	code, out, errOut = w.remote("", "push", file, "--sop", id, "--base", "1")
	if code != ExitFindings || out != "" || !strings.Contains(errOut, "someone saved SOP "+id+" after revision 1 (the latest is 2)") ||
		!strings.Contains(errOut, "relsop remote pull "+id) {
		t.Errorf("stale base: exit %d %q %q", code, out, errOut)
	}

	// Without --base: the latest revision, with a warning.
	code, out, errOut = w.remote(string(src), "push", "-", "--sop", id)
	if code != ExitOK || !strings.Contains(out, "revision 3") || !strings.Contains(errOut, "warning: no --base: saving over revision 2") {
		t.Errorf("push without --base: exit %d %q %q", code, out, errOut)
	}

	// A file that does not load: its findings, positioned in the file.
	bad := filepath.Join(t.TempDir(), "bad.sop.yaml")
	os.WriteFile(bad, []byte("id: x\ntitle: Broken\nroles:\n  - id: dev\n    name: Developer\nsteps:\n  - id: a\n    name: Do a thing\n    owner: nobody\n"), 0o644)
	code, out, errOut = w.remote("", "push", bad, "--sop", id, "--base", "3")
	if code != ExitUsage || out != "" || !regexp.MustCompile(`(?m)^`+regexp.QuoteMeta(bad)+`:9:\d+: error: .*nobody`).MatchString(errOut) ||
		!strings.Contains(errOut, "owner: nobody") || !strings.Contains(errOut, "did not accept "+bad) {
		t.Errorf("bad YAML: exit %d %q\n%s", code, out, errOut)
	}
	code, _, errOut = w.remote("", "push", bad, "--workspace", fmt.Sprint(w.ws), "--new")
	if code != ExitUsage || !strings.Contains(errOut, bad+":9:") {
		t.Errorf("bad YAML --new: exit %d\n%s", code, errOut)
	}

	// A new SOP from the file.
	code, out, errOut = w.remote("", "push", file, "--workspace", fmt.Sprint(w.ws), "--new")
	m := regexp.MustCompile(`^created SOP (\d+) "Weekly SaaS feature release, edited" in workspace \d+: revision 1`).FindStringSubmatch(out)
	if code != ExitOK || m == nil || m[1] == id {
		t.Fatalf("push --new: exit %d %q %q", code, out, errOut)
	}
	code, out, _ = w.remote("", "list")
	if code != ExitOK || !strings.Contains(out, "Weekly SaaS feature release, edited") || strings.Count(out, "\n") != 3 {
		t.Errorf("list after --new: exit %d\n%s", code, out)
	}
}

func TestRemoteSeveralWorkspaces(t *testing.T) {
	w := newRemoteWorld(t)
	if st := w.call("POST", "/api/workspaces", map[string]string{"name": "Platform team"}, nil); st != http.StatusCreated {
		t.Fatalf("workspace: %d", st)
	}
	code, out, errOut := w.remote("", "list")
	if code != ExitOK || !strings.Contains(out, "Weekly SaaS feature release") || !strings.Contains(errOut, "You belong to 2 workspaces") ||
		!strings.Contains(errOut, "Platform team") || !strings.Contains(errOut, "--workspace ID") {
		t.Errorf("list: exit %d\n%s\n%s", code, out, errOut)
	}
	file := filepath.Join(t.TempDir(), "x.sop.yaml")
	if code, _, errOut := w.remote("", "pull", fmt.Sprint(w.sop), "-o", file); code != ExitOK {
		t.Fatalf("pull: exit %d %q", code, errOut)
	}
	code, out, errOut = w.remote("", "push", file, "--new")
	if code != ExitUsage || out != "" || !strings.Contains(errOut, "say which with --workspace ID") {
		t.Errorf("push --new with two workspaces: exit %d %q %q", code, out, errOut)
	}
}

func TestRemoteErrors(t *testing.T) {
	w := newRemoteWorld(t)
	// A wrong token: unauthorized, said plainly.
	code, out, errOut := run(t, "", "remote", "list", "--server", w.url, "--token", "relsop_not-a-real-token")
	if code != ExitUsage || out != "" || !strings.Contains(errOut, "did not accept the API token") ||
		!strings.Contains(errOut, "API tokens") || strings.Contains(errOut, "relsop_not-a-real-token") {
		t.Errorf("wrong token: exit %d %q %q", code, out, errOut)
	}
	// The token from the environment, and an SOP that does not exist.
	t.Setenv("RELSOP_TOKEN", w.token)
	t.Setenv("RELSOP_SERVER", w.url)
	code, _, errOut = run(t, "", "remote", "pull", "999")
	if code != ExitUsage || !strings.Contains(errOut, w.url) || !strings.Contains(errOut, "not a member") {
		t.Errorf("no such SOP: exit %d %q", code, errOut)
	}
	// --help never shows the token, even when it is in the environment.
	code, out, _ = run(t, "", "remote", "list", "--help")
	if code != ExitOK || strings.Contains(out, w.token) || !strings.Contains(out, "RELSOP_TOKEN") {
		t.Errorf("--help: exit %d\n%s", code, out)
	}
	t.Setenv("RELSOP_TOKEN", "")
	code, _, errOut = run(t, "", "remote", "list")
	if code != ExitUsage || !strings.Contains(errOut, "no API token") {
		t.Errorf("no token: exit %d %q", code, errOut)
	}

	// Nobody listening: the error names the server.
	ts := httptest.NewServer(http.NotFoundHandler())
	gone := ts.URL
	ts.Close()
	code, _, errOut = run(t, "", "remote", "list", "--server", gone, "--token", "relsop_x")
	if code != ExitUsage || !strings.Contains(errOut, "cannot reach the workspace at "+gone) {
		t.Errorf("server down: exit %d %q", code, errOut)
	}

	// Usage mistakes.
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"remote", "push", "x.sop.yaml", "--token", "t"}, "--sop ID"},
		{[]string{"remote", "push", "x.sop.yaml", "--token", "t", "--sop", "1", "--new"}, "not both"},
		{[]string{"remote", "push", "x.sop.yaml", "--token", "t", "--new", "--base", "2"}, "not for --new"},
		{[]string{"remote", "push", "x.sop.yaml", "--token", "t", "--sop", "1", "--base", "0"}, "--base must be"},
		{[]string{"remote", "pull", "seven", "--token", "t"}, "an SOP id is a number"},
		{[]string{"remote", "list", "--token", "t", "--format", "xml"}, "--format must be text or json"},
		{[]string{"remote", "list", "--token", "t", "--server", "ftp://example.com"}, "--server must be"},
		{[]string{"remote", "list", "--token", "two words"}, "spaces or control characters"},
	} {
		code, _, errOut := run(t, "", tt.args...)
		if code != ExitUsage || !strings.Contains(errOut, tt.want) {
			t.Errorf("%v: exit %d %q", tt.args, code, errOut)
		}
	}
}

// TestRemotePlainHTTP: a token is not sent in clear text to another
// machine. The refusal comes before any request, so no network is needed
// (example.invalid could not be resolved anyway).
func TestRemotePlainHTTP(t *testing.T) {
	const token = "relsop_secret-token-value"
	for _, args := range [][]string{
		{"remote", "list", "--server", "http://relsop.example.invalid", "--token", token},
		{"remote", "pull", "7", "--server", "http://user:pw@10.0.0.5:8080/relsop", "--token", token},
		{"remote", "push", "-", "--sop", "7", "--server", "relsop.example.invalid:8080", "--token", token},
	} {
		code, out, errOut := run(t, "id: x\n", args...)
		if code != ExitUsage || out != "" || !strings.Contains(errOut, "refusing to send the API token") ||
			!strings.Contains(errOut, "--insecure") || !strings.Contains(errOut, "https://") {
			t.Errorf("%v: exit %d %q %q", args, code, out, errOut)
		}
		if strings.Contains(errOut, token) || strings.Contains(errOut, "pw@") {
			t.Errorf("%v: a secret leaked: %q", args, errOut)
		}
	}
	for _, tt := range []struct {
		server   string
		insecure bool
		ok       bool
	}{
		{"http://localhost:8080", false, true},
		{"http://127.0.0.1:9000", false, true},
		{"http://[::1]:9000", false, true},
		{"localhost:8080", false, true},
		{"https://relsop.example.com", false, true},
		{"http://relsop.example.com", false, false},
		{"http://relsop.example.com", true, true},
		{"http://192.168.1.10", false, false},
	} {
		_, err := checkServer(tt.server, tt.insecure)
		if (err == nil) != tt.ok {
			t.Errorf("checkServer(%q, insecure=%v) = %v", tt.server, tt.insecure, err)
		}
	}
}

// TestRemoteExport downloads the controlled PDF document, an earlier
// revision's Markdown and a release type's diagram through the API with
// the token; mistakes exit 2 and write nothing.
func TestRemoteExport(t *testing.T) {
	w := newRemoteWorld(t)
	id := fmt.Sprint(w.sop)
	dir := t.TempDir()
	pdfPath := filepath.Join(dir, "release-sop.pdf")
	if code, _, stderr := w.remote("", "export", id, "-o", pdfPath); code != ExitOK {
		t.Fatalf("export: exit %d: %s", code, stderr)
	}
	text, err := exec.Command(testenv.Tool(t, "pdftotext"), pdfPath, "-").CombinedOutput()
	if err != nil {
		t.Fatal(err)
	}
	flat := strings.Join(strings.Fields(string(text)), " ")
	if !strings.Contains(flat, "Document control") || !strings.Contains(flat, "Revision 1 in the relsop workspace.") || !strings.Contains(flat, "Go/no-go decision") {
		t.Errorf("the PDF is not the controlled document:\n%.600s", flat)
	}
	code, out, _ := w.remote("", "export", id, "--format", "markdown", "--rev", "1")
	if code != ExitOK || !strings.HasPrefix(out, "# Weekly SaaS feature release\n") || !strings.Contains(out, "- Revision 1 in the relsop workspace.") {
		t.Errorf("markdown --rev 1: exit %d\n%.300s", code, out)
	}
	code, out, _ = w.remote("", "export", id, "--format", "svg", "--type", "emergency")
	if code != ExitOK || !strings.Contains(out, "<svg") || !strings.Contains(out, "Emergency") {
		t.Errorf("svg --type emergency: exit %d\n%.100s", code, out)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"export", id, "--format", "docx"}, "--format must be one of"},
		{[]string{"export", id, "--rev", "-2"}, "--rev must be a revision number"},
		{[]string{"export", id, "--rev", "99", "-o", filepath.Join(dir, "x.pdf")}, "99"},
		{[]string{"export", id, "--type", "hotfix", "-o", filepath.Join(dir, "x.pdf")}, "hotfix"},
		{[]string{"export", "999999", "-o", filepath.Join(dir, "x.pdf")}, "No such SOP"},
		{[]string{"export", "seven"}, "seven"},
	} {
		if code, _, stderr := w.remote("", c.args...); code != ExitUsage || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, %q; want exit 2 and %q", c.args, code, stderr, c.want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "x.pdf")); err == nil {
		t.Error("a failed export wrote a file")
	}
}
