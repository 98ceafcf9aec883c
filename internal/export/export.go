// Package export names the interchange formats relsop writes and picks the
// exporter for each, so that the CLI (relsop export) and the workspace's
// downloads offer the same formats in the same order.
package export

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/encode"
	"github.com/relsop/relsop/internal/export/bpmn"
	"github.com/relsop/relsop/internal/export/d2"
	"github.com/relsop/relsop/internal/export/dot"
	"github.com/relsop/relsop/internal/export/drawio"
	"github.com/relsop/relsop/internal/export/markdown"
	"github.com/relsop/relsop/internal/export/mermaid"
	"github.com/relsop/relsop/internal/export/plantuml"
)

// Format is one interchange format.
type Format struct {
	Name      string // as given to --format: bpmn, mermaid, ...
	Extension string // of the file it is saved as, with the dot
	MediaType string // for HTTP downloads
	// Export writes flow, the flow of the release type asked for (the base
	// flow when none was) resolved from sop, the SOP as written. Most
	// formats draw the flow alone; a document (markdown) also describes
	// sop's release types.
	Export func(sop, flow *relsop.SOP) ([]byte, error)
	// Caveat, when set, says what the format's own tool is known to fail
	// at for an SOP like this one, in a sentence without its full stop, or
	// returns "". The CLI and the workspace each add what to do instead.
	Caveat func(*relsop.SOP) string
}

// Formats are the formats in the order the help lists them. The json format
// is the SOP model with the field names of the *.sop.yaml format.
var Formats = []Format{
	{Name: "bpmn", Extension: ".bpmn", MediaType: "application/xml", Export: plain(bpmn.Export)},
	{Name: "mermaid", Extension: ".mmd", MediaType: "text/plain; charset=utf-8", Export: plain(mermaid.Export),
		Caveat: largeLayout("Mermaid's layout (dagre)", `"Cannot set properties of undefined (setting 'order')"`)},
	{Name: "plantuml", Extension: ".puml", MediaType: "text/plain; charset=utf-8", Export: plain(plantuml.Export)},
	{Name: "drawio", Extension: ".drawio", MediaType: "application/xml", Export: plain(drawio.Export)},
	{Name: "dot", Extension: ".dot", MediaType: "text/vnd.graphviz; charset=utf-8", Export: plain(dot.Export)},
	{Name: "d2", Extension: ".d2", MediaType: "text/plain; charset=utf-8", Export: plain(d2.Export),
		Caveat: largeLayout("D2's default layout (dagre)", `"failed to dagre layout" (d2 --layout elk draws them, slowly)`)},
	{Name: "markdown", Extension: ".md", MediaType: "text/markdown; charset=utf-8", Export: func(sop, flow *relsop.SOP) ([]byte, error) { return markdown.Export(sop, flow), nil }},
	{Name: "json", Extension: ".sop.json", MediaType: "application/json", Export: func(_, flow *relsop.SOP) ([]byte, error) { return encode.JSON(ResolvedFile(flow)) }},
}

// LargeSteps is where the dagre layouts of Mermaid and D2 start to give up
// on lane-clustered graphs: bench/layout_vs_peers.sh and trials on
// generated SOPs of 12 lanes saw both fail from 50 steps, while every
// template (31 to 37 steps) draws.
const LargeSteps = 50

// largeLayout is the caveat of a format whose tool's layout fails on
// large lane-clustered graphs with the error fails.
func largeLayout(layout, fails string) func(*relsop.SOP) string {
	return func(s *relsop.SOP) string {
		if len(s.Steps) < LargeSteps {
			return ""
		}
		return fmt.Sprintf("%s often gives up on lane-clustered graphs of %d steps or more (this one has %d), with %s. The file is valid",
			layout, LargeSteps, len(s.Steps), fails)
	}
}

// aliases are the other file name endings a format is known by, beyond
// the Extension it is saved with.
var aliases = map[string]string{
	".mermaid": "mermaid", ".plantuml": "plantuml", ".pu": "plantuml", ".dio": "drawio", ".gv": "dot", ".markdown": "markdown",
}

// ByExtension is the format a file named name is written in, from its
// extension; false when the extension names none.
func ByExtension(name string) (string, bool) {
	ext := strings.ToLower(filepath.Ext(name))
	for _, f := range Formats {
		if filepath.Ext(f.Extension) == ext {
			return f.Name, true
		}
	}
	f, ok := aliases[ext]
	return f, ok
}

// Names lists the formats' names.
func Names() []string {
	names := make([]string, len(Formats))
	for i, f := range Formats {
		names[i] = f.Name
	}
	return names
}

// Lookup returns the format called name.
func Lookup(name string) (Format, bool) {
	i := slices.IndexFunc(Formats, func(f Format) bool { return f.Name == name })
	if i < 0 {
		return Format{}, false
	}
	return Formats[i], true
}

// plain adapts an exporter of a flow that cannot fail.
func plain(f func(*relsop.SOP) []byte) func(sop, flow *relsop.SOP) ([]byte, error) {
	return func(_, flow *relsop.SOP) ([]byte, error) { return f(flow), nil }
}

// ResolvedFile makes a resolved flow a file of its own: ignore entries for
// steps the release type removed would otherwise point at nothing and make
// the printed SOP invalid.
func ResolvedFile(s *relsop.SOP) *relsop.SOP {
	s.Ignore = slices.DeleteFunc(slices.Clone(s.Ignore), func(ig relsop.Ignore) bool {
		return ig.Step != "" && s.Step(ig.Step) == nil
	})
	return s
}
