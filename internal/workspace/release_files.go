package workspace

import (
	"context"
	"fmt"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/export/markdown"
	"github.com/relsop/relsop/internal/layout"
	"github.com/relsop/relsop/internal/render/pdf"
	"github.com/relsop/relsop/internal/render/svg"
)

// ReleaseTrail returns a release's trail as the file relsop release
// writes, so that anyone can verify it with the CLI:
// relsop release verify NAME.release.jsonl --head HEAD.
func (s *Service) ReleaseTrail(ctx context.Context, releaseID int64) (*Artifact, error) {
	rel, _, _, _, err := s.openRelease(ctx, releaseID, relsop.RoleViewer)
	if err != nil {
		return nil, err
	}
	lines, err := s.store.ReleaseTrail(ctx, releaseID)
	if err != nil {
		return nil, err
	}
	return &Artifact{Data: joinTrail(lines), MediaType: "application/jsonl; charset=utf-8", Filename: trailFile(rel)}, nil
}

// ReleaseDiagram draws the release's flow with its progress marked (SVG).
func (s *Service) ReleaseDiagram(ctx context.Context, releaseID int64, theme, idPrefix string) (*Artifact, error) {
	rel, r, _, _, err := s.openRelease(ctx, releaseID, relsop.RoleViewer)
	if err != nil {
		return nil, err
	}
	if theme == "" {
		theme = "light"
	}
	if !isTheme(theme) {
		return nil, relsop.Errorf(relsop.EINVALID, "The theme must be light, dark or print, not %q.", theme)
	}
	data := svg.Render(r.Progress(layout.Options{}), svg.Options{Theme: theme, IDPrefix: idPrefix})
	return &Artifact{Data: data, MediaType: "image/svg+xml", Filename: slug("release-"+rel.Name) + "-progress.svg"}, nil
}

// ReleaseReport writes a release's report, as relsop release report does:
// format "pdf" (with the path taken drawn) or "markdown".
func (s *Service) ReleaseReport(ctx context.Context, releaseID int64, format string) (*Artifact, error) {
	if format != "pdf" && format != "markdown" {
		return nil, relsop.Errorf(relsop.EINVALID, "A release report is pdf or markdown, not %q.", format)
	}
	rel, r, problems, _, err := s.openRelease(ctx, releaseID, relsop.RoleViewer)
	if err != nil {
		return nil, err
	}
	name := trailFile(rel)
	doc := r.Report(name, problems, format == "pdf")
	base := slug("release-" + rel.Name)
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

// trailFile names a release's trail file, as relsop release start would.
func trailFile(rel *relsop.Release) string {
	return slug(rel.Name) + ".release.jsonl"
}

func isTheme(theme string) bool {
	for _, t := range svg.Themes() {
		if t == theme {
			return true
		}
	}
	return false
}
