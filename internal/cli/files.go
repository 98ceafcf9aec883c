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
	var r io.Reader
	name = path
	if path == "-" {
		name, r = stdinName, env.Stdin
	} else {
		f, err := os.Open(path)
		if err != nil {
			return name, nil, usageError("cannot read %s: %v", path, unwrapPathError(err))
		}
		defer f.Close()
		if fi, err := f.Stat(); err == nil && fi.IsDir() {
			return name, nil, fmt.Errorf("%s is a directory; name the *.sop.yaml files in it", path)
		}
		r = f
	}
	src, err = io.ReadAll(io.LimitReader(r, syntax.MaxFileSize+1))
	if err != nil {
		return name, nil, usageError("cannot read %s: %v", name, err)
	}
	return name, src, nil
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
