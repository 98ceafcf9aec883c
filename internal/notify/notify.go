// Package notify posts a workspace's release events to its webhooks
// (docs/webhooks.md): a JSON body signed with the webhook's secret,
// tried again when the receiver is down, and never sent to an address on
// the server's own network unless the server allows it.
//
// Deliveries wait in a queue in memory: a server that stops drops the
// ones not yet made. A notification is a convenience; the release's
// trail, not the webhook, is the record.
package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"syscall"
	"time"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/outbox"
)

// Headers of every delivery.
const (
	HeaderEvent     = "X-Relsop-Event"
	HeaderDelivery  = "X-Relsop-Delivery"
	HeaderSignature = "X-Relsop-Signature-256" // "sha256=" + hex HMAC-SHA256 of the body
)

// Delivery is one event for one webhook.
type Delivery struct {
	Hook  relsop.Webhook
	Event string
	Body  []byte
	// ID is the same in every attempt, so that a receiver can drop
	// repeats; Enqueue and Attempt set one when it is empty.
	ID string
}

// Result is how one attempt went: the HTTP status answered (0 when none
// was) and what went wrong (nil for a 2xx answer).
type Result struct {
	Status int
	Err    error
}

// Options tune a Sender; the zero value is fine.
type Options struct {
	// AllowPrivate lets deliveries go to loopback, private and link-local
	// addresses: for a chat server on the company network. Off, such an
	// address is refused, so that a workspace owner cannot make the
	// server call into its own network.
	AllowPrivate bool
	// Timeout bounds one attempt. Default 10 s.
	Timeout time.Duration
	// Backoff are the waits before each attempt after the first. Default
	// 2 s, 10 s, 60 s: four attempts.
	Backoff []time.Duration
	// QueueSize bounds the deliveries waiting; more are dropped and
	// logged. Default 1,000.
	QueueSize int
	// Record, when set, is told how each delivery ended, after its last
	// attempt.
	Record func(ctx context.Context, hookID int64, at time.Time, r Result)
	// Now is the clock. Default time.Now.
	Now func() time.Time
	// Log receives dropped and failed deliveries. Default slog.Default().
	Log *slog.Logger
}

// Sender delivers events. Its methods are safe for concurrent use.
type Sender struct {
	opt    Options
	client *http.Client
	out    *outbox.Outbox[*pending]
}

// pending is a delivery in the queue, with how its latest attempt went.
type pending struct {
	d    Delivery
	last Result
}

// workers is how many deliveries are made at once.
const workers = 4

