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
	"bufio"
	"bytes"
	"container/heap"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/coder/websocket"

	"github.com/relsop/relsop/bench/internal/wsbench"
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

// ---- the server ----

// server is the relsop serve under test.
type server struct {
	url  string
	bin  string
	args []string
	cmd  *exec.Cmd // nil with -server
	dir  string
	log  string
	done chan struct{}
}

// startServer builds relsop and runs `relsop serve` on a free port.
func startServer(ctx context.Context, cfg config) (*server, error) {
	dir, err := os.MkdirTemp("", "relsop-liveload-")
	if err != nil {
		return nil, err
	}
	s := &server{dir: dir, log: filepath.Join(dir, "serve.log"), bin: filepath.Join(dir, "relsop")}
	build := exec.CommandContext(ctx, "go", "build", "-o", s.bin, "./cmd/relsop")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("go build ./cmd/relsop (run liveload from the repository): %w", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	s.url = "http://" + addr
	s.args = []string{"serve", "--addr", addr, "--data", filepath.Join(dir, "data")}
	if cfg.db != "" {
		s.args = append(s.args, "--db", cfg.db)
	}
	if err := s.launch(); err != nil {
		s.cleanup(false)
		return nil, err
	}
	return s, nil
}

// launch starts the built server (again) and waits until it answers.
func (s *server) launch() error {
	lf, err := os.OpenFile(s.log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	s.cmd = exec.Command(s.bin, s.args...)
	s.cmd.Stdout, s.cmd.Stderr = lf, lf
	if err := s.cmd.Start(); err != nil {
		lf.Close()
		return err
	}
	done := make(chan struct{})
	s.done = done
	go func() { s.cmd.Wait(); lf.Close(); close(done) }()
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(s.url + "/api/me")
		if err == nil {
			resp.Body.Close()
			return nil
		}
		select {
		case <-done:
			out, _ := os.ReadFile(s.log)
			return fmt.Errorf("relsop serve stopped: %s", bytes.TrimSpace(out))
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			s.stop()
			return errors.New("relsop serve did not answer within 30 s")
		}
	}
}

// stop ends the server: Ctrl+C, then a kill after 15 s.
func (s *server) stop() {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	s.cmd.Process.Signal(os.Interrupt)
	select {
	case <-s.done:
	case <-time.After(15 * time.Second):
		s.cmd.Process.Kill()
		<-s.done
	}
}

func (s *server) cleanup(keep bool) {
	if s.dir == "" {
		return
	}
	if keep {
		logf("kept the server's folder %s", s.dir)
		return
	}
	os.RemoveAll(s.dir)
}

func (s *server) pid() int {
	if s.cmd == nil || s.cmd.Process == nil {
		return 0
	}
	return s.cmd.Process.Pid
}

// rss is the server's resident memory in bytes (VmRSS), 0 when unknown.
func (s *server) rss() int64 {
	if s.pid() == 0 {
		return 0
	}
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.pid()))
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// cpu is the server's user plus system time, -1 when unknown.
func (s *server) cpu() time.Duration {
	if s.pid() == 0 {
		return -1
	}
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", s.pid()))
	if err != nil {
		return -1
	}
	// Fields after the command, which is in parentheses and may hold spaces.
	i := bytes.LastIndexByte(data, ')')
	f := strings.Fields(string(data[i+1:]))
	if len(f) < 13 {
		return -1
	}
	ut, _ := strconv.ParseInt(f[11], 10, 64)        // field 14
	st, _ := strconv.ParseInt(f[12], 10, 64)        // field 15
	return time.Duration(ut+st) * time.Second / 100 // USER_HZ
}

// logCounts counts the server's log lines by level (JSON logs).
func (s *server) logCounts() map[string]int {
	out := map[string]int{}
	f, err := os.Open(s.log)
	if err != nil {
		return out
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var l struct {
			Level string `json:"level"`
		}
		if json.Unmarshal(sc.Bytes(), &l) == nil && l.Level != "" && l.Level != "INFO" {
			out[l.Level]++
		}
	}
	return out
}

// metrics reads the named gauges and counters from /metrics (NaN when
// absent).
func metrics(base string, names ...string) map[string]float64 {
	out := map[string]float64{}
	for _, n := range names {
		out[n] = math.NaN()
	}
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		return out
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		name, val, ok := strings.Cut(sc.Text(), " ")
		if _, want := out[name]; ok && want {
			if v, err := strconv.ParseFloat(strings.TrimSpace(val), 64); err == nil {
				out[name] = v
			}
		}
	}
	return out
}

func ownCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// ---- set-up ----

