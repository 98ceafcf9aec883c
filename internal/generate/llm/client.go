package llm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

const (
	maxResponse  = 8 << 20 // bytes of a successful response body we read
	maxErrorBody = 64 << 10
	firstBackoff = 500 * time.Millisecond
	maxDelay     = 30 * time.Second // cap on backoff and on Retry-After
)

// Client sends chat-completion requests to one endpoint. It is safe for
// concurrent use.
type Client struct {
	cfg Config
	hc  *http.Client
	// sleep waits between attempts; tests replace it so they never wait.
	sleep func(ctx context.Context, d time.Duration) error
}

// New returns a Client for c, filling in DefaultTimeout and DefaultRetries.
// A nil hc means a plain http.Client; the per-request timeout comes from
// c.Timeout either way.
func New(c Config, hc *http.Client) *Client {
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	switch {
	case c.Retries == 0:
		c.Retries = DefaultRetries
	case c.Retries < 0:
		c.Retries = 0
	}
	if hc == nil {
		hc = &http.Client{}
	}
	return &Client{cfg: c, hc: hc, sleep: sleepCtx}
}

// Config returns the client's configuration, with defaults filled in and
// the API key left out, so it can be shown to the user or logged.
func (c *Client) Config() Config {
	cfg := c.cfg
	cfg.APIKey = ""
	return cfg
}

// Host is the endpoint's host (and port, if any), without credentials or
// path: what to name when telling the user which LLM was used.
func (c *Client) Host() string {
	if u, err := url.Parse(c.cfg.URL); err == nil && u.Host != "" {
		return u.Host
	}
	return "the configured endpoint"
}

// Redact removes the API key from s. Errors from this package never hold
// the key; callers that build their own messages pass them through here too.
func (c *Client) Redact(s string) string { return c.redact(s) }

// Message is one turn of a conversation; Role is "system", "user" or
// "assistant".
type Message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// request is the chat-completions request body. Temperature has no
// omitempty: 0 is the value we mean to send.
type request struct {
	Model          string          `json:"model"`
	Messages       []Message       `json:"messages"`
	Temperature    float64         `json:"temperature"`
	ResponseFormat *responseFormat `json:"response_format,omitempty"`
}

type responseFormat struct {
	Type       string     `json:"type"` // "json_schema"
	JSONSchema jsonSchema `json:"json_schema"`
}

type jsonSchema struct {
	Name   string          `json:"name"`
	Schema json.RawMessage `json:"schema"`
	Strict bool            `json:"strict"`
}

// response is the part of a chat-completions response we use.
type response struct {
	Choices []struct {
		Message struct {
			Content string `json:"content"`
			Refusal string `json:"refusal"`
		} `json:"message"`
		FinishReason string `json:"finish_reason"`
	} `json:"choices"`
	Error *apiError `json:"error"`
}

// apiError is the standard {"error":{"message":...}} body.
type apiError struct {
	Message string `json:"message"`
	Type    string `json:"type"`
}

// Complete sends msgs at temperature 0 and returns the content of the first
// choice. With a non-nil schema the request asks for structured output
// (response_format json_schema) under schemaName, in non-strict mode.
//
// Why not strict: OpenAI's strict mode accepts only a subset of JSON Schema
// (every property required, additionalProperties false on every object, no
// oneOf, no minProperties, no maps keyed by free-form names) and answers
// HTTP 400 to any other schema. The SOP schema has optional fields, oneOf
// (a reference or a list of them) and maps (gate outcomes), so strict mode
// would reject it outright, and rewriting it into the strict subset would
// change what it accepts. Non-strict mode sends the same schema as guidance
// (servers with grammar-constrained decoding such as vLLM, llama.cpp and
// Ollama still constrain the output to it); the caller's check, run on
// every reply by Draft, is what enforces the document's validity.
//
// Timeouts, 429 and 5xx are retried with doubling backoff from 500ms, or
// after Retry-After when the server sends one. Errors wrap
// ErrNotConfigured, ErrTimeout, ErrHTTP or ErrBadResponse; a cancelled ctx
// gives ctx.Err().
func (c *Client) Complete(ctx context.Context, msgs []Message, schemaName string, schema json.RawMessage) (string, error) {
	if !c.cfg.Enabled() {
		return "", ErrNotConfigured
	}
	req := request{Model: c.cfg.Model, Messages: msgs}
	if schema != nil {
		if schemaName == "" {
			schemaName = "response"
		}
		req.ResponseFormat = &responseFormat{
			Type:       "json_schema",
			JSONSchema: jsonSchema{Name: schemaName, Schema: schema, Strict: false},
		}
	}
	body, err := json.Marshal(req)
	if err != nil {
		return "", fmt.Errorf("llm: encode request: %w", err)
	}

	var lastErr error
	for attempt := 0; ; attempt++ {
		content, retryAfter, err := c.attempt(ctx, body)
		if err == nil {
			return content, nil
		}
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
		lastErr = err
		if !retryable(err) || attempt >= c.cfg.Retries {
			break
		}
		delay := min(firstBackoff<<attempt, maxDelay)
		if retryAfter > 0 {
			delay = min(retryAfter, maxDelay)
		}
		if err := c.sleep(ctx, delay); err != nil {
			return "", err
		}
	}
	if errors.Is(lastErr, ErrTimeout) {
		return "", fmt.Errorf("%w after %d attempts of %s each", ErrTimeout, c.cfg.Retries+1, c.cfg.Timeout)
	}
	return "", lastErr
}

