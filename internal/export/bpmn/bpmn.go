// Package bpmn writes an SOP as BPMN 2.0 XML that bpmn.io and Camunda open
// laid out: a collaboration with one participant whose process has a lane
// per role; user, service and send tasks for manual, automated and notify
// steps; exclusive gateways for gates with a named, conditional flow per
// outcome; start and end events; rollback and escalation paths as
// conditional flows with documentation; phases as groups. The BPMNDI
// shapes and edges are relsop's own layout (package layout), so the file
// looks like relsop's diagram.
//
// Where BPMN asks for more structure than an SOP states, the export adds
// it: a parallel gateway after a step with several next steps, and an
// exclusive gateway in front of a gate that is reached from several places
// (BPMN gateways may not both join and fork).
package bpmn

import (
	"bytes"
	"math"
	"strconv"
	"strings"
	"unicode"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/diagram"
	"github.com/relsop/relsop/internal/export/ids"
	"github.com/relsop/relsop/internal/export/lanes"
	"github.com/relsop/relsop/internal/export/xmltext"
	"github.com/relsop/relsop/internal/layout"
)

// Namespaces of BPMN 2.0 (OMG formal/2011-01-03).
const (
	nsModel  = "http://www.omg.org/spec/BPMN/20100524/MODEL"
	nsBPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
	nsDC     = "http://www.omg.org/spec/DD/20100524/DC"
	nsDI     = "http://www.omg.org/spec/DD/20100524/DI"
	nsXSI    = "http://www.w3.org/2001/XMLSchema-instance"
)

