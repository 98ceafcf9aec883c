package cli

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// renderFiles draws several SOPs into the folder fl.out, one diagram per
// file, named after it. The files are drawn on every core, but their
// messages, progress lines and files come out in the order given, as if
// drawn one after another. A file that cannot be read or drawn is
// reported and the others are still drawn; the exit code then says that
// something failed.
func renderFiles(env *Env, files []string, format string, fl renderFlags) error {
	if fl.out == "" || fl.out == "-" {
		return usageError("with several files, -o must name a folder for the diagrams")
	}
	outs, err := outputNames(files, fl.out, format)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(fl.out, 0o755); err != nil {
		return fmt.Errorf("cannot create %s: %w", fl.out, err)
	}
	type drawn struct {
		data   []byte
		stderr bytes.Buffer // the file's own messages, printed in turn
		err    error
	}
	workers := runtime.GOMAXPROCS(0)
	if format == "png" {
		// A PNG holds its whole image in memory while drawn (up to 400 MB)
		// and compresses on every core itself: two at a time is enough.
		workers = min(workers, 2)
	}
	failed := false
	var writeErr error
	inOrder(len(files), workers,
		func(i int) *drawn {
			r := &drawn{}
			own := *env
			own.Stderr = &r.stderr
			r.data, r.err = renderFile(&own, files[i], format, fl)
			return r
		},
		func(i int, r *drawn) bool {
			env.Stderr.Write(r.stderr.Bytes())
			var ee *exitError
			switch {
			case errors.As(r.err, &ee):
				failed = true
				return true
			case r.err != nil:
				fmt.Fprintf(env.Stderr, "relsop: %v\n", r.err)
				failed = true
				return true
			}
			if writeErr = writeOutput(env, outs[i], r.data); writeErr != nil {
				return false
			}
			if env.IsTerminal {
				fmt.Fprintf(env.Stderr, "[%d/%d] %s -> %s\n", i+1, len(files), files[i], outs[i])
			}
			return true
		})
	if writeErr != nil {
		return writeErr
	}
	if failed {
		return exit(ExitUsage)
	}
	return nil
}

// outputNames names each file's diagram in the folder dir: the file's
// name without .sop.yaml, with the format as extension. Two inputs with
// the same name (from different folders) would overwrite each other's
// diagram, so that is refused before anything is drawn.
func outputNames(files []string, dir, format string) ([]string, error) {
	outs := make([]string, len(files))
	from := map[string]string{}
	for i, path := range files {
		base := strings.TrimSuffix(strings.TrimSuffix(filepath.Base(path), ".yaml"), ".sop")
		outs[i] = filepath.Join(dir, base+"."+format)
		if other, ok := from[outs[i]]; ok && other != path {
			return nil, usageError("%s and %s would both be drawn to %s; render them in separate runs or rename one", other, path, outs[i])
		}
		from[outs[i]] = path
	}
	return outs, nil
}
