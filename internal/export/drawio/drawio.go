// Package drawio writes an SOP as a draw.io (diagrams.net) file: one
// uncompressed mxGraphModel with a swimlane container per lane (role), a
// cell per step inside its lane, shaped and coloured after relsop's
// symbols, and an edge per flow with the gate outcome as its label. The
// geometry is relsop's own layout (package layout): lanes, boxes and the
// routed edges' bends, so the file opens looking like relsop's diagram and
// stays editable.
package drawio

import (
	"bytes"
	"fmt"
	"math"
	"strconv"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/diagram"
	"github.com/relsop/relsop/internal/export/ids"
	"github.com/relsop/relsop/internal/export/lanes"
	"github.com/relsop/relsop/internal/export/xmltext"
	"github.com/relsop/relsop/internal/layout"
)

// Every style sets html=0: draw.io then shows the value as plain text,
// never as markup, whatever a name holds.
const (
	laneStyle  = "swimlane;horizontal=0;startSize=%s;html=0;whiteSpace=wrap;fillColor=#F5F5F5;swimlaneFillColor=#FFFFFF;strokeColor=#999999;fontStyle=1;"
	textStyle  = "text;html=0;whiteSpace=wrap;align=center;verticalAlign=middle;strokeColor=none;fillColor=none;"
	titleStyle = textStyle + "fontSize=20;fontStyle=1;"
	edgeStyle  = "html=0;rounded=0;endArrow=block;endFill=1;labelBackgroundColor=#FFFFFF;fontSize=11;"
)

// stepStyles draw each step kind like relsop's diagram.
var stepStyles = map[relsop.StepKind]string{
	relsop.KindStart:     "ellipse;aspect=fixed;fillColor=#FFFFFF;strokeColor=#333333;strokeWidth=1.5;",
	relsop.KindEnd:       "ellipse;shape=doubleEllipse;aspect=fixed;fillColor=#FFFFFF;strokeColor=#333333;strokeWidth=2;",
	relsop.KindTask:      "rounded=1;fillColor=#FFFFFF;strokeColor=#333333;",
	relsop.KindAutomated: "shape=process;rounded=1;size=0.06;fillColor=#E6F1F8;strokeColor=#0072B2;",
	relsop.KindGate:      "rhombus;fillColor=#FFF6E0;strokeColor=#B07A00;",
	relsop.KindDeploy:    "rounded=1;fillColor=#E8F5EE;strokeColor=#009E73;",
	relsop.KindRollback:  "rounded=1;fillColor=#FBE3D6;strokeColor=#D55E00;",
	relsop.KindNotify:    "shape=note;size=12;fillColor=#F3ECF7;strokeColor=#CC79A7;",
}

// flowStyles draw the flows: solid, and the paths taken when things go
// wrong in relsop's palette.
var flowStyles = map[relsop.FlowKind]string{
	relsop.FlowNext:       "strokeColor=#333333;",
	relsop.FlowOutcome:    "strokeColor=#333333;",
	relsop.FlowRollback:   "dashed=1;dashPattern=6 3;strokeColor=#D55E00;strokeWidth=1.5;",
	relsop.FlowEscalation: "dashed=1;dashPattern=2 3;strokeColor=#E69F00;strokeWidth=1.5;",
}

