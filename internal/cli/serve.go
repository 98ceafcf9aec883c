package cli

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/generate/llm"
	"github.com/relsop/relsop/internal/live"
	"github.com/relsop/relsop/internal/mail"
	"github.com/relsop/relsop/internal/notify"
	"github.com/relsop/relsop/internal/server"
	"github.com/relsop/relsop/internal/store/postgres"
	"github.com/relsop/relsop/internal/store/sqlite"
	"github.com/relsop/relsop/internal/workspace"
	"github.com/relsop/relsop/web"
)

type serveFlags struct {
	addr, data, db, baseURL  string
	secureCookies, trust     bool
	webhooksPrivate          bool
	smtp, mailFrom, digestAt string
	logFormat                string
}

func newServeCmd(env *Env) *cobra.Command {
	var fl serveFlags
	cmd := &cobra.Command{
		Use:   "serve [--addr :8080] [--data DIR | --db postgres://...]",
		Short: "Run the browser workspace: edit, generate, review and share SOPs",
		Long: `serve runs the relsop workspace: a browser editor for SOPs with accounts,
workspaces, a template gallery, generation from a brief, import, comments and
version history, and the JSON API it is built on (docs/api.md).

Data is kept in an embedded SQLite file, DIR/relsop.db (default ./relsop-data),
with no other setup; with --db postgres://USER:PASS@HOST/DB it is kept in
PostgreSQL instead. The first account to sign up is the admin.

Environment: RELSOP_ADDR, RELSOP_DATA and RELSOP_DB set the defaults of the
flags of the same names. With RELSOP_LLM_URL and RELSOP_LLM_MODEL (and
RELSOP_LLM_API_KEY) set, "Generate from a brief" drafts with that
OpenAI-compatible model and falls back to the built-in planner. Logs are JSON on standard error (--log text for
people). Stop it with Ctrl+C: it finishes the requests under way first.

Workspace owners may add webhooks that receive release events (a gate
waiting, decided, escalated or overdue; a step failed or late; a release
started, finished or aborted) and SOP events (submitted, approved, sent
back, its scheduled review coming due) for a chat channel
(docs/webhooks.md). Every minute the server looks for gates past their
escalation time, steps past their SLA and SOPs whose scheduled review
(review.cadence) falls due within a week, and tells each once. They are
not delivered to addresses on the server's own network (loopback, private,
link-local) unless --webhooks-private is given, for a chat server inside
the company network.

With --smtp (or RELSOP_SMTP, which keeps a password out of the process
list) and --mail-from, members get an email when something waits for them in
particular: a gate for their sign-off, an escalation or an overdue gate they
decide, a mention in a comment, an SOP they keep whose scheduled review comes
due; whoever started a release hears when a step fails or runs late and when
it ends (docs/email.md). Each member can turn these emails off on their
account page, or ask for one summary a day instead, sent at --digest-at in
the time zone they choose there (by default the server's, TZ).`,
		Example: `  relsop serve
  relsop serve --addr 127.0.0.1:9000 --data /var/lib/relsop
  relsop serve --db postgres://relsop:secret@db.internal/relsop --secure-cookies --base-url https://relsop.example.com
  RELSOP_SMTP=smtp://relsop:secret@mail.example.com:587 relsop serve --mail-from "relsop <relsop@example.com>" --base-url https://relsop.example.com`,
		Args: argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return runServe(ctx, env, fl)
		},
	}
	f := cmd.Flags()
	f.StringVar(&fl.addr, "addr", envOr("RELSOP_ADDR", "localhost:8080"), "address to listen on (host:port; port 0 picks a free one)")
	f.StringVar(&fl.data, "data", envOr("RELSOP_DATA", "relsop-data"), "folder of the SQLite database")
	f.StringVar(&fl.db, "db", envOr("RELSOP_DB", ""), "a postgres:// URL to keep the data in PostgreSQL instead of SQLite")
	f.StringVar(&fl.baseURL, "base-url", "", "the address people open, for invite links and links in notifications (default: the address of the request)")
	f.BoolVar(&fl.webhooksPrivate, "webhooks-private", false, "let webhooks go to addresses on this server's network (loopback, private, link-local)")
	f.StringVar(&fl.smtp, "smtp", "", "send notification emails through this server: smtp://[USER:PASS@]HOST[:587] (STARTTLS) or smtps://...:465 (default: RELSOP_SMTP)")
	f.StringVar(&fl.mailFrom, "mail-from", envOr("RELSOP_MAIL_FROM", ""), `the From address of notification emails, e.g. "relsop <relsop@example.com>"`)
	f.StringVar(&fl.digestAt, "digest-at", envOr("RELSOP_DIGEST_AT", ""), "the time of day (HH:MM, in each member's time zone, by default the server's) daily email summaries go out to the members who ask for one (default 08:00)")
	f.BoolVar(&fl.secureCookies, "secure-cookies", false, "mark cookies Secure also on plain HTTP (behind a TLS proxy)")
	f.BoolVar(&fl.trust, "trust-proxy", false, "believe X-Forwarded-For and X-Forwarded-Proto from a reverse proxy")
	f.StringVar(&fl.logFormat, "log", "json", "log format: json or text")
	cmd.RegisterFlagCompletionFunc("log", fixedCompletions("json", "text"))
	return cmd
}

