// Command liveload is a load benchmark of live co-editing (docs/live.md):
// N simulated editors, each its own user with its own API token and
// WebSocket connection, edit M SOPs at once, and it reports what the
// others see: throughput, the latency from a batch's send until each other
// editor on the document has it, lost batches, gaps in the numbering, the
// server's memory per connection and CPU.
//
//	go run ./bench/liveload [-editors 200] [-docs 50] [-rate 2] [-duration 60s]
//	    [-warmup 5s] [-drain 10s] [-db postgres://...] [-server URL] [-json]
//
// By default it builds relsop (go build ./cmd/relsop, so run it from the
// repository) and starts `relsop serve` on a free 127.0.0.1 port with a
// temporary --data folder (SQLite), or with -db postgres://... on that
// database. With -server it drives a running relsop serve instead (then
// it cannot read the server's RSS and CPU; the Go heap comes from
// /metrics).
//
// Set-up over the API: every editor signs up as its own user; the first
// one's workspace gets -docs SOPs from the saas-weekly template and an
// editor invite that all the others accept; each user makes an API token.
// Editor i edits document i mod M. Each connects to
// /api/sops/{id}/live with Authorization: Bearer and Origin set to the
// server's URL, and waits for ready.
//
// Load: a shared scheduler sends, for each editor, `ops` batches at -rate
// a second (Poisson arrivals, or evenly spaced with ±50% jitter with
// -even), each one `set` of the description or name of a random step to a
// value unique to the batch ("e17-n342"); client_seq counts up from 1 and
// base_seq is the last seq the editor saw. One goroutine per connection
// reads. Batches sent during the -warmup are checked but not timed; the
// -duration after it is measured; then nothing is sent and the run waits
// up to -drain for the last acknowledgements and deliveries.
//
// Measured: acknowledged batches per second; the latency from send until
// each other editor on the document receives the batch's op (p50, p95,
// p99, max over all sender-receiver pairs) and until the sender's own op
// (the acknowledgement); lost batches (acknowledged, but some other editor
// on the document never received them), batches never acknowledged,
// rejects; gaps and out-of-order numbers per receiver; the server's RSS
// (and Go heap from /metrics) before and after the editors connect,
// divided by N; the server's and this program's CPU over the measured
// period. It prints PASS or FAIL against the goal: 200 editors on 50
// documents at 2 batches a second each, p99 under 100 ms, nothing lost.
// It exits 1 on FAIL.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

// The goal this benchmark checks.
const (
	goalEditors = 200
	goalDocs    = 50
	goalRate    = 2.0
	goalP99     = 100 * time.Millisecond
)

type config struct {
	editors  int
	docs     int
	rate     float64
	duration time.Duration
	warmup   time.Duration
	drain    time.Duration
	idle     time.Duration
	server   string
	db       string
	even     bool
	fields   []string
	seed     uint64
	senders  int
	jsonOut  bool
	keepLogs bool
}

func main() {
	var cfg config
	var fields string
	flag.IntVar(&cfg.editors, "editors", 200, "simulated editors, each its own user and connection")
	flag.IntVar(&cfg.docs, "docs", 50, "documents; editor i edits document i mod docs")
	flag.Float64Var(&cfg.rate, "rate", 2, "batches a second per editor")
	flag.DurationVar(&cfg.duration, "duration", 60*time.Second, "measured period")
	flag.DurationVar(&cfg.warmup, "warmup", 5*time.Second, "load before the measured period, not timed")
	flag.DurationVar(&cfg.drain, "drain", 10*time.Second, "longest wait after the load for the last acknowledgements and deliveries")
	flag.DurationVar(&cfg.idle, "idle", 3*time.Second, "wait after all editors are connected before reading the server's memory")
	flag.StringVar(&cfg.server, "server", "", "a running relsop serve to load (default: build and start one)")
	flag.StringVar(&cfg.db, "db", "", "a postgres:// URL for the started server's --db (default: SQLite in a temporary folder)")
	flag.BoolVar(&cfg.even, "even", false, "send evenly spaced (±50% jitter) instead of Poisson arrivals")
	flag.StringVar(&fields, "fields", "description,name", "step fields to set, chosen at random per batch")
	flag.Uint64Var(&cfg.seed, "seed", 1, "seed of the schedule and of the choice of step and field")
	flag.IntVar(&cfg.senders, "senders", 4, "goroutines that write the scheduled batches")
	flag.BoolVar(&cfg.jsonOut, "json", false, "print the results as JSON")
	flag.BoolVar(&cfg.keepLogs, "keep", false, "keep the started server's data folder and log")
	flag.Parse()
	cfg.fields = strings.Split(fields, ",")
	switch {
	case cfg.editors < 2 || cfg.docs < 1 || cfg.editors < 2*cfg.docs:
		fail(2, "-editors must be at least 2 per document")
	case (cfg.editors+cfg.docs-1)/cfg.docs > 64:
		fail(2, "at most 64 editors per document")
	case cfg.rate <= 0 || cfg.duration <= 0 || cfg.warmup < 0 || cfg.drain < 0 || cfg.senders < 1:
		fail(2, "-rate, -duration and -senders must be positive, -warmup and -drain not negative")
	case cfg.server != "" && cfg.db != "":
		fail(2, "-db is for the server this program starts; not with -server")
	case cfg.db != "" && !strings.HasPrefix(cfg.db, "postgres://") && !strings.HasPrefix(cfg.db, "postgresql://"):
		fail(2, "-db must be a postgres:// URL")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	res, err := run(ctx, cfg)
	if err != nil {
		fail(1, err.Error())
	}
	if cfg.jsonOut {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		enc.Encode(res)
	} else {
		res.print(os.Stdout)
	}
	if !res.Pass {
		os.Exit(1)
	}
}

func fail(code int, msg string) {
	fmt.Fprintln(os.Stderr, "liveload:", msg)
	os.Exit(code)
}

// logf reports progress on standard error, so that -json stays clean.
func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "liveload: "+format+"\n", args...)
}