// Export returns sop, a resolved flow, as a draw.io file laid out by
// relsop's layout. The same SOP always gives the same bytes.
func Export(sop *relsop.SOP) []byte {
	d := layout.Compute(sop, layout.Options{Direction: "horizontal"})
	w := &writer{}
	cells := newIDs()
	title := lanes.Label(sop.Title, sop.ID)
	w.raw("<mxfile host=\"relsop\" type=\"device\">\n")
	w.raw(fmt.Sprintf("  <diagram id=\"%s\" name=\"%s\">\n", attr(cells.Make("diagram-"+sop.ID)), attr(title)))
	w.raw(fmt.Sprintf("    <mxGraphModel dx=\"0\" dy=\"0\" grid=\"1\" gridSize=\"10\" guides=\"1\" tooltips=\"1\" connect=\"1\" arrows=\"1\" fold=\"1\" page=\"0\" pageScale=\"1\" pageWidth=\"%s\" pageHeight=\"%s\" math=\"0\" shadow=\"0\">\n",
		num(math.Ceil(d.Width)), num(math.Ceil(d.Height))))
	w.raw("      <root>\n        <mxCell id=\"0\" />\n        <mxCell id=\"1\" parent=\"0\" />\n")
	cells.Reserve("0", "1")
	if d.Title.Box.W > 0 {
		w.vertex(cells.Make("title"), title, titleStyle, "1", d.Title.Box)
	}
	for _, ph := range d.Phases {
		w.vertex(cells.Make("phase-"+ph.ID), lanes.PhaseName(sop, ph.ID, ph.Name), textStyle+"fontStyle=1;", "1", ph.Header)
	}
	laneID := map[string]string{}
	laneBox := map[string]diagram.Rect{}
	for _, l := range d.Lanes {
		id := cells.Make("lane-" + l.ID)
		laneID[l.ID], laneBox[l.ID] = id, l.Box
		w.vertex(id, lanes.RoleName(sop, l.ID, l.Name), fmt.Sprintf(laneStyle, num(l.Header.W)), "1", l.Box)
	}
	nodes := map[string]diagram.Node{}
	for _, n := range d.Nodes {
		nodes[n.ID] = n
	}
	cellID := map[string]string{}
	boxes := map[string]diagram.Rect{} // absolute, for the edges' ports
	for i := range sop.Steps {
		st := &sop.Steps[i]
		id := cells.Make("step-" + st.ID)
		cellID[st.ID] = id
		n, ok := nodes[st.ID]
		parent, origin := laneID[n.Lane], laneBox[n.Lane]
		if !ok || parent == "" {
			// The layout places every step; this keeps a step it did not
			// place on the page rather than dropping it.
			parent, origin = "1", diagram.Rect{}
			if !ok {
				n.Box = diagram.Rect{X: 0, Y: d.Height, W: 120, H: 60}
			}
		}
		boxes[st.ID] = n.Box
		box := n.Box
		box.X -= origin.X
		box.Y -= origin.Y
		w.vertex(id, lanes.StepLabel(sop, st), stepStyle(st.Kind), parent, box)
	}
	routes := map[edgeKey][]diagram.Edge{}
	for _, e := range d.Edges {
		k := edgeKey{e.From, e.To, e.Kind, e.Label}
		routes[k] = append(routes[k], e)
	}
	for _, f := range lanes.Flows(sop) {
		var route diagram.Edge
		k := edgeKey{f.From, f.To, string(f.Kind), f.Label}
		if q := routes[k]; len(q) > 0 {
			route, routes[k] = q[0], q[1:]
		}
		w.edge(cells.Make(fmt.Sprintf("flow-%s-%s", f.From, f.To)), f, cellID, boxes, route)
	}
	w.raw("      </root>\n    </mxGraphModel>\n  </diagram>\n</mxfile>\n")
	return w.b.Bytes()
}

type edgeKey struct{ from, to, kind, label string }

func stepStyle(k relsop.StepKind) string {
	s, ok := stepStyles[k]
	if !ok {
		s = stepStyles[relsop.KindTask]
	}
	return s + "html=0;whiteSpace=wrap;fontSize=12;"
}

// writer writes the cells; every value goes through attr.
type writer struct{ b bytes.Buffer }

func (w *writer) raw(s string) { w.b.WriteString(s) }

func (w *writer) vertex(id, value, style, parent string, r diagram.Rect) {
	fmt.Fprintf(&w.b, "        <mxCell id=\"%s\" value=\"%s\" style=\"%s\" vertex=\"1\" parent=\"%s\">\n", attr(id), attr(value), attr(style), attr(parent))
	fmt.Fprintf(&w.b, "          <mxGeometry x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" as=\"geometry\" />\n", num(r.X), num(r.Y), num(r.W), num(r.H))
	w.b.WriteString("        </mxCell>\n")
}

