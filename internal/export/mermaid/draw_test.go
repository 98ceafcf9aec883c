package mermaid

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/relsop/relsop/internal/export/exporttest"
	"github.com/relsop/relsop/internal/export/lanes"
	"github.com/relsop/relsop/internal/headless"
	"github.com/relsop/relsop/internal/testenv"
)

// drawn is what Mermaid drew in the browser: the steps (nodes) and lanes
// (subgraphs) of its SVG, or the error it threw. A lane with no flow in or
// out Mermaid lays out apart and draws as a node holding a cluster, so
// lanes are counted by id, once.
type drawn struct {
	Nodes    int    `json:"nodes"`
	Clusters int    `json:"clusters"`
	Error    string `json:"error"`
}

// TestMermaidDrawsEveryFlow draws the export of every template's flow
// (base and release types) with Mermaid in headless Chromium, where
// Mermaid runs for its users: parsing alone (TestMermaidAcceptsEverySOP) does not
// show that Mermaid's layout accepts the graph, and its dagre layout
// gives up on some lane-clustered graphs (see docs/formats.md).
func TestMermaidDrawsEveryFlow(t *testing.T) {
	bundle, err := os.ReadFile(filepath.Join(exporttest.ToolsJS(t), "node_modules", "mermaid", "dist", "mermaid.min.js"))
	if err != nil {
		t.Fatal(err)
	}
	path, err := headless.Find("/usr/bin/chromium")
	if err != nil {
		testenv.Missing(t, err.Error())
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/mermaid.min.js" {
			w.Header().Set("Content-Type", "text/javascript")
			w.Write(bundle)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!doctype html><html><head><meta charset="utf-8"><script src="/mermaid.min.js"></script></head><body></body></html>`)
	}))
	defer srv.Close()

	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), headless.Options(path, t.TempDir())...)
	defer cancelAlloc()
	tab, cancelTab := chromedp.NewContext(alloc)
	defer cancelTab()
	ctx, cancel := context.WithTimeout(tab, 2*time.Minute)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Navigate(srv.URL+"/")); err != nil {
		t.Fatalf("open the page: %v", err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`typeof mermaid === 'object'`)); err != nil {
		t.Fatalf("load Mermaid: %v", err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](`mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' }), null`)); err != nil {
		t.Fatal(err)
	}

	for i, flow := range exporttest.Flows(t) {
		text, _ := json.Marshal(string(Export(flow.SOP)))
		expr := fmt.Sprintf(`mermaid.render('m%d', %s).then(
			(r) => { const div = document.createElement('div'); div.innerHTML = r.svg;
				const ids = [...div.querySelectorAll('g.node, g.cluster')].map((g) => g.id);
				return { nodes: ids.filter((id) => /-flowchart-s_/.test(id)).length, clusters: new Set(ids.filter((id) => /-lane_\d+$/.test(id))).size }; },
			(e) => ({ error: String(e && e.message || e) }))`, i, text)
		got, err := chromedp.Run(ctx, chromedp.Evaluate[drawn](expr, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("%s: %v", flow.Name, err)
		}
		lanes := len(lanes.Of(flow.SOP))
		switch {
		case got.Error != "":
			t.Errorf("%s: Mermaid cannot draw the export: %s", flow.Name, got.Error)
		case got.Nodes != len(flow.SOP.Steps) || got.Clusters != lanes:
			t.Errorf("%s: Mermaid drew %d nodes in %d subgraphs, want a node per step (%d) in a subgraph per lane (%d)",
				flow.Name, got.Nodes, got.Clusters, len(flow.SOP.Steps), lanes)
		}
	}
}
