package llm

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/relsop/relsop/internal/generate/llm/llmtest"
)

const testModel = "test-model"

// fake is an in-process chat-completions endpoint. It checks every request
// against the protocol and what the client was configured with, records
// it, and lets the test decide the answer.
type fake struct {
	t      *testing.T
	key    string          // expected API key; "" means no Authorization header
	schema json.RawMessage // expected response_format schema; nil means none
	// answer writes the response to call n (1-based).
	answer func(w http.ResponseWriter, r *http.Request, n int, req wireRequest)

	mu   sync.Mutex
	reqs []wireRequest
	srv  *httptest.Server
}

// wireRequest is the request body as the server sees it, decoded
// independently of the client's own types.
type wireRequest struct {
	Model       string      `json:"model"`
	Messages    []Message   `json:"messages"`
	Temperature *float64    `json:"temperature"`
	Format      *wireFormat `json:"response_format"`
}

type wireFormat struct {
	Type       string `json:"type"`
	JSONSchema struct {
		Name   string          `json:"name"`
		Schema json.RawMessage `json:"schema"`
		Strict bool            `json:"strict"`
	} `json:"json_schema"`
}

func newFake(t *testing.T, key string, schema json.RawMessage, answer func(w http.ResponseWriter, r *http.Request, n int, req wireRequest)) *fake {
	t.Helper()
	f := &fake{t: t, key: key, schema: schema, answer: answer}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

// url is the base URL a user would configure.
func (f *fake) url() string { return f.srv.URL + "/v1" }

func (f *fake) calls() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.reqs)
}

func (f *fake) request(i int) wireRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.reqs[i]
}

func (f *fake) serve(w http.ResponseWriter, r *http.Request) {
	t := f.t
	if r.Method != http.MethodPost || r.URL.Path != "/v1/chat/completions" {
		t.Errorf("request %s %s, want POST /v1/chat/completions", r.Method, r.URL.Path)
		http.NotFound(w, r)
		return
	}
	if got := r.Header.Get("Content-Type"); got != "application/json" {
		t.Errorf("Content-Type = %q, want application/json", got)
	}
	auth, hasAuth := r.Header["Authorization"]
	switch {
	case f.key == "" && hasAuth:
		t.Errorf("Authorization sent without a configured key: %q", auth)
	case f.key != "" && r.Header.Get("Authorization") != "Bearer "+f.key:
		t.Errorf("Authorization = %q, want Bearer and the key", r.Header.Get("Authorization"))
	}

	body, err := io.ReadAll(r.Body)
	if err != nil {
		t.Errorf("read body: %v", err)
		return
	}
	var req wireRequest
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		t.Errorf("request body is not a chat-completions request: %v\n%s", err, body)
		http.Error(w, `{"error":{"message":"bad request"}}`, http.StatusBadRequest)
		return
	}
	if req.Model != testModel {
		t.Errorf("model = %q, want %q", req.Model, testModel)
	}
	if req.Temperature == nil || *req.Temperature != 0 {
		t.Errorf("temperature = %v, want an explicit 0", req.Temperature)
	}
	if len(req.Messages) == 0 {
		t.Errorf("no messages")
	}
	for _, m := range req.Messages {
		if m.Role != "system" && m.Role != "user" && m.Role != "assistant" {
			t.Errorf("message role %q", m.Role)
		}
	}
	f.checkFormat(req.Format)

	f.mu.Lock()
	f.reqs = append(f.reqs, req)
	n := len(f.reqs)
	f.mu.Unlock()
	f.answer(w, r, n, req)
}

func (f *fake) checkFormat(got *wireFormat) {
	t := f.t
	if f.schema == nil {
		if got != nil {
			t.Errorf("response_format sent without a schema: %+v", got)
		}
		return
	}
	if got == nil {
		t.Errorf("no response_format, want json_schema")
		return
	}
	// Not strict: OpenAI's strict mode rejects schemas with optional
	// fields, oneOf or maps, as the SOP schema has (see Complete).
	if got.Type != "json_schema" || got.JSONSchema.Name == "" || got.JSONSchema.Strict {
		t.Errorf("response_format = {type %q, name %q, strict %v}, want {json_schema, a name, false}",
			got.Type, got.JSONSchema.Name, got.JSONSchema.Strict)
	}
	if !jsonEqual(t, got.JSONSchema.Schema, f.schema) {
		t.Errorf("response_format schema differs from the configured one:\n%s", got.JSONSchema.Schema)
	}
}

func jsonEqual(t *testing.T, a, b []byte) bool {
	var x, y any
	if err := json.Unmarshal(a, &x); err != nil {
		t.Errorf("not JSON: %v", err)
		return false
	}
	if err := json.Unmarshal(b, &y); err != nil {
		t.Errorf("not JSON: %v", err)
		return false
	}
	return reflect.DeepEqual(x, y)
}

// reply writes a standard chat-completions response with content.
func reply(w http.ResponseWriter, content string) { llmtest.Reply(w, testModel, content) }

// apiErr writes an OpenAI-style error body with status code.
func apiErr(w http.ResponseWriter, code int, msg string) { llmtest.Error(w, code, msg) }

// testClient returns a client for f whose sleeps are recorded, not slept.
func testClient(f *fake, timeout time.Duration, retries int) (*Client, *sleeps) {
	c := New(Config{URL: f.url(), Model: testModel, APIKey: f.key, Timeout: timeout, Retries: retries}, nil)
	s := &sleeps{}
	c.sleep = s.sleep
	return c, s
}

// sleeps records the delays a client asked for.
type sleeps struct {
	mu sync.Mutex
	ds []time.Duration
}

func (s *sleeps) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ds = append(s.ds, d)
	return ctx.Err()
}

func (s *sleeps) got() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.ds...)
}
