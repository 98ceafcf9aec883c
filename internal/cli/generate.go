package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/relsop/relsop/internal/encode"
	"github.com/relsop/relsop/internal/generate"
	"github.com/relsop/relsop/internal/generate/llm"
	"github.com/relsop/relsop/internal/lint"
	"github.com/spf13/cobra"
)

type generateFlags struct {
	brief, briefFile, profile, format, out, types string
	policies, raci, calendars, checklists         []string
	explain                                       bool

	llm, noLLM       bool
	llmURL, llmModel string
	llmTimeout       time.Duration
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
GxP, IEC 62304, 21 CFR Part 11, ISO 27001, SOC 2, FedRAMP). A RACI matrix
(--raci), a release calendar (--calendar) and checklists (--checklist) add
owners, schedule and freeze windows, and gate criteria. --explain prints
why each role, gate and path is there and what was assumed.

An LLM can improve the planner's SOP: any OpenAI-compatible chat-completions
endpoint (OpenAI, Azure OpenAI, vLLM, Ollama, llama.cpp, ...). It is used when
an endpoint and a model are set, in the environment or with flags:

  RELSOP_LLM_URL      API base URL, e.g. https://api.openai.com/v1 (--llm-url)
  RELSOP_LLM_MODEL    model name (--llm-model)
  RELSOP_LLM_API_KEY  API key, sent as a bearer token; there is no flag for
                      it, so it does not end up in your shell history
  RELSOP_LLM_TIMEOUT  time allowed for each request, e.g. 90s (--llm-timeout)

The model gets the brief, the policies and the planner's SOP as a draft, and
answers with a complete SOP as JSON under the SOP's JSON Schema. Each answer is
validated and linted; problems go back to the model for repair, at most ` + strconv.Itoa(generate.LLMRounds) + `
requests in all. When the LLM is not reachable, times out, answers in prose or
still drafts an invalid SOP, generate says so on standard error ("note: ...")
and writes the built-in planner's SOP: the LLM is never required. --no-llm
always uses the built-in planner.`,
		Example: `  relsop generate --brief "weekly SaaS releases with a 5% canary and a security review" -o release.sop.yaml
  relsop generate --brief-file brief.md --types emergency --explain
  relsop generate --brief "medical device software under IEC 62304" --profile regulated --format json
  RELSOP_LLM_URL=http://localhost:11434/v1 RELSOP_LLM_MODEL=llama3.1 relsop generate --brief-file brief.md`,
		Args: argsUsage(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error { return runGenerate(cmd.Context(), env, fl) },
	}
	f := cmd.Flags()
	f.StringVar(&fl.brief, "brief", "", "the brief, in plain language")
	f.StringVar(&fl.briefFile, "brief-file", "", "read the brief from this file (- for standard input)")
	f.StringArrayVar(&fl.policies, "policy", nil, "a policy text file read with the brief (repeatable)")
	f.StringArrayVar(&fl.raci, "raci", nil, "a RACI matrix (CSV: roles × activities with R/A/C/I) that sets owners and RACI roles (repeatable)")
	f.StringArrayVar(&fl.calendars, "calendar", nil, "a release calendar (.ics): release dates, freeze and maintenance windows (repeatable)")
	f.StringArrayVar(&fl.checklists, "checklist", nil, "a Markdown checklist (- [ ] item) whose items become gate criteria or test steps (repeatable)")
	f.StringVar(&fl.types, "types", "emergency", "release types to add, comma-separated: "+strings.Join(generate.ReleaseTypes, ", ")+" (none: \"\")")
	f.StringVar(&fl.profile, "profile", "default", "lint profile the SOP must pass: default or regulated")
	f.StringVar(&fl.format, "format", "", "yaml or json (default: json for an -o file ending in .json, else yaml)")
	f.BoolVar(&fl.explain, "explain", false, "print why each element is there and what was assumed (to standard error with yaml)")
	f.StringVarP(&fl.out, "output", "o", "", "write the SOP to this file (default: standard output)")
	f.BoolVar(&fl.llm, "llm", false, "use the LLM; fail if no endpoint and model are set (default: use it when they are)")
	f.BoolVar(&fl.noLLM, "no-llm", false, "use the built-in planner only, even when an LLM is configured")
	f.StringVar(&fl.llmURL, "llm-url", "", "OpenAI-compatible API base URL (default $"+llm.EnvURL+")")
	f.StringVar(&fl.llmModel, "llm-model", "", "model name (default $"+llm.EnvModel+"); the key comes only from $"+llm.EnvAPIKey)
	f.DurationVar(&fl.llmTimeout, "llm-timeout", 0, "time allowed for each LLM request, such as 90s (default $"+llm.EnvTimeout+", or 60s)")
	cmd.RegisterFlagCompletionFunc("format", fixedCompletions("yaml", "json"))
	cmd.RegisterFlagCompletionFunc("profile", fixedCompletions("default", "regulated"))
	return cmd
}

