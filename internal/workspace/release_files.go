package workspace

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/export/markdown"
	"github.com/relsop/relsop/internal/layout"
	"github.com/relsop/relsop/internal/release"
	"github.com/relsop/relsop/internal/render/pdf"
	"github.com/relsop/relsop/internal/render/svg"
)

// ReleaseTrail returns a release's trail as the file relsop release
// writes, so that anyone can verify it with the CLI:
// relsop release verify NAME.release.jsonl --head HEAD.
func (s *Service) ReleaseTrail(ctx context.Context, releaseID int64) (*Artifact, error) {
	o, err := s.openRelease(ctx, releaseID)
	if err != nil {
		return nil, err
	}
	return &Artifact{Data: o.run.Trail(), MediaType: "application/jsonl; charset=utf-8", Filename: release.FileName(o.rel.Name)}, nil
}

// ReleaseDiagram draws the release's flow with its progress marked (SVG).
func (s *Service) ReleaseDiagram(ctx context.Context, releaseID int64, theme, idPrefix string) (*Artifact, error) {
	if theme == "" {
		theme = "light"
	}
	if !slices.Contains(svg.Themes(), theme) {
		return nil, relsop.Errorf(relsop.EINVALID, "The theme must be one of %s, not %q.", strings.Join(svg.Themes(), ", "), theme)
	}
	o, err := s.openRelease(ctx, releaseID)
	if err != nil {
		return nil, err
	}
	data := svg.Render(o.run.Progress(layout.Options{}), svg.Options{Theme: theme, IDPrefix: idPrefix})
	return &Artifact{Data: data, MediaType: "image/svg+xml", Filename: slug("release-"+o.rel.Name) + "-progress.svg"}, nil
}

// ReleaseReport writes a release's report, as relsop release report does:
// format "pdf" (with the path taken drawn) or "markdown".
func (s *Service) ReleaseReport(ctx context.Context, releaseID int64, format string) (*Artifact, error) {
	if format != "pdf" && format != "markdown" {
		return nil, relsop.Errorf(relsop.EINVALID, "A release report is pdf or markdown, not %q.", format)
	}
	o, err := s.openRelease(ctx, releaseID)
	if err != nil {
		return nil, err
	}
	r, name := o.run, release.FileName(o.rel.Name)
	doc := r.Report(name, o.problems, format == "pdf")
	base := slug("release-" + o.rel.Name)
	if format == "markdown" {
		return &Artifact{Data: markdown.Write(doc), MediaType: "text/markdown; charset=utf-8", Filename: base + ".md"}, nil
	}
	select { // a PDF holds its pages in memory: see Artifact
	case s.heavy <- struct{}{}:
		defer func() { <-s.heavy }()
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	data, err := pdf.Document(doc, r.Progress(layout.Options{}), pdf.DocumentOptions{Theme: "light",
		Source: fmt.Sprintf("the trail %s (chain head %s)", name, r.Head()), Fallback: fallbackFont()})
	if err != nil {
		return nil, err
	}
	return &Artifact{Data: data, MediaType: "application/pdf", Filename: base + ".pdf"}, nil
}
