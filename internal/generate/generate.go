// Package generate turns what a team says about its releases into a
// complete SOP: a brief in plain language (and policy texts), read by a
// built-in planner that draws on a knowledge base of release practice. It
// works offline and deterministically. The CLI and the web workspace call
// the same functions.
package generate

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/compile"
	"github.com/relsop/relsop/internal/encode"
	"github.com/relsop/relsop/internal/lint"
)

// Request is what to generate from.
type Request struct {
	Brief      string   // the brief, in plain language
	Policies   []string // policy texts, read like the brief
	RACI       []File   // RACI matrices (CSV): owners and RACI roles
	Calendars  []File   // release calendars (iCalendar): schedule and freeze windows
	Checklists []File   // Markdown checklists: gate criteria and test steps
	Types      []string // release types to add: major, minor, emergency
	Profile    lint.Profile
}

// File is a structured input: its name (used in error positions) and bytes.
type File struct {
	Name string
	Data []byte
}

// Result is a generated SOP with the reasons behind it.
type Result struct {
	SOP         *relsop.SOP
	YAML        []byte
	Reasons     []Reason // why each role, step and path is there
	Assumptions []string // what the planner assumed where the brief was silent
	Notes       []string // what the user should know: inputs used, warnings about them, a fallback taken
	Findings    []relsop.Finding
}

// Reason says why one element of the SOP is there.
type Reason struct {
	Element string `json:"element"` // "role:qa-lead", a step id, or "type:emergency"
	Why     string `json:"why"`
}

// ReleaseTypes are the release types Generate can add.
var ReleaseTypes = []string{"major", "minor", "emergency"}

// MaxBrief bounds the brief and policy text read, in bytes: about 15
// pages, far more than a brief, and reading stays well under a second.
const MaxBrief = 64 << 10

// ErrEmptyBrief is returned for a brief with nothing in it.
var ErrEmptyBrief = errors.New("the brief is empty: describe how your team releases, for example \"weekly SaaS releases with a canary and a security review\"")

// Generate plans an SOP from req. The result always loads without errors
// and has no error-level lint findings under req.Profile.
func Generate(req Request) (*Result, error) {
	total := len(req.Brief)
	for _, p := range req.Policies {
		total += len(p)
	}
	if strings.TrimSpace(req.Brief) == "" && strings.TrimSpace(strings.Join(req.Policies, "")) == "" {
		return nil, ErrEmptyBrief
	}
	if total > MaxBrief {
		return nil, fmt.Errorf("the brief and policies are %d bytes; at most %d are read", total, MaxBrief)
	}
	for _, t := range req.Types {
		if !contains(ReleaseTypes, t) {
			return nil, fmt.Errorf("unknown release type %q: choose from %s", t, strings.Join(ReleaseTypes, ", "))
		}
	}
	if _, err := loadKnowledge(); err != nil {
		return nil, fmt.Errorf("internal error: knowledge base: %w", err)
	}
	res, err := build(req, true)
	if errors.As(err, new(*InputError)) {
		return nil, err
	}
	if err != nil {
		// The brief's own sentences led somewhere the rules reject: plan
		// from the knowledge base alone, and say so, rather than fail.
		var err2 error
		if res, err2 = build(req, false); err2 != nil {
			return nil, err2
		}
		res.Notes = append(res.Notes, "some statements of the brief could not be placed in the SOP ("+err.Error()+"); the SOP follows the knowledge base without them")
	}
	return res, nil
}

// build plans, checks and encodes one SOP; readBrief says whether the
// brief's own sentences are applied on top of the knowledge base.
func build(req Request, readBrief bool) (*Result, error) {
	b := understand(validTexts(append([]string{req.Brief}, req.Policies...))...)
	if !readBrief {
		b.clean()
	}
	if req.Profile == lint.ProfileRegulated && !b.regulated() {
		b.regulatedProfile = true
		b.assumptions = append(b.assumptions, "the regulated profile was asked for, so the SOP follows regulated practice: impact assessment, evidence archived for audit, post-implementation review")
	}
	p := assemble(b, readBrief)
	if err := p.applyInputs(req); err != nil {
		return nil, err
	}
	p.separateDuties()
	p.addTypes(req.Types)
	p.describe()
	src := encode.YAML(p.sop)
	res := compile.Load(src)
	if len(res.Errors) > 0 {
		return nil, fmt.Errorf("internal error: the generated SOP does not load: %s", res.Errors[0].Message)
	}
	findings := lint.Run(res.SOP, lint.Config{Profile: req.Profile})
	for _, f := range findings {
		if f.Severity == relsop.SeverityError {
			return nil, fmt.Errorf("internal error: the generated SOP breaks rule %s: %s", f.Code, f.Message)
		}
	}
	return &Result{SOP: res.SOP, YAML: src, Reasons: p.reasons(), Assumptions: b.assumptions, Notes: p.notes, Findings: findings}, nil
}

// describe fills in the SOP's own fields.
func (p *plan) describe() {
	b, s := p.b, p.sop
	s.Title = mustKnowledge().lex.domain(b.domain).Title
	s.ID = kebab(s.Title)
	s.Version = "0.1"
	s.Owner = p.role("release-manager")
	s.Status = relsop.StatusDraft
	s.Review = relsop.Review{Cadence: dur("6mo")}
	desc := "Generated by relsop from a brief about " + domainName(b.domain)
	if len(b.regimes) > 0 {
		desc += " under " + b.regimeNames()
	}
	s.Description = desc + ". Review it with the people who run the release before you adopt it."
	sort.SliceStable(s.Phases, func(i, j int) bool { return indexOf(phaseOrder, s.Phases[i].ID) < indexOf(phaseOrder, s.Phases[j].ID) })
}

func (p *plan) reasons() []Reason {
	var out []Reason
	for _, r := range p.sop.Roles {
		out = append(out, Reason{"role:" + r.ID, p.why["role:"+r.ID]})
	}
	for _, st := range p.sop.Steps {
		if w := p.why[st.ID]; w != "" {
			out = append(out, Reason{st.ID, w})
		}
	}
	for _, rt := range p.sop.ReleaseTypes {
		out = append(out, Reason{"type:" + rt.ID, p.why["type:"+rt.ID]})
	}
	return out
}

func contains(list []string, s string) bool { return indexOf(list, s) >= 0 }

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}

// validTexts replaces bytes that are not UTF-8, which would otherwise end
// up in the SOP's text and make it an invalid file.
func validTexts(texts []string) []string {
	out := make([]string, len(texts))
	for i, t := range texts {
		out[i] = strings.ToValidUTF8(t, "\uFFFD")
	}
	return out
}
