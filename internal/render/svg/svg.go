// Package svg draws a laid-out swimlane diagram as a standalone SVG
// document. It draws exactly the geometry in diagram.Diagram and never
// lays anything out itself: positions, wrapped lines and label boxes all
// come from the layout engine, so SVG, PNG and PDF show the same picture.
//
// The output is meant to be read by people and tools alike: text is real
// <text>, every node and edge is a <g> with a class, a data-id and a
// <title>, and the same diagram always gives the same bytes.
package svg

import (
	"strconv"
	"strings"

	"github.com/relsop/relsop/internal/diagram"
	"github.com/relsop/relsop/internal/render/geom"
)

// Options chooses how a diagram is drawn.
type Options struct {
	// Theme is one of Themes(): light (the default), dark or print.
	Theme string
	// EmbedFonts puts the Go fonts into the document as data URIs, so that
	// text renders in the very font it was measured with even where the Go
	// fonts are not installed. It adds about 350 kB.
	EmbedFonts bool
	// IDPrefix starts every id attribute in the document (default
	// "relsop-"). Pages that inline several diagrams give each its own
	// prefix, because ids must be unique across the whole page.
	IDPrefix string
}

// fontFamily lists the Go fonts first because the layout measured text with
// them; the rest are fallbacks of similar width.
const fontFamily = "Go, 'Go Regular', DejaVu Sans, Arial, sans-serif"

// idSafe replaces every character but ASCII letters, digits, '_' and '-'
// with '-', so that a prefix cannot break an id.
func idSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '_' || r == '-' || '0' <= r && r <= '9' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' {
			return r
		}
		return '-'
	}, s)
}

// renderer carries the state of one Render call.
type renderer struct {
	w      writer
	d      *diagram.Diagram
	t      *theme
	prefix string
	lanes  map[string]string // lane id to name, for node titles
	phases map[string]string // phase id to name
	names  map[string]string // node id to name, for edge titles
	path   pathBuilder       // see newPath

	nodeKinds, edgeKinds map[string]string // see nodeKind and edgeKind
}

// Render draws d as an SVG document.
func Render(d *diagram.Diagram, opts Options) []byte {
	if d == nil {
		d = &diagram.Diagram{}
	}
	r := &renderer{d: d, t: themeFor(opts.Theme), prefix: "relsop-",
		nodeKinds: map[string]string{}, edgeKinds: map[string]string{},
		// Room for the longest path, a gear mark (under 1 kB), and for the
		// points of most edges, so that neither buffer grows step by step.
		path: pathBuilder{b: make([]byte, 0, 1<<10), pts: make([]diagram.Point, 0, 8)}}
	if opts.IDPrefix != "" {
		r.prefix = idSafe(opts.IDPrefix)
	}
	r.lanes = map[string]string{}
	for _, l := range d.Lanes {
		r.lanes[l.ID] = l.Name
	}
	r.phases = map[string]string{}
	for _, p := range d.Phases {
		r.phases[p.ID] = p.Name
	}
	r.names = make(map[string]string, len(d.Nodes))
	for _, n := range d.Nodes {
		if _, seen := r.names[n.ID]; !seen && n.Name != "" {
			r.names[n.ID] = n.Name // where ids repeat, the first named node wins
		}
	}

	w := &r.w
	// Sized to hold the whole document, so that it is never copied as it
	// fills, and not much more. On the templates, the corpus and generated
	// SOPs of up to 1,000 steps, documents take 73-90% of this estimate:
	// 4 kB for the defs, title block and legend, and 900 bytes for each
	// node, edge and lane with its title, shape and text.
	w.b = make([]byte, 0, 4<<10+900*(len(d.Nodes)+len(d.Edges)+len(d.Lanes)))
	w.b = append(w.b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"...)
	title := d.Title.Title
	if title == "" {
		title = "Release SOP"
	}
	w.open("svg",
		"xmlns", "http://www.w3.org/2000/svg",
		"width", num(d.Width), "height", num(d.Height),
		"viewBox", "0 0 "+num(d.Width)+" "+num(d.Height),
		"role", "img",
		"aria-labelledby", r.id("title")+" "+r.id("desc"),
		"class", "relsop-diagram theme-"+r.t.Name,
		"data-theme", r.t.Name,
		"font-family", fontFamily,
	)
	w.content("title", title, "id", r.id("title"))
	w.content("desc", r.description(), "id", r.id("desc"))
	r.defs(opts.EmbedFonts)
	w.rect(diagram.Rect{W: d.Width, H: d.Height}, 0, "class", "background", "fill", r.t.Background)
	r.grid()
	r.edgeHighlights()
	r.nodes()
	r.edges()
	r.nodeMarks()
	r.titleBlock()
	r.legend()
	r.panels()
	w.close("svg")
	return w.b
}

// newPath empties the renderer's path builder and returns it: reusing one
// buffer for every path spares growing a new one each time.
func (r *renderer) newPath() *pathBuilder {
	r.path.b = r.path.b[:0]
	return &r.path
}

// nodeKind is geom.NormKind(k) and edgeKind geom.NormEdgeKind(k), each
// remembered for the rest of the render: they allocate, and a diagram
// repeats a handful of kinds over and over.
func (r *renderer) nodeKind(k string) string { return remember(r.nodeKinds, k, geom.NormKind) }
func (r *renderer) edgeKind(k string) string { return remember(r.edgeKinds, k, geom.NormEdgeKind) }

// remember returns f(k), computing it only when m does not hold it yet.
func remember(m map[string]string, k string, f func(string) string) string {
	v, ok := m[k]
	if !ok {
		v = f(k)
		m[k] = v
	}
	return v
}

// id returns a document-unique id for an internal name.
func (r *renderer) id(name string) string { return r.prefix + name }

// description is the long accessible text of the whole drawing.
func (r *renderer) description() string {
	d := r.d
	s := "Swimlane diagram of a release SOP: " +
		count(len(d.Lanes), "role", "roles") + ", " +
		count(len(d.Phases), "phase", "phases") + ", " +
		count(len(d.Nodes), "step", "steps") + ", " +
		count(len(d.Edges), "flow", "flows") + "."
	if d.Title.Version != "" {
		s += " Version " + d.Title.Version + "."
	}
	return s
}

// count writes n and the noun in the singular or plural it takes.
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// defs writes the shared definitions: the arrowheads, one per edge kind
// because a marker cannot inherit its path's colour in SVG 1.1, and the
// style sheet.
func (r *renderer) defs(embed bool) {
	w := &r.w
	w.open("defs")
	for _, kind := range edgeKinds {
		r.marker(kind)
	}
	w.close("defs")
	r.style(embed)
}
