package workspace

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/generate"
	"github.com/relsop/relsop/internal/importer"
	"github.com/relsop/relsop/internal/importer/auto"
	"github.com/relsop/relsop/internal/importer/gitlabci"
	"github.com/relsop/relsop/internal/lint"
)

// maxBrief bounds a brief and each uploaded input.
const maxBrief = 256 << 10

// GenerateRequest is a brief with its uploaded inputs, as text.
type GenerateRequest struct {
	Brief     string
	Policy    string
	RACI      string // CSV
	Calendar  string // iCalendar
	Checklist string // Markdown
	Types     []string
	Profile   string
}

// Generate makes an SOP from a brief with the built-in planner and adds it
// to a workspace. The result says why each element is there.
func (s *Service) Generate(ctx context.Context, workspaceID int64, in GenerateRequest) (*relsop.Document, *generate.Result, error) {
	if _, err := s.access(ctx, workspaceID, relsop.RoleEditor, "workspace"); err != nil {
		return nil, nil, err
	}
	for name, v := range map[string]string{"brief": in.Brief, "policy": in.Policy, "RACI matrix": in.RACI, "calendar": in.Calendar, "checklist": in.Checklist} {
		if len(v) > maxBrief {
			return nil, nil, relsop.Errorf(relsop.ETOOLARGE, "The %s is over %d KiB.", name, maxBrief>>10)
		}
	}
	if strings.TrimSpace(in.Brief) == "" {
		return nil, nil, relsop.Errorf(relsop.EINVALID, "Describe how your team releases in the brief.")
	}
	profile := lint.Profile(in.Profile)
	if profile == "" {
		profile = lint.ProfileDefault
	}
	if !slices.Contains(lint.Profiles, profile) {
		return nil, nil, relsop.Errorf(relsop.EINVALID, "The profile must be default or regulated, not %q.", in.Profile)
	}
	req := generate.Request{Brief: in.Brief, Types: in.Types, Profile: profile}
	if strings.TrimSpace(in.Policy) != "" {
		req.Policies = []string{in.Policy}
	}
	add := func(into *[]generate.File, name, data string) {
		if strings.TrimSpace(data) != "" {
			*into = append(*into, generate.File{Name: name, Data: []byte(data)})
		}
	}
	add(&req.RACI, "raci.csv", in.RACI)
	add(&req.Calendars, "calendar.ics", in.Calendar)
	add(&req.Checklists, "checklist.md", in.Checklist)
	var res *generate.Result
	var err error
	if s.llm != nil {
		res, err = generate.GenerateLLM(ctx, req, s.llm)
	} else {
		res, err = generate.Generate(req)
	}
	if err != nil {
		var ie *generate.InputError
		if errors.As(err, &ie) {
			return nil, nil, &FindingsError{Message: "An uploaded file cannot be used: " + firstMessage(ie.Findings), Findings: ie.Findings}
		}
		return nil, nil, relsop.Errorf(relsop.EINVALID, "%s", capitalise(err.Error()))
	}
	d, err := s.Create(ctx, workspaceID, "", res.YAML, "Generated from a brief")
	if err != nil {
		return nil, nil, err
	}
	return d, res, nil
}

// Imported is an imported SOP with what the import could not carry over.
type Imported struct {
	Document    *relsop.Document
	Warnings    []relsop.Finding
	Assumptions []string
}

// Import adds an SOP to a workspace from a file: relsop YAML, BPMN, a GitHub
// Actions workflow or a GitLab CI file, told apart by content unless from
// names the format.
func (s *Service) Import(ctx context.Context, workspaceID int64, filename string, content []byte, from string) (*Imported, error) {
	if _, err := s.access(ctx, workspaceID, relsop.RoleEditor, "workspace"); err != nil {
		return nil, err
	}
	if len(content) > MaxSource {
		return nil, relsop.Errorf(relsop.ETOOLARGE, "The file is over %d KiB.", MaxSource>>10)
	}
	if filename == "" {
		filename = "upload"
	}
	if from == "" && (strings.HasSuffix(filename, ".sop.yaml") || strings.HasSuffix(filename, ".sop.yml")) {
		from = "yaml"
	}
	if from == "yaml" {
		d, err := s.Create(ctx, workspaceID, "", content, "Imported from "+filename)
		if err != nil {
			return nil, err
		}
		return &Imported{Document: d}, nil
	}
	// Includes are never read from the server's disk.
	noIncludes := gitlabci.Options{Dir: ".", ReadFile: func(path string) ([]byte, error) {
		return nil, fmt.Errorf("included files are not read in the workspace; upload a pipeline without local includes")
	}}
	res, format, err := auto.Import(filename, content, importer.Format(from), noIncludes)
	var unknown *auto.UnknownFormatError
	if errors.As(err, &unknown) {
		return nil, relsop.Errorf(relsop.EINVALID, "The format must be yaml, bpmn, github-actions or gitlab-ci, not %q.", from)
	}
	if err != nil {
		return nil, importError(err)
	}
	yaml, loaded := importer.Encode(res.SOP)
	if len(loaded.Errors) > 0 {
		return nil, fmt.Errorf("the SOP imported from %s does not validate: %v", filename, loaded.Errors)
	}
	d, err := s.Create(ctx, workspaceID, "", yaml, fmt.Sprintf("Imported from %s (%s)", filename, format))
	if err != nil {
		return nil, err
	}
	for i := range res.Warnings {
		res.Warnings[i].File = filename
	}
	return &Imported{Document: d, Warnings: res.Warnings, Assumptions: res.Assumptions}, nil
}

func importError(err error) error {
	var ie *importer.Error
	if errors.As(err, &ie) {
		return &FindingsError{Message: fmt.Sprintf("The file cannot be imported: %s: %s", ie.Finding.Pos, ie.Finding.Message), Findings: []relsop.Finding{ie.Finding}}
	}
	return relsop.Errorf(relsop.EINVALID, "The file cannot be imported: %v", err)
}
