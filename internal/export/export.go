// Package export names the interchange formats relsop writes and picks the
// exporter for each, so that the CLI (relsop export) and the workspace's
// downloads offer the same formats in the same order.
package export

import (
	"slices"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/encode"
	"github.com/relsop/relsop/internal/export/bpmn"
	"github.com/relsop/relsop/internal/export/d2"
	"github.com/relsop/relsop/internal/export/dot"
	"github.com/relsop/relsop/internal/export/drawio"
	"github.com/relsop/relsop/internal/export/mermaid"
	"github.com/relsop/relsop/internal/export/plantuml"
)

// Format is one interchange format.
type Format struct {
	Name      string // as given to --format: bpmn, mermaid, ...
	Extension string // of the file it is saved as, with the dot
	MediaType string // for HTTP downloads
	Export    func(*relsop.SOP) ([]byte, error)
}

// Formats are the formats in the order the help lists them. The json format
// is the SOP model with the field names of the *.sop.yaml format.
var Formats = []Format{
	{"bpmn", ".bpmn", "application/xml", plain(bpmn.Export)},
	{"mermaid", ".mmd", "text/plain; charset=utf-8", plain(mermaid.Export)},
	{"plantuml", ".puml", "text/plain; charset=utf-8", plain(plantuml.Export)},
	{"drawio", ".drawio", "application/xml", plain(drawio.Export)},
	{"dot", ".dot", "text/vnd.graphviz; charset=utf-8", plain(dot.Export)},
	{"d2", ".d2", "text/plain; charset=utf-8", plain(d2.Export)},
	{"json", ".sop.json", "application/json", func(s *relsop.SOP) ([]byte, error) { return encode.JSON(ResolvedFile(s)) }},
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

func plain(f func(*relsop.SOP) []byte) func(*relsop.SOP) ([]byte, error) {
	return func(s *relsop.SOP) ([]byte, error) { return f(s), nil }
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
