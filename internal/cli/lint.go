package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/lint"
	"github.com/relsop/relsop/internal/report"
	"github.com/spf13/cobra"
)

// lintFormats are lint's output formats: for people, for scripts, and for
// the code-scanning (SARIF), GitHub Actions and GitLab CI views of findings.
var lintFormats = []string{"text", "json", "sarif", "github", "gitlab"}

var lintFormatList = orList(lintFormats)

// orList writes "a, b or c".
func orList(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}

type lintFlags struct {
	format, profile, config, today string
	strict                         bool
}

func newLintCmd(env *Env) *cobra.Command {
	var fl lintFlags
	cmd := &cobra.Command{
		Use:   "lint [flags] FILE...",
		Short: "Check SOPs against release-management best practice",
		Long: `lint loads each SOP (as validate does) and checks its base flow and the resolved
flow of every release type against the rule table (relsop rules; relsop explain RULE).

Exit codes: 0 clean (warnings allowed unless --strict), 1 error-level findings,
2 usage errors or files that cannot be loaded.

Findings can be suppressed in the SOP file, each with a reason:
  ignore:
    - rule: gate-escalation
      step: peer-review
      reason: Peer review is informal; the go/no-go gate escalates.
and per project in the config file (.relsop.yaml in the current directory, or --config):
  profile: regulated
  rules: {verb-first: off, gate-escalation: error}
  complexity: {max_steps: 80, max_steps_per_lane: 25, max_steps_per_phase: 25}
  naming: {verbs: [onboard]}
  ignore:
    - rule: complexity
      paths: ["legacy/*.sop.yaml"]
      reason: Legacy SOPs are being split up this quarter.`,
		Example: `  relsop lint release.sop.yaml
  relsop lint --profile regulated --format sarif sops/*.sop.yaml > relsop.sarif
  relsop lint --format github sops/*.sop.yaml                  # annotations in a GitHub Actions run
  relsop lint --format gitlab sops/*.sop.yaml > gl-code-quality-report.json   # GitLab Code Quality`,
		Args: argsUsage(cobra.MinimumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error { return runLint(env, fl, args) },
	}
	f := cmd.Flags()
	f.StringVar(&fl.format, "format", "text", "output format: "+lintFormatList)
	f.StringVar(&fl.profile, "profile", "", "rule profile: default or regulated (overrides the config file)")
	f.StringVar(&fl.config, "config", "", "lint config file (default: "+lint.ConfigFileName+" in the current directory, if present)")
	f.BoolVar(&fl.strict, "strict", false, "exit 1 on warnings too")
	f.StringVar(&fl.today, "today", "", "judge review freshness as of this date, YYYY-MM-DD (default: today; also RELSOP_TODAY)")
	cmd.RegisterFlagCompletionFunc("format", fixedCompletions(lintFormats...))
	cmd.RegisterFlagCompletionFunc("profile", fixedCompletions("default", "regulated"))
	return cmd
}

func runLint(env *Env, fl lintFlags, files []string) error {
	if !slices.Contains(lintFormats, fl.format) {
		return usageError("--format must be %s, not %q", lintFormatList, fl.format)
	}
	cfg, err := lintConfig(env, fl)
	if err != nil {
		return err
	}
	var all []relsop.Finding
	loadFailed := false
	for _, path := range files {
		l, err := load(env, path)
		if err != nil {
			return err
		}
		if len(l.result.Errors) > 0 || l.result.SOP == nil {
			loadFailed = true
			all = append(all, l.result.Errors...)
			continue
		}
		var kept []relsop.Finding
		for _, f := range lint.Run(l.result.SOP, cfg) {
			if !cfg.IgnoresFile(f.Code, path) {
				kept = append(kept, f)
			}
		}
		all = append(all, l.locate(kept)...)
	}
	if fl.format != "text" && fl.format != "json" {
		all = workspaceRelative(all)
	}
	switch fl.format {
	case "json":
		err = report.JSON(env.Stdout, all)
	case "sarif":
		err = report.SARIF(env.Stdout, all, ruleInfos(cfg), Version)
	case "gitlab":
		err = report.GitLab(env.Stdout, all)
	case "github":
		// Annotations, then the summary as a plain line of the job's log.
		if err = report.GitHub(env.Stdout, all); err == nil {
			report.Summary(env.Stdout, len(files), all)
		}
	default:
		report.Text(env.Stdout, all, report.Style{Color: env.IsTerminal})
		report.Summary(env.Stdout, len(files), all)
	}
	if err != nil {
		return err
	}
	switch {
	case loadFailed:
		return exit(ExitUsage)
	case failing(all, fl.strict):
		return exit(ExitFindings)
	}
	return nil
}

func failing(fs []relsop.Finding, strict bool) bool {
	for _, f := range fs {
		if f.Severity == relsop.SeverityError || (strict && f.Severity == relsop.SeverityWarning) {
			return true
		}
	}
	return false
}

// lintConfig reads the config file and applies the flags over it.
func lintConfig(env *Env, fl lintFlags) (lint.Config, error) {
	var cfg lint.Config
	path := fl.config
	if path == "" {
		if _, err := os.Stat(lint.ConfigFileName); err == nil {
			path = lint.ConfigFileName
		} else if !errors.Is(err, fs.ErrNotExist) {
			return cfg, fmt.Errorf("cannot read %s: %w", lint.ConfigFileName, err)
		}
	}
	if path != "" {
		name, src, err := readInput(env, path)
		if err != nil {
			return cfg, err
		}
		var errs []relsop.Finding
		cfg, errs = lint.ParseConfig(src)
		if len(errs) > 0 {
			l := &loaded{name: name, src: src}
			report.Text(env.Stderr, l.locate(errs), report.Style{Color: env.IsTerminal})
			return cfg, exit(ExitUsage)
		}
	}
	if fl.profile != "" {
		if fl.profile != string(lint.ProfileDefault) && fl.profile != string(lint.ProfileRegulated) {
			return cfg, usageError("--profile must be default or regulated, not %q", fl.profile)
		}
		cfg.Profile = lint.Profile(fl.profile)
	}
	today := fl.today
	if today == "" {
		today = os.Getenv("RELSOP_TODAY")
	}
	if today != "" {
		d, err := time.Parse(time.DateOnly, today)
		if err != nil {
			return cfg, usageError("--today must be a date such as 2026-03-31, not %q", today)
		}
		cfg.Today = d
	}
	return cfg, nil
}

func ruleInfos(cfg lint.Config) []report.RuleInfo {
	var out []report.RuleInfo
	profile := cfg.Profile
	if profile == "" {
		profile = lint.ProfileDefault
	}
	for _, r := range lint.Rules() {
		sev := r.SeverityIn(profile)
		if s, ok := cfg.Rules[r.ID]; ok {
			sev = s
		}
		out = append(out, report.RuleInfo{ID: r.ID, Summary: r.Summary, Doc: r.Doc, Fix: r.Fix, Severity: sev})
	}
	return out
}

// workspaceRelative makes the file of each finding relative to the root of
// the CI job's checkout (GITHUB_WORKSPACE on GitHub Actions, CI_PROJECT_DIR
// on GitLab CI), as code scanning, annotations and Code Quality reports
// expect paths relative to the repository, whatever the directory lint ran
// in and however its files were named. Outside CI, or for a file outside
// the checkout, the path stays as given.
func workspaceRelative(findings []relsop.Finding) []relsop.Finding {
	root := os.Getenv("GITHUB_WORKSPACE")
	if root == "" {
		root = os.Getenv("CI_PROJECT_DIR")
	}
	if root == "" {
		return findings
	}
	root, err := filepath.Abs(root)
	if err != nil {
		return findings
	}
	out := make([]relsop.Finding, len(findings))
	for i, f := range findings {
		out[i] = f
		if f.File == "" || f.File == stdinName {
			continue
		}
		abs, err := filepath.Abs(f.File)
		if err != nil {
			continue
		}
		if rel, err := filepath.Rel(root, abs); err == nil && filepath.IsLocal(rel) {
			out[i].File = rel
		}
	}
	return out
}
