package cli

import (
	"fmt"
	"os"

	sopedit "github.com/relsop/relsop/internal/generate/edit"
	"github.com/relsop/relsop/internal/textdiff"
	"github.com/spf13/cobra"
)

func newEditCmd(env *Env) *cobra.Command {
	var write, dryRun bool
	cmd := &cobra.Command{
		Use:   `edit FILE "INSTRUCTION"`,
		Short: "Apply a plain-language edit to an SOP and show the diff",
		Long: `edit applies an instruction in plain language to an SOP file, offline: add or
insert a step (before or after another, in a phase, owned by a role), remove,
rename, move or reassign one, add a gate approver, criterion or escalation, add
a rollback path, make a release-type variant or change which steps one skips;
add, move, swap, rename or remove a
lane (role), phase or environment, make an environment production or not; say
who is accountable, consulted or informed for a step; set a step's duration,
SLA, tool, channel or environment, or add evidence it records; make a task automated
or manual; link a runbook to a step, record an exception to practice, mark the SOP
reviewed or set how often it is. The place of a new step may come first ("after
monitoring, hold a retrospective"). It
prints what it did and a unified diff of the YAML; -w writes the file back.
Comments and formatting of the parts it did not touch are kept. A reference
that matches several steps or roles is refused, with the candidates listed.`,
		Example: `  relsop edit release.sop.yaml "add a security review after run tests owned by the security engineer"
  relsop edit release.sop.yaml "make an emergency variant that skips the CAB but needs the incident commander" -w
  relsop edit release.sop.yaml "escalate go/no-go to the VP engineering after 4 hours" --dry-run
  relsop edit release.sop.yaml "move the QA lead lane above the release manager"
  relsop edit release.sop.yaml "keep support informed about deploy to production" -w`,
		Args: argsUsage(cobra.ExactArgs(2)),
		RunE: func(cmd *cobra.Command, args []string) error {
			if write && dryRun {
				return usageError("-w and --dry-run do not go together")
			}
			name, src, err := readInput(env, args[0])
			if err != nil {
				return usageError("%v", err)
			}
			res, err := sopedit.Apply(name, src, args[1])
			if err != nil {
				return usageError("%v", err)
			}
			for _, s := range res.Summary {
				fmt.Fprintln(env.Stderr, s)
			}
			fmt.Fprint(env.Stdout, textdiff.Unified(name+".orig", name, src, res.Source, 3))
			if write && args[0] != "-" {
				return os.WriteFile(args[0], res.Source, 0o644)
			}
			return nil
		},
	}
	cmd.Flags().BoolVarP(&write, "write", "w", false, "write the edited SOP back to FILE")
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "only show the diff (the default without -w)")
	return cmd
}
