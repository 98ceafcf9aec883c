// Package headless finds and configures the headless Chromium that the
// browser tests and benchmarks drive (Debian's /usr/bin/chromium, or
// chromium on the PATH), so that all of them run it the same way.
package headless

import (
	"errors"
	"os"
	"os/exec"

	"github.com/chromedp/chromedp"
)

// ErrNoChromium says where Chromium comes from when it is missing.
var ErrNoChromium = errors.New("chromium is not installed (apt-get install chromium)")

// Find returns path when it exists, else the chromium on the PATH.
func Find(path string) (string, error) {
	if path != "" {
		if _, err := os.Stat(path); err == nil {
			return path, nil
		}
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p, nil
	}
	return "", ErrNoChromium
}

// Options are the flags Chromium at path runs with, its profile in
// dataDir: headless, no sandbox (the tests run as root in containers), no
// GPU, and none of the background traffic a first run would start.
func Options(path, dataDir string) []chromedp.ExecAllocatorOption {
	return []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(dataDir),
		chromedp.WindowSize(1400, 900),
	}
}
