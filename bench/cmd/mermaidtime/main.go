// Command mermaidtime times Mermaid drawing flowcharts in headless
// Chromium, where Mermaid runs for its users: for each file, the best of
// -runs calls of mermaid.render (parse, layout and SVG), timed in the page
// with performance.now(), after one untimed call. Loading the browser and
// Mermaid is not timed, so the numbers are Mermaid's drawing alone.
//
//	go run ./bench/cmd/mermaidtime -mermaid tools/js/node_modules/mermaid/dist/mermaid.min.js FILE.mmd...
//
// It prints one line per file: the file, a tab, and the milliseconds, or
// "fail" and why (Mermaid refuses some large graphs). The size limits
// Mermaid sets by default (text and edges) are raised, so that it gets
// every graph relsop draws.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/relsop/relsop/bench/internal/browser"
)

const page = `<!doctype html><html><head><meta charset="utf-8">
<script src="/mermaid.min.js"></script>
<script>mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', maxTextSize: 100000000, maxEdges: 1000000 });</script>
</head><body></body></html>`

// timeIt renders text once untimed, then runs times, and returns the
// fastest in milliseconds.
const timeIt = `(async (text, runs) => {
  let n = 0;
  const once = async () => { const t0 = performance.now(); await mermaid.render('m' + (n++), text); return performance.now() - t0; };
  await once();
  let best = Infinity;
  for (let i = 0; i < runs; i++) best = Math.min(best, await once());
  return best;
})`

func main() {
	script := flag.String("mermaid", "tools/js/node_modules/mermaid/dist/mermaid.min.js", "Mermaid's browser bundle (npm ci in tools/js installs it)")
	runs := flag.Int("runs", 5, "timed renders per file")
	chromium := flag.String("chromium", "/usr/bin/chromium", "the Chromium to drive")
	timeout := flag.Duration("timeout", 5*time.Minute, "the longest one file may take")
	flag.Parse()
	if flag.NArg() == 0 || *runs < 1 {
		fmt.Fprintln(os.Stderr, "usage: mermaidtime [-runs N] [-mermaid mermaid.min.js] FILE.mmd...")
		os.Exit(2)
	}
	if err := run(*script, *chromium, *runs, *timeout, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "mermaidtime:", err)
		os.Exit(1)
	}
}

func run(script, chromium string, runs int, timeout time.Duration, files []string) error {
	bundle, err := os.ReadFile(script)
	if err != nil {
		return fmt.Errorf("%w (run npm ci in tools/js)", err)
	}
	base, stop, err := serve(bundle)
	if err != nil {
		return err
	}
	defer stop()
	br, err := browser.Start(context.Background(), chromium)
	if err != nil {
		return err
	}
	defer br.Close()
	fmt.Fprintf(os.Stderr, "mermaidtime: %s, Mermaid from %s\n", br.Version, script)

	ctx, cancel := context.WithTimeout(br.Ctx, time.Minute)
	_, err = chromedp.Run(ctx, chromedp.Navigate(base+"/"))
	if err == nil {
		_, err = chromedp.Run(ctx, chromedp.Poll[bool](`typeof mermaid === 'object' && typeof mermaid.render === 'function'`))
	}
	cancel()
	if err != nil {
		return fmt.Errorf("load Mermaid: %w", err)
	}
	for _, f := range files {
		text, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		ctx, cancel := context.WithTimeout(br.Ctx, timeout)
		expr := fmt.Sprintf("%s(%s, %d)", timeIt, jsString(string(text)), runs)
		ms, err := chromedp.Run(ctx, chromedp.Evaluate[float64](expr, chromedp.EvalAwaitPromise))
		cancel()
		if err != nil {
			fmt.Printf("%s\tfail: %s\n", filepath.Base(f), oneLine(err.Error()))
			continue
		}
		fmt.Printf("%s\t%.1f\n", filepath.Base(f), ms)
	}
	return nil
}

// serve serves the page and Mermaid's bundle on a loopback port.
func serve(bundle []byte) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(page))
	})
	mux.HandleFunc("/mermaid.min.js", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		w.Write(bundle)
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	return "http://" + ln.Addr().String(), func() { srv.Close() }, nil
}

// jsString quotes s as a JavaScript string literal: a JSON string is one.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 160 {
		s = s[:160] + "…"
	}
	return s
}
