// Package cli is the relsop command line: one file per subcommand, and the
// only place that wires the packages of the pipeline together.
package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"
)

// Exit codes of every relsop command.
const (
	ExitOK       = 0 // clean (warnings allowed unless --strict)
	ExitFindings = 1 // error-level findings, or a check such as fmt --check failed
	ExitUsage    = 2 // bad usage, or a file that cannot be read, parsed or validated
)

// Version is relsop's version, set at build time with
// -ldflags "-X github.com/relsop/relsop/internal/cli.Version=v1.2.3".
var Version = "0.1.0-dev"

// exitError carries an exit code out of a command; its message, if any,
// has been printed already.
type exitError struct{ code int }

func (e *exitError) Error() string { return fmt.Sprintf("exit %d", e.code) }

func exit(code int) error {
	if code == ExitOK {
		return nil
	}
	return &exitError{code: code}
}

// usageError is a mistake in how relsop was called.
func usageError(format string, args ...any) error {
	return &usageErr{msg: fmt.Sprintf(format, args...)}
}

// textOrJSON checks a --format that takes text or json, as the commands
// that print a report or its JSON do.
func textOrJSON(format string) error {
	if format != "text" && format != "json" {
		return usageError("--format must be text or json, not %q", format)
	}
	return nil
}

type usageErr struct{ msg string }

func (e *usageErr) Error() string { return e.msg }

// Env is what a command sees of the outside world; tests replace it.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// IsTerminal reports whether Stdout is a terminal (for colour).
	IsTerminal bool
	// Now is the clock of release records; nil means time.Now.
	Now func() time.Time
}

// Main runs relsop with args (without the program name) and returns the
// process exit code.
func Main(args []string, env Env) int {
	root := newRoot(&env)
	root.SetArgs(args)
	root.SetIn(env.Stdin)
	root.SetOut(env.Stdout)
	root.SetErr(env.Stderr)
	err := root.Execute()
	if err == nil {
		return ExitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	fmt.Fprintf(env.Stderr, "relsop: %v\n", err)
	var ue *usageErr
	if !errors.As(err, &ue) {
		fmt.Fprintln(env.Stderr, "Run 'relsop --help' for usage.")
	}
	return ExitUsage
}

// Run is main's entry: the real process environment.
func Run() int {
	fi, err := os.Stdout.Stat()
	tty := err == nil && fi.Mode()&os.ModeCharDevice != 0 && os.Getenv("NO_COLOR") == ""
	return Main(os.Args[1:], Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, IsTerminal: tty})
}

func newRoot(env *Env) *cobra.Command {
	root := &cobra.Command{
		Use:   "relsop",
		Short: "Release SOPs that teams can see, check, share and run",
		Long: `relsop keeps a release SOP (standard operating procedure) as a typed model in a
*.sop.yaml file: roles as swimlanes, phases, environments, steps and gates with
approvers, rollback and escalation paths, and release-type variants. It checks the
SOP against release-management practice and formats it canonically.

Start from a built-in template:
  relsop templates
  relsop new --template saas-weekly -o release.sop.yaml
  relsop lint release.sop.yaml

Carry out a release through it, with gate sign-offs and a tamper-evident trail:
  relsop release start release.sop.yaml --release 2.4.0`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       Version,
	}
	root.SetVersionTemplate("relsop {{.Version}}\n")
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageError("%v (see 'relsop %s --help')", err, c.Name())
	})
	root.AddCommand(
		newVersionCmd(env),
		newValidateCmd(env),
		newSchemaCmd(env),
		newLintCmd(env),
		newRulesCmd(env),
		newExplainCmd(env),
		newTemplatesCmd(env),
		newNewCmd(env),
		newFmtCmd(env),
		newResolveCmd(env),
		newRenderCmd(env),
		newStatsCmd(env),
		newExportCmd(env),
		newPublishCmd(env),
		newGenerateCmd(env),
		newEditCmd(env),
		newImportCmd(env),
		newDiffCmd(env),
		newServeCmd(env),
		newRemoteCmd(env),
		newReleaseCmd(env),
	)
	return root
}

// noArgsOrUsage makes cobra argument errors into usage errors.
func argsUsage(check cobra.PositionalArgs) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if err := check(cmd, args); err != nil {
			return usageError("%v (see 'relsop %s --help')", err, cmd.Name())
		}
		return nil
	}
}
