// Command serveload is a load generator for the workspace (relsop serve):
// N people, each in their own browser session and with their own 40-step
// SOP, open and save in the editor at once for a while, and it reports the
// latency of each action and request (count, throughput, p50, p95, p99,
// max, errors; 409 conflicts counted apart).
//
//	go run ./bench/serveload [-users 50] [-duration 30s] [-db sqlite|postgres] [-url URL]
//
// By default it starts the real server in process (server.New over
// workspace.New) on 127.0.0.1:0 with a temporary SQLite file, or, with
// -db postgres, on a new database of the server RELSOP_TEST_POSTGRES names
// (dropped at the end). With -url it drives a running relsop serve
// instead (it signs up -users new accounts there).
//
// Set-up, over HTTP as a browser does (cookies and X-CSRF-Token): each
// user signs up and creates an SOP from the regulated-healthcare template
// (37 steps) padded to 40 with add_step. Then every user loops, after a
// think time drawn uniformly from [-think-min, -think-max] (seeded):
//
//   - open, with probability opens/(opens+1) (-opens 4: 4 opens to 1 save):
//     what the editor requests on load, in its order: GET /api/sops/{id},
//     GET /api/sops/{id}/export?format=json, GET /api/sops/{id}/diagram.svg,
//     GET /api/sops/{id}/comments;
//   - save, otherwise: POST /api/sops/{id}/ops renaming a step, with the
//     revision last seen, then the editor's refresh after a save: GET
//     /api/sops/{id}, GET export?format=json, GET diagram.svg.
//
// The action rows time the whole sequence; the request rows each request.
// Any answer other than 2xx is an error; 409s are counted apart and are
// expected only when users share SOPs (-per-sop > 1), in which case the
// user reloads the document and goes on. It exits 1 when a request failed
// unexpectedly. -cpuprofile writes a CPU profile of the measured period
// (server and load generator are one process unless -url is given).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/relsop/relsop/bench/internal/host"
	"github.com/relsop/relsop/bench/internal/wsbench"
)

type config struct {
	url        string
	users      int
	perSOP     int
	duration   time.Duration
	db         string
	thinkMin   time.Duration
	thinkMax   time.Duration
	opens      int
	seed       uint64
	cpuprofile string
}

func main() {
	var cfg config
	flag.StringVar(&cfg.url, "url", "", "a running relsop serve to load (default: start one in process)")
	flag.IntVar(&cfg.users, "users", 50, "concurrent users")
	flag.IntVar(&cfg.perSOP, "per-sop", 1, "users editing each SOP (more than 1 makes 409 conflicts)")
	flag.DurationVar(&cfg.duration, "duration", 30*time.Second, "how long to run the load")
	flag.StringVar(&cfg.db, "db", "sqlite", "the in-process server's store: sqlite or postgres (RELSOP_TEST_POSTGRES)")
	flag.DurationVar(&cfg.thinkMin, "think-min", 100*time.Millisecond, "shortest think time before an action")
	flag.DurationVar(&cfg.thinkMax, "think-max", 500*time.Millisecond, "longest think time before an action")
	flag.IntVar(&cfg.opens, "opens", 4, "opens per save")
	flag.Uint64Var(&cfg.seed, "seed", 1, "seed of the think times and the choice of action")
	flag.StringVar(&cfg.cpuprofile, "cpuprofile", "", "write a CPU profile of the measured period to this file")
	flag.Parse()
	if cfg.users < 1 || cfg.perSOP < 1 || cfg.opens < 0 || cfg.thinkMax < cfg.thinkMin || cfg.duration <= 0 {
		fmt.Fprintln(os.Stderr, "serveload: -users and -per-sop must be at least 1, -opens at least 0, -think-max at least -think-min, -duration positive")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	failed, err := run(ctx, cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "serveload:", err)
		os.Exit(1)
	}
	if failed {
		os.Exit(1)
	}
}

