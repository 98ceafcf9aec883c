// The run: the shared state of the load and the sequence of it — start
// the server, set up, connect, measure memory, load, drain, tally.

package main

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"

	"github.com/relsop/relsop/bench/internal/host"
)

// runState is the shared state of the load.
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

func run(ctx context.Context, cfg config) (*results, error) {
	res := &results{Date: time.Now().UTC().Format(time.RFC3339)}
	res.Machine.CPUs, res.Machine.CPUModel, res.Machine.LoadAvg = runtime.NumCPU(), host.CPUModel(), host.LoadAvg()
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
	err = inParallel(len(r.editors), 8, func(i int) error {
		e := r.editors[i]
		conn, err := r.dial(e, 0)
		if err != nil {
			close(e.done)
			return err
		}
		e.conn = conn
		go r.session(e, conn)
		select {
		case <-e.ready:
			return nil
		case <-time.After(30 * time.Second):
			return fmt.Errorf("editor %d: no ready within 30 s", i)
		}
	})
	defer r.closeAll()
	if err != nil {
		return nil, err
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
		srvCPU0, ownCPU0 = srv.cpu(), host.OwnCPU()
		close(cpuMark)
	}()
	loadDone := make(chan struct{})
	go func() { r.load(ctx, tEnd); close(loadDone) }()
	<-loadDone
	<-cpuMark
	srvCPU, own := srv.cpu()-srvCPU0, host.OwnCPU()-ownCPU0
	measured := r.now() - tStart
	c.MeasuredS = measured.Seconds()
	res.Machine.LoadEnd = host.LoadAvg()

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
