package report

import (
	"encoding/json"
	"io"

	"github.com/relsop/relsop"
)

// jsonFinding is the stable JSON form of a finding. Field names are part of
// relsop's interface: add, never rename.
type jsonFinding struct {
	File     string `json:"file"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
	Severity string `json:"severity"`
	Rule     string `json:"rule"`
	Message  string `json:"message"`
	Hint     string `json:"hint,omitempty"`
}

type jsonReport struct {
	Findings []jsonFinding `json:"findings"`
	Errors   int           `json:"errors"`
	Warnings int           `json:"warnings"`
	Infos    int           `json:"infos"`
}

// JSON writes findings as one JSON document.
func JSON(w io.Writer, findings []relsop.Finding) error {
	r := jsonReport{Findings: []jsonFinding{}}
	for _, f := range findings {
		r.Findings = append(r.Findings, jsonFinding{File: f.File, Line: f.Pos.Line, Column: f.Pos.Col, Severity: string(f.Severity),
			Rule: f.Code, Message: f.Message, Hint: f.Hint})
		switch f.Severity {
		case relsop.SeverityError:
			r.Errors++
		case relsop.SeverityWarning:
			r.Warnings++
		default:
			r.Infos++
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}
