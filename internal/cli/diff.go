package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/compile"
	"github.com/relsop/relsop/internal/layout"
	"github.com/relsop/relsop/internal/render/svg"
	"github.com/relsop/relsop/internal/sopdiff"
	"github.com/relsop/relsop/internal/textdiff"
	"github.com/spf13/cobra"
)

// ExitDifferent is relsop diff's exit code when the two SOPs differ, as
// for diff(1); it has the value of ExitFindings.
const ExitDifferent = ExitFindings

// devNull is how git and diff(1) name the missing side of an added or a
// deleted file; it compares as an empty SOP.
const devNull = "/dev/null"

// diffFormats are the outputs of relsop diff.
var diffFormats = []string{"text", "json", "svg"}

type diffFlags struct {
	format, out, typ, theme, direction string
	git                                bool
}

func newDiffCmd(env *Env) *cobra.Command {
	var fl diffFlags
	cmd := &cobra.Command{
		Use:   "diff OLD NEW [--format text|json|svg] [-o OUT] [--type TYPE]",
		Short: "Compare two SOPs by meaning: steps, gates, flows, roles and metadata",
		Long: `diff compares two versions of an SOP element by element rather than line by
line: metadata fields, roles, phases, environments, steps and gates, flows and
release types added (+), removed (-) or changed (~, with each field's old and new
value). Elements are matched by id. Formatting and comments do not count.

  text  one line per difference, for people and code review
  json  the same as data: {"metadata": [...], "changes": [...]}
  svg   NEW's diagram with added steps and flows in green, changed steps in amber,
        and removed steps as dashed red ghosts in a panel below the legend

The format is taken from the extension of -o when --format is not given. With
--type both files' resolved flows for that release type are compared. /dev/null
stands for an empty SOP (a file added or deleted).

Exit code 0 when the SOPs mean the same, 1 when they differ (as diff(1)), 2 when
a file cannot be read or loaded (its findings are printed) or on bad usage.

As a git diff driver (docs/diff.md):
  git config diff.relsop.command 'relsop diff --git'
  echo '*.sop.yaml diff=relsop' >> .gitattributes
git then calls relsop diff --git with its seven arguments (path old-file old-hex
old-mode new-file new-hex new-mode) and shows the text diff under a header naming
the path. In this mode the exit code is 0 whenever relsop could compare, because
git stops at any other, and a revision that does not load is shown as a line diff
after its findings.`,
		Example: `  relsop diff old.sop.yaml release.sop.yaml
  relsop diff old.sop.yaml release.sop.yaml --format json
  relsop diff old.sop.yaml release.sop.yaml -o changes.svg
  relsop diff old.sop.yaml release.sop.yaml --type emergency
  git show HEAD~1:release.sop.yaml | relsop diff - release.sop.yaml`,
		Args: func(cmd *cobra.Command, args []string) error {
			if fl.git {
				return nil // checked by runGitDiff, which knows git's conventions
			}
			return argsUsage(cobra.ExactArgs(2))(cmd, args)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if fl.git {
				return runGitDiff(env, fl, args)
			}
			return runDiff(env, fl, args[0], args[1])
		},
	}
	f := cmd.Flags()
	f.StringVar(&fl.format, "format", "", "text, json or svg (default: from the -o extension, else text)")
	f.StringVarP(&fl.out, "output", "o", "", "output file (default: standard output)")
	f.StringVar(&fl.typ, "type", "", "compare this release type's resolved flows (default: the base flows)")
	f.StringVar(&fl.theme, "theme", "light", "svg: light, dark or print")
	f.StringVar(&fl.direction, "direction", "horizontal", "svg: horizontal or vertical")
	f.BoolVar(&fl.git, "git", false, "take git's external diff arguments (path old-file old-hex old-mode new-file new-hex new-mode)")
	cmd.RegisterFlagCompletionFunc("format", fixedCompletions(diffFormats...))
	cmd.RegisterFlagCompletionFunc("theme", fixedCompletions(svg.Themes()...))
	cmd.RegisterFlagCompletionFunc("direction", fixedCompletions(layout.Directions...))
	return cmd
}

func runDiff(env *Env, fl diffFlags, oldPath, newPath string) error {
	format := fl.format
	if format == "" {
		format = "text"
		switch ext := strings.ToLower(strings.TrimPrefix(filepath.Ext(fl.out), ".")); ext {
		case "json", "svg":
			format = ext
		}
	}
	if !contains(diffFormats, format) {
		return usageError("--format must be one of %s, not %q", strings.Join(diffFormats, ", "), format)
	}
	if !contains(svg.Themes(), fl.theme) {
		return usageError("--theme must be one of %s, not %q", strings.Join(svg.Themes(), ", "), fl.theme)
	}
	if err := checkDirection(fl.direction); err != nil {
		return err
	}
	if oldPath == "-" && newPath == "-" {
		return usageError("only one of the two files can be standard input")
	}
	a, errA := loadDiffSide(env, oldPath, "", fl.typ)
	b, errB := loadDiffSide(env, newPath, "", fl.typ)
	if errA != nil || errB != nil {
		return firstError(errA, errB)
	}
	d := sopdiff.Compare(a, b)
	var data []byte
	switch format {
	case "json":
		j, err := json.MarshalIndent(d, "", "  ")
		if err != nil {
			return err
		}
		data = append(j, '\n')
	case "svg":
		s, err := sopdiff.SVG(a, b, sopdiff.Options{Theme: fl.theme, Direction: fl.direction})
		if err != nil {
			return usageError("%v", err)
		}
		data = s
	default:
		text := d.Text()
		if env.IsTerminal && (fl.out == "" || fl.out == "-") {
			text = colorDiff(text)
		}
		data = []byte(text)
	}
	if err := writeOutput(env, fl.out, data); err != nil {
		return err
	}
	if d.Empty() {
		return nil
	}
	return exit(ExitDifferent)
}