// Export returns sop, a resolved flow, as a BPMN 2.0 document laid out by
// relsop's layout. The same SOP always gives the same bytes.
func Export(sop *relsop.SOP) []byte {
	d := layout.Compute(sop, layout.Options{Direction: "horizontal"})
	p := build(sop, d)
	w := &writer{}
	w.raw(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	w.open("bpmn:definitions",
		"xmlns:bpmn", nsModel, "xmlns:bpmndi", nsBPMNDI, "xmlns:dc", nsDC, "xmlns:di", nsDI, "xmlns:xsi", nsXSI,
		"id", p.ids.make("Definitions_"+sop.ID),
		"targetNamespace", "https://relsop.dev/sop/"+ncName(sop.ID),
		"exporter", "relsop", "exporterVersion", "1")
	title := lanes.Label(sop.Title, sop.ID)
	collab, participant, proc := p.ids.make("Collaboration_"+sop.ID), p.ids.make("Participant_"+sop.ID), p.ids.make("Process_"+sop.ID)
	w.open("bpmn:collaboration", "id", collab)
	w.empty("bpmn:participant", "id", participant, "name", title, "processRef", proc)
	w.close("bpmn:collaboration")
	if len(p.phases) > 0 {
		w.open("bpmn:category", "id", p.ids.make("Category_phases"))
		for _, ph := range p.phases {
			w.empty("bpmn:categoryValue", "id", ph.valueID, "value", ph.name)
		}
		w.close("bpmn:category")
	}
	w.open("bpmn:process", "id", proc, "name", title, "isExecutable", "false")
	w.documentation(processDoc(sop))
	if len(p.lanes) > 0 {
		w.open("bpmn:laneSet", "id", p.ids.make("LaneSet_"+sop.ID))
		for _, l := range p.lanes {
			w.open("bpmn:lane", "id", l.id, "name", l.name)
			for _, n := range l.nodes {
				w.text("bpmn:flowNodeRef", n.id)
			}
			w.close("bpmn:lane")
		}
		w.close("bpmn:laneSet")
	}
	for _, n := range p.nodes {
		attrs := []string{"id", n.id}
		if n.name != "" {
			attrs = append(attrs, "name", n.name)
		}
		if n.defaults != nil {
			attrs = append(attrs, "default", n.defaults.id)
		}
		w.open("bpmn:"+n.elem, attrs...)
		w.documentation(n.doc)
		for _, f := range n.in {
			w.text("bpmn:incoming", f.id)
		}
		for _, f := range n.out {
			w.text("bpmn:outgoing", f.id)
		}
		w.close("bpmn:" + n.elem)
	}
	for _, f := range p.flows {
		attrs := []string{"id", f.id, "sourceRef", f.from.id, "targetRef", f.to.id}
		if f.name != "" {
			attrs = append(attrs, "name", f.name)
		}
		if f.doc == "" && f.cond == "" {
			w.empty("bpmn:sequenceFlow", attrs...)
			continue
		}
		w.open("bpmn:sequenceFlow", attrs...)
		w.documentation(f.doc)
		if f.cond != "" {
			w.text("bpmn:conditionExpression", f.cond, "xsi:type", "bpmn:tFormalExpression")
		}
		w.close("bpmn:sequenceFlow")
	}
	for _, ph := range p.phases {
		w.empty("bpmn:group", "id", ph.id, "categoryValueRef", ph.valueID)
	}
	w.close("bpmn:process")
	writeDI(w, p, collab, participant)
	w.close("bpmn:definitions")
	return w.b.Bytes()
}

func processDoc(sop *relsop.SOP) string {
	var lines []string
	for _, s := range []string{sop.Description, sop.Scope} {
		if s != "" {
			lines = append(lines, s)
		}
	}
	if sop.Version != "" {
		lines = append(lines, "Version: "+sop.Version)
	}
	if sop.ResolvedType != "" {
		lines = append(lines, "Release type: "+sop.ResolvedType)
	}
	return strings.Join(lines, "\n")
}

// writeDI writes the diagram interchange: the participant around the
// lanes, each lane, node, phase group and flow at relsop's coordinates.
// BPMN lanes leave a 30-unit band on the left for the participant's name.
func writeDI(w *writer, p *process, collab, participant string) {
	w.open("bpmndi:BPMNDiagram", "id", p.ids.make("BPMNDiagram_1"))
	w.open("bpmndi:BPMNPlane", "id", p.ids.make("BPMNPlane_1"), "bpmnElement", collab)
	pool := diagram.Rect{W: 600, H: 200}
	if len(p.lanes) > 0 {
		first, last := p.lanes[0].box, p.lanes[len(p.lanes)-1].box
		pool = diagram.Rect{X: first.X, Y: first.Y, W: first.W, H: last.Bottom() - first.Y}
	}
	shape(w, participant, pool, "isHorizontal", "true")
	for _, l := range p.lanes {
		b := l.box
		shape(w, l.id, diagram.Rect{X: b.X + 30, Y: b.Y, W: b.W - 30, H: b.H}, "isHorizontal", "true")
	}
	for _, ph := range p.phases {
		shape(w, ph.id, ph.box)
	}
	for _, n := range p.nodes {
		shape(w, n.id, n.box)
	}
	for _, f := range p.flows {
		w.open("bpmndi:BPMNEdge", "id", f.id+"_di", "bpmnElement", f.id)
		pts := f.points
		if len(pts) < 2 {
			a, b := f.from.box, f.to.box
			pts = []diagram.Point{{X: a.Right(), Y: a.Center().Y}, {X: b.X, Y: b.Center().Y}}
		}
		for _, pt := range pts {
			w.empty("di:waypoint", "x", num(pt.X), "y", num(pt.Y))
		}
		if f.labelBox.W > 0 {
			w.open("bpmndi:BPMNLabel")
			bounds(w, f.labelBox)
			w.close("bpmndi:BPMNLabel")
		}
		w.close("bpmndi:BPMNEdge")
	}
	w.close("bpmndi:BPMNPlane")
	w.close("bpmndi:BPMNDiagram")
}

func shape(w *writer, id string, r diagram.Rect, attrs ...string) {
	w.open("bpmndi:BPMNShape", append([]string{"id", id + "_di", "bpmnElement", id}, attrs...)...)
	bounds(w, r)
	w.close("bpmndi:BPMNShape")
}

func bounds(w *writer, r diagram.Rect) {
	w.empty("dc:Bounds", "x", num(r.X), "y", num(r.Y), "width", num(r.W), "height", num(r.H))
}

// num writes a coordinate with at most two decimals, the same on every
// platform.
func num(v float64) string {
	v = math.Round(v*100) / 100
	if v == 0 {
		v = 0 // no "-0"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// writer writes indented XML; every string it is given goes through
// escaping, so no label can close an element or open a new one.
type writer struct {
	b     bytes.Buffer
	depth int
}

func (w *writer) raw(s string) { w.b.WriteString(s) }

func (w *writer) indent() { w.b.WriteString(strings.Repeat("  ", w.depth)) }

func (w *writer) start(name string, attrs []string) {
	w.indent()
	w.b.WriteString("<" + name)
	for i := 0; i+1 < len(attrs); i += 2 {
		w.b.WriteString(" " + attrs[i] + `="` + escape(attrs[i+1], true) + `"`)
	}
}

func (w *writer) open(name string, attrs ...string) {
	w.start(name, attrs)
	w.b.WriteString(">\n")
	w.depth++
}

func (w *writer) empty(name string, attrs ...string) {
	w.start(name, attrs)
	w.b.WriteString(" />\n")
}

func (w *writer) close(name string) {
	w.depth--
	w.indent()
	w.b.WriteString("</" + name + ">\n")
}

// text writes an element holding only text.
func (w *writer) text(name, text string, attrs ...string) {
	w.start(name, attrs)
	w.b.WriteString(">" + escape(text, false) + "</" + name + ">\n")
}

func (w *writer) documentation(s string) {
	if s != "" {
		w.text("bpmn:documentation", s)
	}
}

// escape makes s safe as XML character data or, with attr, as an
// attribute value.
func escape(s string, attr bool) string { return xmltext.Escape(s, attr) }

// idSet hands out unique XML ids (NCNames).
type idSet struct{ set *ids.Set }

func newIDSet() *idSet { return &idSet{ids.New(func(rune) bool { return true }, "_")} }

// make returns an unused id made from want.
func (s *idSet) make(want string) string { return s.set.Make(ncName(want)) }

// ncName makes s a valid XML NCName: letters, digits, '.', '-' and '_',
// starting with a letter or '_'. Other characters become '_'.
func ncName(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == '-' || r == '_') {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	id := b.String()
	if id == "" || !(unicode.IsLetter(rune(id[0])) || id[0] == '_') {
		id = "_" + id
	}
	return id
}