// setUp signs up the editors, makes the documents and the tokens; it
// returns the documents' ids, the step ids and a token per editor.
func setUp(ctx context.Context, base string, cfg config) (docs []int64, steps []string, tokens []string, err error) {
	stamp := time.Now().UnixNano()
	clients := make([]*wsbench.Client, cfg.editors)
	tokens = make([]string, cfg.editors)
	errs := make([]error, cfg.editors)
	parallel := func(f func(i int) error) error {
		var wg sync.WaitGroup
		sem := make(chan struct{}, 2*runtime.NumCPU())
		for i := range cfg.editors {
			wg.Go(func() {
				sem <- struct{}{}
				defer func() { <-sem }()
				errs[i] = f(i)
			})
		}
		wg.Wait()
		return errors.Join(errs...)
	}
	if err := parallel(func(i int) error {
		c, err := wsbench.NewClient(ctx, base)
		if err != nil {
			return err
		}
		if _, err := c.SignUp(ctx, fmt.Sprintf("live%d-%d@bench.example.com", i, stamp), fmt.Sprintf("Editor %d", i)); err != nil {
			return fmt.Errorf("sign up editor %d: %w", i, err)
		}
		clients[i] = c
		return nil
	}); err != nil {
		return nil, nil, nil, err
	}
	owner := clients[0]
	var me struct {
		Workspaces []struct {
			ID int64 `json:"id"`
		} `json:"workspaces"`
	}
	if _, err := owner.Call(ctx, "GET", "/api/me", nil, &me); err != nil {
		return nil, nil, nil, err
	}
	ws := me.Workspaces[0].ID
	for range cfg.docs {
		var created struct {
			Document wsbench.Document `json:"document"`
		}
		if _, err := owner.Call(ctx, "POST", "/api/sops", map[string]any{"workspace_id": ws, "template": "saas-weekly"}, &created); err != nil {
			return nil, nil, nil, fmt.Errorf("create an SOP: %w", err)
		}
		docs = append(docs, created.Document.ID)
	}
	m, err := owner.Model(ctx, docs[0])
	if err != nil {
		return nil, nil, nil, err
	}
	for _, s := range m.Steps {
		if s.Kind != "start" && s.Kind != "end" {
			steps = append(steps, s.ID)
		}
	}
	if len(steps) == 0 {
		return nil, nil, nil, errors.New("the saas-weekly SOP has no steps")
	}
	var inv struct {
		Token string `json:"token"`
	}
	if _, err := owner.Call(ctx, "POST", fmt.Sprintf("/api/workspaces/%d/invites", ws), map[string]any{"role": "editor"}, &inv); err != nil {
		return nil, nil, nil, fmt.Errorf("invite: %w", err)
	}
	if err := parallel(func(i int) error {
		c := clients[i]
		if i > 0 {
			if _, err := c.Call(ctx, "POST", "/api/invites/"+inv.Token+"/accept", map[string]any{}, nil); err != nil {
				return fmt.Errorf("editor %d accepts the invite: %w", i, err)
			}
		}
		var tok struct {
			Token string `json:"token"`
		}
		if _, err := c.Call(ctx, "POST", "/api/tokens", map[string]any{"name": "liveload"}, &tok); err != nil {
			return fmt.Errorf("token of editor %d: %w", i, err)
		}
		tokens[i] = tok.Token
		c.HTTP.CloseIdleConnections()
		return nil
	}); err != nil {
		return nil, nil, nil, err
	}
	return docs, steps, tokens, nil
}

// ---- editors ----

// batch is one ops message of an editor.
type batch struct {
	sentAt   time.Duration // first send, since the run's epoch; set before the batch is published
	step     int           // what it sets
	field    int           //
	ackAt    atomic.Int64  // since the epoch; 0 while not acknowledged
	seq      atomic.Int64  // its number, from the acknowledgement
	seenBy   atomic.Uint64 // the peers (bit = peer index) that received its op
	rejected atomic.Pointer[string]
	written  atomic.Bool // went out on a connection at least once
}

// editor is one simulated tab: a user, a connection, a document.
type editor struct {
	idx    int
	doc    int // index into docs
	peer   int // its bit among the document's editors
	client string
	token  string

	mu      sync.Mutex      // orders writes; guards conn, down, rng
	conn    *websocket.Conn // the current connection
	down    bool            // disconnected: batches wait for the reconnect
	rng     *rand.Rand
	batches []batch      // client_seq-1 → batch; fixed capacity, so lookups need no lock
	nsent   atomic.Int64 // batches published
	lastSeq atomic.Int64 // the last seq seen, for base_seq

	// the session goroutine's own; read after done is closed
	ready      chan struct{} // closed at the first ready
	done       chan struct{}
	lat        []int64 // ns, send → received here, of others' timed batches
	gaps       int64   // seqs skipped
	disorder   int64   // seqs not above the last one
	dups       int64   // an op received twice
	unknown    int64   // an op of a client this run does not know
	errs       map[string]int
	revs       int
	reconnects int
	waiting    atomic.Bool // reconnected, waiting for ready
	resent     int
	snapshots  int // snapshots after a reconnect: numbers skipped unchecked
}

func (e *editor) batch(clientSeq int64) *batch {
	if clientSeq < 1 || clientSeq > e.nsent.Load() {
		return nil
	}
	return &e.batches[clientSeq-1]
}

// run is the shared state of the load.
type runState struct {
	cfg      config
	base     string
	epoch    time.Time
	docs     []int64
	steps    []string
	editors  []*editor
	byClient map[string]*editor
	peers    []uint64     // per document: all its editors' bits
	tStart   atomic.Int64 // the measured period, since the epoch
	tEnd     atomic.Int64
	sendErrs atomic.Int64
	overflow atomic.Int64 // scheduled batches beyond an editor's capacity, not sent
	sendMax  atomic.Int64 // the longest a write took, ns
	lateMax  atomic.Int64 // the most a send was behind its schedule, ns
	ending   atomic.Bool  // set at the end: sessions stop
}

// closeAll closes every connection and waits for the sessions.
func (r *runState) closeAll() {
	if r.ending.Swap(true) {
		return
	}
	for _, e := range r.editors {
		e.mu.Lock()
		if e.conn != nil {
			e.conn.Close(websocket.StatusNormalClosure, "")
		}
		e.mu.Unlock()
	}
	for _, e := range r.editors {
		select {
		case <-e.done:
		case <-time.After(15 * time.Second):
			logf("editor %d: the session did not stop", e.idx)
		}
	}
}

func (r *runState) now() time.Duration { return time.Since(r.epoch) }

