package llm

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var testSchema = json.RawMessage(`{"type":"object","properties":{"name":{"type":"string"}},"required":["name"],"additionalProperties":false}`)

var hello = []Message{{Role: "user", Content: "hello"}}

func TestCompleteTimeout(t *testing.T) {
	f := newFake(t, "", testSchema, func(w http.ResponseWriter, r *http.Request, n int, req wireRequest) {
		select { // past the client's timeout; ends when the client gives up
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	c, s := testClient(f, 50*time.Millisecond, 2)
	_, err := c.Complete(context.Background(), hello, "doc", testSchema)
	if !errors.Is(err, ErrTimeout) {
		t.Fatalf("err = %v, want ErrTimeout", err)
	}
	if got := f.calls(); got != 3 {
		t.Errorf("calls = %d, want 3 (Retries+1)", got)
	}
	if diff := cmp.Diff(s.got(), []time.Duration{500 * time.Millisecond, time.Second}); diff != "" {
		t.Errorf("backoff (-got +want):\n%s", diff)
	}
}

func TestCompleteRetries(t *testing.T) {
	tests := []struct {
		name      string
		fail      func(w http.ResponseWriter) // the answer to failing calls
		failures  int
		retries   int
		wantErr   error
		wantCalls int
		wantSleep []time.Duration
	}{
		{
			name: "429 with Retry-After",
			fail: func(w http.ResponseWriter) {
				w.Header().Set("Retry-After", "3")
				apiErr(w, http.StatusTooManyRequests, "Rate limit reached")
			},
			failures: 1, retries: 2, wantCalls: 2,
			wantSleep: []time.Duration{3 * time.Second},
		},
		{
			name: "Retry-After capped",
			fail: func(w http.ResponseWriter) {
				w.Header().Set("Retry-After", "86400")
				apiErr(w, http.StatusTooManyRequests, "Rate limit reached")
			},
			failures: 1, retries: 2, wantCalls: 2,
			wantSleep: []time.Duration{maxDelay},
		},
		{
			name:     "500 then success",
			fail:     func(w http.ResponseWriter) { http.Error(w, "internal error", http.StatusInternalServerError) },
			failures: 1, retries: 2, wantCalls: 2,
			wantSleep: []time.Duration{500 * time.Millisecond},
		},
		{
			name:     "503 twice then success",
			fail:     func(w http.ResponseWriter) { apiErr(w, http.StatusServiceUnavailable, "overloaded") },
			failures: 2, retries: 2, wantCalls: 3,
			wantSleep: []time.Duration{500 * time.Millisecond, time.Second},
		},
		{
			name:     "502 persists",
			fail:     func(w http.ResponseWriter) { apiErr(w, http.StatusBadGateway, "bad gateway") },
			failures: 10, retries: 2, wantCalls: 3, wantErr: ErrHTTP,
			wantSleep: []time.Duration{500 * time.Millisecond, time.Second},
		},
		{
			name:     "no retries",
			fail:     func(w http.ResponseWriter) { apiErr(w, http.StatusInternalServerError, "boom") },
			failures: 10, retries: -1, wantCalls: 1, wantErr: ErrHTTP,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t, "sk-k", testSchema, func(w http.ResponseWriter, r *http.Request, n int, req wireRequest) {
				if n <= tt.failures {
					tt.fail(w)
					return
				}
				reply(w, `{"name":"x"}`)
			})
			c, s := testClient(f, time.Second, tt.retries)
			got, err := c.Complete(context.Background(), hello, "doc", testSchema)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if tt.wantErr == nil && got != `{"name":"x"}` {
				t.Errorf("content = %q", got)
			}
			if got := f.calls(); got != tt.wantCalls {
				t.Errorf("calls = %d, want %d", got, tt.wantCalls)
			}
			if diff := cmp.Diff(s.got(), tt.wantSleep); diff != "" {
				t.Errorf("sleeps (-got +want):\n%s", diff)
			}
		})
	}
}

func TestCompleteHTTPErrors(t *testing.T) {
	const key = "sk-secret-key-0123456789"
	tests := []struct {
		name  string
		code  int
		body  func(w http.ResponseWriter)
		wants []string // in the error text
	}{
		{
			name: "401 OpenAI-style",
			code: http.StatusUnauthorized,
			body: func(w http.ResponseWriter) {
				apiErr(w, http.StatusUnauthorized, "Incorrect API key provided: "+key+". You can find your API key at https://platform.openai.com/account/api-keys.")
			},
			wants: []string{"401", "Incorrect API key provided"},
		},
		{
			name:  "404 model",
			code:  http.StatusNotFound,
			body:  func(w http.ResponseWriter) { apiErr(w, http.StatusNotFound, "The model `test-model` does not exist") },
			wants: []string{"404", "does not exist"},
		},
		{
			name:  "400 plain body",
			code:  http.StatusBadRequest,
			body:  func(w http.ResponseWriter) { http.Error(w, "<html>bad\nrequest "+key+"</html>", http.StatusBadRequest) },
			wants: []string{"400", "<html>bad request"},
		},
		{
			name:  "403",
			code:  http.StatusForbidden,
			body:  func(w http.ResponseWriter) { apiErr(w, http.StatusForbidden, "forbidden") },
			wants: []string{"403", "forbidden"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t, key, testSchema, func(w http.ResponseWriter, r *http.Request, n int, req wireRequest) {
				tt.body(w)
			})
			c, s := testClient(f, time.Second, 3)
			_, err := c.Complete(context.Background(), hello, "doc", testSchema)
			if !errors.Is(err, ErrHTTP) {
				t.Fatalf("err = %v, want ErrHTTP", err)
			}
			if got := f.calls(); got != 1 {
				t.Errorf("calls = %d, want 1 (not retried)", got)
			}
			if got := s.got(); len(got) != 0 {
				t.Errorf("slept %v, want no sleeps", got)
			}
			msg := err.Error()
			if strings.Contains(msg, key) {
				t.Errorf("error text holds the API key: %s", msg)
			}
			for _, w := range tt.wants {
				if !strings.Contains(msg, w) {
					t.Errorf("error = %q, want it to contain %q", msg, w)
				}
			}
		})
	}
}

