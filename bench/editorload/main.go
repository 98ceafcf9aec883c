// Command editorload measures how long the browser editor takes to load a
// 40-step SOP, in headless Chromium (Debian's /usr/bin/chromium) driven by
// chromedp:
//
//	go run ./bench/editorload [-n 20] [-warmup 3] [-db sqlite|postgres] [-url URL]
//
// It starts the real server with the embedded app in process on
// 127.0.0.1:0 (a temporary SQLite file, or with -db postgres a new
// database of the server RELSOP_TEST_POSTGRES names), or uses a running
// relsop serve given by -url. It signs up one account over the API,
// creates an SOP from the regulated-healthcare template padded to 40 steps,
// and signs in through the sign-in form in the browser. Then, -warmup times
// unrecorded and -n times recorded, in each of two ways:
//
//   - page load: from about:blank, navigate to /#/sops/{id}; the time runs
//     from the navigation's start (performance.timeOrigin), so it includes
//     the page, its scripts, /api/me and the editor's own requests. The
//     browser cache is on, as for someone who has used the app before (the
//     app's files are served no-cache, so they are revalidated).
//   - in the app: from the library (#/), set location.hash to #/sops/{id},
//     as a click on an SOP does; the time runs from the hash change.
//
// Loaded means: the diagram's SVG is in the page with its steps
// (#editor .diagram-stage svg g.node[data-id]) and the side panel is drawn
// (#inspector #sop-title, which the editor draws after the diagram). A
// MutationObserver installed before the app's scripts run takes the time
// in the page, so the polling of the browser over the DevTools protocol
// adds nothing to it. The editor's requests are timed too (Resource
// Timing), to say where the time goes. It reports min, median, p95 and max.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/relsop/relsop/bench/internal/browser"
	"github.com/relsop/relsop/bench/internal/host"
	"github.com/relsop/relsop/bench/internal/wsbench"
	"github.com/relsop/relsop/web"
)

// probe records, in the page, when the editor has loaded.
const probe = `(() => {
  const loaded = () => document.querySelector('#editor .diagram-stage svg g.node[data-id]') && document.querySelector('#inspector #sop-title');
  const check = () => {
    if (window.__relsopReady !== undefined || !location.hash.startsWith('#/sops/')) return;
    if (loaded()) { window.__relsopReady = performance.now(); obs.disconnect(); }
  };
  const obs = new MutationObserver(check);
  obs.observe(document, {childList: true, subtree: true});
  window.__relsopArm = () => { window.__relsopReady = undefined; obs.observe(document, {childList: true, subtree: true}); };
})();`

// result is what the page reports after a load: the time it was loaded
// and the editor's requests (path → start and end, ms since the start).
const result = `window.__relsopReady !== undefined && (() => {
  const t0 = window.__relsopStart || 0;
  const req = {};
  for (const e of performance.getEntriesByType('resource')) {
    const u = new URL(e.name);
    if (!u.pathname.startsWith('/api/') || e.startTime < t0) continue;
    const key = u.pathname.replace(/\/\d+/g, '/{id}') + (u.search ? u.search.replace(/=\d+/g, '=N') : '');
    req[key] = [e.startTime - t0, e.responseEnd - t0];
  }
  const nav = performance.getEntriesByType('navigation')[0];
  return {ready: window.__relsopReady - t0, dcl: t0 ? 0 : (nav ? nav.domContentLoadedEventEnd : 0), requests: req};
})()`

type sample struct {
	Ready    float64               `json:"ready"`
	DCL      float64               `json:"dcl"`
	Requests map[string][2]float64 `json:"requests"`
}

func main() {
	n := flag.Int("n", 20, "recorded loads of each kind")
	warmup := flag.Int("warmup", 3, "unrecorded loads of each kind first")
	db := flag.String("db", "sqlite", "the in-process server's store: sqlite or postgres (RELSOP_TEST_POSTGRES)")
	base := flag.String("url", "", "a running relsop serve (default: start one in process)")
	chromium := flag.String("chromium", "/usr/bin/chromium", "the Chromium to drive")
	flag.Parse()
	if err := run(*base, *db, *chromium, *n, *warmup); err != nil {
		fmt.Fprintln(os.Stderr, "editorload:", err)
		os.Exit(1)
	}
}

