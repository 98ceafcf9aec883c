// Package llm talks to an optional OpenAI-compatible chat-completions
// endpoint and runs the draft/repair loop around it: ask for one JSON
// document, check it with a caller-supplied function, send the problems
// back, and repeat for a bounded number of rounds.
//
// relsop never needs an LLM; the caller decides what to do when this
// package returns an error (usually: fall back to the built-in planner).
package llm

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Errors returned by Complete and Draft, for errors.Is. The returned errors
// wrap these and add detail.
var (
	// ErrNotConfigured: the Config has no URL or no model.
	ErrNotConfigured = errors.New("llm: not configured (set RELSOP_LLM_URL and RELSOP_LLM_MODEL)")
	// ErrTimeout: every attempt ran past Config.Timeout.
	ErrTimeout = errors.New("llm: request timed out")
	// ErrHTTP: the endpoint answered with an error status, either one that
	// is not worth retrying (400, 401, 403, 404, ...) or a 429/5xx that
	// persisted through all retries.
	ErrHTTP = errors.New("llm: endpoint returned an error")
	// ErrBadResponse: a 2xx answer that is not a chat completion (not JSON,
	// no choices, too large).
	ErrBadResponse = errors.New("llm: malformed response")
	// ErrNoJSON: the model's reply held no JSON object.
	ErrNoJSON = errors.New("llm: reply held no JSON object")
	// ErrRejected: the document still had problems after the repair rounds.
	ErrRejected = errors.New("llm: document rejected")
)

// Environment variables read by ConfigFromEnv.
const (
	EnvURL     = "RELSOP_LLM_URL"
	EnvModel   = "RELSOP_LLM_MODEL"
	EnvAPIKey  = "RELSOP_LLM_API_KEY"
	EnvTimeout = "RELSOP_LLM_TIMEOUT"
)

// Defaults applied by New to zero Config fields.
const (
	DefaultTimeout = 60 * time.Second
	DefaultRetries = 2
)

// Config says which endpoint and model to use.
type Config struct {
	// URL is the API base, e.g. https://api.openai.com/v1. The client POSTs
	// to URL + "/chat/completions"; a URL already ending in
	// /chat/completions is used as it is.
	URL    string
	Model  string
	APIKey string // sent as "Authorization: Bearer KEY" only when non-empty
	// Timeout bounds each request (not the whole call); 0 means
	// DefaultTimeout.
	Timeout time.Duration
	// Retries is the number of extra attempts after a timeout, a 429 or a
	// 5xx; 0 means DefaultRetries and a negative value means none.
	Retries int
}

// ConfigFromEnv reads RELSOP_LLM_URL, RELSOP_LLM_MODEL, RELSOP_LLM_API_KEY
// and RELSOP_LLM_TIMEOUT (a Go duration such as "90s") through getenv,
// usually os.Getenv. Unset variables leave their field zero, so an empty
// environment gives a Config that is not Enabled and no error. The error
// names the variable that is wrong.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	c := Config{
		URL:    strings.TrimSpace(getenv(EnvURL)),
		Model:  strings.TrimSpace(getenv(EnvModel)),
		APIKey: strings.TrimSpace(getenv(EnvAPIKey)),
	}
	if c.URL != "" {
		u, err := url.Parse(c.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return Config{}, fmt.Errorf("%s: %q is not an http or https URL", EnvURL, c.URL)
		}
	}
	if s := strings.TrimSpace(getenv(EnvTimeout)); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil || d <= 0 {
			return Config{}, fmt.Errorf("%s: %q is not a positive duration such as 90s or 2m", EnvTimeout, s)
		}
		c.Timeout = d
	}
	return c, nil
}

// Enabled reports whether the Config names an endpoint and a model.
func (c Config) Enabled() bool { return c.URL != "" && c.Model != "" }

// endpoint is the chat-completions URL for the configured base.
func (c Config) endpoint() string {
	u := strings.TrimRight(c.URL, "/")
	if strings.HasSuffix(u, "/chat/completions") {
		return u
	}
	return u + "/chat/completions"
}
