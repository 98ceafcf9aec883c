package cli

import (
	"fmt"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/report"
	"github.com/spf13/cobra"
)

func newValidateCmd(env *Env) *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "validate FILE...",
		Short: "Check that SOP files parse and that every reference resolves",
		Long: `validate parses each *.sop.yaml file, checks its fields against the format
(relsop schema) and resolves every reference: roles, steps, phases, environments
and release types, in the base flow and in every release type's variant. It
reports every error of a file, each with its position, a source excerpt and a hint.
Use "-" to read standard input. Exit code 0 when every file is valid, 2 otherwise.`,
		Args: argsUsage(cobra.MinimumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := textOrJSON(format); err != nil {
				return err
			}
			var all []relsop.Finding
			for _, path := range args {
				l, err := load(env, path)
				if err != nil {
					return err
				}
				all = append(all, l.result.Errors...)
			}
			if format == "json" {
				if err := report.JSON(env.Stdout, all); err != nil {
					return err
				}
			} else {
				report.Text(env.Stderr, all, report.Style{Color: env.IsTerminal})
				if len(all) == 0 {
					fmt.Fprintf(env.Stdout, "%s valid\n", plural(len(args), "file"))
				}
			}
			if len(all) > 0 {
				return exit(ExitUsage)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	cmd.RegisterFlagCompletionFunc("format", fixedCompletions("text", "json"))
	return cmd
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func fixedCompletions(values ...string) func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return values, cobra.ShellCompDirectiveNoFileComp
	}
}