// incoming is the part of a server message the editors read.
type incoming struct {
	Type      string `json:"type"`
	Seq       int64  `json:"seq"`
	Client    string `json:"client"`
	ClientSeq int64  `json:"client_seq"`
	Code      string `json:"code"`
}

// dial opens a connection of the editor, from seq since.
func (r *runState) dial(e *editor, since int64) (*websocket.Conn, error) {
	u := strings.Replace(r.base, "http", "ws", 1) + fmt.Sprintf("/api/sops/%d/live?client=%s&since=%d", r.docs[e.doc], e.client, since)
	h := http.Header{}
	h.Set("Authorization", "Bearer "+e.token)
	h.Set("Origin", r.base)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, resp, err := websocket.Dial(ctx, u, &websocket.DialOptions{HTTPHeader: h})
	if err != nil {
		if resp != nil {
			return nil, fmt.Errorf("editor %d: %w (HTTP %d)", e.idx, err, resp.StatusCode)
		}
		return nil, fmt.Errorf("editor %d: %w", e.idx, err)
	}
	conn.SetReadLimit(4 << 20)
	return conn, nil
}

// session is the editor's one goroutine that reads: it connects, reads
// until the connection drops, and connects again from the last seq it
// saw, as a browser tab does (docs/live.md, Reconnecting), until the end.
func (r *runState) session(e *editor, first *websocket.Conn) {
	defer close(e.done)
	conn := first
	for {
		err := r.read(e, conn)
		if r.ending.Load() {
			return
		}
		e.mu.Lock()
		e.down = true
		e.mu.Unlock()
		e.errs["disconnect: "+err.Error()]++
		for {
			time.Sleep(500 * time.Millisecond)
			if r.ending.Load() {
				return
			}
			conn, err = r.dial(e, e.lastSeq.Load())
			if err == nil {
				break
			}
			e.errs["reconnect failed: "+err.Error()]++
		}
		e.reconnects++
		e.waiting.Store(true)
		e.mu.Lock()
		e.conn = conn
		e.mu.Unlock()
		if r.ending.Load() { // closeAll may have missed it
			conn.Close(websocket.StatusNormalClosure, "")
		}
	}
}

// read handles one connection's messages until it ends. After a
// reconnect, the catch-up's ops count as deliveries (late ones); at ready
// the batches not yet acknowledged are sent again with their client_seq.
func (r *runState) read(e *editor, conn *websocket.Conn) error {
	var buf bytes.Buffer
	ctx := context.Background()
	resync := false // a snapshot came: the numbers up to ready are not checked
	for {
		_, rd, err := conn.Reader(ctx)
		if err == nil {
			buf.Reset()
			_, err = buf.ReadFrom(rd)
		}
		if err != nil {
			return err
		}
		at := int64(r.now())
		var m incoming
		if err := json.Unmarshal(buf.Bytes(), &m); err != nil {
			e.errs["bad json"]++
			continue
		}
		switch m.Type {
		case "op", "replace":
			select {
			case <-e.ready:
			default:
				continue // the first catch-up: before the load
			}
			if !resync {
				last := e.lastSeq.Load()
				switch {
				case m.Seq == last+1:
				case m.Seq > last+1:
					e.gaps += m.Seq - last - 1
				default:
					e.disorder++
				}
				if m.Seq > last {
					e.lastSeq.Store(m.Seq)
				}
			}
			if m.Type == "op" {
				r.received(e, m, at)
			}
		case "snapshot":
			select {
			case <-e.ready:
				resync = true
				e.snapshots++
			default:
			}
		case "ready":
			e.lastSeq.Store(m.Seq)
			resync = false
			select {
			case <-e.ready:
				e.waiting.Store(false)
				r.resend(e, conn)
			default:
				close(e.ready)
			}
		case "reject":
			code := m.Code
			if b := e.batch(m.ClientSeq); b != nil {
				if code == "duplicate" { // stored before: an acknowledgement
					b.ackAt.CompareAndSwap(0, at)
				} else {
					b.rejected.Store(&code)
				}
			}
			e.errs["reject "+code]++
		case "error":
			e.errs["error "+m.Code]++
		case "revision":
			e.revs++
		case "hello", "presence":
		default:
			e.errs["unknown type "+m.Type]++
		}
	}
}

// received counts an op: the sender's acknowledgement, or a delivery.
func (r *runState) received(e *editor, m incoming, at int64) {
	if m.Client == e.client {
		if b := e.batch(m.ClientSeq); b == nil || !b.ackAt.CompareAndSwap(0, at) {
			e.dups++
		} else {
			b.seq.Store(m.Seq)
		}
		return
	}
	s := r.byClient[m.Client]
	if s == nil {
		e.unknown++
		return
	}
	b := s.batch(m.ClientSeq)
	if b == nil {
		e.unknown++
		return
	}
	bit := uint64(1) << e.peer
	if b.seenBy.Or(bit)&bit != 0 {
		e.dups++
		return
	}
	if t := int64(b.sentAt); t >= r.tStart.Load() && t < r.tEnd.Load() {
		e.lat = append(e.lat, at-t)
	}
}

// resend sends again, after a reconnect, the batches not acknowledged.
func (r *runState) resend(e *editor, conn *websocket.Conn) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for i := range e.nsent.Load() {
		b := &e.batches[i]
		if b.ackAt.Load() == 0 && b.rejected.Load() == nil {
			if r.write(e, conn, i+1, b) == nil {
				e.resent++
			}
		}
	}
	e.down = false
}