// user is one person in one browser, on one SOP.
type user struct {
	c     *wsbench.Client
	sop   int64
	rev   int
	step  wsbench.Step // the step it renames
	saves int
	rng   *rand.Rand
}

func run(ctx context.Context, cfg config) (failed bool, err error) {
	base := cfg.url
	where := base
	if base == "" {
		srv, err := wsbench.Start(ctx, cfg.db, nil)
		if err != nil {
			return false, err
		}
		defer srv.Close()
		base, where = srv.URL, "in process, "+srv.Store
	}
	fmt.Printf("server: %s (%s)\n", base, where)
	fmt.Printf("machine: %d CPUs, GOMAXPROCS %d, load average before set-up: %s\n", runtime.NumCPU(), runtime.GOMAXPROCS(0), host.LoadAvg())

	users, err := setUp(ctx, base, cfg)
	if err != nil {
		return false, err
	}
	fmt.Printf("set up %d users on %d SOPs of %d steps (%s)\n", len(users), (len(users)+cfg.perSOP-1)/cfg.perSOP, wsbench.Steps, wsbench.Template)
	fmt.Printf("load: %d users for %s, think %s–%s, %d opens : 1 save, seed %d; load average at start: %s\n",
		cfg.users, cfg.duration, cfg.thinkMin, cfg.thinkMax, cfg.opens, cfg.seed, host.LoadAvg())

	if cfg.cpuprofile != "" {
		f, err := os.Create(cfg.cpuprofile)
		if err != nil {
			return false, err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return false, err
		}
		defer pprof.StopCPUProfile()
	}

	rec := newRecorder()
	cpu0 := host.OwnCPU()
	runCtx, cancel := context.WithTimeout(ctx, cfg.duration)
	defer cancel()
	start := time.Now()
	var wg sync.WaitGroup
	for _, u := range users {
		wg.Go(func() { u.loop(runCtx, cfg, rec) })
	}
	wg.Wait()
	elapsed := time.Since(start)
	cpu := host.OwnCPU() - cpu0
	fmt.Printf("ran %s; load average at end: %s\n", elapsed.Round(time.Millisecond), host.LoadAvg())
	actions := rec.count("open (editor load)") + rec.count("save (ops + refresh)")
	fmt.Printf("CPU of this process (server and clients unless -url): %.1f s, %.2f cores on average, %.1f ms per action\n\n",
		cpu.Seconds(), cpu.Seconds()/elapsed.Seconds(), float64(cpu)/float64(time.Millisecond)/float64(max(1, actions)))
	return rec.report(os.Stdout, elapsed, cfg.perSOP > 1), nil
}

