// Package wsbench is what the workspace benchmarks (bench/serveload,
// bench/editorload) share: the real relsop serve handler started in
// process on a throwaway store, a browser-like API client (cookies and the
// CSRF token), and the set-up of an account with a 40-step SOP.
package wsbench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/server"
	"github.com/relsop/relsop/internal/store/postgres"
	"github.com/relsop/relsop/internal/store/sqlite"
	"github.com/relsop/relsop/internal/workspace"
)

// Password is the password of every benchmark account.
const Password = "benchmark password 1"

// Template is the built-in template closest to 40 steps (37: `relsop stats
// internal/templates/regulated-healthcare.sop.yaml`); Setup pads it to
// Steps with add_step operations.
const (
	Template = "regulated-healthcare"
	Steps    = 40
)

// PostgresEnv names the admin URL of a PostgreSQL server (a role that may
// create databases), as for the store's tests; .ci/run shows how to start
// a throwaway cluster.
const PostgresEnv = "RELSOP_TEST_POSTGRES"

// Server is relsop serve's handler on 127.0.0.1:0.
type Server struct {
	URL   string
	Store string // "sqlite FILE" or "postgres DATABASE"
	stop  []func()
}

// Start runs the workspace on a temporary SQLite file (db "sqlite") or on a
// new database of the PostgreSQL server PostgresEnv names (db "postgres",
// dropped by Close). assets is the browser app, nil for the API only.
func Start(ctx context.Context, db string, assets fs.FS) (*Server, error) {
	s := &Server{}
	var st relsop.Store
	switch db {
	case "sqlite":
		dir, err := os.MkdirTemp("", "relsop-bench-")
		if err != nil {
			return nil, err
		}
		s.stop = append(s.stop, func() { os.RemoveAll(dir) })
		file := filepath.Join(dir, "relsop.db")
		sq, err := sqlite.Open(file)
		if err != nil {
			s.Close()
			return nil, err
		}
		st, s.Store = sq, "sqlite "+file
		s.stop = append(s.stop, func() { sq.Close() })
	case "postgres":
		admin := os.Getenv(PostgresEnv)
		if admin == "" {
			return nil, fmt.Errorf("-db postgres needs %s (a postgres:// URL of a role that may create databases)", PostgresEnv)
		}
		name := fmt.Sprintf("relsop_bench_%d", os.Getpid())
		if err := pgExec(ctx, admin, "CREATE DATABASE "+name); err != nil {
			return nil, err
		}
		s.stop = append(s.stop, func() {
			if err := pgExec(context.Background(), admin, "DROP DATABASE "+name+" WITH (FORCE)"); err != nil {
				fmt.Fprintln(os.Stderr, "drop benchmark database:", err)
			}
		})
		u, err := url.Parse(admin)
		if err != nil {
			s.Close()
			return nil, fmt.Errorf("%s: %w", PostgresEnv, err)
		}
		u.Path = "/" + name
		pg, err := postgres.Open(ctx, u.String())
		if err != nil {
			s.Close()
			return nil, err
		}
		st, s.Store = pg, "postgres database "+name
		s.stop = append(s.stop, func() { pg.Close() })
	default:
		return nil, fmt.Errorf("-db must be sqlite or postgres, not %q", db)
	}
	handler := server.New(server.Config{Service: workspace.New(st, workspace.Options{}), Assets: assets})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		s.Close()
		return nil, err
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	s.stop = append(s.stop, func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	})
	s.URL = "http://" + ln.Addr().String()
	return s, nil
}

// Close stops the server and removes its store, in reverse order of start.
func (s *Server) Close() {
	for i := len(s.stop) - 1; i >= 0; i-- {
		s.stop[i]()
	}
	s.stop = nil
}

func pgExec(ctx context.Context, dsn, sql string) error {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return fmt.Errorf("%s: %w", PostgresEnv, err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, sql); err != nil {
		return fmt.Errorf("%s: %w", sql, err)
	}
	return nil
}

// Client is one browser: its own connections, cookie jar and CSRF token.
type Client struct {
	Base string
	HTTP *http.Client
	CSRF string
}

// NewClient returns a signed-out browser on base, with the CSRF token a
// signed-out GET /api/me hands out.
func NewClient(ctx context.Context, base string) (*Client, error) {
	jar, _ := cookiejar.New(nil)
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 6 // as a browser keeps per host
	c := &Client{Base: strings.TrimRight(base, "/"), HTTP: &http.Client{Jar: jar, Transport: tr, Timeout: 60 * time.Second}}
	var me struct {
		CSRF string `json:"csrf_token"`
	}
	if _, err := c.Call(ctx, "GET", "/api/me", nil, &me); err != nil && !IsStatus(err, http.StatusUnauthorized) {
		return nil, err
	}
	if me.CSRF == "" {
		return nil, errors.New("GET /api/me gave no csrf_token")
	}
	c.CSRF = me.CSRF
	return c, nil
}

