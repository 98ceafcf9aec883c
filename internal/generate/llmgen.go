package generate

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/compile"
	"github.com/relsop/relsop/internal/encode"
	"github.com/relsop/relsop/internal/generate/llm"
	"github.com/relsop/relsop/internal/lint"
	"github.com/relsop/relsop/internal/schema"
)

// LLMRounds bounds how many times GenerateLLM asks the model for an SOP:
// the first draft and up to LLMRounds-1 repairs.
const LLMRounds = 3

// llmFallback ends every note that says the LLM was not used.
const llmFallback = "; using the built-in planner's SOP"

// GenerateLLM plans an SOP with the built-in planner, then asks the model
// behind c to improve it: the model gets the brief, the policies and the
// planner's SOP as a starting draft, and answers with a complete SOP as
// JSON. Each reply is loaded and linted under req.Profile; load errors and
// error-level findings go back to the model for repair, at most LLMRounds
// requests in all. The accepted SOP is re-encoded canonically, so the
// Result has the same guarantees as Generate's: it loads without errors
// and has no error-level findings.
//
// The LLM is never required. When it is not configured (c is nil or has no
// URL or model), times out, answers with an HTTP error, answers in prose
// without JSON, or still drafts an invalid SOP after the last round,
// GenerateLLM returns the built-in planner's Result with a Note saying what
// failed. Errors are returned only for a bad request (as from Generate).
// Notes never hold the API key.
func GenerateLLM(ctx context.Context, req Request, c *llm.Client) (*Result, error) {
	base, err := Generate(req)
	if err != nil {
		return nil, err
	}
	if c == nil || !c.Config().Enabled() {
		return llmNote(base, "no LLM is configured (set "+llm.EnvURL+" and "+llm.EnvModel+")"+llmFallback), nil
	}

	var (
		drafts       int      // replies that held JSON and were checked
		lastProblems []string // what was wrong with the last one
	)
	check := func(doc []byte) []string {
		drafts++
		_, problems := llmCheck(doc, req.Profile)
		lastProblems = problems
		return problems
	}
	doc, err := c.Draft(ctx, llmSystemPrompt(req.Profile), llmUserPrompt(req, base.YAML),
		llmSchema(), check, LLMRounds-1)
	if err != nil {
		return llmNote(base, c.Redact(llmFailure(c, err, drafts, lastProblems))+llmFallback), nil
	}

	// Re-encode canonically and load what will be written, so positions in
	// the findings are positions in Result.YAML.
	sop, _ := llmCheck(doc, req.Profile)
	src := encode.YAML(sop)
	loaded := compile.Load(src)
	findings := lint.Run(loaded.SOP, lint.Config{Profile: req.Profile})
	if len(loaded.Errors) > 0 || llmHasErrors(findings) {
		// The JSON passed but its canonical YAML does not: a bug in the
		// encoder or the loader, not the model's fault; still never fatal.
		return llmNote(base, "the SOP drafted by "+llmWho(c)+" did not survive re-encoding"+llmFallback), nil
	}

	res := &Result{
		SOP:         loaded.SOP,
		YAML:        src,
		Reasons:     llmKeepReasons(base.Reasons, loaded.SOP),
		Assumptions: base.Assumptions, // the starting draft's; the model worked from them
		Notes:       append([]string(nil), base.Notes...),
		Findings:    findings,
	}
	res.Notes = append(res.Notes, c.Redact(fmt.Sprintf("drafted by %s in %s, starting from the built-in planner's SOP; review it before you adopt it",
		llmWho(c), llmPlural(drafts, "round"))))
	return res, nil
}

// llmSchema is the SOP JSON Schema sent as the response format. It goes
// as it is, in non-strict mode (see llm.Client.Complete): OpenAI's strict
// mode rejects schemas with optional properties, oneOf or free-form maps,
// and the SOP schema needs all three (optional fields, "a reference or a
// list of them", gate outcomes keyed by outcome name). Sanitising it into
// the strict subset would make every field required (nulls everywhere) and
// could not express outcomes at all, so the model would be pushed towards
// SOPs the loader rejects. Non-strict keeps the real schema as guidance,
// grammar-constrained servers still enforce it, and llmCheck is what
// decides. It is built on first use: encoding it cost every relsop
// command, render included, about a millisecond at start-up.
var llmSchema = sync.OnceValue(schema.JSONSchema)

// llmCheck loads doc (JSON, or any text compile.Load reads) and lints it
// under profile. The problems are load errors or, when it loads, the
// error-level findings, one line each with its position in doc.
func llmCheck(doc []byte, profile lint.Profile) (*relsop.SOP, []string) {
	res := compile.Load(doc)
	var problems []string
	for _, e := range res.Errors {
		problems = append(problems, llmProblem(e))
	}
	if len(problems) > 0 || res.SOP == nil {
		if len(problems) == 0 {
			problems = append(problems, "the document is not an SOP object")
		}
		return nil, problems
	}
	for _, f := range lint.Run(res.SOP, lint.Config{Profile: profile}) {
		if f.Severity == relsop.SeverityError {
			problems = append(problems, llmProblem(f))
		}
	}
	return res.SOP, problems
}