// statusError is an error status from the endpoint; it wraps ErrHTTP.
type statusError struct {
	code int
	msg  string // the API's error message, or a snippet of the body
}

func (e *statusError) Error() string {
	s := fmt.Sprintf("llm: endpoint returned HTTP %d %s", e.code, http.StatusText(e.code))
	if e.msg != "" {
		s += ": " + e.msg
	}
	return s
}

func (e *statusError) Unwrap() error { return ErrHTTP }

func retryable(err error) bool {
	if errors.Is(err, ErrTimeout) {
		return true
	}
	var se *statusError
	return errors.As(err, &se) && (se.code == http.StatusTooManyRequests || se.code >= 500)
}

// attempt makes one request bounded by the configured timeout. retryAfter
// is the server's Retry-After, if any.
func (c *Client) attempt(ctx context.Context, body []byte) (content string, retryAfter time.Duration, err error) {
	actx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	hreq, err := http.NewRequestWithContext(actx, http.MethodPost, c.cfg.endpoint(), bytes.NewReader(body))
	if err != nil {
		return "", 0, fmt.Errorf("llm: %w", err)
	}
	hreq.Header.Set("Content-Type", "application/json")
	hreq.Header.Set("Accept", "application/json")
	if c.cfg.APIKey != "" {
		hreq.Header.Set("Authorization", "Bearer "+c.cfg.APIKey)
	}
	resp, err := c.hc.Do(hreq)
	if err != nil {
		return "", 0, c.transportError(actx, err)
	}
	defer resp.Body.Close()

	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		raw, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
		return "", parseRetryAfter(resp.Header.Get("Retry-After")),
			&statusError{code: resp.StatusCode, msg: c.redact(errorMessage(raw))}
	}
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse+1))
	if err != nil {
		return "", 0, c.transportError(actx, err)
	}
	if len(raw) > maxResponse {
		return "", 0, fmt.Errorf("%w: body larger than %d MiB", ErrBadResponse, maxResponse>>20)
	}
	content, err = c.parse(raw)
	return content, 0, err
}

// transportError turns a failed round trip into ErrTimeout when the
// attempt's deadline (or the http.Client's own timeout) expired.
func (c *Client) transportError(actx context.Context, err error) error {
	var ne net.Error
	if errors.Is(actx.Err(), context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
		return ErrTimeout
	}
	return fmt.Errorf("llm: %w", err) // a *url.Error, which names the URL
}

// parse returns the first choice's content from a 2xx body.
func (c *Client) parse(raw []byte) (string, error) {
	var r response
	if err := json.Unmarshal(raw, &r); err != nil {
		return "", fmt.Errorf("%w: not a chat completion: %v", ErrBadResponse, err)
	}
	if len(r.Choices) == 0 {
		if r.Error != nil && r.Error.Message != "" {
			return "", fmt.Errorf("%w: no choices: %s", ErrBadResponse, c.redact(r.Error.Message))
		}
		return "", fmt.Errorf("%w: no choices", ErrBadResponse)
	}
	m := r.Choices[0].Message
	if m.Content == "" && m.Refusal != "" {
		return "", fmt.Errorf("%w: the model refused: %s", ErrBadResponse, c.redact(m.Refusal))
	}
	return m.Content, nil
}

// errorMessage is the message of a {"error":{"message":...}} body, or a
// short one-line snippet of any other body.
func errorMessage(raw []byte) string {
	var r struct {
		Error *apiError `json:"error"`
	}
	if json.Unmarshal(raw, &r) == nil && r.Error != nil && r.Error.Message != "" {
		return r.Error.Message
	}
	s := strings.Join(strings.Fields(string(raw)), " ")
	if len(s) > 200 {
		s = s[:200] + "..."
	}
	return s
}

// redact removes the API key from text the server sent back, so it never
// lands in an error message or a log.
func (c *Client) redact(s string) string {
	if c.cfg.APIKey == "" {
		return s
	}
	return strings.ReplaceAll(s, c.cfg.APIKey, "[redacted]")
}

// parseRetryAfter reads a Retry-After header in seconds or as an HTTP date;
// 0 means none.
func parseRetryAfter(h string) time.Duration {
	h = strings.TrimSpace(h)
	if h == "" {
		return 0
	}
	if n, err := strconv.Atoi(h); err == nil {
		if n <= 0 {
			return 0
		}
		return time.Duration(min(n, int(maxDelay/time.Second))) * time.Second
	}
	if t, err := http.ParseTime(h); err == nil {
		if d := time.Until(t); d > 0 {
			return d
		}
	}
	return 0
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
