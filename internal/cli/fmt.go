package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/format"
	"github.com/relsop/relsop/internal/report"
	"github.com/relsop/relsop/internal/syntax"
	"github.com/relsop/relsop/internal/textdiff"
	"github.com/spf13/cobra"
)

// fmtOptions are the flags of relsop fmt.
type fmtOptions struct {
	write, check, diff bool
}

func newFmtCmd(env *Env) *cobra.Command {
	var opts fmtOptions
	cmd := &cobra.Command{
		Use:   "fmt [-w] [--check] [--diff] [FILE...]",
		Short: "Format SOP files canonically",
		Long: `fmt rewrites *.sop.yaml files in relsop's one canonical layout, so that
reviews show changes to the procedure, not to its spacing:

  - keys in the order of the format (relsop schema), unknown keys last
  - two-space indentation, list items indented under their key
  - strings quoted only where YAML would misread them, multi-line text as | blocks
  - short lists of references inline ([a, b]), longer ones one item per line
  - a blank line between top-level lists and between steps and release types
  - every comment kept

A file only needs to be valid YAML to be formatted. With no FILE, or "-",
fmt reads standard input and writes the result to standard output. With
FILEs and no flags it writes each formatted file to standard output.

Exit code 0 on success; 1 when --check finds a file that is not formatted;
2 on bad usage or a file that cannot be read or parsed.`,
		Example: `  # Format a file in place
  relsop fmt -w release.sop.yaml

  # In CI: list unformatted files and fail if there are any
  relsop fmt --check *.sop.yaml

  # Show what formatting would change, without changing anything
  relsop fmt --diff release.sop.yaml

  # Format standard input (for an editor)
  relsop fmt < release.sop.yaml`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				args = []string{"-"}
			}
			stdin := 0
			for _, a := range args {
				if a == "-" {
					stdin++
				}
			}
			if opts.write && stdin > 0 {
				return usageError("-w cannot rewrite standard input; name the files to format (see 'relsop fmt --help')")
			}
			if stdin > 1 {
				return usageError(`standard input ("-") can be read only once`)
			}
			code := ExitOK
			for _, path := range args {
				code = max(code, fmtFile(env, path, opts))
			}
			return exit(code)
		},
	}
	f := cmd.Flags()
	f.BoolVarP(&opts.write, "write", "w", false, "rewrite files in place when their formatting changes")
	f.BoolVar(&opts.check, "check", false, "list files that are not formatted and exit 1 if there are any")
	f.BoolVar(&opts.diff, "diff", false, "print a unified diff of the changes instead of the formatted files")
	return cmd
}

// fmtFile formats one file as the options say and returns its exit code;
// problems have been reported on stderr.
func fmtFile(env *Env, path string, opts fmtOptions) int {
	name, src, err := readInput(env, path)
	if err != nil {
		fmt.Fprintf(env.Stderr, "relsop: %v\n", err)
		return ExitUsage
	}
	// Comments are placed by line, and the parser counts CRLF line ends
	// differently from its lexer; the output has LF line ends anyway.
	tree, perr := syntax.Parse(bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n")))
	if perr != nil {
		l := &loaded{name: name, src: src}
		report.Text(env.Stderr, l.locate([]relsop.Finding{*perr}), report.Style{Color: env.IsTerminal})
		return ExitUsage
	}
	out := format.Format(tree)
	if _, perr := syntax.Parse(out); perr != nil {
		// A tree the parser accepts but YAML cannot write back, such as a
		// flow mapping that repeats a key: never replace a file with it.
		fmt.Fprintf(env.Stderr, "relsop: cannot format %s: the result would not parse (%s at %s); fix the file by hand\n", name, perr.Message, perr.Pos)
		return ExitUsage
	}
	changed := !bytes.Equal(src, out)
	switch {
	case opts.diff:
		fmt.Fprint(env.Stdout, textdiff.Unified(name+".orig", name, src, out, 3))
	case opts.check:
		if changed {
			fmt.Fprintln(env.Stdout, name)
		}
	case !opts.write:
		env.Stdout.Write(out)
	}
	if opts.write && changed {
		if err := writeAtomic(path, out); err != nil {
			fmt.Fprintf(env.Stderr, "relsop: cannot write %s: %v\n", name, err)
			return ExitUsage
		}
	}
	if opts.check && changed {
		return ExitFindings
	}
	return ExitOK
}

// writeAtomic replaces a file's content by writing a temporary file next
// to it and renaming it over the original, so that a crash or a full disk
// never leaves a half-written SOP. The file keeps its mode, and a symbolic
// link keeps pointing at the file it named.
func writeAtomic(path string, data []byte) (err error) {
	if real, err := filepath.EvalSymlinks(path); err == nil {
		path = real
	}
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(fi.Mode().Perm()); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