// runRounds runs the workspace's rounds each minute until ctx ends:
// gates waiting past their escalation time and steps past their SLA are
// told to the webhooks that want them (docs/webhooks.md) and mailed to
// the people they are for, as are the SOPs whose scheduled review comes
// within a week, and the daily summaries go out once their time has come
// (docs/email.md).
func runRounds(ctx context.Context, svc *workspace.Service, log *slog.Logger) {
	tick := time.NewTicker(time.Minute)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			n, err := svc.SweepOverdue(ctx)
			if err != nil && ctx.Err() == nil {
				log.Warn("the round for overdue gates stopped early", slog.Any("err", err))
			}
			if n > 0 {
				log.Info("overdue alerts sent", slog.Int("alerts", n))
			}
			n, err = svc.SweepReviewsDue(ctx)
			if err != nil && ctx.Err() == nil {
				log.Warn("the round for scheduled reviews stopped early", slog.Any("err", err))
			}
			if n > 0 {
				log.Info("scheduled reviews told", slog.Int("sops", n))
			}
			n, err = svc.SendDigests(ctx)
			if err != nil && ctx.Err() == nil {
				log.Warn("the round for daily summaries stopped early", slog.Any("err", err))
			}
			if n > 0 {
				log.Info("daily summaries sent", slog.Int("emails", n))
			}
		}
	}
}

// parseDigestAt reads --digest-at, a time of day as HH:MM (24-hour
// clock), as the time since midnight; "" is the default, 08:00.
func parseDigestAt(s string) (time.Duration, error) {
	t, err := time.Parse("15:04", cmp.Or(strings.TrimSpace(s), "08:00"))
	if err != nil {
		return 0, usageError("--digest-at %q is not a time of day: give it as HH:MM on a 24-hour clock, such as 08:00 or 17:30", s)
	}
	return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute, nil
}