// firstError returns the first of errs that still has a message to print,
// or exit code 2 when each side's findings have been printed already.
func firstError(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			var ee *exitError
			if errors.As(err, &ee) {
				continue
			}
			return err
		}
	}
	return exit(ExitUsage)
}

// loadDiffSide loads one of the two SOPs and resolves the release type;
// /dev/null is an empty SOP. name is how findings name the file ("" for
// its path). Findings are printed and become exit code 2.
func loadDiffSide(env *Env, path, name, typ string) (*relsop.SOP, error) {
	if path == devNull {
		return &relsop.SOP{}, nil
	}
	l, err := loadNamed(env, path, name)
	if err != nil {
		return nil, err
	}
	if len(l.result.Errors) > 0 || l.result.SOP == nil {
		reportErrors(env, l.result.Errors)
		return nil, exit(ExitUsage)
	}
	if typ == "" {
		return l.result.SOP, nil // the base flow and the release types
	}
	flow, err := l.result.SOP.Resolve(typ)
	if err != nil {
		return nil, usageError("%s: %v", l.name, err)
	}
	return flow, nil
}

// loadNamed is load with the file called name in findings.
func loadNamed(env *Env, path, name string) (*loaded, error) {
	if name == "" {
		return load(env, path)
	}
	_, src, err := readInput(env, path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	l := &loaded{name: name, src: src, result: compile.Load(src)}
	l.result.Errors = l.locate(l.result.Errors)
	return l, nil
}

// colorDiff colours a text diff for a terminal: additions green, removals
// red, changes yellow.
func colorDiff(text string) string {
	lines := strings.SplitAfter(text, "\n")
	for i, l := range lines {
		code := ""
		switch {
		case strings.HasPrefix(l, "+ "):
			code = "32"
		case strings.HasPrefix(l, "- "):
			code = "31"
		case strings.HasPrefix(l, "~ "):
			code = "33"
		}
		if code != "" {
			body := strings.TrimSuffix(l, "\n")
			lines[i] = "\x1b[" + code + "m" + body + "\x1b[0m" + l[len(body):]
		}
	}
	return strings.Join(lines, "")
}

// runGitDiff is relsop diff as git's external diff driver. git passes
// path old-file old-hex old-mode new-file new-hex new-mode, two more
// (new path and a rename message) for a rename, and the path alone for
// an unmerged file.
func runGitDiff(env *Env, fl diffFlags, args []string) error {
	if fl.format != "" && fl.format != "text" {
		return usageError("--git writes the text format, not %q", fl.format)
	}
	switch len(args) {
	case 1:
		fmt.Fprintf(env.Stdout, "* Unmerged path %s\n", args[0])
		return nil
	case 7, 9:
	default:
		return usageError("--git takes git's 7 arguments (path old-file old-hex old-mode new-file new-hex new-mode), not %d; see docs/diff.md", len(args))
	}
	oldPath, newPath := args[0], args[0]
	if len(args) == 9 {
		newPath = args[7]
	}
	oldFile, newFile := args[1], args[4]
	oldName, newName := "a/"+oldPath, "b/"+newPath
	fmt.Fprintf(env.Stdout, "diff --relsop %s %s\n", oldName, newName)
	switch {
	case oldFile == devNull:
		fmt.Fprintln(env.Stdout, "new file")
	case newFile == devNull:
		fmt.Fprintln(env.Stdout, "deleted file")
	}
	a, errA := loadDiffSide(env, oldFile, oldName, fl.typ)
	b, errB := loadDiffSide(env, newFile, newName, fl.typ)
	if errA != nil || errB != nil {
		var ee *exitError
		if (errA != nil && !errors.As(errA, &ee)) || (errB != nil && !errors.As(errB, &ee)) {
			return firstError(errA, errB)
		}
		// A revision that does not load (its findings are printed) is
		// still shown, as lines: stopping would end git log -p there.
		return gitLineDiff(env, oldFile, newFile, oldName, newName)
	}
	d := sopdiff.Compare(a, b)
	if d.Empty() {
		fmt.Fprintln(env.Stdout, "(same meaning: only formatting or comments differ)")
		return nil
	}
	_, err := fmt.Fprint(env.Stdout, d.Text())
	return err
}

// gitLineDiff prints a unified line diff of two files, /dev/null being
// empty.
func gitLineDiff(env *Env, oldFile, newFile, oldName, newName string) error {
	read := func(path string) ([]byte, error) {
		if path == devNull {
			return nil, nil
		}
		_, src, err := readInput(env, path)
		return src, err
	}
	a, err := read(oldFile)
	if err != nil {
		return err
	}
	b, err := read(newFile)
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, "(not loadable as an SOP: compared line by line)")
	_, err = fmt.Fprint(env.Stdout, textdiff.Unified(oldName, newName, a, b, 3))
	return err
}
