package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/relsop/relsop/internal/encode"
	"github.com/relsop/relsop/internal/generate"
	"github.com/relsop/relsop/internal/lint"
	"github.com/spf13/cobra"
)

type generateFlags struct {
	brief, briefFile, profile, format, out, types string
	policies                                      []string
	explain                                       bool
}

func newGenerateCmd(env *Env) *cobra.Command {
	var fl generateFlags
	cmd := &cobra.Command{
		Use:   "generate (--brief TEXT | --brief-file FILE)",
		Short: "Generate a complete SOP from a brief in plain language",
		Long: `generate reads how your team releases software, in a sentence or a few bullet
points, and writes a complete, best-practice SOP: roles, phases, gates,
deployments with rollback paths, monitoring, incident handling and
communication. It works offline with a built-in planner: the same brief always
gives the same SOP, which validates and has no lint errors under its profile.

The brief can name your roles ("our Dev Lead", "the ISSO") and environments,
practices you want or rule out ("5% canary", "bake for 2 hours", "we skip the
CAB", "no staging"), schedules and compliance regimes (SOX, HIPAA, PCI DSS,
GxP, IEC 62304, 21 CFR Part 11, ISO 27001, SOC 2, FedRAMP). --explain prints
why each role, gate and path is there and what was assumed.`,
		Example: `  relsop generate --brief "weekly SaaS releases with a 5% canary and a security review" -o release.sop.yaml
  relsop generate --brief-file brief.md --types emergency --explain
  relsop generate --brief "medical device software under IEC 62304" --profile regulated --format json`,
		Args: argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error { return runGenerate(env, fl) },
	}
	f := cmd.Flags()
	f.StringVar(&fl.brief, "brief", "", "the brief, in plain language")
	f.StringVar(&fl.briefFile, "brief-file", "", "read the brief from this file (- for standard input)")
	f.StringArrayVar(&fl.policies, "policy", nil, "a policy text file read with the brief (repeatable)")
	f.StringVar(&fl.types, "types", "emergency", "release types to add, comma-separated: "+strings.Join(generate.ReleaseTypes, ", ")+" (none: \"\")")
	f.StringVar(&fl.profile, "profile", "default", "lint profile the SOP must pass: default or regulated")
	f.StringVar(&fl.format, "format", "yaml", "yaml or json")
	f.BoolVar(&fl.explain, "explain", false, "print why each element is there and what was assumed (to standard error with yaml)")
	f.StringVarP(&fl.out, "output", "o", "", "write the SOP to this file (default: standard output)")
	cmd.RegisterFlagCompletionFunc("format", fixedCompletions("yaml", "json"))
	cmd.RegisterFlagCompletionFunc("profile", fixedCompletions("default", "regulated"))
	return cmd
}

func runGenerate(env *Env, fl generateFlags) error {
	if (fl.brief == "") == (fl.briefFile == "") {
		return usageError("give the brief with --brief TEXT or --brief-file FILE (one of them)")
	}
	if fl.format != "yaml" && fl.format != "json" {
		return usageError("--format must be yaml or json, not %q", fl.format)
	}
	if fl.profile != string(lint.ProfileDefault) && fl.profile != string(lint.ProfileRegulated) {
		return usageError("--profile must be default or regulated, not %q", fl.profile)
	}
	req := generate.Request{Brief: fl.brief, Profile: lint.Profile(fl.profile)}
	if fl.briefFile != "" {
		_, src, err := readInput(env, fl.briefFile)
		if err != nil {
			return usageError("%v", err)
		}
		req.Brief = string(src)
	}
	for _, path := range fl.policies {
		_, src, err := readInput(env, path)
		if err != nil {
			return usageError("%v", err)
		}
		req.Policies = append(req.Policies, string(src))
	}
	for _, t := range strings.Split(fl.types, ",") {
		if t = strings.TrimSpace(t); t != "" {
			req.Types = append(req.Types, t)
		}
	}
	res, err := generate.Generate(req)
	if err != nil {
		return usageError("%v", err)
	}
	var data []byte
	if fl.format == "json" {
		data, err = generatedJSON(res, fl.explain)
		if err != nil {
			return err
		}
	} else {
		data = res.YAML
		if fl.explain {
			writeExplanation(env, res)
		}
	}
	if fl.out != "" {
		return os.WriteFile(fl.out, data, 0o644)
	}
	_, err = env.Stdout.Write(data)
	return err
}

// generatedJSON is the SOP as JSON (the same model and field names as the
// YAML), with the explanation beside it when asked for.
func generatedJSON(res *generate.Result, explain bool) ([]byte, error) {
	sop, err := encode.JSON(res.SOP)
	if err != nil {
		return nil, err
	}
	if !explain {
		return sop, nil
	}
	out, err := json.MarshalIndent(struct {
		SOP         json.RawMessage   `json:"sop"`
		Reasons     []generate.Reason `json:"reasons"`
		Assumptions []string          `json:"assumptions"`
	}{sop, res.Reasons, append([]string{}, res.Assumptions...)}, "", "  ")
	return append(out, '\n'), err
}

func writeExplanation(env *Env, res *generate.Result) {
	fmt.Fprintln(env.Stderr, "Why each element is there:")
	for _, r := range res.Reasons {
		fmt.Fprintf(env.Stderr, "  %-32s %s\n", r.Element, r.Why)
	}
	if len(res.Assumptions) > 0 {
		fmt.Fprintln(env.Stderr, "Assumed:")
		for _, a := range res.Assumptions {
			fmt.Fprintf(env.Stderr, "  - %s\n", a)
		}
	}
}