// newMailer starts the sender of notification emails that --smtp (or
// RELSOP_SMTP) and --mail-from ask for; nil when they ask for none.
func newMailer(fl serveFlags, log *slog.Logger) (*mail.Mailer, error) {
	smtp := fl.smtp
	if smtp == "" {
		smtp = os.Getenv("RELSOP_SMTP")
	}
	if smtp == "" {
		if fl.mailFrom != "" {
			return nil, usageError("--mail-from needs --smtp (or RELSOP_SMTP): the mail server to send through")
		}
		return nil, nil
	}
	cfg, err := mail.Parse(smtp, fl.mailFrom)
	if err != nil {
		return nil, usageError("%v", err)
	}
	m := mail.New(cfg, mail.Options{Log: log})
	log.Info("sending notification emails", slog.String("smtp", net.JoinHostPort(cfg.Host, cfg.Port)), slog.String("from", m.From()))
	return m, nil
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func runServe(ctx context.Context, env *Env, fl serveFlags) error {
	// The CLI's one-shot commands run with a lazy garbage collector
	// (cmd/relsop, 400). A server that runs for weeks keeps its heap
	// closer to what it holds, but live editing allocates about 1 MB per
	// edit (the SOP is parsed again to check it): 200 spends a sixth less
	// time per edit than 100 (BenchmarkLiveOp) for a heap at most three
	// times the live data. GOGC and GOMEMLIMIT in the environment win.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(200)
	}
	var handler slog.Handler
	switch fl.logFormat {
	case "json":
		handler = slog.NewJSONHandler(env.Stderr, nil)
	case "text":
		handler = slog.NewTextHandler(env.Stderr, nil)
	default:
		return usageError("--log must be json or text, not %q", fl.logFormat)
	}
	logger := slog.New(handler)
	digestAt, err := parseDigestAt(fl.digestAt)
	if err != nil {
		return err
	}
	store, where, err := openStore(ctx, fl)
	if err != nil {
		return err
	}
	defer store.Close()
	sender := notify.New(notify.Options{AllowPrivate: fl.webhooksPrivate, Record: workspace.RecordDelivery(store), Log: logger})
	defer sender.Close()
	opts := workspace.Options{Notify: sender, WebhooksPrivate: fl.webhooksPrivate, BaseURL: fl.baseURL, DigestAt: digestAt}
	mailer, err := newMailer(fl, logger)
	if err != nil {
		return err
	}
	if mailer != nil {
		defer mailer.Close()
		opts.Mail = mailer
	}
	if cfg, err := llm.ConfigFromEnv(os.Getenv); err != nil {
		logger.Warn("the LLM settings are not usable; generating with the built-in planner", slog.Any("err", err))
	} else if cfg.Enabled() {
		opts.LLM = llm.New(cfg, nil)
		logger.Info("generating with an LLM, the built-in planner as fallback", slog.String("model", cfg.Model))
	}
	svc := workspace.New(store, opts)
	// SOPs saved by an older relsop have no scheduled review date yet.
	if n, err := svc.DeriveReviewDates(ctx); err != nil {
		logger.Warn("the scheduled review dates of older SOPs are not all derived; their reviews are not in the inbox until the next start", slog.Any("err", err))
	} else if n > 0 {
		logger.Info("derived the scheduled review dates of older SOPs", slog.Int("sops", n))
	}
	hub := live.New(svc, live.Options{Logger: logger})
	srv := server.New(server.Config{
		Service: svc, Assets: web.Assets(), Logger: logger, Live: hub,
		SecureCookies: fl.secureCookies, TrustProxy: fl.trust, BaseURL: strings.TrimRight(fl.baseURL, "/"),
	})
	hubCtx, stopHub := context.WithCancel(context.Background())
	defer stopHub()
	go runRounds(hubCtx, svc, logger)
	go func() {
		if err := hub.Run(hubCtx); err != nil && hubCtx.Err() == nil {
			logger.Error("live editing between servers stopped", slog.Any("err", err))
		}
	}()
	ln, err := net.Listen("tcp", fl.addr)
	if err != nil {
		return usageError("cannot listen on %s: %v", fl.addr, err)
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute,
		WriteTimeout: 2 * time.Minute, IdleTimeout: 2 * time.Minute, MaxHeaderBytes: 64 << 10}
	fmt.Fprintf(env.Stderr, "relsop workspace at http://%s (data in %s); Ctrl+C stops it\n", displayAddr(ln.Addr()), where)
	done := make(chan error, 1)
	go func() { done <- hs.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	fmt.Fprintln(env.Stderr, "stopping: finishing the requests under way")
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err = hs.Shutdown(shutdown)
	hub.Close(shutdown) // live connections are not requests: Shutdown leaves them open
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// openStore opens PostgreSQL when --db is given, else the SQLite file in
// the data folder.
func openStore(ctx context.Context, fl serveFlags) (relsop.Store, string, error) {
	if fl.db != "" {
		if !strings.HasPrefix(fl.db, "postgres://") && !strings.HasPrefix(fl.db, "postgresql://") {
			return nil, "", usageError("--db must be a postgres:// URL, not %q", redact(fl.db))
		}
		st, err := postgres.Open(ctx, fl.db)
		if err != nil {
			return nil, "", fmt.Errorf("cannot open the PostgreSQL database %s: %w", redact(fl.db), err)
		}
		return st, "PostgreSQL " + redact(fl.db), nil
	}
	path := filepath.Join(fl.data, "relsop.db")
	st, err := sqlite.Open(path)
	if err != nil {
		return nil, "", fmt.Errorf("cannot open the database %s: %w", path, err)
	}
	return st, path, nil
}

// redact hides the password of a database URL in messages.
func redact(u string) string {
	scheme, rest, ok := strings.Cut(u, "://")
	if !ok {
		return u
	}
	creds, host, ok := strings.Cut(rest, "@")
	if !ok {
		return u
	}
	user, _, _ := strings.Cut(creds, ":")
	return scheme + "://" + user + ":***@" + host
}

// displayAddr turns a listening address into one a browser can open.
func displayAddr(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	if host == "" || host == "::" || host == "0.0.0.0" || host == "127.0.0.1" || host == "::1" {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}
