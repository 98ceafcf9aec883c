package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/importer"
	"github.com/relsop/relsop/internal/importer/auto"
	"github.com/relsop/relsop/internal/importer/gitlabci"
	"github.com/relsop/relsop/internal/lint"
	"github.com/relsop/relsop/internal/report"
	"github.com/spf13/cobra"
)

func importFormats() []string {
	names := make([]string, len(importer.Formats))
	for i, f := range importer.Formats {
		names[i] = string(f)
	}
	return names
}

func newImportCmd(env *Env) *cobra.Command {
	var from, out string
	formats := importFormats()
	cmd := &cobra.Command{
		Use:   "import FILE [--from " + strings.Join(formats, "|") + "] [-o OUT.sop.yaml]",
		Short: "Turn a BPMN process or a CI/CD pipeline into an SOP",
		Long: `import reads another tool's file and writes it as a *.sop.yaml SOP. Without --from
the format is told from the content. Use "-" to read standard input.

  bpmn            BPMN 2.0 XML: lanes become roles; user, service and send tasks
                  become task, automated and notify steps; exclusive gateways gates
                  with an outcome per named flow; start and end events start and
                  end steps; sequence flows the flows. A file exported by relsop
                  comes back with its kinds, environments, phases and outcomes.
  github-actions  a workflow: jobs become automated steps, needs: flows,
                  environment: deploy steps (behind an approval gate where the
                  environment is of the kind teams protect), failure() and rollback
                  jobs rollback paths, the triggers the start conditions.
  gitlab-ci       a .gitlab-ci.yml: stages become phases, jobs steps, needs: and the
                  order of stages flows, when: manual gates, environment: deploy,
                  rollback or teardown steps; local include: and extends: resolved.

The SOP is written to standard output or -o. On standard error the import lists
every construct it did not map (file:line:col), the assumptions it made, and a
review: the lint findings of the imported SOP, such as a production deploy with
no rollback path. docs/import.md has the full table of what maps to what.

Exit code 0 when the SOP is written (warnings and findings allowed), 2 when the
file cannot be read or imported, or the format is unknown.`,
		Example: `  relsop import .github/workflows/release.yml -o release.sop.yaml
  relsop import .gitlab-ci.yml --from gitlab-ci -o pipeline.sop.yaml
  relsop import process.bpmn > process.sop.yaml
  relsop export release.sop.yaml --format bpmn | relsop import - --from bpmn`,
		Args: argsUsage(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			if from != "" && indexOf(formats, from) < 0 {
				return usageError("--from must be one of %s, not %q", strings.Join(formats, ", "), from)
			}
			return runImport(env, args[0], importer.Format(from), out)
		},
	}
	cmd.Flags().StringVar(&from, "from", "", "input format: "+strings.Join(formats, ", ")+" (default: told from the content)")
	cmd.Flags().StringVarP(&out, "output", "o", "", "output file (default: standard output)")
	cmd.RegisterFlagCompletionFunc("from", fixedCompletions(formats...))
	return cmd
}

func runImport(env *Env, path string, from importer.Format, out string) error {
	name, src, err := readInput(env, path)
	if err != nil {
		return err
	}
	fail := func(err error) error {
		var ie *importer.Error
		if errors.As(err, &ie) {
			f := ie.Finding
			if f.File == "" {
				f.File, f.Excerpt = name, report.Excerpt(src, f.Pos)
			} else if path != "-" {
				f.File = filepath.Join(filepath.Dir(path), f.File)
			}
			reportErrors(env, []relsop.Finding{f})
			return exit(ExitUsage)
		}
		return err
	}
	opts := gitlabci.Options{Dir: filepath.Dir(path)}
	if path == "-" {
		opts.Dir = "."
	}
	res, from, err := auto.Import(name, src, from, opts)
	if err != nil {
		return fail(err)
	}
	yaml, loadedSOP := importer.Encode(res.SOP)
	outName := out
	if out == "" || out == "-" {
		outName = "<stdout>"
	}
	if len(loadedSOP.Errors) > 0 {
		// The importers keep what they build valid; this is a bug.
		l := &loaded{name: outName, src: yaml}
		reportErrors(env, l.locate(loadedSOP.Errors))
		return fmt.Errorf("the SOP imported from %s does not validate; please report this with the file", name)
	}
	for i := range res.Warnings {
		w := &res.Warnings[i]
		if w.File == "" {
			w.File, w.Excerpt = name, report.Excerpt(src, w.Pos)
		} else if path != "-" {
			w.File = filepath.Join(filepath.Dir(path), w.File)
		}
	}
	if out == "" || out == "-" {
		if _, err := env.Stdout.Write(yaml); err != nil {
			return err
		}
	} else if err := os.WriteFile(out, yaml, 0o644); err != nil {
		return fmt.Errorf("cannot write %s: %w", out, err)
	}
	st := report.Style{Color: env.IsTerminal}
	fmt.Fprintf(env.Stderr, "imported %s as %s: %s, %s, %s\n", name, from,
		plural(len(res.SOP.Steps), "step"), plural(len(res.SOP.Roles), "role"), plural(len(res.Warnings), "warning"))
	report.Text(env.Stderr, res.Warnings, st)
	if len(res.Assumptions) > 0 {
		fmt.Fprintln(env.Stderr, "assumptions:")
		for _, a := range res.Assumptions {
			fmt.Fprintf(env.Stderr, "  - %s\n", a)
		}
	}
	review := lint.Run(loadedSOP.SOP, lint.Config{})
	if len(review) > 0 {
		fmt.Fprintf(env.Stderr, "review of the imported SOP (%s; relsop lint gives the same):\n", plural(len(review), "finding"))
		l := &loaded{name: outName, src: yaml}
		report.Text(env.Stderr, l.locate(review), st)
	}
	return nil
}
