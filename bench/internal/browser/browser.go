// Package browser starts the headless Chromium the browser benchmarks
// drive (Debian's /usr/bin/chromium, or chromium on the PATH), with the
// same flags everywhere, so that their numbers are comparable.
package browser

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"

	"github.com/chromedp/chromedp"

	"github.com/relsop/relsop/internal/headless"
)

// Browser is a running Chromium and the context of its first tab.
type Browser struct {
	Ctx     context.Context // the first tab; chromedp.Run it
	Version string          // what chromium --version printed
	stop    func()
}

// Start starts Chromium at path (or, when path does not exist, the
// chromium on the PATH) with a fresh profile in a temporary folder.
func Start(ctx context.Context, path string) (*Browser, error) {
	path, err := headless.Find(path)
	if err != nil {
		return nil, err
	}
	version, _ := exec.Command(path, "--version").Output()
	dataDir, err := os.MkdirTemp("", "relsop-bench-chromium-")
	if err != nil {
		return nil, err
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, headless.Options(path, dataDir)...)
	tab, cancelTab := chromedp.NewContext(allocCtx)
	b := &Browser{Ctx: tab, Version: strings.TrimSpace(string(version)), stop: func() {
		cancelTab()
		cancelAlloc()
		os.RemoveAll(dataDir)
	}}
	if err := chromedp.Do(tab); err != nil {
		b.Close()
		return nil, fmt.Errorf("start chromium: %w", err)
	}
	return b, nil
}

// Close stops Chromium and removes its profile.
func (b *Browser) Close() { b.stop() }