// edge writes a flow as an edge in the top layer, so that its bends are
// page coordinates: the route's first and last points become the exit and
// entry ports on the boxes (relative to them, as draw.io wants), the
// points between them the waypoints, and the label sits where relsop put
// it, as an offset from the route's midpoint.
func (w *writer) edge(id string, f relsop.Flow, cells map[string]string, boxes map[string]diagram.Rect, route diagram.Edge) {
	style := edgeStyle + flowStyles[f.Kind]
	pts := route.Points
	if len(pts) >= 2 {
		style += port("exit", boxes[f.From], pts[0]) + port("entry", boxes[f.To], pts[len(pts)-1])
	}
	fmt.Fprintf(&w.b, "        <mxCell id=\"%s\" value=\"%s\" style=\"%s\" edge=\"1\" parent=\"1\" source=\"%s\" target=\"%s\">\n",
		attr(id), attr(f.Label), attr(style), attr(cells[f.From]), attr(cells[f.To]))
	w.b.WriteString("          <mxGeometry relative=\"1\" as=\"geometry\">\n")
	if len(pts) > 2 {
		w.b.WriteString("            <Array as=\"points\">\n")
		for _, p := range pts[1 : len(pts)-1] {
			fmt.Fprintf(&w.b, "              <mxPoint x=\"%s\" y=\"%s\" />\n", num(p.X), num(p.Y))
		}
		w.b.WriteString("            </Array>\n")
	}
	if f.Label != "" && route.LabelBox.W > 0 && len(pts) >= 2 {
		mid, c := midpoint(pts), route.LabelBox.Center()
		fmt.Fprintf(&w.b, "            <mxPoint x=\"%s\" y=\"%s\" as=\"offset\" />\n", num(c.X-mid.X), num(c.Y-mid.Y))
	}
	w.b.WriteString("          </mxGeometry>\n        </mxCell>\n")
}

// port is a style's exitX/exitY (or entryX/entryY): where p lies on box,
// as fractions of its size.
func port(which string, box diagram.Rect, p diagram.Point) string {
	if box.W <= 0 || box.H <= 0 {
		return ""
	}
	x, y := clamp((p.X-box.X)/box.W), clamp((p.Y-box.Y)/box.H)
	return fmt.Sprintf("%sX=%s;%sY=%s;%sDx=0;%sDy=0;", which, frac(x), which, frac(y), which, which)
}

func clamp(v float64) float64 { return math.Max(0, math.Min(1, v)) }

// midpoint is the point halfway along a polyline, where draw.io puts an
// edge's label before its offset.
func midpoint(pts []diagram.Point) diagram.Point {
	total := 0.0
	for i := 1; i < len(pts); i++ {
		total += math.Hypot(pts[i].X-pts[i-1].X, pts[i].Y-pts[i-1].Y)
	}
	half := total / 2
	for i := 1; i < len(pts); i++ {
		seg := math.Hypot(pts[i].X-pts[i-1].X, pts[i].Y-pts[i-1].Y)
		if seg > 0 && half <= seg {
			t := half / seg
			return diagram.Point{X: pts[i-1].X + t*(pts[i].X-pts[i-1].X), Y: pts[i-1].Y + t*(pts[i].Y-pts[i-1].Y)}
		}
		half -= seg
	}
	return pts[len(pts)-1]
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

// frac writes a port fraction with at most four decimals.
func frac(v float64) string {
	v = math.Round(v*10000) / 10000
	if v == 0 {
		v = 0
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// attr makes s an XML attribute value in double quotes. With html=0 in
// every style, draw.io shows the parsed value as text, so no other
// escaping is needed.
func attr(s string) string { return xmltext.Escape(s, true) }

// newIDs hands out cell ids of ASCII letters, digits, '-' and '_'.
func newIDs() *ids.Set { return ids.New(ids.WordOrDash, "-") }
