package workspace

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/compile"
	"github.com/relsop/relsop/internal/lint"
)

// MaxSource is the largest SOP file the workspace keeps (1 MiB): far more
// than any real procedure, small enough that parsing stays quick.
const MaxSource = 1 << 20

// FindingsError is EINVALID for an SOP that does not load, with the
// loader's positioned findings.
type FindingsError struct {
	Message  string
	Findings []relsop.Finding
}

func (e *FindingsError) Error() string { return e.Message }

// Unwrap gives the error its code.
func (e *FindingsError) Unwrap() error {
	return &relsop.Error{Code: relsop.EINVALID, Message: e.Message}
}

// analysis is what saving reads from an SOP's source.
type analysis struct {
	sop      *relsop.SOP
	findings []relsop.Finding // lint, default profile
	lint     relsop.LintState
}

// load loads source without linting it, for drawing and comparing; a
// source that does not load is a *FindingsError.
func load(source []byte) (*relsop.SOP, error) {
	if len(source) > MaxSource {
		return nil, relsop.Errorf(relsop.ETOOLARGE, "The SOP is %d bytes; the workspace keeps SOPs up to %d bytes.", len(source), MaxSource)
	}
	res := compile.Load(source)
	if len(res.Errors) > 0 || res.SOP == nil {
		return nil, &FindingsError{Message: fmt.Sprintf("The SOP does not load: %s", firstMessage(res.Errors)), Findings: res.Errors}
	}
	return res.SOP, nil
}

// analyse loads and lints source.
func analyse(source []byte) (*analysis, error) {
	sop, err := load(source)
	if err != nil {
		return nil, err
	}
	a := &analysis{sop: sop, findings: lint.Run(sop, lint.Config{}), lint: relsop.LintClean}
	for _, f := range a.findings {
		switch f.Severity {
		case relsop.SeverityError:
			a.lint = relsop.LintErrors
		case relsop.SeverityWarning:
			if a.lint == relsop.LintClean {
				a.lint = relsop.LintWarnings
			}
		}
	}
	return a, nil
}

func firstMessage(fs []relsop.Finding) string {
	if len(fs) == 0 {
		return "it is empty or not YAML."
	}
	msg := fmt.Sprintf("%s: %s", fs[0].Pos, fs[0].Message)
	if len(fs) > 1 {
		msg += fmt.Sprintf(" (and %d more)", len(fs)-1)
	}
	return msg
}

// describe fills the document fields the library lists from the analysis.
func (a *analysis) describe(d *relsop.Document) {
	d.Title = strings.TrimSpace(a.sop.Title)
	if d.Title == "" {
		d.Title = "Untitled SOP"
	}
	d.Status = a.sop.Status
	if d.Status == "" {
		d.Status = relsop.StatusDraft
	}
	d.Owner = a.sop.Owner
	d.ReleaseTypes = nil
	for _, rt := range a.sop.ReleaseTypes {
		d.ReleaseTypes = append(d.ReleaseTypes, rt.ID)
	}
	d.Lint = a.lint
	d.ReviewDue = reviewDue(a.sop)
}

// Validate loads and lints an unsaved source for the YAML tab: the loader's
// errors when it does not load, else the lint findings.
func (s *Service) Validate(ctx context.Context, source []byte) ([]relsop.Finding, error) {
	if _, err := signedIn(ctx); err != nil {
		return nil, err
	}
	a, err := analyse(source)
	var fe *FindingsError
	if errors.As(err, &fe) {
		return fe.Findings, nil
	}
	if err != nil {
		return nil, err
	}
	return slices.Clone(a.findings), nil
}
