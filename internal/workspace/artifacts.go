package workspace

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/document"
	"github.com/relsop/relsop/internal/encode"
	"github.com/relsop/relsop/internal/export"
	"github.com/relsop/relsop/internal/export/markdown"
	"github.com/relsop/relsop/internal/importer"
	"github.com/relsop/relsop/internal/layout"
	"github.com/relsop/relsop/internal/render/fallback"
	"github.com/relsop/relsop/internal/render/pdf"
	"github.com/relsop/relsop/internal/render/png"
	"github.com/relsop/relsop/internal/render/svg"
	"github.com/relsop/relsop/internal/templates"
)

// Artifact is a file made from an SOP: a diagram or an export.
type Artifact struct {
	Data      []byte
	MediaType string
	Filename  string // suggested, for downloads
}

// DownloadFormats are the formats an SOP can be downloaded in, in the order
// the editor's export menu lists them.
func DownloadFormats() []string {
	return append([]string{"svg", "png", "pdf", "document", "yaml"}, export.Names()...)
}

// ArtifactRequest says what to make of which revision.
type ArtifactRequest struct {
	Format   string // svg, png, pdf, document (the SOP as a PDF document), yaml, or an export format
	Type     string // release type id; "" for the base flow
	Theme    string // light, dark or print; diagrams only
	Revision int    // 0 for the latest
	IDPrefix string // svg: prefix of ids, for pages that show several diagrams

	control *document.Control // document and markdown: the revisions and approval
}