func (r *runState) write(e *editor, conn *websocket.Conn, clientSeq int64, b *batch) error {
	msg := fmt.Appendf(nil, `{"type":"ops","client_seq":%d,"base_seq":%d,"ops":[{"op":"set","kind":"step","id":%q,"field":%q,"value":"e%d-n%d"}]}`,
		clientSeq, e.lastSeq.Load(), r.steps[b.step], r.cfg.fields[b.field], e.idx, clientSeq)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	t := r.now()
	err := conn.Write(ctx, websocket.MessageText, msg)
	if d := int64(r.now() - t); d > r.sendMax.Load() {
		r.sendMax.Store(d) // racy maximum: good enough for a report
	}
	if err != nil {
		r.sendErrs.Add(1)
		return err
	}
	b.written.Store(true)
	return nil
}

// send makes the editor's next batch and writes it, unless the editor is
// reconnecting: then the batch waits for the resend.
func (r *runState) send(e *editor) {
	e.mu.Lock()
	defer e.mu.Unlock()
	n := e.nsent.Load()
	if n == int64(len(e.batches)) {
		r.overflow.Add(1)
		return
	}
	b := &e.batches[n]
	b.sentAt, b.step, b.field = r.now(), e.rng.IntN(len(r.steps)), e.rng.IntN(len(r.cfg.fields))
	e.nsent.Store(n + 1)
	if !e.down {
		r.write(e, e.conn, n+1, b)
	}
}

// due is an editor's next send in the scheduler's heap.
type due struct {
	at time.Duration
	e  *editor
}

type schedule []due

func (s schedule) Len() int           { return len(s) }
func (s schedule) Less(i, j int) bool { return s[i].at < s[j].at }
func (s schedule) Swap(i, j int)      { s[i], s[j] = s[j], s[i] }
func (s *schedule) Push(x any)        { *s = append(*s, x.(due)) }
func (s *schedule) Pop() any {
	old := *s
	x := old[len(old)-1]
	*s = old[:len(old)-1]
	return x
}

// interval is the time to an editor's next batch.
func (r *runState) interval(rng *rand.Rand) time.Duration {
	mean := float64(time.Second) / r.cfg.rate
	if r.cfg.even {
		return time.Duration(mean * (0.5 + rng.Float64()))
	}
	return time.Duration(mean * rng.ExpFloat64())
}

// load runs the scheduler until stopAt (since the epoch): one goroutine
// keeps the times, -senders goroutines write.
func (r *runState) load(ctx context.Context, stopAt time.Duration) {
	rng := rand.New(rand.NewPCG(r.cfg.seed, 0xdecaf))
	var s schedule
	now := r.now()
	for _, e := range r.editors {
		s = append(s, due{now + time.Duration(rng.Float64()*float64(time.Second)/r.cfg.rate), e})
	}
	heap.Init(&s)
	work := make(chan *editor, len(r.editors))
	var wg sync.WaitGroup
	for range r.cfg.senders {
		wg.Go(func() {
			for e := range work {
				r.send(e)
			}
		})
	}
	timer := time.NewTimer(time.Hour)
	for {
		next := s[0]
		if next.at >= stopAt {
			break
		}
		if wait := next.at - r.now(); wait > 0 {
			timer.Reset(wait)
			select {
			case <-timer.C:
			case <-ctx.Done():
			}
		}
		if ctx.Err() != nil {
			break
		}
		if late := int64(r.now() - next.at); late > r.lateMax.Load() {
			r.lateMax.Store(late)
		}
		work <- next.e
		s[0].at += r.interval(rng)
		heap.Fix(&s, 0)
	}
	close(work)
	wg.Wait()
}

// ---- results ----

type latency struct {
	Samples int     `json:"samples"`
	P50     float64 `json:"p50_ms"`
	P95     float64 `json:"p95_ms"`
	P99     float64 `json:"p99_ms"`
	Max     float64 `json:"max_ms"`
}

func summarise(ns []int64) latency {
	if len(ns) == 0 {
		return latency{}
	}
	slices.Sort(ns)
	q := func(p float64) float64 {
		i := int(math.Ceil(p*float64(len(ns)))) - 1
		return float64(ns[max(0, i)]) / 1e6
	}
	return latency{Samples: len(ns), P50: q(.50), P95: q(.95), P99: q(.99), Max: float64(ns[len(ns)-1]) / 1e6}
}

