// Package templates holds relsop's built-in SOP templates: complete,
// lint-clean *.sop.yaml files for the common release settings (a weekly SaaS
// release train, an enterprise change through a CAB, a CI/CD pipeline, a
// regulated healthcare release), each with major, minor and emergency
// release types. relsop new writes one out as the start of a team's own SOP.
package templates

import (
	"embed"
	"sort"
	"strings"
)

//go:embed *.sop.yaml
var files embed.FS

// Template is one built-in SOP template.
type Template struct {
	Name        string // file name without .sop.yaml, such as saas-weekly
	Title       string // the SOP's title
	Description string // one line saying when to use it
	Profile     string // the lint profile it is written for: default or regulated
	Source      []byte // the *.sop.yaml file
}

// Lint profiles a template is written for.
const (
	ProfileDefault   = "default"
	ProfileRegulated = "regulated"
)

// meta describes each template; the titles come from the files themselves.
var meta = map[string]struct {
	description string
	profile     string
}{
	"saas-weekly": {
		"Weekly SaaS feature release: readiness criteria, security gate, canary, monitoring",
		ProfileDefault,
	},
	"enterprise-cab": {
		"Enterprise IT change (ITIL): RFC, risk assessment, CAB approval, maintenance window",
		ProfileDefault,
	},
	"devops-cicd": {
		"CI/CD release flow: automated tests apart from approvals, dev -> staging -> production",
		ProfileDefault,
	},
	"regulated-healthcare": {
		"Healthcare software (IEC 62304, 21 CFR Part 11): V&V gates, QA/RA sign-off",
		ProfileRegulated,
	},
}

const suffix = ".sop.yaml"

// All returns every built-in template, sorted by name.
func All() []Template {
	entries, err := files.ReadDir(".")
	if err != nil {
		panic("templates: reading embedded files: " + err.Error()) // cannot happen: the files are compiled in
	}
	var out []Template
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), suffix)
		if !ok {
			continue
		}
		src, err := files.ReadFile(e.Name())
		if err != nil {
			panic("templates: reading embedded file " + e.Name() + ": " + err.Error())
		}
		m, ok := meta[name]
		if !ok {
			m.profile = ProfileDefault
		}
		out = append(out, Template{Name: name, Title: title(src), Description: m.description, Profile: m.profile, Source: src})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Get returns the template called name.
func Get(name string) (Template, bool) {
	for _, t := range All() {
		if t.Name == name {
			return t, true
		}
	}
	return Template{}, false
}

// Names lists the names of the built-in templates, sorted.
func Names() []string {
	all := All()
	out := make([]string, len(all))
	for i, t := range all {
		out[i] = t.Name
	}
	return out
}

// title reads the top-level title: line of a template. The templates are
// written by us, so a plain scan of the top-level keys is enough.
func title(src []byte) string {
	for _, line := range strings.Split(string(src), "\n") {
		if v, ok := strings.CutPrefix(line, "title:"); ok {
			return strings.Trim(strings.TrimSpace(v), `"'`)
		}
	}
	return ""
}