func runGenerate(ctx context.Context, env *Env, fl generateFlags) error {
	if (fl.brief == "") == (fl.briefFile == "") {
		return usageError("give the brief with --brief TEXT or --brief-file FILE (one of them)")
	}
	if fl.format == "" {
		fl.format = "yaml"
		if strings.EqualFold(filepath.Ext(fl.out), ".json") {
			fl.format = "json"
		}
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
	for _, in := range []struct {
		paths []string
		into  *[]generate.File
	}{{fl.raci, &req.RACI}, {fl.calendars, &req.Calendars}, {fl.checklists, &req.Checklists}} {
		for _, path := range in.paths {
			name, src, err := readInput(env, path)
			if err != nil {
				return usageError("%v", err)
			}
			*in.into = append(*in.into, generate.File{Name: name, Data: src})
		}
	}
	for _, t := range strings.Split(fl.types, ",") {
		if t = strings.TrimSpace(t); t != "" {
			req.Types = append(req.Types, t)
		}
	}
	client, err := llmClient(env, fl)
	if err != nil {
		return err
	}
	var res *generate.Result
	if client != nil {
		if ctx == nil {
			ctx = context.Background()
		}
		res, err = generate.GenerateLLM(ctx, req, client)
	} else {
		res, err = generate.Generate(req)
	}
	if err != nil {
		return usageError("%v", err)
	}
	for _, n := range res.Notes {
		fmt.Fprintf(env.Stderr, "note: %s\n", n)
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
		Notes       []string          `json:"notes"`
	}{sop, res.Reasons, append([]string{}, res.Assumptions...), append([]string{}, res.Notes...)}, "", "  ")
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

// llmClient is the LLM client generate uses, or nil for the built-in
// planner. Flags override the environment; the API key comes only from
// RELSOP_LLM_API_KEY. Without --llm, a broken LLM environment is a note, not
// a failure: the LLM is never required.
func llmClient(env *Env, fl generateFlags) (*llm.Client, error) {
	if fl.llm && fl.noLLM {
		return nil, usageError("--llm and --no-llm contradict each other; give one of them")
	}
	if fl.noLLM {
		return nil, nil
	}
	if fl.llmTimeout < 0 {
		return nil, usageError("--llm-timeout must be a positive duration such as 90s, not %s", fl.llmTimeout)
	}
	flagged := fl.llm || fl.llmURL != "" || fl.llmModel != "" || fl.llmTimeout != 0
	cfg, err := llm.ConfigFromEnv(os.Getenv)
	if err != nil {
		if !flagged {
			fmt.Fprintf(env.Stderr, "note: %v; using the built-in planner\n", err)
			return nil, nil
		}
		return nil, usageError("%v", err)
	}
	if fl.llmURL != "" {
		// Checked as the environment variable is, but named as the flag.
		c, err := llm.ConfigFromEnv(func(k string) string {
			if k == llm.EnvURL {
				return fl.llmURL
			}
			return ""
		})
		if err != nil {
			return nil, usageError("--llm-url %s", strings.TrimPrefix(err.Error(), llm.EnvURL+": "))
		}
		cfg.URL = c.URL
	}
	if fl.llmModel != "" {
		cfg.Model = strings.TrimSpace(fl.llmModel)
	}
	if fl.llmTimeout > 0 {
		cfg.Timeout = fl.llmTimeout
	}
	if !cfg.Enabled() {
		if flagged {
			return nil, usageError("the LLM needs an endpoint and a model: set %s and %s, or give --llm-url and --llm-model", llm.EnvURL, llm.EnvModel)
		}
		return nil, nil
	}
	return llm.New(cfg, nil), nil
}