func TestCompleteEndpointURL(t *testing.T) {
	for _, suffix := range []string{"/v1", "/v1/", "/v1/chat/completions", "/v1/chat/completions/"} {
		t.Run(suffix, func(t *testing.T) {
			f := newFake(t, "", nil, func(w http.ResponseWriter, r *http.Request, n int, req wireRequest) {
				reply(w, "hi")
			}) // the fake fails any path but /v1/chat/completions
			c := New(Config{URL: f.srv.URL + suffix, Model: testModel}, nil)
			got, err := c.Complete(context.Background(), hello, "", nil)
			if err != nil {
				t.Fatal(err)
			}
			if got != "hi" || f.calls() != 1 {
				t.Errorf("content %q after %d calls, want \"hi\" after 1", got, f.calls())
			}
		})
	}
}

func TestCompleteBadResponses(t *testing.T) {
	tests := []struct {
		name string
		body string
	}{
		{"empty choices", `{"choices":[]}`},
		{"no choices, error body", `{"error":{"message":"upstream failed"}}`},
		{"not JSON", `<html>gateway</html>`},
		{"refusal", `{"choices":[{"message":{"role":"assistant","content":null,"refusal":"I can't help with that."},"finish_reason":"stop"}]}`},
		{"too large", `{"choices":[{"message":{"role":"assistant","content":"` + strings.Repeat("x", maxResponse) + `"}}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t, "", testSchema, func(w http.ResponseWriter, r *http.Request, n int, req wireRequest) {
				w.Header().Set("Content-Type", "application/json")
				w.Write([]byte(tt.body))
			})
			c, _ := testClient(f, 5*time.Second, 2)
			_, err := c.Complete(context.Background(), hello, "doc", testSchema)
			if !errors.Is(err, ErrBadResponse) {
				t.Fatalf("err = %v, want ErrBadResponse", err)
			}
			if got := f.calls(); got != 1 {
				t.Errorf("calls = %d, want 1", got)
			}
		})
	}
}

func TestCompleteCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	f := newFake(t, "", nil, func(w http.ResponseWriter, r *http.Request, n int, req wireRequest) {
		cancel()
		<-r.Context().Done()
	})
	c, _ := testClient(f, 5*time.Second, 2)
	_, err := c.Complete(ctx, hello, "", nil)
	if !errors.Is(err, context.Canceled) || errors.Is(err, ErrTimeout) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if got := f.calls(); got != 1 {
		t.Errorf("calls = %d, want 1", got)
	}
}

func TestConfigFromEnv(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		want    Config
		enabled bool
		wantErr string // a substring; "" means no error
	}{
		{name: "empty", env: nil},
		{
			name: "full",
			env: map[string]string{
				EnvURL: "https://api.openai.com/v1", EnvModel: "gpt-4o-mini",
				EnvAPIKey: "sk-x", EnvTimeout: "90s",
			},
			want:    Config{URL: "https://api.openai.com/v1", Model: "gpt-4o-mini", APIKey: "sk-x", Timeout: 90 * time.Second},
			enabled: true,
		},
		{
			name:    "local, no key",
			env:     map[string]string{EnvURL: " http://localhost:11434/v1 ", EnvModel: "llama3"},
			want:    Config{URL: "http://localhost:11434/v1", Model: "llama3"},
			enabled: true,
		},
		{
			name: "url without model",
			env:  map[string]string{EnvURL: "http://localhost:8080"},
			want: Config{URL: "http://localhost:8080"},
		},
		{name: "bad timeout", env: map[string]string{EnvTimeout: "ten seconds"}, wantErr: EnvTimeout},
		{name: "negative timeout", env: map[string]string{EnvTimeout: "-5s"}, wantErr: EnvTimeout},
		{name: "unitless timeout", env: map[string]string{EnvTimeout: "30"}, wantErr: EnvTimeout},
		{name: "ftp url", env: map[string]string{EnvURL: "ftp://example.com/v1"}, wantErr: EnvURL},
		{name: "url without scheme", env: map[string]string{EnvURL: "api.openai.com/v1"}, wantErr: EnvURL},
		{name: "url without host", env: map[string]string{EnvURL: "https:///v1"}, wantErr: EnvURL},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ConfigFromEnv(func(k string) string { return tt.env[k] })
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one naming %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(got, tt.want); diff != "" {
				t.Errorf("config (-got +want):\n%s", diff)
			}
			if got.Enabled() != tt.enabled {
				t.Errorf("Enabled() = %v, want %v", got.Enabled(), tt.enabled)
			}
		})
	}
}

func TestNewDefaults(t *testing.T) {
	c := New(Config{URL: "http://x", Model: "m"}, nil)
	if c.cfg.Timeout != DefaultTimeout || c.cfg.Retries != DefaultRetries || c.hc == nil {
		t.Errorf("New filled in timeout %v, retries %d, client %v", c.cfg.Timeout, c.cfg.Retries, c.hc)
	}
}
