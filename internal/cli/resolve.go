package cli

import (
	"errors"
	"slices"
	"strings"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/encode"
	"github.com/relsop/relsop/internal/export"
	"github.com/relsop/relsop/internal/report"
	"github.com/relsop/relsop/internal/suggest"
	"github.com/spf13/cobra"
)

func newResolveCmd(env *Env) *cobra.Command {
	var typeID, format string
	cmd := &cobra.Command{
		Use:   "resolve FILE --type TYPE [--format yaml|json]",
		Short: "Print the full flow of one release type",
		Long: `resolve loads an SOP (as validate does), applies the variant of one release type
to the base flow (its removed, added and changed steps, and those of the release
types it builds on) and prints the result: an SOP in the same format with no
release_types, which every relsop command reads like any other. Use "-" to read
standard input.

Exit code 0 when the flow is printed, 2 when the file is invalid (its errors are
printed as by validate) or the release type is not defined.`,
		Example: `  relsop resolve release.sop.yaml --type emergency
  relsop resolve release.sop.yaml --type major --format json`,
		Args: argsUsage(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "yaml" && format != "json" {
				return usageError("--format must be yaml or json, not %q", format)
			}
			l, err := load(env, args[0])
			if err != nil {
				return err
			}
			if errs := l.result.Errors; len(errs) > 0 {
				report.Text(env.Stderr, errs, report.Style{Color: env.IsTerminal})
				return exit(ExitUsage)
			}
			sop := l.result.SOP
			if err := checkReleaseType(sop, l.name, typeID); err != nil {
				return err
			}
			resolved, err := sop.Resolve(typeID)
			if err != nil {
				// Load resolved every release type already, so this is
				// not expected; say what Resolve said.
				var re *relsop.ResolveError
				if errors.As(err, &re) {
					return usageError("%s: release type %q: %s", l.name, typeID, re.Msg)
				}
				return err
			}
			var out []byte
			if format == "json" {
				if out, err = encode.JSON(export.ResolvedFile(resolved)); err != nil {
					return err
				}
			} else {
				out = encode.YAML(export.ResolvedFile(resolved))
			}
			_, err = env.Stdout.Write(out)
			return err
		},
	}
	cmd.Flags().StringVarP(&typeID, "type", "t", "", "the release type to resolve (required)")
	cmd.Flags().StringVar(&format, "format", "yaml", "output format: yaml or json")
	cmd.RegisterFlagCompletionFunc("format", fixedCompletions("yaml", "json"))
	return cmd
}

// checkReleaseType makes a missing or unknown --type a usage error that
// lists the release types the file defines.
func checkReleaseType(sop *relsop.SOP, name, typeID string) error {
	var ids []string
	for _, rt := range sop.ReleaseTypes {
		ids = append(ids, rt.ID)
	}
	switch {
	case len(ids) == 0:
		return usageError("%s defines no release types; its flow is the base flow", name)
	case typeID == "":
		return usageError("name the release type with --type; %s defines: %s", name, strings.Join(ids, ", "))
	case !slices.Contains(ids, typeID):
		return usageError("%s has no release type %q%s; it defines: %s", name, typeID, suggest.Hint(typeID, ids), strings.Join(ids, ", "))
	}
	return nil
}