type results struct {
	Date    string `json:"date"`
	Machine struct {
		CPUs     int    `json:"cpus"`
		CPUModel string `json:"cpu_model"`
		LoadAvg  string `json:"loadavg_start"`
		LoadEnd  string `json:"loadavg_end"`
	} `json:"machine"`
	Server string `json:"server"`
	Store  string `json:"store"`
	Config struct {
		Editors    int     `json:"editors"`
		Docs       int     `json:"docs"`
		Rate       float64 `json:"rate_per_editor"`
		Arrivals   string  `json:"arrivals"`
		DurationS  float64 `json:"duration_s"`
		WarmupS    float64 `json:"warmup_s"`
		Steps      int     `json:"steps"`
		SetupS     float64 `json:"setup_s"`
		ConnectS   float64 `json:"connect_s"`
		MeasuredS  float64 `json:"measured_s"`
		DrainWaitS float64 `json:"drain_waited_s"`
	} `json:"config"`
	Throughput struct {
		OfferedPerS  float64 `json:"offered_per_s"`
		SentPerS     float64 `json:"sent_per_s"`
		AckedPerS    float64 `json:"acked_per_s"`
		Sent         int     `json:"sent_total"`
		Deliveries   int64   `json:"deliveries_total"`
		DeliveriesPS float64 `json:"deliveries_per_s"`
	} `json:"throughput"`
	Delivery latency `json:"delivery_latency"`
	Ack      latency `json:"ack_latency"`
	Problems struct {
		Lost           int            `json:"lost_batches"`
		LostDeliveries int            `json:"lost_deliveries"`
		LostDetail     []string       `json:"lost_detail,omitempty"`
		Unacked        int            `json:"unacked"`
		NeverWritten   int            `json:"unacked_never_written"`
		Rejected       int            `json:"rejected"`
		Gaps           int64          `json:"gaps"`
		OutOfOrder     int64          `json:"out_of_order"`
		Duplicates     int64          `json:"duplicates"`
		Unknown        int64          `json:"unknown_ops"`
		Disconnects    int            `json:"disconnects"`
		Reconnects     int            `json:"reconnects"`
		WaitingReady   int            `json:"reconnected_waiting_for_ready_at_end"`
		Resent         int            `json:"resent"`
		Snapshots      int            `json:"snapshots_after_reconnect"`
		Overflow       int64          `json:"batches_over_capacity"`
		SendErrors     int64          `json:"send_errors"`
		Messages       map[string]int `json:"messages,omitempty"`
		ServerLog      map[string]int `json:"server_log_levels,omitempty"`
	} `json:"problems"`
	Revisions struct {
		Messages int     `json:"messages"`
		PerDoc   float64 `json:"per_doc"`
	} `json:"revisions"`
	Memory struct {
		RSSBefore        int64   `json:"rss_before_bytes"`
		RSSAfter         int64   `json:"rss_after_bytes"`
		RSSEnd           int64   `json:"rss_end_bytes"`
		RSSPerClient     float64 `json:"rss_per_client_bytes"`
		HeapBefore       float64 `json:"heap_inuse_before_bytes"`
		HeapAfter        float64 `json:"heap_inuse_after_bytes"`
		HeapPerClient    float64 `json:"heap_per_client_bytes"`
		GoroutinesBefore float64 `json:"goroutines_before"`
		GoroutinesAfter  float64 `json:"goroutines_after"`
	} `json:"memory"`
	CPU struct {
		ServerS      float64 `json:"server_s"`
		ServerCores  float64 `json:"server_cores"`
		ServerMsPerB float64 `json:"server_ms_per_batch"`
		LoadgenS     float64 `json:"loadgen_s"`
		LoadgenCores float64 `json:"loadgen_cores"`
		SendMaxMs    float64 `json:"loadgen_write_max_ms"`
		LateMaxMs    float64 `json:"loadgen_schedule_late_max_ms"`
	} `json:"cpu"`
	ServerMetrics map[string]float64 `json:"server_metrics,omitempty"`
	Pass          bool               `json:"pass"`
	Verdict       string             `json:"verdict"`
}

