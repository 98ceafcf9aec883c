package lint

import (
	"fmt"
	"path"
	"strconv"
	"strings"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/schema"
	"github.com/relsop/relsop/internal/suggest"
	"github.com/relsop/relsop/internal/syntax"
)

// ConfigFileName is the project config relsop lint looks for in the
// current directory when --config is not given.
const ConfigFileName = ".relsop.yaml"

var configObj = &schema.Obj{Name: "lint config", Doc: "How relsop lint is tuned for a project.", Fields: []*schema.Field{
	{Name: "profile", Type: schema.Enum, Enum: []string{string(ProfileDefault), string(ProfileRegulated)}, Doc: "default or regulated."},
	{Name: "rules", Type: schema.ScalarMap, Doc: "Rule id -> off, info, warning or error."},
	{Name: "complexity", Type: schema.Object, Object: &schema.Obj{Name: "complexity", Fields: []*schema.Field{
		{Name: "max_steps", Type: schema.Int, Doc: "Most steps in one SOP."},
		{Name: "max_steps_per_lane", Type: schema.Int, Doc: "Most steps one role owns."},
		{Name: "max_steps_per_phase", Type: schema.Int, Doc: "Most steps in one phase."},
	}}, Doc: "The complexity budget."},
	{Name: "naming", Type: schema.Object, Object: &schema.Obj{Name: "naming", Fields: []*schema.Field{
		{Name: "verbs", Type: schema.StringList, Doc: "Extra verbs step names may start with."},
	}}, Doc: "Naming conventions."},
	{Name: "ignore", Type: schema.List, Object: &schema.Obj{Name: "ignore", Fields: []*schema.Field{
		{Name: "rule", Type: schema.String, Required: true, Doc: "The rule id, or * for all rules."},
		{Name: "paths", Type: schema.StringList, Required: true, Doc: "Glob patterns of the files it applies to."},
		{Name: "reason", Type: schema.Text, Required: true, Doc: "Why."},
	}}, Doc: "Rules turned off for some files, each with a reason."},
}}

// severities a config may give a rule.
var severityWords = []string{string(Off), string(relsop.SeverityInfo), string(relsop.SeverityWarning), string(relsop.SeverityError)}

// ParseConfig reads a lint config file. Errors carry positions.
func ParseConfig(src []byte) (Config, []relsop.Finding) {
	var cfg Config
	tree, perr := syntax.Parse(src)
	if perr != nil {
		return cfg, []relsop.Finding{*perr}
	}
	root := tree.Root
	errs := schema.CheckAgainst(root, configObj, "the lint config")
	if len(errs) > 0 {
		return cfg, errs
	}
	add := func(pos relsop.Pos, code, msg, hint string) {
		errs = append(errs, relsop.Finding{Pos: pos, Severity: relsop.SeverityError, Code: code, Message: msg, Hint: hint})
	}
	if v := root.Get("profile"); v != nil {
		cfg.Profile = Profile(v.Value)
	}
	if rules := root.Get("rules"); rules != nil && rules.Kind == syntax.Mapping {
		cfg.Rules = map[string]relsop.Severity{}
		for _, p := range rules.Pairs {
			if RuleByID(p.Key.Value) == nil {
				add(p.Key.Pos, CodeUnknownRule, fmt.Sprintf("unknown rule %q%s", p.Key.Value, suggest.Hint(p.Key.Value, RuleIDs())), "see the rule ids with: relsop rules")
				continue
			}
			sev := strings.ToLower(p.Value.Value)
			if !contains(severityWords, sev) {
				add(p.Value.Pos, schema.CodeInvalidValue, fmt.Sprintf("severity of rule %q is %q", p.Key.Value, p.Value.Value), "use one of: "+strings.Join(severityWords, ", "))
				continue
			}
			cfg.Rules[p.Key.Value] = relsop.Severity(sev)
		}
	}
	if c := root.Get("complexity"); c != nil && c.Kind == syntax.Mapping {
		for _, f := range []struct {
			key string
			dst *int
		}{{"max_steps", &cfg.MaxSteps}, {"max_steps_per_lane", &cfg.MaxLane}, {"max_steps_per_phase", &cfg.MaxPhase}} {
			if v := c.Get(f.key); v != nil && v.Kind == syntax.Scalar {
				n, err := strconv.Atoi(v.Value)
				if err != nil || n < 1 {
					add(v.Pos, schema.CodeInvalidValue, fmt.Sprintf("%s is %q", f.key, v.Value), "use a whole number of at least 1")
					continue
				}
				*f.dst = n
			}
		}
	}
	if n := root.Get("naming"); n != nil {
		if v := n.Get("verbs"); v != nil {
			for _, it := range append([]*syntax.Node{v}, v.Items...) {
				if it.Kind == syntax.Scalar {
					cfg.Verbs = append(cfg.Verbs, strings.ToLower(it.Value))
				}
			}
		}
	}
	if igs := root.Get("ignore"); igs != nil {
		for _, it := range igs.Items {
			ig := PathIgnore{Rule: it.Get("rule").Value, Reason: it.Get("reason").Value}
			if ig.Rule != "*" && RuleByID(ig.Rule) == nil {
				add(it.Get("rule").Pos, CodeUnknownRule, fmt.Sprintf("unknown rule %q%s", ig.Rule, suggest.Hint(ig.Rule, RuleIDs())), "see the rule ids with: relsop rules")
			}
			if strings.TrimSpace(ig.Reason) == "" {
				add(it.Get("reason").Pos, schema.CodeMissingField, "an ignore entry needs a reason", "say why the rule does not apply to these files")
			}
			p := it.Get("paths")
			for _, x := range append([]*syntax.Node{p}, p.Items...) {
				if x == nil || x.Kind != syntax.Scalar {
					continue
				}
				// A malformed pattern would never match: say so rather
				// than lint the files it was meant to leave out.
				if _, err := path.Match(x.Value, ""); err != nil {
					add(x.Pos, schema.CodeInvalidValue, fmt.Sprintf("the path pattern %q is malformed (%v)", x.Value, err),
						`write a pattern such as "legacy/*.sop.yaml" or "legacy/**"; a literal [ is written [[]`)
					continue
				}
				ig.Paths = append(ig.Paths, x.Value)
			}
			cfg.Ignore = append(cfg.Ignore, ig)
		}
	}
	return cfg, errs
}
