package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/relsop/relsop/internal/diagram"
	"github.com/relsop/relsop/internal/layout"
	"github.com/relsop/relsop/internal/render/fallback"
	"github.com/relsop/relsop/internal/render/pdf"
	"github.com/relsop/relsop/internal/render/png"
	"github.com/relsop/relsop/internal/render/svg"
	"github.com/spf13/cobra"
)

type renderFlags struct {
	out, format, typ, theme, direction, page string
	scale                                    float64
	scaleSet                                 bool // --scale given: a PNG too large for it is an error, not a smaller scale
}

// renderFormats are the output formats of relsop render, all drawn from
// the same geometry.
var renderFormats = []string{"svg", "png", "pdf", "json"}

func newRenderCmd(env *Env) *cobra.Command {
	var fl renderFlags
	cmd := &cobra.Command{
		Use:   "render FILE... [-o OUT]",
		Short: "Draw SOPs as swimlane diagrams (SVG, PNG, PDF, or the geometry as JSON)",
		Long: `render lays out each SOP as a swimlane diagram: one lane per role, one column band
per phase, each step in its lane and phase, flows routed around the boxes, gate
outcomes labelled, rollback paths dashed red and escalation paths dotted amber,
with a legend and a title block.

The format is taken from the extension of -o when --format is not given. With
several files, -o names a folder that receives one diagram per file, named after
it; the files are drawn on every core, and a file that cannot be drawn is reported
without stopping the others (the exit code is then 2). json is the
diagram geometry (lanes, phase bands, nodes, routed edges and labels) that every
renderer and the web editor consume.

PNG and PDF draw characters the embedded Go fonts lack (CJK, Arabic, some
symbols) with a fallback font: the TrueType file named by RELSOP_FALLBACK_FONT,
else a system font such as DejaVu Sans when one is installed.`,
		Example: `  relsop render release.sop.yaml -o release.svg
  relsop render release.sop.yaml --type emergency --theme dark -o emergency.svg
  relsop render release.sop.yaml --theme print --page a4 -o release.pdf
  relsop render release.sop.yaml --scale 3 -o release.png
  relsop render sops/*.sop.yaml -o diagrams/`,
		Args: argsUsage(cobra.MinimumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			fl.scaleSet = cmd.Flags().Changed("scale")
			return runRender(env, fl, args)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&fl.out, "output", "o", "", "output file, or folder (ending in /, or existing) for one diagram per input (default: standard output)")
	f.StringVar(&fl.format, "format", "", "svg, png, pdf or json (default: from the -o extension, else svg)")
	f.StringVar(&fl.typ, "type", "", "draw this release type's resolved flow (default: the base flow)")
	f.StringVar(&fl.theme, "theme", "light", "light, dark or print")
	f.StringVar(&fl.direction, "direction", "horizontal", "horizontal (phases as columns, flow left to right) or vertical (phases as rows, flow top to bottom)")
	f.Float64Var(&fl.scale, "scale", 2, "pixel scale for PNG output (by default 2, or the largest that keeps the image within 100 megapixels)")
	f.StringVar(&fl.page, "page", "fit", "PDF page: fit (one page the size of the diagram), or paper: a4, letter, a3 or tabloid (landscape, tiled, each page repeating the lane and phase names along its edges; a3 and tabloid hold a template in one row of pages)")
	cmd.RegisterFlagCompletionFunc("format", fixedCompletions(renderFormats...))
	cmd.RegisterFlagCompletionFunc("theme", fixedCompletions(svg.Themes()...))
	cmd.RegisterFlagCompletionFunc("direction", fixedCompletions(layout.Directions...))
	cmd.RegisterFlagCompletionFunc("page", fixedCompletions(pdf.Pages()...))
	return cmd
}

func runRender(env *Env, fl renderFlags, files []string) error {
	// A folder gets one diagram per file, however many files a glob
	// matched; a folder is named with a trailing slash or exists already.
	toFolder := len(files) > 1 || isFolder(fl.out)
	format := fl.format
	if format == "" {
		format = "svg"
		if ext := strings.TrimPrefix(filepath.Ext(fl.out), "."); ext != "" && !toFolder {
			format = strings.ToLower(ext)
		}
	}
	switch format {
	case "svg", "png", "pdf", "json":
	default:
		return usageError("--format must be one of %s, not %q", strings.Join(renderFormats, ", "), format)
	}
	if !contains(svg.Themes(), fl.theme) {
		return usageError("--theme must be one of %s, not %q", strings.Join(svg.Themes(), ", "), fl.theme)
	}
	if !contains(pdf.Pages(), fl.page) {
		return usageError("--page must be one of %s, not %q", strings.Join(pdf.Pages(), ", "), fl.page)
	}
	if err := checkDirection(fl.direction); err != nil {
		return err
	}
	if format == "png" && (fl.scale <= 0 || fl.scale > 8) {
		return usageError("--scale must be more than 0 and at most 8, not %g", fl.scale)
	}
	if !toFolder {
		data, err := renderFile(env, files[0], format, fl)
		if err != nil {
			return err
		}
		return writeOutput(env, fl.out, data)
	}
	return renderFiles(env, files, format, fl)
}

// renderFile loads one SOP and draws it in the given format.
func renderFile(env *Env, path, format string, fl renderFlags) ([]byte, error) {
	flow, err := loadFlow(env, path, fl.typ)
	if err != nil {
		return nil, err
	}
	d := layout.Compute(flow, layout.Options{Direction: fl.direction})
	if format == "png" && fl.scale > 0 {
		// The default scale gives way to the largest that fits, so that a
		// large SOP still gets its PNG; a scale asked for is kept or refused.
		limit := png.MaxPixels / 1_000_000
		switch fit := png.FitScale(d.Width, d.Height, fl.scale); {
		case fit == fl.scale || fit == 0:
		case fl.scaleSet:
			return nil, usageError("%s: at scale %g the PNG would be over %d megapixels; use --scale %g or less, or render SVG or PDF, which have no size limit",
				path, fl.scale, limit, fit)
		default:
			fmt.Fprintf(env.Stderr, "relsop: %s is drawn at scale %g: at %g the PNG would be over %d megapixels\n", path, fit, fl.scale, limit)
			fl.scale = fit
		}
	}
	if format == "pdf" {
		suggestLargerPaper(env, path, d, fl.page)
	}
	return draw(d, format, fl)
}

// suggestLargerPaper notes when a diagram takes more than one row of
// pages and one row of the larger paper of the same family (A3 for A4,
// tabloid for Letter) would hold it: the second row is then mostly empty
// pages.
func suggestLargerPaper(env *Env, path string, d *diagram.Diagram, page string) {
	name, larger, _ := pdf.Paper(page)
	if larger == "" {
		return
	}
	rows, cols := pdf.Tiles(d, page)
	if lrows, lcols := pdf.Tiles(d, larger); rows > 1 && lrows == 1 {
		fmt.Fprintf(env.Stderr, "relsop: %s takes %d rows of %s pages (%d pages); --page %s holds it in one row of %d\n",
			path, rows, name, rows*cols, larger, lcols)
	}
}

func draw(d *diagram.Diagram, format string, fl renderFlags) ([]byte, error) {
	switch format {
	case "json":
		data, err := json.MarshalIndent(d, "", "  ")
		return append(data, '\n'), err
	case "pdf":
		fb, err := fallbackFont()
		if err != nil {
			return nil, err
		}
		return pdf.Render(d, pdf.Options{Theme: fl.theme, Page: fl.page, Fallback: fb})
	case "png":
		fb, err := fallbackFont()
		if err != nil {
			return nil, err
		}
		return png.Render(d, png.Options{Theme: fl.theme, Scale: fl.scale, Fallback: fb})
	}
	return renderSVG(d, fl.theme), nil
}

// fallbackFont returns the font PNG and PDF draw the characters the Go
// fonts lack with, or nil when this machine has none. A bad
// RELSOP_FALLBACK_FONT is the caller's mistake, so it is a usage error.
func fallbackFont() ([]byte, error) {
	f, err := fallback.Find()
	if err != nil {
		return nil, usageError("%v", err)
	}
	return f.TTF, nil
}

func renderSVG(d *diagram.Diagram, theme string) []byte {
	return svg.Render(d, svg.Options{Theme: theme})
}

// isFolder reports whether -o names a folder: it ends with a slash or is
// an existing directory.
func isFolder(out string) bool {
	if out == "" || out == "-" {
		return false
	}
	if strings.HasSuffix(out, "/") || strings.HasSuffix(out, string(filepath.Separator)) {
		return true
	}
	fi, err := os.Stat(out)
	return err == nil && fi.IsDir()
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// checkDirection accepts the layout directions.
func checkDirection(dir string) error {
	if !contains(layout.Directions, dir) {
		return usageError("--direction must be one of %s, not %q", strings.Join(layout.Directions, ", "), dir)
	}
	return nil
}