// StatusError is an answer other than 2xx.
type StatusError struct {
	Method, Path string
	Status       int
	Body         string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("%s %s: %d %s", e.Method, e.Path, e.Status, strings.TrimSpace(e.Body))
}

// IsStatus reports whether err is a StatusError with the status.
func IsStatus(err error, status int) bool {
	var se *StatusError
	return errors.As(err, &se) && se.Status == status
}

// Call sends a request (body as JSON when not nil), reads the whole
// answer and decodes it as JSON into out when out is not nil (error
// answers only when they are JSON). It
// returns the number of bytes read; an answer other than 2xx is a
// *StatusError (after out is decoded).
func (c *Client) Call(ctx context.Context, method, path string, body, out any) (int, error) {
	var rd io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			return 0, err
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.Base+path, rd)
	if err != nil {
		return 0, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if method != "GET" && c.CSRF != "" {
		req.Header.Set("X-CSRF-Token", c.CSRF)
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return len(data), err
	}
	ok := resp.StatusCode >= 200 && resp.StatusCode <= 299
	// Downloads (export?format=json) are JSON under another content type.
	if out != nil && (ok || strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json")) {
		if err := json.Unmarshal(data, out); err != nil {
			return len(data), fmt.Errorf("%s %s: %w", method, path, err)
		}
	}
	if !ok {
		b := string(data)
		if len(b) > 300 {
			b = b[:300]
		}
		return len(data), &StatusError{Method: method, Path: path, Status: resp.StatusCode, Body: b}
	}
	return len(data), nil
}

// SignUp makes an account (and its first workspace), signs this client in
// and returns the workspace's id.
func (c *Client) SignUp(ctx context.Context, email, name string) (int64, error) {
	var out struct {
		CSRF string `json:"csrf_token"`
	}
	if _, err := c.Call(ctx, "POST", "/api/auth/signup", map[string]string{"email": email, "name": name, "password": Password}, &out); err != nil {
		return 0, err
	}
	if out.CSRF != "" {
		c.CSRF = out.CSRF
	}
	var me struct {
		CSRF       string `json:"csrf_token"`
		Workspaces []struct {
			ID int64 `json:"id"`
		} `json:"workspaces"`
	}
	if _, err := c.Call(ctx, "GET", "/api/me", nil, &me); err != nil {
		return 0, err
	}
	if me.CSRF != "" {
		c.CSRF = me.CSRF
	}
	if len(me.Workspaces) == 0 {
		return 0, errors.New("a new account has no workspace")
	}
	return me.Workspaces[0].ID, nil
}

// Step is a step of the model GET /api/sops/{id}/export?format=json gives.
type Step struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Kind  string `json:"kind"`
	Owner string `json:"owner"`
	Phase string `json:"phase"`
}

// Model is the part of the exported model the benchmarks use.
type Model struct {
	Steps []Step `json:"steps"`
}

// Document is the part of a document the benchmarks use.
type Document struct {
	ID       int64 `json:"id"`
	Revision int   `json:"revision"`
}

// CreateSOP makes an SOP in workspace ws from Template, pads it to Steps
// steps and returns it with its model.
func (c *Client) CreateSOP(ctx context.Context, ws int64) (Document, Model, error) {
	var created struct {
		Document Document `json:"document"`
	}
	if _, err := c.Call(ctx, "POST", "/api/sops", map[string]any{"workspace_id": ws, "template": Template}, &created); err != nil {
		return Document{}, Model{}, err
	}
	d := created.Document
	m, err := c.Model(ctx, d.ID)
	if err != nil {
		return d, m, err
	}
	for i := 1; len(m.Steps) < Steps; i++ {
		after := m.Steps[len(m.Steps)/2]
		for _, s := range m.Steps {
			if s.Kind == "" || s.Kind == "task" {
				after = s
			}
		}
		op := map[string]any{"op": "add_step", "after": after.ID,
			"step": map[string]any{"name": fmt.Sprintf("Record benchmark check %d", i), "owner": after.Owner, "phase": after.Phase}}
		var out struct {
			Document Document `json:"document"`
		}
		if _, err := c.Call(ctx, "POST", fmt.Sprintf("/api/sops/%d/ops", d.ID), map[string]any{"base_revision": d.Revision, "ops": []any{op}}, &out); err != nil {
			return d, m, err
		}
		d = out.Document
		if m, err = c.Model(ctx, d.ID); err != nil {
			return d, m, err
		}
	}
	return d, m, nil
}

// Model returns the SOP's model as the editor loads it.
func (c *Client) Model(ctx context.Context, id int64) (Model, error) {
	var m Model
	_, err := c.Call(ctx, "GET", fmt.Sprintf("/api/sops/%d/export?format=json", id), nil, &m)
	return m, err
}