// New starts a Sender; Close stops it.
func New(opt Options) *Sender {
	if opt.Timeout <= 0 {
		opt.Timeout = 10 * time.Second
	}
	if opt.Backoff == nil {
		opt.Backoff = []time.Duration{2 * time.Second, 10 * time.Second, time.Minute}
	}
	if opt.QueueSize <= 0 {
		opt.QueueSize = 1000
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Log == nil {
		opt.Log = slog.Default()
	}
	s := &Sender{opt: opt, client: newClient(opt)}
	s.out = outbox.New(outbox.Options[*pending]{
		Workers: workers,
		Size:    opt.QueueSize,
		Backoff: opt.Backoff,
		Try:     s.try,
		Done:    s.done,
		// Stopped unset: a delivery cut short by Close is neither logged
		// nor recorded.
	})
	return s
}

// newClient is an HTTP client that follows no redirect (a redirect could
// lead to an address the dialer would refuse by name) and, unless
// private addresses are allowed, dials none of them. It uses no proxy:
// the address checked must be the address called.
func newClient(opt Options) *http.Client {
	dialer := &net.Dialer{Timeout: opt.Timeout}
	if !opt.AllowPrivate {
		dialer.Control = func(_, address string, _ syscall.RawConn) error {
			host, _, err := net.SplitHostPort(address)
			if err != nil {
				return err
			}
			if ip := net.ParseIP(host); ip == nil || Private(ip) {
				return fmt.Errorf("%s is an address on the server's own network, where webhooks are not delivered (see relsop serve --webhooks-private)", host)
			}
			return nil
		}
	}
	return &http.Client{
		Timeout:       opt.Timeout,
		Transport:     &http.Transport{DialContext: dialer.DialContext, TLSHandshakeTimeout: opt.Timeout, MaxIdleConns: 16, IdleConnTimeout: time.Minute},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// cgnat is the shared address space of carriers (RFC 6598), private too.
var cgnat = &net.IPNet{IP: net.IPv4(100, 64, 0, 0), Mask: net.CIDRMask(10, 32)}

// Private reports whether ip is an address of the server's own network
// or of no network: loopback, private, link-local (cloud metadata lives
// there), shared, unspecified or multicast.
func Private(ip net.IP) bool {
	return ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsMulticast() || ip.IsUnspecified() || cgnat.Contains(ip)
}

// Enqueue queues d for delivery and returns at once; false when the queue
// is full or the Sender is closed, and then d is dropped.
func (s *Sender) Enqueue(d Delivery) bool {
	if d.ID == "" {
		d.ID = deliveryID()
	}
	err := s.out.Add(&pending{d: d})
	if errors.Is(err, outbox.ErrFull) {
		s.opt.Log.Warn("webhook delivery dropped: the queue is full", "webhook", d.Hook.ID, "event", d.Event)
	}
	return err == nil
}

// Close stops taking deliveries and waits for the attempts under way; the
// deliveries still queued are dropped.
func (s *Sender) Close() {
	s.out.Close()
}

// try makes one attempt at p for the outbox and keeps how it went, for
// done.
func (s *Sender) try(ctx context.Context, p *pending) (retry bool, err error) {
	p.last = s.Attempt(ctx, p.d)
	return retryable(p.last), p.last.Err
}

// done logs a delivery that failed and records how it ended, after its
// last attempt.
func (s *Sender) done(p *pending, _ int, err error) {
	if err != nil {
		s.opt.Log.Warn("webhook delivery failed", "webhook", p.d.Hook.ID, "event", p.d.Event, "status", p.last.Status, "err", err)
	}
	if s.opt.Record != nil {
		s.opt.Record(context.Background(), p.d.Hook.ID, s.opt.Now(), p.last)
	}
}

// retryable: no answer, a server error, or "too many requests" may go
// better later; any other answer will not.
func retryable(r Result) bool {
	return r.Status == 0 || r.Status == http.StatusTooManyRequests || r.Status >= 500
}

// Attempt posts d once and says how it went.
func (s *Sender) Attempt(ctx context.Context, d Delivery) Result {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.Hook.URL, bytes.NewReader(d.Body))
	if err != nil {
		return Result{Err: err}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "relsop-webhook/1")
	req.Header.Set(HeaderEvent, d.Event)
	if d.ID == "" {
		d.ID = deliveryID()
	}
	req.Header.Set(HeaderDelivery, d.ID)
	req.Header.Set(HeaderSignature, Sign(d.Hook.Secret, d.Body))
	resp, err := s.client.Do(req)
	if err != nil {
		return Result{Err: plainError(err)}
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // lets the connection be reused
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return Result{Status: resp.StatusCode, Err: fmt.Errorf("the receiver answered %s", resp.Status)}
	}
	return Result{Status: resp.StatusCode}
}

// plainError keeps what went wrong without Go's "Post \"URL\":" prefix,
// which would repeat the URL in every message.
func plainError(err error) error {
	var ue interface{ Unwrap() error }
	if errors.As(err, &ue) {
		if inner := ue.Unwrap(); inner != nil {
			return inner
		}
	}
	return err
}

// Sign is the signature header's value for body: "sha256=" and the hex
// HMAC-SHA256 of body under secret.
func Sign(secret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// Valid reports whether signature is body's under secret, in constant
// time: what a receiver checks.
func Valid(secret string, body []byte, signature string) bool {
	return hmac.Equal([]byte(Sign(secret, body)), []byte(signature))
}

// NewSecret returns a random secret for a new webhook.
func NewSecret() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return "whsec_" + hex.EncodeToString(b)
}

func deliveryID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
