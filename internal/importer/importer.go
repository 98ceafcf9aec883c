// Package importer holds what the importers of other tools' files share:
// the result they return, honest warnings about what they did not map,
// a builder that keeps the SOP it makes valid, format detection, and the
// last stage that writes the SOP out and loads it back through compile so
// that every import is proven to validate.
//
// The importers live beside it, one package per format: bpmn,
// githubactions and gitlabci. Each has one entry, Import(name, src, ...),
// returning a Result or an *Error with the position of the problem.
package importer

import (
	"bytes"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/compile"
	"github.com/relsop/relsop/internal/encode"
	"github.com/relsop/relsop/internal/importer/ciyaml"
)

// Codes of the warnings and errors importers report.
const (
	CodeUnmapped      = "import-unmapped"      // a construct with no place in the SOP
	CodeApproximated  = "import-approximated"  // mapped, but with less meaning than it had
	CodeUnresolved    = "import-unresolved"    // a reference to another file or workflow not followed
	CodeDuplicateKey  = "import-duplicate-key" // a key written twice; the last one counts
	CodeInvalid       = "import-invalid"       // the file is not a valid pipeline or process
	CodeCycle         = "import-cycle"         // needs: or extends: refer back to themselves
	CodeUnsafe        = "import-unsafe"        // XML with DOCTYPE or entities
	CodeNotRecognised = "import-format"        // the format could not be detected
)

// Result is an imported SOP with what the import could not carry over.
type Result struct {
	SOP *relsop.SOP
	// Warnings are positioned in the imported file (File left empty for
	// the caller to fill in), sorted by position.
	Warnings []relsop.Finding
	// Assumptions are the guesses the import made, in words, such as
	// "the production environment is protected by an approval".
	Assumptions []string
}

// Error is an import that failed: the file is not of the format, or is
// malformed, unsafe or too large. It carries one positioned finding.
type Error struct{ Finding relsop.Finding }

func (e *Error) Error() string {
	return fmt.Sprintf("%s: %s", e.Finding.Pos, e.Finding.Message)
}

// Errorf returns an *Error at pos.
func Errorf(pos relsop.Pos, code, hint, format string, args ...any) *Error {
	if !pos.IsValid() {
		pos = relsop.Pos{Line: 1, Col: 1}
	}
	return &Error{Finding: relsop.Finding{Pos: pos, Severity: relsop.SeverityError, Code: code,
		Message: fmt.Sprintf(format, args...), Hint: hint}}
}

// FromFinding wraps a finding of a parser as an *Error.
func FromFinding(f *relsop.Finding) *Error { return &Error{Finding: *f} }

// Warnings collects the warnings of one import. A construct that recurs
// (the same unmapped key in a hundred jobs) is reported once, at its first
// place, with the number of other places, so that a review stays readable
// and still nothing is dropped silently.
type Warnings struct {
	list  []relsop.Finding
	index map[string]int // group key -> index in list
	count map[string]int
}

// Add reports a warning at pos.
func (w *Warnings) Add(pos relsop.Pos, code, hint, format string, args ...any) {
	w.AddIn("", pos, code, hint, format, args...)
}

// AddIn reports a warning at pos in another file than the one imported
// (an included file); an empty file means the imported one.
func (w *Warnings) AddIn(file string, pos relsop.Pos, code, hint, format string, args ...any) {
	if !pos.IsValid() {
		pos = relsop.Pos{Line: 1, Col: 1}
	}
	w.list = append(w.list, relsop.Finding{File: file, Pos: pos, Severity: relsop.SeverityWarning, Code: code,
		Message: fmt.Sprintf(format, args...), Hint: hint})
}

// Group reports a warning once per group; later calls with the same group
// only count. The message of the first call is kept and told how many
// other places have the same construct.
func (w *Warnings) Group(group string, pos relsop.Pos, code, hint, format string, args ...any) {
	w.GroupIn("", group, pos, code, hint, format, args...)
}

// GroupIn is Group for a warning in another file than the one imported.
func (w *Warnings) GroupIn(file, group string, pos relsop.Pos, code, hint, format string, args ...any) {
	if w.index == nil {
		w.index, w.count = map[string]int{}, map[string]int{}
	}
	if _, ok := w.index[group]; ok {
		w.count[group]++
		return
	}
	w.index[group] = len(w.list)
	w.AddIn(file, pos, code, hint, format, args...)
}

// List returns the warnings sorted by position.
func (w *Warnings) List() []relsop.Finding {
	out := append([]relsop.Finding(nil), w.list...)
	for g, i := range w.index {
		if n := w.count[g]; n > 0 {
			out[i].Message += fmt.Sprintf(" (and %d more like it)", n)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].File != out[j].File {
			return out[i].File < out[j].File
		}
		a, b := out[i].Pos, out[j].Pos
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
	return out
}

// Encode writes the imported SOP as a *.sop.yaml file and loads it back,
// returning the file and the loaded model. An importer bug that makes an
// invalid SOP shows here as errors, never as a file that fails later.
func Encode(sop *relsop.SOP) ([]byte, compile.Result) {
	src := encode.YAML(sop)
	return src, compile.Load(src)
}

// Format is a kind of file relsop imports.
type Format string

// The formats relsop imports.
const (
	BPMN          Format = "bpmn"
	GitHubActions Format = "github-actions"
	GitLabCI      Format = "gitlab-ci"
)

// Formats lists the import formats in the order the help lists them.
var Formats = []Format{BPMN, GitHubActions, GitLabCI}

// Detect tells the format of src from its content: XML is BPMN; YAML with
// on: and a mapping of jobs: is a GitHub Actions workflow; YAML with
// stages:, include:, spec:, or jobs with script:, stage:, extends: or
// trigger: is a GitLab CI file. The file name breaks a tie only.
func Detect(name string, src []byte) (Format, error) {
	trimmed := bytes.TrimLeft(bytes.TrimPrefix(src, []byte("\ufeff")), " \t\r\n")
	if bytes.HasPrefix(trimmed, []byte("<")) {
		return BPMN, nil
	}
	docs, fail := ciyaml.Parse(src)
	if fail != nil {
		return "", FromFinding(fail)
	}
	doc := docs[0]
	if len(docs) > 1 && doc.Has("spec") {
		return GitLabCI, nil
	}
	if doc.Kind == ciyaml.Mapping {
		jobs := doc.Get("jobs")
		if jobs != nil && jobs.Kind == ciyaml.Mapping && (doc.Has("on") || doc.Has("true")) {
			return GitHubActions, nil
		}
		for _, k := range []string{"stages", "include", "workflow", "default"} {
			if doc.Has(k) {
				return GitLabCI, nil
			}
		}
		for _, p := range doc.Pairs {
			for _, k := range []string{"script", "stage", "extends", "trigger"} {
				if p.Value.Has(k) {
					return GitLabCI, nil
				}
			}
		}
	}
	base := strings.ToLower(filepath.ToSlash(name))
	switch {
	case strings.Contains(base, ".github/workflows/"):
		return GitHubActions, nil
	case strings.Contains(base, "gitlab-ci"):
		return GitLabCI, nil
	}
	return "", Errorf(doc.Pos, CodeNotRecognised, "name the format with --from bpmn, github-actions or gitlab-ci",
		"cannot tell the format: this is neither BPMN XML, a GitHub Actions workflow (on: and jobs:) nor a GitLab CI file (stages: or jobs with script:)")
}