func run(base, db, chromium string, n, warmup int) error {
	ctx := context.Background()
	where := base
	if base == "" {
		srv, err := wsbench.Start(ctx, db, web.Assets())
		if err != nil {
			return err
		}
		defer srv.Close()
		base, where = srv.URL, "in process, "+srv.Store
	}
	base = strings.TrimRight(base, "/")
	fmt.Printf("server: %s (%s)\n", base, where)

	email := fmt.Sprintf("editor-%d@bench.example.com", time.Now().UnixNano())
	c, err := wsbench.NewClient(ctx, base)
	if err != nil {
		return err
	}
	ws, err := c.SignUp(ctx, email, "Editor Bench")
	if err != nil {
		return err
	}
	doc, m, err := c.CreateSOP(ctx, ws)
	if err != nil {
		return err
	}
	fmt.Printf("SOP %d: %d steps (%s), revision %d\n", doc.ID, len(m.Steps), wsbench.Template, doc.Revision)

	br, err := browser.Start(ctx, chromium)
	if err != nil {
		return err
	}
	defer br.Close()
	fmt.Printf("browser: %s\n", br.Version)
	bctx := br.Ctx
	timeout := func() (context.Context, context.CancelFunc) { return context.WithTimeout(bctx, 60*time.Second) }

	tctx, tcancel := timeout()
	defer tcancel()
	if _, err := chromedp.Call(tctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: probe}); err != nil {
		return fmt.Errorf("start chromium: %w", err)
	}
	// Sign in through the form, as a person does.
	if err := chromedp.Do(tctx,
		chromedp.Navigate(base+"/#/signin"),
		chromedp.WaitVisible(chromedp.CSS(`#signin-form input[name=email]`)),
		chromedp.SendKeys(chromedp.CSS(`#signin-form input[name=email]`), email),
		chromedp.SendKeys(chromedp.CSS(`#signin-form input[name=password]`), wsbench.Password),
		chromedp.Click(chromedp.CSS(`#signin-form button[type=submit]`)),
	); err != nil {
		return fmt.Errorf("sign in: %w", err)
	}
	if _, err := chromedp.Run(tctx, chromedp.Poll[any](`document.querySelector('#sop-list[aria-busy=false]') && document.querySelector('#nav .who')`)); err != nil {
		return fmt.Errorf("sign in: the library did not show: %w", err)
	}

	target := fmt.Sprintf("%s/#/sops/%d", base, doc.ID)
	pageLoad := func() (sample, error) {
		ctx, cancel := timeout()
		defer cancel()
		if err := chromedp.Do(ctx, chromedp.Navigate("about:blank"), chromedp.Navigate(target)); err != nil {
			return sample{}, err
		}
		return chromedp.Run(ctx, chromedp.Poll[sample](result, chromedp.WithPollingTimeout(30*time.Second)))
	}
	inApp := func() (sample, error) {
		ctx, cancel := timeout()
		defer cancel()
		if err := chromedp.Do(ctx, chromedp.Navigate(base+"/#/")); err != nil {
			return sample{}, err
		}
		if _, err := chromedp.Run(ctx, chromedp.Poll[any](`document.querySelector('#sop-list[aria-busy=false]')`)); err != nil {
			return sample{}, fmt.Errorf("library: %w", err)
		}
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](fmt.Sprintf(`(() => {
			performance.clearResourceTimings();
			window.__relsopArm();
			window.__relsopStart = performance.now();
			location.hash = '#/sops/%d';
			return true;
		})()`, doc.ID))); err != nil {
			return sample{}, err
		}
		return chromedp.Run(ctx, chromedp.Poll[sample](result, chromedp.WithPollingTimeout(30*time.Second)))
	}

	kinds := []struct {
		name string
		load func() (sample, error)
	}{{"page load", pageLoad}, {"in the app", inApp}}
	all := make([][]sample, len(kinds))
	fmt.Printf("%d warm-up and %d recorded loads of each kind, alternating; load average at start: %s\n", warmup, n, host.LoadAvg())
	for i := range warmup + n {
		for k, kind := range kinds {
			s, err := kind.load()
			if err != nil {
				return fmt.Errorf("%s %d: %w", kind.name, i, err)
			}
			if i >= warmup {
				all[k] = append(all[k], s)
			}
		}
	}
	fmt.Printf("load average at end: %s\n\n", host.LoadAvg())

	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "editor loaded\tn\tmin ms\tmedian ms\tp95 ms\tmax ms\t")
	for k, kind := range kinds {
		var ready []float64
		for _, s := range all[k] {
			ready = append(ready, s.Ready)
		}
		row(tw, kind.name, ready)
	}
	tw.Flush()

	// Where the time goes: each request's end, and its own duration, as
	// medians over the recorded loads.
	for k, kind := range kinds {
		fmt.Printf("\n%s, medians (ms from the start):\n", kind.name)
		tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "\tstarts\tends\ttakes\t")
		if k == 0 {
			var dcl []float64
			for _, s := range all[k] {
				dcl = append(dcl, s.DCL)
			}
			fmt.Fprintf(tw, "DOMContentLoaded\t\t%.1f\t\t\n", median(dcl))
		}
		var keys []string
		for _, s := range all[k] {
			for key := range s.Requests {
				if !slices.Contains(keys, key) {
					keys = append(keys, key)
				}
			}
		}
		starts := map[string][]float64{}
		ends := map[string][]float64{}
		takes := map[string][]float64{}
		for _, s := range all[k] {
			for key, se := range s.Requests {
				starts[key] = append(starts[key], se[0])
				ends[key] = append(ends[key], se[1])
				takes[key] = append(takes[key], se[1]-se[0])
			}
		}
		slices.SortFunc(keys, func(a, b string) int {
			return int(median(starts[a])*1000 - median(starts[b])*1000)
		})
		for _, key := range keys {
			fmt.Fprintf(tw, "%s\t%.1f\t%.1f\t%.1f\t\n", key, median(starts[key]), median(ends[key]), median(takes[key]))
		}
		var ready []float64
		for _, s := range all[k] {
			ready = append(ready, s.Ready)
		}
		fmt.Fprintf(tw, "loaded (diagram and side panel)\t\t%.1f\t\t\n", median(ready))
		tw.Flush()
	}
	return nil
}

func row(tw *tabwriter.Writer, name string, v []float64) {
	s := slices.Sorted(slices.Values(v))
	fmt.Fprintf(tw, "%s\t%d\t%.1f\t%.1f\t%.1f\t%.1f\t\n", name, len(s), s[0], median(s), pct(s, 95), s[len(s)-1])
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(v))
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// pct is the p-th percentile of sorted v (nearest rank).
func pct(s []float64, p float64) float64 {
	i := int(float64(len(s))*p/100+0.999999) - 1
	return s[max(0, min(i, len(s)-1))]
}
