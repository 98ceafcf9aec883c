package cli

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/relsop/relsop/internal/lint"
	"github.com/relsop/relsop/internal/suggest"
	"github.com/spf13/cobra"
)

func newRulesCmd(env *Env) *cobra.Command {
	var profile string
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "List the lint rules with their severities",
		Args:  argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			p := lint.Profile(profile)
			if p != lint.ProfileDefault && p != lint.ProfileRegulated {
				return usageError("--profile must be default or regulated, not %q", profile)
			}
			tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "RULE\tFAMILY\tSEVERITY\tSUMMARY")
			for _, r := range lint.Rules() {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.ID, r.Family, r.SeverityIn(p), r.Summary)
			}
			if err := tw.Flush(); err != nil {
				return err
			}
			fmt.Fprintln(env.Stdout, "\nMore on a rule: relsop explain RULE")
			return nil
		},
	}
	cmd.Flags().StringVar(&profile, "profile", "default", "show severities under this profile: default or regulated")
	cmd.RegisterFlagCompletionFunc("profile", fixedCompletions("default", "regulated"))
	return cmd
}

func newExplainCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:   "explain RULE",
		Short: "Explain a lint rule: why it exists, an example and the fix",
		Args:  argsUsage(cobra.ExactArgs(1)),
		ValidArgsFunction: func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
			return lint.RuleIDs(), cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			r := lint.RuleByID(args[0])
			if r == nil {
				return usageError("no rule %q%s; list them with: relsop rules", args[0], suggest.Hint(args[0], lint.RuleIDs()))
			}
			fmt.Fprintf(env.Stdout, "%s (%s)\n\n%s\n\n%s\n\n", r.ID, r.Family, r.Summary, r.Doc)
			fmt.Fprintf(env.Stdout, "Severity: %s by default, %s in the regulated profile.\n\n", r.SeverityIn(lint.ProfileDefault), r.SeverityIn(lint.ProfileRegulated))
			fmt.Fprintf(env.Stdout, "Example:\n  %s\n\nFix: %s.\n", strings.ReplaceAll(r.Example, "\n", "\n  "), r.Fix)
			return nil
		},
	}
}