// Artifact draws or exports an SOP.
func (s *Service) Artifact(ctx context.Context, id int64, req ArtifactRequest) (*Artifact, error) {
	d, _, err := s.document(ctx, id, relsop.RoleViewer)
	if err != nil {
		return nil, err
	}
	source := d.Source
	if req.Revision != 0 && req.Revision != d.Revision {
		r, err := s.Revision(ctx, id, req.Revision)
		if err != nil {
			return nil, err
		}
		source = r.Source
	}
	if req.Format == "png" || req.Format == "document" {
		// A PNG holds its whole image in memory while drawn, and a PDF
		// document all its pages (about 115 MB for 300 steps): a burst of
		// downloads waits for a slot rather than adding up to more memory
		// than the server has.
		select {
		case s.heavy <- struct{}{}:
			defer func() { <-s.heavy }()
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if req.Format == "markdown" || req.Format == "document" {
		if req.control, err = s.documentControl(ctx, d, req.Revision); err != nil {
			return nil, err
		}
	}
	return makeArtifact(source, slug(d.Title), req)
}

// documentControl is what the PDF and Markdown documents say of the SOP as a
// controlled document: the revision it shows (0: the latest, with any
// live edits since), the revisions up to it and the approval it is under.
func (s *Service) documentControl(ctx context.Context, d *relsop.Document, revision int) (*document.Control, error) {
	revs, err := s.store.Revisions(ctx, d.ID) // newest first
	if err != nil {
		return nil, err
	}
	ctl := &document.Control{Revision: revision}
	if revision == 0 || revision == d.Revision {
		ctl.Revision = d.Revision
		ctl.Unsaved = d.Seq != d.RevisionSeq
	}
	for _, r := range revs {
		if r.Number > ctl.Revision {
			continue
		}
		ctl.Revisions = append(ctl.Revisions, document.Revision{Number: r.Number, Date: r.CreatedAt, Author: r.AuthorName,
			Status: r.Status, Message: r.Message,
			Approval: r.Status == relsop.StatusApproved && strings.HasPrefix(r.Message, StatusPrefix)})
	}
	return ctl, nil
}

// TemplateThumbnail draws a built-in template for the gallery.
func TemplateThumbnail(name string) (*Artifact, error) {
	t, ok := templates.Get(name)
	if !ok {
		return nil, relsop.Errorf(relsop.ENOTFOUND, "There is no template %q.", name)
	}
	return makeArtifact(t.Source, name, ArtifactRequest{Format: "svg", IDPrefix: "tpl-" + name + "-"})
}

func makeArtifact(source []byte, base string, req ArtifactRequest) (*Artifact, error) {
	sop, err := load(source)
	if err != nil {
		return nil, err
	}
	if req.Format == "" {
		req.Format = "svg"
	}
	if req.Format == "yaml" {
		return &Artifact{Data: source, MediaType: "application/yaml; charset=utf-8", Filename: base + ".sop.yaml"}, nil
	}
	if req.Type != "" && !slices.ContainsFunc(sop.ReleaseTypes, func(rt relsop.ReleaseType) bool { return rt.ID == req.Type }) {
		return nil, relsop.Errorf(relsop.EINVALID, "This SOP has no release type %q.", req.Type)
	}
	flow, err := sop.Resolve(req.Type)
	if err != nil {
		return nil, relsop.Errorf(relsop.EINVALID, "The release type %q cannot be resolved: %v", req.Type, err)
	}
	if req.Type != "" {
		base += "-" + req.Type
	}
	theme := req.Theme
	if theme == "" {
		theme = "light"
	}
	if !slices.Contains(svg.Themes(), theme) {
		return nil, relsop.Errorf(relsop.EINVALID, "The theme must be one of %s, not %q.", strings.Join(svg.Themes(), ", "), theme)
	}
	switch req.Format {
	case "svg", "png", "pdf":
		dia := layout.Compute(flow, layout.Options{})
		switch req.Format {
		case "svg":
			return &Artifact{Data: svg.Render(dia, svg.Options{Theme: theme, IDPrefix: req.IDPrefix}), MediaType: "image/svg+xml", Filename: base + ".svg"}, nil
		case "png":
			scale := png.FitScale(dia.Width, dia.Height, png.DefaultScale) // a large SOP still gets its PNG
			out, err := png.Render(dia, png.Options{Theme: theme, Scale: scale, Fallback: fallbackFont()})
			return &Artifact{Data: out, MediaType: "image/png", Filename: base + ".png"}, err
		default:
			out, err := pdf.Render(dia, pdf.Options{Theme: theme, Fallback: fallbackFont()})
			return &Artifact{Data: out, MediaType: "application/pdf", Filename: base + ".pdf"}, err
		}
	case "document":
		return publish(sop, flow, base, theme, req.control)
	case "json":
		out, err := encode.JSON(export.ResolvedFile(flow))
		return &Artifact{Data: out, MediaType: "application/json", Filename: base + ".sop.json"}, err
	}
	f, ok := export.Lookup(req.Format)
	if !ok {
		return nil, relsop.Errorf(relsop.EINVALID, "The format must be one of %s, not %q.", strings.Join(DownloadFormats(), ", "), req.Format)
	}
	var out []byte
	if f.Name == "markdown" && req.control != nil {
		out = markdown.ExportControlled(sop, flow, req.control)
	} else {
		out, err = f.Export(sop, flow)
	}
	if err != nil {
		return nil, fmt.Errorf("export %s: %w", f.Name, err)
	}
	return &Artifact{Data: out, MediaType: f.MediaType, Filename: base + f.Extension}, nil
}

// publish makes the SOP's PDF document, controlled when ctl is given: it
// says which revision it shows and the approval it is under.
func publish(sop, flow *relsop.SOP, base, theme string, ctl *document.Control) (*Artifact, error) {
	source := "the relsop workspace"
	if ctl != nil {
		source += ", revision " + strconv.Itoa(ctl.Revision)
		if ctl.Unsaved {
			source += " with live edits made since"
		}
	}
	out, err := pdf.Document(document.Build(sop, flow, ctl), layout.Compute(flow, layout.Options{}),
		pdf.DocumentOptions{Theme: theme, Source: source, Fallback: fallbackFont()})
	return &Artifact{Data: out, MediaType: "application/pdf", Filename: base + "-document.pdf"}, err
}

// fallbackFont is the font for characters the Go fonts lack, if this
// machine has one; a diagram without it still draws, with boxes.
func fallbackFont() []byte {
	f, err := fallback.Find()
	if err != nil {
		return nil
	}
	return f.TTF
}

// slug makes a file name of a title: ASCII letters, digits, hyphens, dots
// and underscores only, so that it is safe in a Content-Disposition header.
func slug(title string) string {
	if s := importer.Slug(title); s != "" {
		return s
	}
	return "sop"
}

// exportNotes are the caveats of the export formats for sop, with what to
// do instead in the workspace; nil when there are none.
func exportNotes(sop *relsop.SOP) map[string]string {
	var notes map[string]string
	for _, f := range export.Formats {
		if f.Caveat == nil {
			continue
		}
		if note := f.Caveat(sop); note != "" {
			if notes == nil {
				notes = map[string]string{}
			}
			notes[f.Name] = note + ". If the tool cannot draw it, export SVG, PNG or PDF, which relsop draws."
		}
	}
	return notes
}
