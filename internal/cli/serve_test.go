package cli

import (
	"bufio"
	"context"
	"database/sql"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/relsop/relsop/internal/store/sqlite"
	"github.com/relsop/relsop/internal/workspace"
)

// startServe runs relsop serve with fl on a free port of 127.0.0.1 and a
// fresh data folder (unless fl.data names one), and returns its address and what it said on standard
// error up to the line that gives it; the server stops, as Ctrl+C would
// stop it, when the test ends.
func startServe(t *testing.T, fl serveFlags) (base, said string) {
	t.Helper()
	fl.addr, fl.logFormat = "127.0.0.1:0", "json"
	if fl.data == "" {
		fl.data = filepath.Join(t.TempDir(), "data")
	}
	pr, pw := io.Pipe()
	env := &Env{Stdout: io.Discard, Stderr: pw}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- runServe(ctx, env, fl)
		pw.Close()
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve returned %v", err)
			}
		case <-time.After(15 * time.Second):
			t.Error("serve did not stop")
		}
	})
	lines := bufio.NewReader(pr)
	for {
		line, err := lines.ReadString('\n')
		if err != nil {
			t.Fatalf("serve said %q and stopped: %v", said, err)
		}
		said += line
		m := regexp.MustCompile(`at (http://\S+) \(data in (.+?)\)`).FindStringSubmatch(line)
		if m == nil {
			continue
		}
		if !strings.HasSuffix(m[2], filepath.Join("data", "relsop.db")) {
			t.Fatalf("serve keeps its data in %q", m[2])
		}
		go io.Copy(io.Discard, lines)
		return m[1], said
	}
}

// TestServe runs relsop serve and checks that the workspace answers: the
// page, the API and the health check.
func TestServe(t *testing.T) {
	base, _ := startServe(t, serveFlags{})
	for path, want := range map[string]string{"/": "<!doctype html>", "/healthz": "ok", "/api/templates": "saas-weekly"} {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(strings.ToLower(string(body)), strings.ToLower(want)) {
			t.Errorf("GET %s: %d %.200s", path, resp.StatusCode, body)
		}
	}
}

func TestServeBadFlags(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"serve", "--db", "mysql://u:secret@h/db"}, "postgres:// URL"},
		{[]string{"serve", "--log", "xml"}, "--log must be json or text"},
		{[]string{"serve", "--addr", "256.0.0.1:99999", "--data", "DATA"}, "cannot listen"},
		{[]string{"serve", "--smtp", "ftp://mail.example.com", "--mail-from", "relsop@example.com", "--data", "DATA"}, "smtp or smtps"},
		{[]string{"serve", "--smtp", "smtp://relsop:secret@mail.example.com", "--data", "DATA"}, "--mail-from"},
		{[]string{"serve", "--smtp", "smtp://relsop:secret@mail.example.com", "--mail-from", "bob", "--data", "DATA"}, "not an email address"},
		{[]string{"serve", "--mail-from", "relsop@example.com", "--data", "DATA"}, "--mail-from needs --smtp"},
		{[]string{"serve", "--digest-at", "25:00", "--data", "DATA"}, `--digest-at "25:00" is not a time of day: give it as HH:MM`},
		{[]string{"serve", "--digest-at", "8am", "--data", "DATA"}, "such as 08:00 or 17:30"},
	} {
		for i, a := range tt.args {
			if a == "DATA" {
				tt.args[i] = t.TempDir()
			}
		}
		var stderr strings.Builder
		code := Main(tt.args, Env{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: &stderr})
		if code == 0 || !strings.Contains(stderr.String(), tt.want) {
			t.Errorf("%v: exit %d, stderr %q", tt.args, code, stderr.String())
		}
		if strings.Contains(stderr.String(), "secret") {
			t.Errorf("%v: the password leaked: %q", tt.args, stderr.String())
		}
	}
}

func TestRedact(t *testing.T) {
	if got := redact("postgres://relsop:hunter2@db:5432/relsop?sslmode=disable"); strings.Contains(got, "hunter2") || !strings.Contains(got, "relsop:***@db:5432") {
		t.Errorf("redact = %q", got)
	}
}

// TestServeDerivesReviewDates starts relsop serve on a database whose SOP
// was saved before documents kept their scheduled review date (as
// migration 0009 leaves it): the server derives it as it starts, and says
// so.
func TestServeDerivesReviewDates(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	db := filepath.Join(data, "relsop.db")
	st, err := sqlite.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	svc := workspace.New(st, workspace.Options{})
	u, _, _, err := svc.SignUp(context.Background(), "ann@example.com", "Ann", "a long enough password")
	if err != nil {
		t.Fatal(err)
	}
	ctx := workspace.WithUser(context.Background(), u)
	ms, err := svc.Workspaces(ctx)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := svc.Create(ctx, ms[0].Workspace.ID, "saas-weekly", nil, "")
	if err != nil || doc.ReviewDue == "" {
		t.Fatalf("Create: %v, review due %q", err, doc.ReviewDue)
	}
	st.Close()
	raw, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`UPDATE documents SET review_due = NULL`); err != nil {
		t.Fatal(err)
	}
	raw.Close()

	_, said := startServe(t, serveFlags{data: data})
	if !strings.Contains(said, `"msg":"derived the scheduled review dates of older SOPs","sops":1`) {
		t.Errorf("serve said:\n%s", said)
	}
}
