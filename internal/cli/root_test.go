package cli

import (
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// TestEveryCommandHasHelp runs --help on every command and subcommand.
func TestEveryCommandHasHelp(t *testing.T) {
	root := newRoot(&Env{})
	var walk func(c *cobra.Command, path []string)
	walk = func(c *cobra.Command, path []string) {
		for _, sub := range c.Commands() {
			if sub.Hidden || sub.Name() == "help" {
				continue
			}
			p := append(append([]string{}, path...), sub.Name())
			t.Run(strings.Join(p, " "), func(t *testing.T) {
				code, out, _ := run(t, "", append(p, "--help")...)
				if code != ExitOK || !strings.Contains(out, "Usage:") || sub.Short == "" {
					t.Errorf("%v --help: exit %d, short %q\n%s", p, code, sub.Short, out)
				}
			})
			walk(sub, p)
		}
	}
	walk(root, nil)
}

func TestCompletionAndVersion(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish"} {
		code, out, _ := run(t, "", "completion", shell)
		if code != ExitOK || !strings.Contains(out, "relsop") {
			t.Errorf("completion %s: exit %d, %d bytes", shell, code, len(out))
		}
	}
	code, out, _ := run(t, "", "version")
	if code != ExitOK || !strings.HasPrefix(out, "relsop "+Version) {
		t.Errorf("version: exit %d %q", code, out)
	}
	// Flag values complete too: lint --format offers the three formats.
	_, out, _ = run(t, "", "__complete", "lint", "--format", "")
	for _, f := range []string{"text", "json", "sarif"} {
		if !strings.Contains(out, f) {
			t.Errorf("lint --format completion lacks %s:\n%s", f, out)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	code, _, errOut := run(t, "", "lnt")
	if code != ExitUsage || !strings.Contains(errOut, "unknown command") {
		t.Errorf("unknown command: exit %d %q", code, errOut)
	}
	code, _, errOut = run(t, "", "validate")
	if code != ExitUsage || !strings.Contains(errOut, "requires at least 1 arg") {
		t.Errorf("validate without files: exit %d %q", code, errOut)
	}
}
