package cli

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRemotePullAllKeepsAFolder pulls every SOP of a workspace into a
// folder, pushes a change from it without --sop or --base, and pulls
// again: a file changed here is kept, one changed in both places is a
// conflict, and nothing the user wrote is overwritten.
func TestRemotePullAllKeepsAFolder(t *testing.T) {
	w := newRemoteWorld(t)
	// A second SOP from the same template has the same SOP id: its file
	// takes the workspace's number for it.
	second := w.create("saas-weekly")
	dir := filepath.Join(t.TempDir(), "sops")
	code, out, errOut := w.remote("", "pull", "--all", "-o", dir)
	if code != ExitOK || !strings.Contains(out, "pulled 2 SOPs of workspace") || !strings.Contains(out, "2 written") {
		t.Fatalf("pull --all: exit %d\n%s\n%s", code, out, errOut)
	}
	first := filepath.Join(dir, "saas-weekly-release.sop.yaml")
	other := filepath.Join(dir, fmt.Sprintf("saas-weekly-release-%d.sop.yaml", second))
	for _, f := range []string{first, other} {
		if data, err := os.ReadFile(f); err != nil || !strings.Contains(string(data), "id: saas-weekly-release") {
			t.Fatalf("%s: %v\n%.200s", f, err, data)
		}
	}
	var ix mirrorIndex
	data, _ := os.ReadFile(filepath.Join(dir, mirrorIndexName))
	if err := json.Unmarshal(data, &ix); err != nil || len(ix.Files) != 2 || ix.Workspace != w.ws || strings.Contains(string(data), w.token) {
		t.Fatalf("index: %v\n%s", err, data)
	}

	// Pulling again changes nothing.
	if code, out, _ := w.remote("", "pull", "--all", "-o", dir); code != ExitOK || !strings.Contains(out, "0 written, 2 unchanged") {
		t.Errorf("second pull: exit %d\n%s", code, out)
	}

	// A change made here is pushed without --sop or --base.
	src, _ := os.ReadFile(first)
	changed := strings.Replace(string(src), "title: Weekly SaaS feature release", "title: Weekly SaaS release", 1)
	os.WriteFile(first, []byte(changed), 0o644)
	if code, out, errOut := w.remote("", "pull", "--all", "-o", dir); code != ExitOK || !strings.Contains(out, "1 changed here and kept") || !strings.Contains(errOut, "push it with") {
		t.Errorf("pull over a changed file: exit %d\n%s\n%s", code, out, errOut)
	}
	if got, _ := os.ReadFile(first); string(got) != changed {
		t.Fatal("pull overwrote a file changed here")
	}
	code, out, errOut = w.remote("", "push", first, "-m", "Shorter title")
	if code != ExitOK || !strings.Contains(out, fmt.Sprintf("saved SOP %d as revision 2", w.sop)) {
		t.Fatalf("push from the folder: exit %d\n%s\n%s", code, out, errOut)
	}
	if code, out, _ := w.remote("", "pull", "--all", "-o", dir); code != ExitOK || !strings.Contains(out, "0 written, 2 unchanged") {
		t.Errorf("after the push the folder is up to date: exit %d\n%s", code, out)
	}

	// Someone saves in the workspace while the file is changed here: the
	// pull keeps the file and says so (exit 1), and the push is refused
	// because its base is old.
	os.WriteFile(first, []byte(strings.Replace(changed, "version:", "# local note\nversion:", 1)), 0o644)
	var doc struct {
		Document struct {
			Source   string `json:"source"`
			Revision int    `json:"revision"`
		} `json:"document"`
	}
	w.call("GET", fmt.Sprintf("/api/sops/%d", w.sop), nil, &doc)
	edited := strings.Replace(doc.Document.Source, "title: Weekly SaaS release", "title: Weekly release", 1)
	if st := w.call("PUT", fmt.Sprintf("/api/sops/%d", w.sop), map[string]any{"source": edited, "base_revision": doc.Document.Revision}, nil); st != http.StatusOK {
		t.Fatalf("save in the workspace: %d", st)
	}
	code, _, errOut = w.remote("", "pull", "--all", "-o", dir)
	if code != ExitFindings || !strings.Contains(errOut, "changed here, and SOP") || !strings.Contains(errOut, "not overwritten") {
		t.Errorf("conflict: exit %d\n%s", code, errOut)
	}
	if got, _ := os.ReadFile(first); !strings.Contains(string(got), "# local note") {
		t.Error("the conflicting file was overwritten")
	}
	if code, _, errOut := w.remote("", "push", first); code != ExitFindings || !strings.Contains(errOut, "not saved: someone saved") {
		t.Errorf("push on an old base: exit %d\n%s", code, errOut)
	}
}

