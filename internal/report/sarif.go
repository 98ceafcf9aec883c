package report

import (
	"encoding/json"
	"io"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/relsop/relsop"
)

// RuleInfo describes a rule for SARIF's tool.driver.rules.
type RuleInfo struct {
	ID       string
	Summary  string
	Doc      string
	Fix      string
	Severity relsop.Severity // the configured severity
}

// sarifLevel maps a severity to SARIF's level.
func sarifLevel(s relsop.Severity) string {
	switch s {
	case relsop.SeverityError:
		return "error"
	case relsop.SeverityWarning:
		return "warning"
	case relsop.SeverityInfo:
		return "note"
	}
	return "none"
}

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool    sarifTool     `json:"tool"`
	Results []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifRule struct {
	ID                   string          `json:"id"`
	ShortDescription     sarifText       `json:"shortDescription"`
	FullDescription      sarifText       `json:"fullDescription"`
	Help                 sarifText       `json:"help"`
	DefaultConfiguration sarifRuleConfig `json:"defaultConfiguration"`
}

type sarifRuleConfig struct {
	Level string `json:"level"`
}

type sarifResult struct {
	RuleID    string          `json:"ruleId"`
	RuleIndex *int            `json:"ruleIndex,omitempty"`
	Level     string          `json:"level"`
	Message   sarifText       `json:"message"`
	Locations []sarifLocation `json:"locations"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn"`
}

// SARIF writes findings as a SARIF 2.1.0 log for code-scanning services.
// rules describes every rule that may appear; codes not among them (load
// errors) are added as rules of their own so that each result has one.
func SARIF(w io.Writer, findings []relsop.Finding, rules []RuleInfo, version string) error {
	driver := sarifDriver{Name: "relsop", Version: version, InformationURI: "https://relsop.dev", Rules: []sarifRule{}}
	index := map[string]int{}
	addRule := func(r RuleInfo) {
		index[r.ID] = len(driver.Rules)
		help := r.Doc
		if r.Fix != "" {
			help += " Fix: " + r.Fix + "."
		}
		driver.Rules = append(driver.Rules, sarifRule{ID: r.ID, ShortDescription: sarifText{r.Summary}, FullDescription: sarifText{r.Doc},
			Help: sarifText{help}, DefaultConfiguration: sarifRuleConfig{Level: sarifLevel(r.Severity)}})
	}
	for _, r := range rules {
		addRule(r)
	}
	results := []sarifResult{}
	for _, f := range findings {
		if _, ok := index[f.Code]; !ok {
			addRule(RuleInfo{ID: f.Code, Summary: "The file could not be loaded: " + f.Code + ".", Doc: "A load error of relsop.", Severity: relsop.SeverityError})
		}
		i := index[f.Code]
		msg := f.Message
		if f.Hint != "" {
			msg += ". Fix: " + f.Hint
		}
		loc := sarifLocation{PhysicalLocation: sarifPhysical{ArtifactLocation: sarifArtifact{URI: artifactURI(f.File)}}}
		if f.Pos.IsValid() {
			loc.PhysicalLocation.Region = &sarifRegion{StartLine: f.Pos.Line, StartColumn: f.Pos.Col}
		}
		results = append(results, sarifResult{RuleID: f.Code, RuleIndex: &i, Level: sarifLevel(f.Severity), Message: sarifText{msg}, Locations: []sarifLocation{loc}})
	}
	log := sarifLog{
		Schema:  "https://json.schemastore.org/sarif-2.1.0.json",
		Version: "2.1.0",
		Runs:    []sarifRun{{Tool: sarifTool{Driver: driver}, Results: results}},
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(log)
}

// artifactURI writes a file path as a relative URI reference, as code
// scanning services expect paths relative to the repository root.
func artifactURI(file string) string {
	p, ok := repoPath(file)
	if !ok {
		return "stdin"
	}
	u := url.URL{Path: p}
	return u.EscapedPath()
}

// repoPath writes a file path as CI services show it, with forward
// slashes and no leading "./". It reports false for standard input, which
// has no path.
func repoPath(file string) (string, bool) {
	if file == "" || file == stdinNameInReport {
		return "", false
	}
	return strings.TrimPrefix(filepath.ToSlash(filepath.Clean(file)), "./"), true
}

const stdinNameInReport = "<stdin>"
