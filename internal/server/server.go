// Package server is the HTTP transport of the workspace (relsop serve): the
// JSON API under /api/ (docs/api.md), the embedded browser app, /healthz and
// /metrics. Every API route is declared once in the routes table with the
// authentication it needs; the rules of who may do what live in package
// workspace, which every handler calls with the signed-in user in the
// context.
package server

import (
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/relsop/relsop/internal/live"
	"github.com/relsop/relsop/internal/workspace"
)

// Config is what a Server needs.
type Config struct {
	Service *workspace.Service
	Assets  fs.FS // the browser app; nil serves the API only
	Logger  *slog.Logger
	// SecureCookies marks cookies Secure even on plain HTTP, for servers
	// behind a TLS-terminating proxy; cookies are always Secure over TLS.
	SecureCookies bool
	// TrustProxy believes X-Forwarded-For and X-Forwarded-Proto, for rate
	// limiting by client address and for Secure cookies.
	TrustProxy bool
	// BaseURL is the address people open, for invite links; default: the
	// request's own scheme and host.
	BaseURL string
	// Live runs live co-editing; nil: the live endpoint answers 503.
	Live *live.Hub
}

// Server answers the workspace's HTTP requests.
type Server struct {
	svc     *workspace.Service
	log     *slog.Logger
	cfg     Config
	mux     *http.ServeMux
	metrics *metrics
}

// New returns a Server; it is an http.Handler.
func New(cfg Config) *Server {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Server{svc: cfg.Service, log: cfg.Logger, cfg: cfg, mux: http.NewServeMux(), metrics: newMetrics()}
	if cfg.Live != nil {
		cfg.Live.Instrument(s.metrics.registry)
	}
	for _, rt := range routes {
		s.mux.Handle(rt.method+" "+rt.path, s.api(rt))
	}
	s.mux.HandleFunc("GET /healthz", s.health)
	s.mux.Handle("GET /metrics", s.metrics.handler())
	s.mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusNotFound, errorBody{Error: errorDetail{Code: "not_found", Message: "There is no such API endpoint; see docs/api.md."}})
	})
	if cfg.Assets != nil {
		s.mux.Handle("/", s.static(cfg.Assets))
	}
	return s
}

// Registry is the Prometheus registry of the server's metrics.
func (s *Server) Registry() *prometheus.Registry { return s.metrics.registry }

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	s.mux.ServeHTTP(w, r)
}

func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	if _, err := s.svc.Store().UserByID(r.Context(), -1); err != nil && !isNotFound(err) {
		s.log.ErrorContext(r.Context(), "health check failed", slog.Any("err", err))
		http.Error(w, "store unavailable", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
}

// statusWriter remembers the status a handler wrote, for logs and metrics.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets the WebSocket upgrade reach the connection to hijack it.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func since(start time.Time) float64 { return time.Since(start).Seconds() }