// TestRemotePullAllBadUse: --all needs a folder, refuses an SOP id beside
// it, a folder of another workspace, and an index that names files
// outside the folder.
func TestRemotePullAllBadUse(t *testing.T) {
	w := newRemoteWorld(t)
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		says string
	}{
		{[]string{"pull", "--all"}, "name the folder with -o FOLDER"},
		{[]string{"pull", "7", "--all", "-o", dir}, "not both"},
		{[]string{"pull"}, "name the SOP to pull"},
		{[]string{"pull", "7", "--status", "draft"}, "go with --all"},
	} {
		if code, _, errOut := w.remote("", tc.args...); code != ExitUsage || !strings.Contains(errOut, tc.says) {
			t.Errorf("%v: exit %d: %s", tc.args, code, errOut)
		}
	}
	os.WriteFile(filepath.Join(dir, mirrorIndexName), []byte(`{"server": "https://elsewhere.example.com", "workspace": 9, "files": []}`), 0o644)
	if code, _, errOut := w.remote("", "pull", "--all", "-o", dir); code != ExitUsage || !strings.Contains(errOut, "into another folder") {
		t.Errorf("another workspace's folder: exit %d: %s", code, errOut)
	}
	os.WriteFile(filepath.Join(dir, mirrorIndexName), []byte(`{"files": [{"file": "../../etc/passwd", "sop": 1}]}`), 0o644)
	if code, _, errOut := w.remote("", "pull", "--all", "-o", dir); code != ExitUsage || !strings.Contains(errOut, "no file of this folder") {
		t.Errorf("an index naming a file outside: exit %d: %s", code, errOut)
	}
	os.WriteFile(filepath.Join(dir, mirrorIndexName), []byte(`not json`), 0o644)
	if code, _, errOut := w.remote("", "pull", "--all", "-o", dir); code != ExitUsage || !strings.Contains(errOut, "is not an index relsop wrote") {
		t.Errorf("a broken index: exit %d: %s", code, errOut)
	}
}

// TestRemotePullAllStoppedHalfway: when the server fails on one SOP, the
// files already written are in the index, so the next pull takes them for
// its own instead of writing copies beside them.
func TestRemotePullAllStoppedHalfway(t *testing.T) {
	w := newRemoteWorld(t)
	failing := fmt.Sprintf("/api/sops/%d", w.create("devops-cicd"))
	target, _ := url.Parse(w.url)
	proxy := httputil.NewSingleHostReverseProxy(target)
	broken := true
	front := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if broken && r.URL.Path == failing {
			http.Error(rw, `{"error": {"code": "internal", "message": "boom"}}`, http.StatusInternalServerError)
			return
		}
		proxy.ServeHTTP(rw, r)
	}))
	defer front.Close()
	dir := t.TempDir()
	pull := func() (int, string) {
		code, out, errOut := run(t, "", "remote", "pull", "--all", "-o", dir, "--server", front.URL, "--token", w.token)
		return code, out + errOut
	}
	if code, out := pull(); code == ExitOK {
		t.Fatalf("a failing server did not fail the pull:\n%s", out)
	}
	broken = false
	code, out := pull()
	if code != ExitOK || !strings.Contains(out, "1 written, 1 unchanged") {
		t.Fatalf("second pull: exit %d\n%s", code, out)
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if len(names) != 3 {
		t.Errorf("the folder holds %v; want the two SOPs and the index", names)
	}
}

// create makes another SOP in the world's workspace from a template and
// returns its id.
func (w *remoteWorld) create(template string) int64 {
	w.t.Helper()
	var created struct {
		Document struct {
			ID int64 `json:"id"`
		} `json:"document"`
	}
	if st := w.call("POST", "/api/sops", map[string]any{"workspace_id": w.ws, "template": template}, &created); st != http.StatusCreated {
		w.t.Fatalf("create from %s: %d", template, st)
	}
	return created.Document.ID
}
