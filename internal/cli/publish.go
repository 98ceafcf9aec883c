package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"
	"strings"

	"github.com/relsop/relsop/internal/diagram"
	"github.com/relsop/relsop/internal/document"
	"github.com/relsop/relsop/internal/export/markdown"
	"github.com/relsop/relsop/internal/layout"
	"github.com/relsop/relsop/internal/render/pdf"
	"github.com/relsop/relsop/internal/render/svg"
	"github.com/spf13/cobra"
)

// publishFormats are the forms of the SOP's document.
var publishFormats = []string{"pdf", "markdown"}

type publishFlags struct {
	out, format, typ, page, theme string
}

func newPublishCmd(env *Env) *cobra.Command {
	var fl publishFlags
	cmd := &cobra.Command{
		Use:   "publish FILE -o OUT.pdf [--type TYPE] [--page a4|letter]",
		Short: "Publish an SOP as a document to read, print and file for audits (PDF, or Markdown)",
		Long: `publish writes the SOP as a document: metadata and review dates, the swimlane
diagram, the roles, environments, every step by phase with all its fields, the
approval gates, rollback paths, a RACI matrix, how each release type differs, and
the departures from practice the SOP records, with their reasons.

The PDF has portrait pages of text and the diagram on landscape pages of the same
paper, tiled where it is large, with the text selectable and searchable; its first
page lists the contents with their page numbers. Every
page names the SOP, its version and status, and its number; the footer names the
file it was made from and the file's SHA-256, so that a printed copy can be
traced to the exact version in git. Published from the workspace (the Export
menu), the document also says which revision it shows and who approved it.

The format is taken from the extension of -o (.pdf or .md) when --format is not
given. With --type the document shows that release type's flow.

PDFs draw characters the embedded Go fonts lack with a fallback font, as render
does (RELSOP_FALLBACK_FONT, else a system font).

Exit code 0 when the file is written, 2 when the input is invalid or a flag is
wrong.`,
		Example: `  relsop publish release.sop.yaml -o release-sop.pdf
  relsop publish release.sop.yaml --type emergency --page letter -o emergency.pdf
  relsop publish release.sop.yaml -o RELEASE.md`,
		Args: argsUsage(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runPublish(env, fl, args[0])
		},
	}
	f := cmd.Flags()
	f.StringVarP(&fl.out, "output", "o", "", "output file (default: standard output, for markdown or when it is not a terminal)")
	f.StringVar(&fl.format, "format", "", "pdf or markdown (default: from the -o extension, else pdf)")
	f.StringVar(&fl.typ, "type", "", "show this release type's flow (default: the base flow)")
	f.StringVar(&fl.page, "page", "a4", "PDF paper: a4 or letter")
	f.StringVar(&fl.theme, "theme", "light", "the diagram's theme: light, dark or print")
	cmd.RegisterFlagCompletionFunc("format", fixedCompletions(publishFormats...))
	cmd.RegisterFlagCompletionFunc("page", fixedCompletions(pdf.DocumentPages()...))
	cmd.RegisterFlagCompletionFunc("theme", fixedCompletions(svg.Themes()...))
	return cmd
}

func runPublish(env *Env, fl publishFlags, path string) error {
	format, err := documentFormat(env, fl.format, fl.out, fl.page, path)
	if err != nil {
		return err
	}
	if !contains(svg.Themes(), fl.theme) {
		return usageError("--theme must be one of %s, not %q", strings.Join(svg.Themes(), ", "), fl.theme)
	}
	l, flow, err := loadResolved(env, path, fl.typ)
	if err != nil {
		return err
	}
	doc := document.Build(l.result.SOP, flow, nil)
	var d *diagram.Diagram
	if format == "pdf" {
		d = layout.Compute(flow, layout.Options{})
	}
	data, err := writeDocument(doc, d, format, fl.page, fl.theme, source(l))
	if err != nil {
		return err
	}
	return writeOutput(env, fl.out, data)
}

// documentFormat checks the flags of a command that writes a document
// (publish, release report) and returns its format: the flag, else the
// extension of the output file's name.
func documentFormat(env *Env, format, out, page, input string) (string, error) {
	if format == "" {
		switch ext := strings.ToLower(filepath.Ext(out)); ext {
		case "", ".pdf":
			format = "pdf"
		case ".md", ".markdown":
			format = "markdown"
		default:
			return "", usageError("cannot tell the format from the name %s; give --format (pdf or markdown) or name the file .pdf or .md", out)
		}
	}
	if !contains(publishFormats, format) {
		return "", usageError("--format must be one of %s, not %q", strings.Join(publishFormats, ", "), format)
	}
	if !contains(pdf.DocumentPages(), page) {
		return "", usageError("--page must be one of %s, not %q", strings.Join(pdf.DocumentPages(), ", "), page)
	}
	if format == "pdf" && (out == "" || out == "-") && env.IsTerminal {
		return "", usageError("a PDF is not for the terminal; name a file with -o, such as -o %s", pdfName(input))
	}
	return format, nil
}

// writeDocument writes doc as Markdown, or as a PDF with the diagram d
// (nil for none) and source named in its footer.
func writeDocument(doc *document.Document, d *diagram.Diagram, format, page, theme, source string) ([]byte, error) {
	if format == "markdown" {
		return markdown.Write(doc), nil
	}
	fb, err := fallbackFont()
	if err != nil {
		return nil, err
	}
	return pdf.Document(doc, d, pdf.DocumentOptions{Page: page, Theme: theme, Source: source, Fallback: fb})
}

// source names the file a document was made from, with its SHA-256, which
// sha256sum prints for the file as it was.
func source(l *loaded) string {
	sum := sha256.Sum256(l.src)
	return filepath.Base(l.name) + " (SHA-256 " + hex.EncodeToString(sum[:]) + ")"
}

// pdfName suggests a PDF's name from the SOP file's: release.sop.yaml
// gives release-sop.pdf.
func pdfName(path string) string {
	base := filepath.Base(path)
	for _, ext := range []string{".yaml", ".yml"} {
		base = strings.TrimSuffix(base, ext)
	}
	base = strings.TrimSuffix(base, ".sop")
	if base == "" || base == "-" || base == "." {
		base = "release"
	}
	return base + "-sop.pdf"
}
