// Command relsop keeps release SOPs as checked, formatted YAML models.
package main

import (
	"os"
	"runtime/debug"

	"github.com/relsop/relsop/internal/cli"
)

func main() {
	// A relsop command lives for milliseconds and allocates a few MB: with
	// the default GOGC of 100 the collector ran two or three times while
	// drawing a template, a third of the process's time. 400 lets a
	// template-sized command finish without a collection (the first starts
	// at a 16 MB heap) and still bounds the heap of a 1,000-step SOP. GOGC
	// set in the environment wins.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	os.Exit(cli.Run())
}