// llmProblem is one finding as a line for the model: where, what, which
// rule, and how to fix it.
func llmProblem(f relsop.Finding) string {
	var b strings.Builder
	if f.Pos.IsValid() {
		fmt.Fprintf(&b, "at %s: ", f.Pos)
	}
	b.WriteString(f.Message)
	if f.Code != "" {
		fmt.Fprintf(&b, " [%s]", f.Code)
	}
	if f.Hint != "" {
		b.WriteString("; fix: " + f.Hint)
	}
	return b.String()
}

func llmHasErrors(findings []relsop.Finding) bool {
	for _, f := range findings {
		if f.Severity == relsop.SeverityError {
			return true
		}
	}
	return false
}

// llmKeepReasons keeps the planner's reasons for the elements the model's SOP
// still has.
func llmKeepReasons(reasons []Reason, sop *relsop.SOP) []Reason {
	have := map[string]bool{}
	for _, r := range sop.Roles {
		have["role:"+r.ID] = true
	}
	for _, st := range sop.Steps {
		have[st.ID] = true
	}
	for _, rt := range sop.ReleaseTypes {
		have["type:"+rt.ID] = true
	}
	var out []Reason
	for _, r := range reasons {
		if have[r.Element] {
			out = append(out, r)
		}
	}
	return out
}

func llmNote(res *Result, note string) *Result {
	res.Notes = append(res.Notes, note)
	return res
}

// llmWho names the model and where it runs, without credentials.
func llmWho(c *llm.Client) string {
	return c.Config().Model + " at " + c.Host()
}

// llmFailure says in a sentence what went wrong with the LLM.
func llmFailure(c *llm.Client, err error, drafts int, problems []string) string {
	cfg, host := c.Config(), c.Host()
	switch {
	case errors.Is(err, llm.ErrNotConfigured):
		return "the LLM is not configured (set " + llm.EnvURL + " and " + llm.EnvModel + ")"
	case errors.Is(err, context.Canceled):
		return "the request to the LLM at " + host + " was cancelled"
	case errors.Is(err, context.DeadlineExceeded):
		return "the LLM at " + host + " did not finish before the deadline"
	case errors.Is(err, llm.ErrTimeout):
		s := fmt.Sprintf("the LLM at %s timed out after %s", host, cfg.Timeout)
		if cfg.Retries > 0 {
			s += fmt.Sprintf(" (%d attempts)", cfg.Retries+1)
		}
		return s
	case errors.Is(err, llm.ErrHTTP):
		return "the LLM at " + host + " answered with an error: " + strings.TrimPrefix(err.Error(), "llm: endpoint returned ")
	case errors.Is(err, llm.ErrBadResponse):
		return "the LLM at " + host + " sent a response that is not a chat completion: " + strings.TrimPrefix(err.Error(), "llm: malformed response: ")
	case errors.Is(err, llm.ErrNoJSON):
		return fmt.Sprintf("%s answered in prose, not with a JSON SOP %s", llmWho(c), strings.TrimPrefix(err.Error(), llm.ErrNoJSON.Error()+" "))
	case errors.Is(err, llm.ErrRejected):
		s := fmt.Sprintf("the SOP drafted by %s was still invalid after %s", llmWho(c), llmPlural(drafts, "round"))
		if len(problems) > 0 {
			s += fmt.Sprintf(" (%s, the first: %s)", llmPlural(len(problems), "problem"), problems[0])
		}
		return s
	default:
		return "the request to the LLM at " + host + " failed: " + strings.TrimPrefix(err.Error(), "llm: ")
	}
}

func llmPlural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func llmSystemPrompt(profile lint.Profile) string {
	if profile == "" {
		profile = lint.ProfileDefault
	}
	return `You are a release-management expert. You write release SOPs (standard operating procedures) in relsop's format: roles (one swimlane each), phases, environments, steps (start, task, gate, deploy, rollback, end and other kinds, each owned by a role) and release types with their variants.

Answer with one JSON object only: the complete SOP, following the JSON Schema given as the response format, with the same field names as the draft you are shown. No prose and no Markdown around it.

The SOP must load and pass relsop's lint rules under the "` + string(profile) + `" profile: ids are unique; every owner, approver, phase, environment and next/outcome target names an id the SOP defines; exactly one start step and every path reaches an end; every gate has approvers, criteria, outcomes and an escalation path; every production deploy has a rollback path; monitoring follows the release. When you are told about problems, fix them all and return the whole corrected SOP again.`
}

func llmUserPrompt(req Request, draft []byte) string {
	var b strings.Builder
	b.WriteString("How the team releases software (the brief):\n<<<\n")
	b.WriteString(strings.TrimSpace(req.Brief))
	b.WriteString("\n>>>\n\n")
	for i, p := range req.Policies {
		fmt.Fprintf(&b, "Policy %d:\n<<<\n%s\n>>>\n\n", i+1, strings.TrimSpace(p))
	}
	b.WriteString("relsop's built-in planner drafted this SOP from it (YAML; the JSON field names are the same):\n```yaml\n")
	b.Write(draft)
	if len(draft) > 0 && draft[len(draft)-1] != '\n' {
		b.WriteByte('\n')
	}
	b.WriteString("```\n\n")
	b.WriteString("Improve the draft so that it follows the brief and the policies closely. Keep its ids, its structure and whatever is already right; change, add or remove only what the brief, the policies or good release practice call for. Return the complete SOP as one JSON object.")
	return b.String()
}
