package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// serveProc is a `relsop serve` process started by a test.
type serveProc struct {
	t    *testing.T
	cmd  *exec.Cmd
	base string // http://127.0.0.1:PORT
	log  *bytes.Buffer
}

// startServe runs relsop serve with args on a free port and waits until
// it answers.
func startServe(t *testing.T, args ...string) *serveProc {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(os.Args[0], append([]string{"serve", "--addr", addr, "--log", "text"}, args...)...)
	cmd.Env = append(os.Environ(), "RELSOP_TEST_MAIN=1")
	p := &serveProc{t: t, cmd: cmd, base: "http://" + addr, log: &bytes.Buffer{}}
	cmd.Stdout, cmd.Stderr = p.log, p.log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
		if t.Failed() {
			t.Logf("relsop serve %s said:\n%s", addr, p.log)
		}
	})
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get(p.base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return p
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("relsop serve did not start: %v\n%s", err, p.log)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// kill ends the process with SIGKILL: no shutdown, no flushing.
func (p *serveProc) kill() {
	p.cmd.Process.Kill()
	p.cmd.Wait()
}

// account is a signed-up user with an API token.
type account struct {
	token string
	ws    int64
	user  int64
}

// signUp makes a user over the API, with an API token for the rest.
func signUp(t *testing.T, base, email string) account {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar}
	var me struct {
		CSRF string `json:"csrf_token"`
	}
	resp, err := hc.Get(base + "/api/me") // 401, with the token a signed-out browser echoes
	if err != nil {
		t.Fatal(err)
	}
	json.NewDecoder(resp.Body).Decode(&me)
	resp.Body.Close()
	var out struct {
		User struct {
			ID int64 `json:"id"`
		} `json:"user"`
		CSRF string `json:"csrf_token"`
	}
	call(t, hc, "", me.CSRF, "POST", base+"/api/auth/signup", map[string]string{"email": email, "name": strings.Split(email, "@")[0], "password": "a long enough password"}, &out)
	var tok struct {
		Token string `json:"token"`
	}
	call(t, hc, "", out.CSRF, "POST", base+"/api/tokens", map[string]string{"name": "test"}, &tok)
	var ws struct {
		Workspaces []struct {
			ID int64 `json:"id"`
		} `json:"workspaces"`
	}
	call(t, hc, "", "", "GET", base+"/api/me", nil, &ws)
	return account{token: tok.Token, ws: ws.Workspaces[0].ID, user: out.User.ID}
}

// call sends a JSON request and decodes a 2xx answer into out.
func call(t *testing.T, hc *http.Client, token, csrf, method, url string, body, out any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, url, rd)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if csrf != "" {
		req.Header.Set("X-CSRF-Token", csrf)
	}
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		t.Fatalf("%s %s: %d %s", method, url, resp.StatusCode, data)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			t.Fatalf("%s %s: %v", method, url, err)
		}
	}
}

// createSOP makes an SOP from the saas-weekly template.
func createSOP(t *testing.T, base string, a account) int64 {
	t.Helper()
	var created struct {
		Document struct {
			ID int64 `json:"id"`
		} `json:"document"`
	}
	call(t, http.DefaultClient, a.token, "", "POST", base+"/api/sops", map[string]any{"workspace_id": a.ws, "template": "saas-weekly"}, &created)
	return created.Document.ID
}

// ack is an acknowledged batch: the client's number and the server's.
type ack struct {
	client    string
	clientSeq int64
	seq       int64
	value     string
}

// editor is a live connection that records what it hears.
type editor struct {
	conn   *websocket.Conn
	client string
	mu     sync.Mutex
	msgs   []map[string]any
	acks   []ack
	sent   map[int64]string // client_seq → value
	closed chan struct{}
}

func dialEditor(t *testing.T, base string, a account, doc int64, client string) *editor {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	url := strings.Replace(base, "http://", "ws://", 1) + fmt.Sprintf("/api/sops/%d/live?client=%s", doc, client)
	conn, _, err := websocket.Dial(ctx, url, &websocket.DialOptions{HTTPHeader: http.Header{"Authorization": {"Bearer " + a.token}}})
	if err != nil {
		t.Fatalf("dial %s: %v", client, err)
	}
	conn.SetReadLimit(4 << 20)
	e := &editor{conn: conn, client: client, sent: map[int64]string{}, closed: make(chan struct{})}
	go e.readLoop()
	t.Cleanup(func() { conn.CloseNow() })
	e.wait(t, func(m map[string]any) bool { return m["type"] == "ready" })
	return e
}

func (e *editor) readLoop() {
	defer close(e.closed)
	for {
		_, data, err := e.conn.Read(context.Background())
		if err != nil {
			return
		}
		var m map[string]any
		if json.Unmarshal(data, &m) != nil {
			continue
		}
		e.mu.Lock()
		e.msgs = append(e.msgs, m)
		if m["type"] == "op" && m["client"] == e.client {
			cs := int64(m["client_seq"].(float64))
			e.acks = append(e.acks, ack{client: e.client, clientSeq: cs, seq: int64(m["seq"].(float64)), value: e.sent[cs]})
		}
		e.mu.Unlock()
	}
}

// send sends one set of a step's description.
func (e *editor) send(clientSeq int64, step, value string) error {
	e.mu.Lock()
	e.sent[clientSeq] = value
	e.mu.Unlock()
	b, _ := json.Marshal(map[string]any{"type": "ops", "client_seq": clientSeq,
		"ops": []any{map[string]any{"op": "set", "kind": "step", "id": step, "field": "description", "value": value}}})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return e.conn.Write(ctx, websocket.MessageText, b)
}

// wait waits until a message matches.
func (e *editor) wait(t *testing.T, match func(map[string]any) bool) map[string]any {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	seen := 0
	for time.Now().Before(deadline) {
		e.mu.Lock()
		for ; seen < len(e.msgs); seen++ {
			if match(e.msgs[seen]) {
				m := e.msgs[seen]
				e.mu.Unlock()
				return m
			}
		}
		e.mu.Unlock()
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("%s: no matching message in 10 s", e.client)
	return nil
}

// opSeqs lists the seq of every op message heard, in order.
// others are the messages other than operations and presence, to say
// what became of a batch that was not applied.
func (e *editor) others() []map[string]any {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []map[string]any
	for _, m := range e.msgs {
		if m["type"] != "op" && m["type"] != "presence" {
			out = append(out, m)
		}
	}
	return out
}

func (e *editor) opSeqs() []int64 {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []int64
	for _, m := range e.msgs {
		if m["type"] == "op" {
			out = append(out, int64(m["seq"].(float64)))
		}
	}
	return out
}