// setUp signs up the users, a few at a time (password hashing is
// deliberately slow), and gives each group of perSOP users an SOP.
func setUp(ctx context.Context, base string, cfg config) ([]*user, error) {
	users := make([]*user, cfg.users)
	errs := make([]error, cfg.users)
	stamp := time.Now().UnixNano()
	// The first of each group makes the SOP and invites the others.
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.NumCPU())
	for i := range users {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			c, err := wsbench.NewClient(ctx, base)
			if err != nil {
				errs[i] = err
				return
			}
			if _, err := c.SignUp(ctx, fmt.Sprintf("user%d-%d@bench.example.com", i, stamp), fmt.Sprintf("User %d", i)); err != nil {
				errs[i] = fmt.Errorf("sign up user %d: %w", i, err)
				return
			}
			users[i] = &user{c: c, rng: rand.New(rand.NewPCG(cfg.seed, uint64(i)))}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	for g := 0; g < len(users); g += cfg.perSOP {
		owner := users[g]
		var me struct {
			Workspaces []struct {
				ID int64 `json:"id"`
			} `json:"workspaces"`
		}
		if _, err := owner.c.Call(ctx, "GET", "/api/me", nil, &me); err != nil {
			return nil, err
		}
		ws := me.Workspaces[0].ID
		d, m, err := owner.c.CreateSOP(ctx, ws)
		if err != nil {
			return nil, fmt.Errorf("create the SOP of user %d: %w", g, err)
		}
		if len(m.Steps) != wsbench.Steps {
			return nil, fmt.Errorf("the SOP has %d steps, want %d", len(m.Steps), wsbench.Steps)
		}
		var tasks []wsbench.Step
		for _, s := range m.Steps {
			if s.Kind == "" || s.Kind == "task" {
				tasks = append(tasks, s)
			}
		}
		for j := g; j < min(g+cfg.perSOP, len(users)); j++ {
			u := users[j]
			if j > g {
				var inv struct {
					Token string `json:"token"`
				}
				if _, err := owner.c.Call(ctx, "POST", fmt.Sprintf("/api/workspaces/%d/invites", ws), map[string]any{"role": "editor"}, &inv); err != nil {
					return nil, err
				}
				if _, err := u.c.Call(ctx, "POST", "/api/invites/"+inv.Token+"/accept", map[string]any{}, nil); err != nil {
					return nil, err
				}
			}
			u.sop, u.rev, u.step = d.ID, d.Revision, tasks[j%len(tasks)]
		}
	}
	return users, nil
}

func (u *user) loop(ctx context.Context, cfg config, rec *recorder) {
	for {
		think := cfg.thinkMin
		if span := cfg.thinkMax - cfg.thinkMin; span > 0 {
			think += time.Duration(u.rng.Int64N(int64(span)))
		}
		save := u.rng.IntN(cfg.opens+1) == cfg.opens
		select {
		case <-ctx.Done():
			return
		case <-time.After(think):
		}
		if save {
			u.save(ctx, rec)
		} else {
			u.open(ctx, rec)
		}
	}
}

// open requests what the editor requests when it opens an SOP.
func (u *user) open(ctx context.Context, rec *recorder) {
	t0 := time.Now()
	err := u.reload(ctx, rec, true)
	if ctx.Err() == nil {
		rec.add("open (editor load)", time.Since(t0), okStatus(err))
	}
}

// reload is the editor's reload() and redraw(): the document, its model,
// its diagram and, when opening, its comments.
func (u *user) reload(ctx context.Context, rec *recorder, comments bool) error {
	var doc struct {
		Document wsbench.Document `json:"document"`
	}
	id := u.sop
	err := u.request(ctx, rec, "GET /api/sops/{id}", "GET", fmt.Sprintf("/api/sops/%d", id), nil, &doc)
	if err == nil {
		u.rev = doc.Document.Revision
	}
	err = errors.Join(err,
		u.request(ctx, rec, "GET /api/sops/{id}/export?format=json", "GET", fmt.Sprintf("/api/sops/%d/export?format=json", id), nil, nil),
		u.request(ctx, rec, "GET /api/sops/{id}/diagram.svg", "GET", fmt.Sprintf("/api/sops/%d/diagram.svg", id), nil, nil))
	if comments {
		err = errors.Join(err, u.request(ctx, rec, "GET /api/sops/{id}/comments", "GET", fmt.Sprintf("/api/sops/%d/comments", id), nil, nil))
	}
	return err
}

// save renames the user's step and refreshes, as the editor does after a
// change in the side panel.
func (u *user) save(ctx context.Context, rec *recorder) {
	t0 := time.Now()
	u.saves++
	name := fmt.Sprintf("%s (edit %d)", strings.SplitN(u.step.Name, " (edit ", 2)[0], u.saves)
	body := map[string]any{"base_revision": u.rev, "ops": []any{map[string]any{"op": "set", "kind": "step", "id": u.step.ID, "field": "name", "value": name}}}
	err := u.request(ctx, rec, "POST /api/sops/{id}/ops", "POST", fmt.Sprintf("/api/sops/%d/ops", u.sop), body, nil)
	if err == nil || wsbench.IsStatus(err, 409) {
		// After a conflict the editor offers to reload; the user does.
		err = errors.Join(err, u.reload(ctx, rec, false))
	}
	if ctx.Err() == nil {
		rec.add("save (ops + refresh)", time.Since(t0), okStatus(err))
	}
}

