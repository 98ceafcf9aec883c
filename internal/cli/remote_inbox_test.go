package cli

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/relsop/relsop/internal/compile"
	"github.com/relsop/relsop/internal/templates"
)

// TestRemoteInbox carries a release of Alice's to its first gate: then
// relsop remote inbox shows it, with a link to the release. Then an SOP
// of Bob's waits for Alice's review, and a release of Alice's SOP that
// was aborted asks her to revise it.
func TestRemoteInbox(t *testing.T) {
	w := newRemoteWorld(t)
	code, stdout, stderr := w.remote("", "inbox")
	if code != 0 || stdout != "" || !strings.Contains(stderr, "Nothing waits for you") {
		t.Fatalf("an empty inbox: exit %d\n%s\n%s", code, stdout, stderr)
	}

	tpl, _ := templates.Get("saas-weekly")
	roster := map[string][]string{}
	for _, role := range compile.Load(tpl.Source).SOP.Roles {
		roster[role.ID] = []string{"alice@example.com"}
	}
	var rel struct {
		Release struct {
			ID int64 `json:"id"`
		} `json:"release"`
		Status struct {
			Ready []struct {
				Step string `json:"step"`
				Kind string `json:"kind"`
				Name string `json:"name"`
			} `json:"ready"`
		} `json:"status"`
	}
	if st := w.call("POST", fmt.Sprintf("/api/sops/%d/releases", w.sop), map[string]any{"name": "3.1", "rehearsal": true, "roster": roster}, &rel); st != http.StatusCreated {
		t.Fatalf("start: %d", st)
	}
	for i := 0; len(rel.Status.Ready) > 0 && rel.Status.Ready[0].Kind != "gate"; i++ {
		if i == 40 {
			t.Fatal("no gate reached")
		}
		body := map[string]any{"type": "done", "step": rel.Status.Ready[0].Step, "evidence": []string{"https://ci.example.com/1"}}
		if st := w.call("POST", fmt.Sprintf("/api/releases/%d/records", rel.Release.ID), body, &rel); st != http.StatusCreated {
			t.Fatalf("done: %d", st)
		}
	}
	gate := rel.Status.Ready[0]

	code, stdout, stderr = w.remote("", "inbox")
	link := fmt.Sprintf("%s/#/sops/%d/releases/%d", w.url, w.sop, rel.Release.ID)
	if code != 0 || !strings.HasPrefix(stdout, fmt.Sprintf("sign   %q in release 3.1 of ", gate.Name)) || !strings.Contains(stdout, link) {
		t.Errorf("the inbox: exit %d\n%s\n%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "(rehearsal), as ") {
		t.Errorf("the inbox does not say it is a rehearsal, or for which role:\n%s", stdout)
	}

	code, stdout, _ = w.remote("", "inbox", "--format", "json")
	var in struct {
		Gates []struct {
			Gate struct {
				Step string `json:"step"`
			} `json:"gate"`
		} `json:"gates"`
		Mentions []json.RawMessage `json:"mentions"`
	}
	if err := json.Unmarshal([]byte(stdout), &in); code != 0 || err != nil || len(in.Gates) != 1 || in.Gates[0].Gate.Step != gate.Step || in.Mentions == nil {
		t.Errorf("--format json: exit %d, %v\n%s", code, err, stdout)
	}
	// Bob writes an SOP and submits it: Alice, who changed none of it, reviews it.
	bob := w.member("bob@example.com", "Bob", "editor")
	var created struct {
		Document struct {
			ID int64 `json:"id"`
		} `json:"document"`
	}
	if st := bob.call("POST", "/api/sops", map[string]any{"workspace_id": w.ws, "template": "devops-cicd"}, &created); st != http.StatusCreated {
		t.Fatalf("Bob creates: %d", st)
	}
	// Bob's SOP was last reviewed long ago, on a quarterly cadence.
	var bobs struct {
		Document struct {
			Revision int    `json:"revision"`
			Source   string `json:"source"`
		} `json:"document"`
	}
	bob.call("GET", fmt.Sprintf("/api/sops/%d", created.Document.ID), nil, &bobs)
	old := strings.Replace(bobs.Document.Source, "last_reviewed: 2026-11-02", "last_reviewed: 2025-01-15", 1)
	if st := bob.call("PUT", fmt.Sprintf("/api/sops/%d", created.Document.ID), map[string]any{"source": old, "base_revision": 1}, &bobs); st != http.StatusOK || bobs.Document.Source != old {
		t.Fatalf("Bob saves: %d", st)
	}
	if st := bob.call("POST", fmt.Sprintf("/api/sops/%d/status", created.Document.ID), map[string]any{"status": "in-review", "base_revision": bobs.Document.Revision}, nil); st != http.StatusOK {
		t.Fatalf("Bob submits: %d", st)
	}
	code, stdout, stderr = w.remote("", "inbox")
	review := `review "DevOps CI/CD release flow", submitted by Bob on `
	if code != 0 || !strings.Contains(stdout, review) || !strings.Contains(stdout, "; never approved\n       "+fmt.Sprintf("%s/#/sops/%d/review", w.url, created.Document.ID)) {
		t.Errorf("the inbox with a review: exit %d\n%s\n%s", code, stdout, stderr)
	}
	// Alice approves it: its scheduled review is overdue, and waits for
	// her, the workspace's owner (it was never released).
	if st := w.call("POST", fmt.Sprintf("/api/sops/%d/status", created.Document.ID), map[string]any{"status": "approved", "base_revision": bobs.Document.Revision + 1}, nil); st != http.StatusOK {
		t.Fatalf("Alice approves: %d", st)
	}
	code, stdout, stderr = w.remote("", "inbox")
	due := fmt.Sprintf("review \"DevOps CI/CD release flow\": its scheduled review was due on 2025-04-16\n       %s/#/sops/%d\n", w.url, created.Document.ID)
	if code != 0 || !strings.Contains(stdout, due) || strings.Contains(stdout, "submitted by Bob") {
		t.Errorf("the inbox with an overdue review: exit %d\n%s\n%s", code, stdout, stderr)
	}
	var his struct {
		Due []json.RawMessage `json:"due"`
	}
	if st := bob.call("GET", fmt.Sprintf("/api/workspaces/%d/inbox", w.ws), nil, &his); st != http.StatusOK || his.Due == nil || len(his.Due) != 0 {
		t.Errorf("Bob's inbox: %d, due %v", st, his.Due)
	}

	// Alice's SOP goes through review (Bob approves it); a real release
	// through it is aborted, so the inbox asks Alice, who kept it, to
	// revise it.
	if st := w.call("POST", fmt.Sprintf("/api/releases/%d/records", rel.Release.ID), map[string]any{"type": "abort", "note": "rehearsed enough"}, nil); st != http.StatusCreated {
		t.Fatalf("abort the rehearsal: %d", st)
	}
	var sop struct {
		Document struct {
			Revision int `json:"revision"`
		} `json:"document"`
	}
	if st := w.call("POST", fmt.Sprintf("/api/sops/%d/status", w.sop), map[string]any{"status": "in-review", "base_revision": 1}, &sop); st != http.StatusOK {
		t.Fatalf("Alice submits: %d", st)
	}
	if st := bob.call("POST", fmt.Sprintf("/api/sops/%d/status", w.sop), map[string]any{"status": "approved", "base_revision": sop.Document.Revision}, nil); st != http.StatusOK {
		t.Fatalf("Bob approves: %d", st)
	}
	if st := w.call("POST", fmt.Sprintf("/api/sops/%d/releases", w.sop), map[string]any{"name": "3.2", "roster": roster}, &rel); st != http.StatusCreated {
		t.Fatalf("start 3.2: %d", st)
	}
	if st := w.call("POST", fmt.Sprintf("/api/releases/%d/records", rel.Release.ID), map[string]any{"type": "abort", "note": "the registry is down"}, nil); st != http.StatusCreated {
		t.Fatalf("abort 3.2: %d", st)
	}
	code, stdout, stderr = w.remote("", "inbox")
	revise := `revise "Weekly SaaS feature release" after release 3.2, which ended `
	if code != 0 || !strings.Contains(stdout, revise) || !strings.Contains(stdout, ": it was aborted\n       "+fmt.Sprintf("%s/#/sops/%d\n", w.url, w.sop)) {
		t.Errorf("the inbox after 3.2 was aborted: exit %d\n%s\n%s", code, stdout, stderr)
	}

	if code, _, stderr = w.remote("", "inbox", "--format", "yaml"); code != 2 || !strings.Contains(stderr, "text or json") {
		t.Errorf("--format yaml: exit %d, %s", code, stderr)
	}
	if code, _, stderr = w.remote("", "inbox", "--workspace", "999"); code != 2 {
		t.Errorf("another workspace: exit %d, %s", code, stderr)
	}
}
