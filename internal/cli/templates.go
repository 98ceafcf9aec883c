package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/relsop/relsop/internal/suggest"
	"github.com/relsop/relsop/internal/templates"
	"github.com/spf13/cobra"
)

func newTemplatesCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:   "templates",
		Short: "List the built-in SOP templates",
		Long: `templates lists the built-in SOP templates with the lint profile each is written for
and when to use it. Every template is a complete, lint-clean SOP with major, minor and
emergency release types; write one out with relsop new and adapt it to your team.`,
		Example: `  relsop templates
  relsop new --template enterprise-cab -o change.sop.yaml`,
		Args: argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			w := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(w, "NAME\tPROFILE\tDESCRIPTION")
			for _, t := range templates.All() {
				fmt.Fprintf(w, "%s\t%s\t%s\n", t.Name, t.Profile, t.Description)
			}
			return w.Flush()
		},
	}
}

func newNewCmd(env *Env) *cobra.Command {
	var name, out string
	var force bool
	cmd := &cobra.Command{
		Use:   "new --template NAME [-o FILE] [--force]",
		Short: "Start a new SOP from a built-in template",
		// The use line already shows the flags.
		DisableFlagsInUseLine: true,
		Long: `new writes a built-in template (relsop templates lists them) to FILE, or to
standard output without -o or with -o -. The result is a complete SOP: roles, phases,
environments, steps with gates, rollback and escalation paths, and major, minor and
emergency release types. Rename it, change the id, title and owner, and adapt the
steps to how your team works; relsop lint tells you if an edit breaks a rule.

new does not overwrite an existing file unless --force is given.`,
		Example: `  relsop new --template saas-weekly -o release.sop.yaml
  relsop new --template regulated-healthcare -o release.sop.yaml && relsop lint --profile regulated release.sop.yaml
  relsop new --template devops-cicd > cicd.sop.yaml`,
		Args: argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			names := templates.Names()
			if name == "" {
				return usageError("--template is required; built-in templates: %s (see 'relsop templates')", strings.Join(names, ", "))
			}
			t, ok := templates.Get(name)
			if !ok {
				return usageError("unknown template %q%s; built-in templates: %s", name, templateHint(name, names), strings.Join(names, ", "))
			}
			if out == "" || out == "-" {
				_, err := env.Stdout.Write(t.Source)
				return err
			}
			if err := writeNew(out, t.Source, force); err != nil {
				return err
			}
			lintCmd := "relsop lint " + out
			if t.Profile != templates.ProfileDefault {
				lintCmd = "relsop lint --profile " + t.Profile + " " + out
			}
			fmt.Fprintf(env.Stderr, "wrote %s from template %s; check it with: %s\n", out, t.Name, lintCmd)
			fmt.Fprintf(env.Stderr, "for completion and docs in your editor: relsop schema -o %s\n", filepath.Join(filepath.Dir(out), "sop.schema.json"))
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVarP(&name, "template", "t", "", "the built-in template to start from (see relsop templates)")
	f.StringVarP(&out, "output", "o", "", "write the SOP to FILE instead of standard output")
	f.BoolVar(&force, "force", false, "overwrite FILE if it exists")
	cmd.RegisterFlagCompletionFunc("template", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		var out []string
		for _, t := range templates.All() {
			out = append(out, t.Name+"\t"+t.Description)
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	})
	cmd.MarkFlagFilename("output", "yaml", "yml")
	return cmd
}

// writeNew writes src to path. Without force it creates the file
// exclusively, so that an existing SOP is never overwritten, not even one
// created between a check and the write.
func writeNew(path string, src []byte, force bool) error {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return usageError("%s is a directory; name the file to write, such as %s/release.sop.yaml", path, strings.TrimRight(path, "/"))
	}
	flags := os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	if !force {
		flags = os.O_WRONLY | os.O_CREATE | os.O_EXCL
	}
	f, err := os.OpenFile(path, flags, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return usageError("%s already exists; use --force to overwrite it, or choose another file with -o", path)
	}
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", path, unwrapPathError(err))
	}
	if _, err := f.Write(src); err != nil {
		f.Close()
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	return nil
}

// templateHint suggests the template meant by a misspelt name
// ("saas-weekley") or by part of one ("healthcare", "cab").
func templateHint(name string, names []string) string {
	if h := suggest.Hint(name, names); h != "" {
		return h
	}
	var match string
	for _, n := range names {
		if name != "" && strings.Contains(n, strings.ToLower(name)) {
			if match != "" {
				return ""
			}
			match = n
		}
	}
	if match == "" {
		return ""
	}
	return ` (did you mean "` + match + `"?)`
}
