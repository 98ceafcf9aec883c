package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/compile"
	"github.com/relsop/relsop/internal/report"
	"github.com/relsop/relsop/internal/syntax"
)

// stdinName is how standard input is named in messages.
const stdinName = "<stdin>"

// readInput reads a file, or standard input for "-", refusing anything
// larger than an SOP may be before reading it all into memory.
func readInput(env *Env, path string) (name string, src []byte, err error) {
	if path != "-" {
		src, err = readFile(path, syntax.MaxFileSize, "", fmt.Errorf("%s is a directory; name the *.sop.yaml files in it", path))
		return path, src, err
	}
	src, err = io.ReadAll(io.LimitReader(env.Stdin, syntax.MaxFileSize+1))
	if err != nil {
		return stdinName, nil, usageError("cannot read %s: %v", stdinName, err)
	}
	return stdinName, src, nil
}

// readFile reads at most limit+1 bytes of a file, so that the caller's
// parser can say the file is too large without it all being in memory.
// missing is added to the message of a file that does not exist, and
// isDir is the error for a folder.
func readFile(path string, limit int64, missing string, isDir error) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			missing = ""
		}
		return nil, usageError("cannot read %s: %v%s", path, unwrapPathError(err), missing)
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.IsDir() {
		return nil, isDir
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, usageError("cannot read %s: %v", path, err)
	}
	return data, nil
}

func unwrapPathError(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

// loaded is one input file after compile.
type loaded struct {
	name   string
	src    []byte
	result compile.Result
}

// load reads and compiles a file, and gives its errors the file name and a
// source excerpt.
func load(env *Env, path string) (*loaded, error) {
	name, src, err := readInput(env, path)
	if err != nil {
		return nil, err
	}
	l := &loaded{name: name, src: src, result: compile.Load(src)}
	l.result.Errors = l.locate(l.result.Errors)
	return l, nil
}

// locate fills in the file name and excerpt of findings.
func (l *loaded) locate(fs []relsop.Finding) []relsop.Finding {
	if len(fs) == 0 {
		return fs
	}
	ex := report.NewExcerpter(l.src)
	for i := range fs {
		fs[i].File = l.name
		if fs[i].Excerpt == "" {
			fs[i].Excerpt = ex.Excerpt(fs[i].Pos)
		}
	}
	return fs
}

// reportErrors prints load errors (already located) to standard error.
func reportErrors(env *Env, errs []relsop.Finding) {
	report.Text(env.Stderr, errs, report.Style{Color: env.IsTerminal})
}

// writeOutput writes a diagram to the file out, or to standard output when
// out is empty or "-".
func writeOutput(env *Env, out string, data []byte) error {
	if out == "" || out == "-" {
		_, err := env.Stdout.Write(data)
		return err
	}
	if err := os.WriteFile(out, data, 0o644); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return usageError("cannot write %s: the folder %s does not exist; create it first", out, filepath.Dir(out))
		}
		return usageError("cannot write %s: %v", out, unwrapPathError(err))
	}
	return nil
}
