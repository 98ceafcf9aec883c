package notify_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/notify"
)

// receiver is a webhook receiver that answers with the statuses given,
// one per request (200 after them), and keeps what it received.
type receiver struct {
	*httptest.Server
	mu       sync.Mutex
	statuses []int
	got      []*http.Request
	bodies   [][]byte
}

func newReceiver(t *testing.T, statuses ...int) *receiver {
	rc := &receiver{statuses: statuses}
	rc.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		defer rc.mu.Unlock()
		rc.got, rc.bodies = append(rc.got, r), append(rc.bodies, body)
		status := http.StatusOK
		if len(rc.statuses) > 0 {
			status, rc.statuses = rc.statuses[0], rc.statuses[1:]
		}
		if status == http.StatusFound {
			w.Header().Set("Location", "http://169.254.169.254/latest/meta-data/")
		}
		w.WriteHeader(status)
	}))
	t.Cleanup(rc.Close)
	return rc
}

func (rc *receiver) count() int { rc.mu.Lock(); defer rc.mu.Unlock(); return len(rc.got) }

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func hook(u string) relsop.Webhook {
	return relsop.Webhook{ID: 7, URL: u, Secret: "whsec_test", Events: []string{"gate.waiting"}}
}

func TestAttemptSignsTheBody(t *testing.T) {
	rc := newReceiver(t)
	s := notify.New(notify.Options{AllowPrivate: true})
	defer s.Close()
	body := []byte(`{"event":"gate.waiting","text":"<b>go?</b>"}`)
	r := s.Attempt(t.Context(), notify.Delivery{Hook: hook(rc.URL + "/hook?token=x"), Event: "gate.waiting", Body: body})
	if r.Err != nil || r.Status != http.StatusOK {
		t.Fatalf("attempt: %+v", r)
	}
	req := rc.got[0]
	if req.Method != http.MethodPost || req.URL.RawQuery != "token=x" || req.Header.Get("Content-Type") != "application/json" ||
		req.Header.Get(notify.HeaderEvent) != "gate.waiting" || len(req.Header.Get(notify.HeaderDelivery)) != 24 {
		t.Errorf("request: %s %s %v", req.Method, req.URL, req.Header)
	}
	if string(rc.bodies[0]) != string(body) {
		t.Errorf("body %q, want %q", rc.bodies[0], body)
	}
	sig := req.Header.Get(notify.HeaderSignature)
	if !notify.Valid("whsec_test", body, sig) || notify.Valid("other", body, sig) || notify.Valid("whsec_test", append(body, ' '), sig) {
		t.Errorf("signature %q does not prove the body and secret", sig)
	}
}

// TestOwnNetworkRefused: without AllowPrivate nothing reaches a server on
// loopback, whether named by IP or by a host name that resolves there,
// and a redirect is not followed (here, toward cloud metadata).
func TestOwnNetworkRefused(t *testing.T) {
	rc := newReceiver(t)
	s := notify.New(notify.Options{})
	defer s.Close()
	u, _ := url.Parse(rc.URL)
	for _, addr := range []string{rc.URL, "http://localhost:" + u.Port()} {
		r := s.Attempt(t.Context(), notify.Delivery{Hook: hook(addr), Event: "ping", Body: []byte("{}")})
		if r.Err == nil || !strings.Contains(r.Err.Error(), "server's own network") || r.Status != 0 {
			t.Errorf("%s: %+v, want refused as the server's own network", addr, r)
		}
	}
	if rc.count() != 0 {
		t.Fatalf("the receiver on loopback got %d requests", rc.count())
	}

	redirect := newReceiver(t, http.StatusFound)
	open := notify.New(notify.Options{AllowPrivate: true})
	defer open.Close()
	r := open.Attempt(t.Context(), notify.Delivery{Hook: hook(redirect.URL), Event: "ping", Body: []byte("{}")})
	if r.Status != http.StatusFound || r.Err == nil {
		t.Errorf("a redirect: %+v, want 302 taken as a failure, not followed", r)
	}
}