func loadavg() string {
	b, _ := os.ReadFile("/proc/loadavg")
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

func cpuModel() string {
	b, _ := os.ReadFile("/proc/cpuinfo")
	for line := range strings.SplitSeq(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "?"
}

// ---- the run ----

func run(ctx context.Context, cfg config) (*results, error) {
	res := &results{Date: time.Now().UTC().Format(time.RFC3339)}
	res.Machine.CPUs, res.Machine.CPUModel, res.Machine.LoadAvg = runtime.NumCPU(), cpuModel(), loadavg()
	c := &res.Config
	c.Editors, c.Docs, c.Rate, c.DurationS, c.WarmupS = cfg.editors, cfg.docs, cfg.rate, cfg.duration.Seconds(), cfg.warmup.Seconds()
	c.Arrivals = "poisson"
	if cfg.even {
		c.Arrivals = "even ±50%"
	}

	srv := &server{url: strings.TrimRight(cfg.server, "/")}
	res.Store = "(running server)"
	if cfg.server == "" {
		var err error
		if srv, err = startServer(ctx, cfg); err != nil {
			return nil, err
		}
		defer func() { srv.stop(); srv.cleanup(cfg.keepLogs) }()
		res.Store = "SQLite (temporary --data)"
		if cfg.db != "" {
			res.Store = "PostgreSQL"
		}
	}
	res.Server = srv.url
	logf("server %s (%s), pid %d; load average %s", srv.url, res.Store, srv.pid(), res.Machine.LoadAvg)

	t0 := time.Now()
	docs, steps, tokens, err := setUp(ctx, srv.url, cfg)
	if err != nil {
		return nil, err
	}
	c.SetupS, c.Steps = time.Since(t0).Seconds(), len(steps)
	logf("set up %d users, %d SOPs (saas-weekly, %d steps to edit) in %.1f s", cfg.editors, cfg.docs, len(steps), c.SetupS)
	if srv.cmd != nil {
		// A fresh process, so that the memory before connecting is not
		// that of the sign-ups (argon2 takes 19 MiB per hash).
		srv.stop()
		if err := srv.launch(); err != nil {
			return nil, fmt.Errorf("restart the server after set-up: %w", err)
		}
		logf("restarted the server after set-up: pid %d", srv.pid())
	}

	r := &runState{cfg: cfg, base: srv.url, epoch: time.Now(), docs: docs, steps: steps, byClient: map[string]*editor{},
		peers: make([]uint64, cfg.docs)}
	// Room for the batches of the whole run: Poisson arrivals stay far
	// below twice the mean.
	capacity := int(2*cfg.rate*(cfg.warmup+cfg.duration).Seconds()) + 64
	r.tStart.Store(math.MaxInt64)
	r.tEnd.Store(math.MaxInt64)
	tag := strconv.FormatInt(time.Now().UnixNano()%1e9, 36)
	for i := range cfg.editors {
		e := &editor{idx: i, doc: i % cfg.docs, peer: i / cfg.docs, client: fmt.Sprintf("liveload-%s-%d", tag, i), token: tokens[i],
			rng: rand.New(rand.NewPCG(cfg.seed, uint64(i)+1)), batches: make([]batch, capacity),
			ready: make(chan struct{}), done: make(chan struct{}), errs: map[string]int{}}
		r.editors = append(r.editors, e)
		r.byClient[e.client] = e
		r.peers[e.doc] |= 1 << e.peer
	}

	mnames := []string{"go_memstats_heap_inuse_bytes", "go_goroutines", "relsop_live_connections",
		"relsop_live_operations_total", "relsop_live_rejects_total"}
	time.Sleep(time.Second)
	m0 := metrics(srv.url, mnames...)
	res.Memory.RSSBefore, res.Memory.HeapBefore, res.Memory.GoroutinesBefore = srv.rss(), m0["go_memstats_heap_inuse_bytes"], m0["go_goroutines"]

	t0 = time.Now()
	{
		var wg sync.WaitGroup
		sem := make(chan struct{}, 8)
		errs := make([]error, len(r.editors))
		for i, e := range r.editors {
			wg.Go(func() {
				sem <- struct{}{}
				defer func() { <-sem }()
				conn, err := r.dial(e, 0)
				if err != nil {
					errs[i] = err
					close(e.done)
					return
				}
				e.conn = conn
				go r.session(e, conn)
				select {
				case <-e.ready:
				case <-time.After(30 * time.Second):
					errs[i] = fmt.Errorf("editor %d: no ready within 30 s", i)
				}
			})
		}
		wg.Wait()
		defer r.closeAll()
		if err := errors.Join(errs...); err != nil {
			return nil, err
		}
	}
	c.ConnectS = time.Since(t0).Seconds()
	logf("%d editors connected in %.1f s; idle %s", cfg.editors, c.ConnectS, cfg.idle)
	time.Sleep(cfg.idle)
	m1 := metrics(srv.url, mnames...)
	res.Memory.RSSAfter, res.Memory.HeapAfter, res.Memory.GoroutinesAfter = srv.rss(), m1["go_memstats_heap_inuse_bytes"], m1["go_goroutines"]
	if res.Memory.RSSBefore > 0 {
		res.Memory.RSSPerClient = float64(res.Memory.RSSAfter-res.Memory.RSSBefore) / float64(cfg.editors)
	}
	res.Memory.HeapPerClient = (res.Memory.HeapAfter - res.Memory.HeapBefore) / float64(cfg.editors)

	// The load: warm-up, then the measured period.
	start := r.now()
	tStart := start + cfg.warmup
	tEnd := tStart + cfg.duration
	r.tStart.Store(int64(tStart))
	r.tEnd.Store(int64(tEnd))
	logf("load: %.0f batches/s for %s warm-up + %s", float64(cfg.editors)*cfg.rate, cfg.warmup, cfg.duration)
	var srvCPU0, ownCPU0 time.Duration
	cpuMark := make(chan struct{})
	go func() {
		time.Sleep(tStart - r.now())
		srvCPU0, ownCPU0 = srv.cpu(), ownCPU()
		close(cpuMark)
	}()
	loadDone := make(chan struct{})
	go func() { r.load(ctx, tEnd); close(loadDone) }()
	<-loadDone
	<-cpuMark
	srvCPU, own := srv.cpu()-srvCPU0, ownCPU()-ownCPU0
	measured := r.now() - tStart
	c.MeasuredS = measured.Seconds()
	res.Machine.LoadEnd = loadavg()

	// Drain: wait until every batch is answered and delivered, or -drain.
	dStart := time.Now()
	waitingReady := func() (n int) {
		for _, e := range r.editors {
			if e.waiting.Load() {
				n++
			}
		}
		return n
	}
	for time.Since(dStart) < cfg.drain && !r.complete() {
		time.Sleep(100 * time.Millisecond)
	}
	c.DrainWaitS = time.Since(dStart).Seconds()
	res.Problems.WaitingReady = waitingReady()
	time.Sleep(200 * time.Millisecond) // late duplicates and stray messages
	res.Memory.RSSEnd = srv.rss()
	res.ServerMetrics = metrics(srv.url, mnames...)
	for k, v := range res.ServerMetrics {
		if math.IsNaN(v) {
			delete(res.ServerMetrics, k)
		}
	}

	// Stop the readers before reading what they gathered.
	r.closeAll()
	r.tally(res, tStart, tEnd, measured)
	res.Throughput.OfferedPerS = float64(cfg.editors) * cfg.rate
	if measured > 0 {
		res.CPU.ServerS, res.CPU.LoadgenS = srvCPU.Seconds(), own.Seconds()
		res.CPU.ServerCores, res.CPU.LoadgenCores = srvCPU.Seconds()/measured.Seconds(), own.Seconds()/measured.Seconds()
		if srvCPU < 0 {
			res.CPU.ServerS, res.CPU.ServerCores = -1, -1
		} else if res.Throughput.AckedPerS > 0 {
			res.CPU.ServerMsPerB = srvCPU.Seconds() * 1000 / (res.Throughput.AckedPerS * measured.Seconds())
		}
	}
	res.CPU.SendMaxMs = float64(r.sendMax.Load()) / 1e6
	res.CPU.LateMaxMs = float64(r.lateMax.Load()) / 1e6
	if cfg.server == "" {
		srv.stop()
		res.Problems.ServerLog = srv.logCounts()
	}
	res.judge(cfg)
	return res, nil
}

// complete says whether every batch sent is answered (acknowledged or
// refused) and every acknowledged one delivered to all other editors on
// its document.
func (r *runState) complete() bool {
	for _, e := range r.editors {
		want := r.peers[e.doc] &^ (1 << e.peer)
		for i := range e.nsent.Load() {
			b := &e.batches[i]
			if b.rejected.Load() != nil {
				continue
			}
			if b.ackAt.Load() == 0 || b.seenBy.Load()&want != want {
				return false
			}
		}
	}
	return true
}

func (r *runState) tally(res *results, tStart, tEnd, measured time.Duration) {
	p := &res.Problems
	p.Messages = map[string]int{}
	var lat, ack []int64
	var acked, sent int
	missed := map[int][]int64{} // receiver → the numbers of the batches it never got
	docLast := make([]int64, len(r.docs))
	for _, e := range r.editors {
		lat = append(lat, e.lat...)
		p.Gaps += e.gaps
		p.OutOfOrder += e.disorder
		p.Duplicates += e.dups
		p.Unknown += e.unknown
		res.Revisions.Messages += e.revs
		p.Reconnects += e.reconnects
		p.Resent += e.resent
		p.Snapshots += e.snapshots
		for k, v := range e.errs {
			if strings.HasPrefix(k, "disconnect: ") {
				p.Disconnects += v
			}
			p.Messages[k] += v
		}
		want := r.peers[e.doc] &^ (1 << e.peer)
		for i := range e.nsent.Load() {
			b := &e.batches[i]
			res.Throughput.Deliveries += int64(bitsSet(b.seenBy.Load()))
			timed := b.sentAt >= tStart && b.sentAt < tEnd
			if timed {
				sent++
			}
			if b.rejected.Load() != nil {
				p.Rejected++
				continue
			}
			at := b.ackAt.Load()
			if at == 0 {
				p.Unacked++
				if !b.written.Load() {
					p.NeverWritten++
				}
				continue
			}
			if at >= int64(tStart) && at < int64(tEnd) {
				acked++
			}
			if timed {
				ack = append(ack, at-int64(b.sentAt))
			}
			if missing := want &^ b.seenBy.Load(); missing != 0 {
				p.Lost++
				p.LostDeliveries += bitsSet(missing)
				for peer := range 64 {
					if missing&(1<<peer) != 0 {
						rcv := peer*len(r.docs) + e.doc
						missed[rcv] = append(missed[rcv], b.seq.Load())
					}
				}
			}
			if q := b.seq.Load(); q > docLast[e.doc] {
				docLast[e.doc] = q
			}
		}
	}
	for _, i := range slices.Sorted(maps.Keys(missed)) {
		e, seqs := r.editors[i], missed[i]
		slices.Sort(seqs)
		p.LostDetail = append(p.LostDetail, fmt.Sprintf("editor %d (doc %d): missed %d batches, seq %d..%d; it saw up to seq %d, the doc is at %d",
			i, r.docs[e.doc], len(seqs), seqs[0], seqs[len(seqs)-1], e.lastSeq.Load(), docLast[e.doc]))
	}
	p.SendErrors = r.sendErrs.Load()
	p.Overflow = r.overflow.Load()
	res.Delivery, res.Ack = summarise(lat), summarise(ack)
	res.Revisions.PerDoc = float64(res.Revisions.Messages) / float64(len(r.editors)) // each doc's revisions reach all its editors
	if s := measured.Seconds(); s > 0 {
		res.Throughput.Sent = sent
		res.Throughput.SentPerS = float64(sent) / s
		res.Throughput.AckedPerS = float64(acked) / s
		res.Throughput.DeliveriesPS = float64(len(lat)) / s
	}
}

func bitsSet(x uint64) int {
	n := 0
	for ; x != 0; x &= x - 1 {
		n++
	}
	return n
}

// judge sets the verdict against the goal.
func (res *results) judge(cfg config) {
	var why []string
	p := res.Problems
	if p.Lost > 0 {
		why = append(why, fmt.Sprintf("%d batches lost", p.Lost))
	}
	if p.Unacked > 0 {
		why = append(why, fmt.Sprintf("%d never acknowledged", p.Unacked))
	}
	if p.Rejected > 0 {
		why = append(why, fmt.Sprintf("%d rejected", p.Rejected))
	}
	if p.Gaps > 0 || p.OutOfOrder > 0 {
		why = append(why, fmt.Sprintf("%d gaps, %d out of order", p.Gaps, p.OutOfOrder))
	}
	if p.Disconnects > 0 || p.SendErrors > 0 || p.Overflow > 0 {
		why = append(why, fmt.Sprintf("%d disconnects, %d send errors", p.Disconnects, p.SendErrors))
	}
	if res.Delivery.Samples == 0 {
		why = append(why, "no deliveries measured")
	} else if d := time.Duration(res.Delivery.P99 * float64(time.Millisecond)); d >= goalP99 {
		why = append(why, fmt.Sprintf("delivery p99 %.1f ms ≥ %s", res.Delivery.P99, goalP99))
	}
	if res.Throughput.AckedPerS < 0.95*res.Throughput.OfferedPerS {
		why = append(why, fmt.Sprintf("acknowledged %.1f/s of %.0f/s offered", res.Throughput.AckedPerS, res.Throughput.OfferedPerS))
	}
	atGoal := cfg.editors >= goalEditors && cfg.docs <= goalDocs && cfg.rate >= goalRate
	res.Pass = len(why) == 0
	goal := fmt.Sprintf("goal: %d editors on %d docs at %g batches/s each, p99 < %s, 0 lost", goalEditors, goalDocs, goalRate, goalP99)
	switch {
	case !res.Pass:
		res.Verdict = "FAIL (" + goal + "): " + strings.Join(why, "; ")
	case atGoal:
		res.Verdict = "PASS (" + goal + ")"
	default:
		res.Verdict = "PASS at this load, which is below the goal (" + goal + ")"
	}
}

func mb(b float64) string { return fmt.Sprintf("%.1f MiB", b/(1<<20)) }
func kb(b float64) string { return fmt.Sprintf("%.1f KiB", b/(1<<10)) }

func (res *results) print(w io.Writer) {
	c := res.Config
	fmt.Fprintf(w, "liveload %s: %d editors on %d docs (saas-weekly), %g batches/s each (%s), %gs warm-up + %gs measured\n",
		res.Date, c.Editors, c.Docs, c.Rate, c.Arrivals, c.WarmupS, c.DurationS)
	fmt.Fprintf(w, "server %s, %s; machine %d CPUs (%s), load average %s at start, %s at end\n",
		res.Server, res.Store, res.Machine.CPUs, res.Machine.CPUModel, res.Machine.LoadAvg, res.Machine.LoadEnd)
	fmt.Fprintf(w, "set-up %.1f s, connecting %.1f s, drain waited %.1f s\n\n", c.SetupS, c.ConnectS, c.DrainWaitS)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	t := res.Throughput
	fmt.Fprintf(tw, "throughput\toffered %.0f/s\tsent %.1f/s\tacknowledged %.1f/s\tdeliveries to others %.0f/s\n", t.OfferedPerS, t.SentPerS, t.AckedPerS, t.DeliveriesPS)
	l := res.Delivery
	fmt.Fprintf(tw, "send → seen by each other editor\tp50 %.1f ms\tp95 %.1f ms\tp99 %.1f ms\tmax %.1f ms\t(%d pairs)\n", l.P50, l.P95, l.P99, l.Max, l.Samples)
	a := res.Ack
	fmt.Fprintf(tw, "send → acknowledged\tp50 %.1f ms\tp95 %.1f ms\tp99 %.1f ms\tmax %.1f ms\t(%d batches)\n", a.P50, a.P95, a.P99, a.Max, a.Samples)
	p := res.Problems
	fmt.Fprintf(tw, "lost (acked, not delivered)\t%d batches\t%d deliveries\t\t\n", p.Lost, p.LostDeliveries)
	fmt.Fprintf(tw, "never acknowledged (never written) / rejected\t%d (%d)\t%d\t\t\n", p.Unacked, p.NeverWritten, p.Rejected)
	fmt.Fprintf(tw, "gaps / out of order / duplicates\t%d\t%d\t%d\t\n", p.Gaps, p.OutOfOrder, p.Duplicates)
	fmt.Fprintf(tw, "disconnects / reconnects (still waiting for ready) / resent\t%d\t%d (%d)\t%d\t\n", p.Disconnects, p.Reconnects, p.WaitingReady, p.Resent)
	fmt.Fprintf(tw, "send errors / unknown ops / snapshots after reconnect\t%d\t%d\t%d\t\n", p.SendErrors, p.Unknown, p.Snapshots)
	fmt.Fprintf(tw, "revision messages (checkpoints)\t%d\t%.1f per doc\t\t\n", res.Revisions.Messages, res.Revisions.PerDoc)
	m := res.Memory
	if m.RSSBefore > 0 {
		fmt.Fprintf(tw, "server RSS\tbefore %s\tconnected %s\tend %s\t%s per client\n", mb(float64(m.RSSBefore)), mb(float64(m.RSSAfter)), mb(float64(m.RSSEnd)), kb(m.RSSPerClient))
	}
	if !math.IsNaN(m.HeapBefore) {
		fmt.Fprintf(tw, "server Go heap in use\tbefore %s\tconnected %s\t\t%s per client\n", mb(m.HeapBefore), mb(m.HeapAfter), kb(m.HeapPerClient))
		fmt.Fprintf(tw, "server goroutines\tbefore %.0f\tconnected %.0f\t\t%.1f per client\n", m.GoroutinesBefore, m.GoroutinesAfter, (m.GoroutinesAfter-m.GoroutinesBefore)/float64(c.Editors))
	}
	u := res.CPU
	if u.ServerS >= 0 {
		fmt.Fprintf(tw, "server CPU (measured period)\t%.1f s\t%.2f cores\t%.2f ms per batch\t\n", u.ServerS, u.ServerCores, u.ServerMsPerB)
	}
	fmt.Fprintf(tw, "load generator CPU\t%.1f s\t%.2f cores\twrite max %.1f ms\tschedule late max %.1f ms\n", u.LoadgenS, u.LoadgenCores, u.SendMaxMs, u.LateMaxMs)
	tw.Flush()
	if len(p.Messages) > 0 {
		fmt.Fprintln(w, "\nmessages:")
		for _, k := range slices.Sorted(maps.Keys(p.Messages)) {
			fmt.Fprintf(w, "  %6d  %s\n", p.Messages[k], k)
		}
	}
	if len(p.LostDetail) > 0 {
		fmt.Fprintln(w, "\nlost, by receiver:")
		for _, l := range p.LostDetail {
			fmt.Fprintln(w, "  "+l)
		}
	}
	if len(p.ServerLog) > 0 {
		fmt.Fprintf(w, "server log lines by level: %v\n", p.ServerLog)
	}
	if len(res.ServerMetrics) > 0 {
		fmt.Fprintf(w, "server /metrics at the end: live operations %.0f, rejects %.0f, connections %.0f\n",
			res.ServerMetrics["relsop_live_operations_total"], res.ServerMetrics["relsop_live_rejects_total"], res.ServerMetrics["relsop_live_connections"])
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, res.Verdict)
}