func (u *user) request(ctx context.Context, rec *recorder, name, method, path string, body, out any) error {
	t0 := time.Now()
	_, err := u.c.Call(ctx, method, path, body, out)
	d := time.Since(t0)
	if ctx.Err() != nil {
		return err // cut off by the end of the run: not counted
	}
	rec.add(name, d, okStatus(err))
	if err != nil && !wsbench.IsStatus(err, 409) {
		rec.errorf("%v", err)
	}
	return err
}

type outcome int

const (
	ok outcome = iota
	conflict
	failure
)

func okStatus(err error) outcome {
	switch {
	case err == nil:
		return ok
	case wsbench.IsStatus(err, 409):
		return conflict
	default:
		return failure
	}
}

// recorder keeps every latency, by name.
type recorder struct {
	mu     sync.Mutex
	order  []string
	rows   map[string]*row
	errors []string
}

type row struct {
	lat       []time.Duration
	conflicts int
	failures  int
}

func newRecorder() *recorder { return &recorder{rows: map[string]*row{}} }

func (r *recorder) add(name string, d time.Duration, o outcome) {
	r.mu.Lock()
	defer r.mu.Unlock()
	rw := r.rows[name]
	if rw == nil {
		rw = &row{}
		r.rows[name] = rw
		r.order = append(r.order, name)
	}
	switch o {
	case ok:
		rw.lat = append(rw.lat, d)
	case conflict:
		rw.conflicts++
	default:
		rw.failures++
	}
}

func (r *recorder) count(name string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	if rw := r.rows[name]; rw != nil {
		return len(rw.lat) + rw.conflicts + rw.failures
	}
	return 0
}

func (r *recorder) errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.errors) < 10 {
		r.errors = append(r.errors, fmt.Sprintf(format, args...))
	}
}

// report prints the table and says whether anything failed unexpectedly.
func (r *recorder) report(w *os.File, elapsed time.Duration, conflictsExpected bool) (failed bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	names := slices.Clone(r.order)
	rank := func(n string) int {
		if strings.HasPrefix(n, "open") {
			return 0
		}
		if strings.HasPrefix(n, "save") {
			return 1
		}
		return 2
	}
	slices.SortStableFunc(names, func(a, b string) int {
		if d := rank(a) - rank(b); d != 0 {
			return d
		}
		return strings.Compare(a, b)
	})
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "what\tcount\tper s\tp50 ms\tp95 ms\tp99 ms\tmax ms\terrors\t409s\t")
	for _, n := range names {
		rw := r.rows[n]
		lat := rw.lat
		slices.Sort(lat)
		total := len(lat) + rw.conflicts + rw.failures
		fmt.Fprintf(tw, "%s\t%d\t%.1f\t%s\t%s\t%s\t%s\t%d\t%d\t\n", n, total, float64(total)/elapsed.Seconds(),
			ms(pct(lat, 50)), ms(pct(lat, 95)), ms(pct(lat, 99)), ms(pct(lat, 100)), rw.failures, rw.conflicts)
		if rw.failures > 0 || (rw.conflicts > 0 && !conflictsExpected) {
			failed = true
		}
	}
	tw.Flush()
	for _, e := range r.errors {
		fmt.Fprintln(os.Stderr, "error:", e)
	}
	if failed {
		fmt.Fprintln(os.Stderr, "serveload: requests failed")
	}
	return failed
}

// pct is the p-th percentile of sorted (nearest rank); 0 when empty.
func pct(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted))*p/100+0.999999) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f", float64(d)/float64(time.Millisecond)) }