func TestRetries(t *testing.T) {
	for _, tc := range []struct {
		name     string
		statuses []int
		attempts int
		final    int
	}{
		{"down then up", []int{503, 500}, 3, 200},
		{"rate limited", []int{429}, 2, 200},
		{"refused for good", []int{410}, 1, 410},
		{"down for good", []int{500, 502, 503, 504}, 4, 504},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rc := newReceiver(t, tc.statuses...)
			type ended struct {
				id int64
				r  notify.Result
			}
			done := make(chan ended, 1)
			s := notify.New(notify.Options{AllowPrivate: true, Backoff: []time.Duration{time.Millisecond, time.Millisecond, time.Millisecond},
				Log: quiet, Record: func(_ context.Context, id int64, _ time.Time, r notify.Result) { done <- ended{id, r} }})
			defer s.Close()
			if !s.Enqueue(notify.Delivery{Hook: hook(rc.URL), Event: "ping", Body: []byte("{}")}) {
				t.Fatal("not queued")
			}
			select {
			case e := <-done:
				if e.id != 7 || e.r.Status != tc.final || (e.r.Err == nil) != (tc.final == 200) {
					t.Errorf("recorded %d %+v, want status %d", e.id, e.r, tc.final)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("the delivery never ended")
			}
			if rc.count() != tc.attempts {
				t.Errorf("%d attempts, want %d", rc.count(), tc.attempts)
			}
			for _, req := range rc.got {
				if id := req.Header.Get(notify.HeaderDelivery); id == "" || id != rc.got[0].Header.Get(notify.HeaderDelivery) {
					t.Errorf("delivery id %q, want the first attempt's %q in every attempt", id, rc.got[0].Header.Get(notify.HeaderDelivery))
				}
			}
		})
	}
}

func TestQueueBoundsAndClose(t *testing.T) {
	var calls atomic.Int32
	block := make(chan struct{})
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { calls.Add(1); <-block }))
	defer ts.Close()
	s := notify.New(notify.Options{AllowPrivate: true, QueueSize: 1, Backoff: []time.Duration{}, Log: quiet})
	d := notify.Delivery{Hook: hook(ts.URL), Event: "ping", Body: []byte("{}")}
	queued := 0
	for range 10 { // up to four workers take one each and block; one more waits; the rest are dropped
		if s.Enqueue(d) {
			queued++
		}
	}
	if queued < 1 || queued > 5 { // how many workers took one before the next came depends on timing
		t.Errorf("%d of 10 queued with four workers and a queue of one", queued)
	}
	close(block)
	s.Close()
	if s.Enqueue(d) {
		t.Error("a closed sender took a delivery")
	}
}

func TestCheckURL(t *testing.T) {
	for _, tc := range []struct {
		url, want string
		private   bool
	}{
		{"https://hooks.slack.com/services/T0/B0/xyz", "", false},
		{"http://chat.example.com:8065/hooks/abc", "", false},
		{"http://10.1.2.3/hooks/abc", "", true},
		{"", "give the address", false},
		{"ftp://example.com/x", `not "ftp:"`, false},
		{"hooks.slack.com/services/x", "must start with https://", false},
		{"https:///path", "names no host", false},
		{"https://user:pw@example.com/x", "user name or password", false},
		{"https://exa mple.com/", "spaces or control characters", false},
		{"https://example.com/\x00", "spaces or control characters", false},
		{"https://example.com/" + strings.Repeat("a", notify.MaxURL), "at most 2000", false},
		{"http://127.0.0.1:8080/", "own network", false},
		{"http://[::1]/", "own network", false},
		{"http://169.254.169.254/latest/meta-data/", "own network", false},
		{"http://192.168.1.10/", "own network", false},
		{"http://100.64.0.1/", "own network", false},
		{"http://0.0.0.0/", "own network", false},
	} {
		err := notify.CheckURL(tc.url, tc.private)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("CheckURL(%.60q): %v", tc.url, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("CheckURL(%.60q) = %v, want an error saying %q", tc.url, err, tc.want)
		}
	}
}

func FuzzCheckURL(f *testing.F) {
	for _, s := range []string{"https://hooks.slack.com/services/T0/B0/xyz", "http://127.0.0.1/", "https://u@h/", "http://[::1", "%zz", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		if notify.CheckURL(raw, false) != nil {
			return
		}
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Hostname() == "" || u.User != nil {
			t.Fatalf("CheckURL took %q", raw)
		}
	})
}
