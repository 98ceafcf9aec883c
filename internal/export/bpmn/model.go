package bpmn

import (
	"fmt"
	"strings"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/diagram"
	"github.com/relsop/relsop/internal/export/lanes"
)

// node is one BPMN flow node: a step, or a gateway the export adds so that
// the process is well-formed BPMN.
type node struct {
	id       string
	elem     string // BPMN element name without prefix: userTask, exclusiveGateway, ...
	name     string
	doc      string
	lane     string // the lane's XML id
	box      diagram.Rect
	in, out  []*flow
	defaults *flow // the default outgoing flow, written as the default attribute
}

// flow is one sequence flow.
type flow struct {
	id       string
	from, to *node
	name     string
	cond     string // the condition expression; empty for an unconditional flow
	doc      string
	points   []diagram.Point
	labelBox diagram.Rect
}

// lane is one role's lane.
type lane struct {
	id, name string
	box      diagram.Rect
	nodes    []*node
}

// process is the whole export before it is written.
type process struct {
	sop    *relsop.SOP
	ids    *idSet
	lanes  []*lane
	nodes  []*node
	flows  []*flow
	phases []phaseGroup
}

// phaseGroup is a phase drawn as a BPMN group around its column band.
type phaseGroup struct {
	id, valueID, name string
	box               diagram.Rect
}

// build turns the SOP and its layout into BPMN nodes and flows.
func build(sop *relsop.SOP, d *diagram.Diagram) *process {
	p := &process{sop: sop, ids: newIDSet()}
	byStep := map[string]*node{}
	boxes := map[string]diagram.Node{}
	for _, n := range d.Nodes {
		boxes[n.ID] = n
	}
	laneByID := map[string]*lane{}
	for _, l := range d.Lanes {
		ln := &lane{id: p.ids.make("Lane_" + l.ID), name: lanes.RoleName(sop, l.ID, l.Name), box: l.Box}
		laneByID[l.ID] = ln
		p.lanes = append(p.lanes, ln)
	}
	// Step ids are registered first so that generated ids never take them.
	for i := range sop.Steps {
		byStep[sop.Steps[i].ID] = &node{id: p.ids.make(sop.Steps[i].ID)}
	}
	for i := range sop.Steps {
		st := &sop.Steps[i]
		n := byStep[st.ID]
		n.elem = element(st)
		n.name = lanes.Label(st.Name, st.ID)
		n.doc = stepDoc(sop, st)
		dn, ok := boxes[st.ID]
		n.box = dn.Box
		if !ok {
			n.box = diagram.Rect{W: 100, H: 80}
		}
		ln := laneByID[dn.Lane]
		if ln == nil {
			ln = p.fallbackLane()
		}
		n.lane = ln.id
		ln.nodes = append(ln.nodes, n)
		p.nodes = append(p.nodes, n)
	}
	edges := map[edgeKey][]diagram.Edge{}
	for _, e := range d.Edges {
		k := edgeKey{e.From, e.To, e.Kind, e.Label}
		edges[k] = append(edges[k], e)
	}
	for i := range sop.Steps {
		st := &sop.Steps[i]
		from := byStep[st.ID]
		var next []*flow
		for _, f := range st.Flows() {
			to := byStep[f.To]
			if to == nil {
				continue
			}
			fl := p.connect(from, to)
			k := edgeKey{f.From, f.To, string(f.Kind), f.Label}
			if q := edges[k]; len(q) > 0 {
				fl.points, fl.labelBox = q[0].Points, q[0].LabelBox
				edges[k] = q[1:]
			}
			switch f.Kind {
			case relsop.FlowNext:
				next = append(next, fl)
			case relsop.FlowOutcome:
				fl.name, fl.cond = f.Label, condition("outcome", f.Label)
				fl.doc = fmt.Sprintf("Gate outcome %q.", f.Label)
			case relsop.FlowRollback:
				fl.name, fl.cond = "failed", condition("failed", "")
				fl.doc = fmt.Sprintf("Rollback path: taken when %q fails.", from.name)
			case relsop.FlowEscalation:
				fl.name, fl.cond = "escalate", condition("escalated", "")
				fl.doc = escalationDoc(sop, st)
			}
		}
		if len(next) > 1 {
			next = []*flow{p.split(from, next)}
		}
		if len(next) == 1 && len(from.out) > 1 && canDefault(from.elem) {
			from.defaults = next[0]
		}
	}
	for _, n := range p.nodes {
		if isGateway(n.elem) && len(n.in) > 1 && len(n.out) > 1 {
			p.merge(n)
		}
	}
	for _, ph := range d.Phases {
		p.phases = append(p.phases, phaseGroup{
			id: p.ids.make("Group_" + ph.ID), valueID: p.ids.make("Phase_" + ph.ID),
			name: lanes.PhaseName(sop, ph.ID, ph.Name), box: bandBox(ph.Box, d.Lanes),
		})
	}
	return p
}

type edgeKey struct{ from, to, kind, label string }

// connect adds an unconditional flow from a to b.
func (p *process) connect(a, b *node) *flow {
	f := &flow{id: p.ids.make(fmt.Sprintf("Flow_%s_%s", a.id, b.id)), from: a, to: b}
	a.out = append(a.out, f)
	b.in = append(b.in, f)
	p.flows = append(p.flows, f)
	return f
}

// split puts a parallel gateway after n for its several next flows, since
// BPMN does not allow an activity to fork implicitly. It returns the flow
// from n to the gateway.
func (p *process) split(n *node, next []*flow) *flow {
	box := n.box
	g := p.addGateway("Gateway_fork_"+n.id, "parallelGateway", n.lane,
		diagram.Rect{X: box.Right() + 6, Y: box.Y + box.H/2 - gatewaySize/2, W: gatewaySize, H: gatewaySize})
	n.out = removeFlows(n.out, next)
	for _, f := range next {
		f.from = g
		g.out = append(g.out, f)
		if len(f.points) > 1 {
			f.points = leaveFrom(g.box, f.points)
		}
	}
	f := p.connect(n, g)
	f.points = []diagram.Point{{X: box.Right(), Y: g.box.Center().Y}, {X: g.box.X, Y: g.box.Center().Y}}
	return f
}

// merge puts an exclusive gateway before a gateway that both joins and
// forks (no-gateway-join-fork), in the channel left of it; the incoming
// flows end at the new gateway.
func (p *process) merge(n *node) {
	box := n.box
	g := p.addGateway("Gateway_join_"+n.id, "exclusiveGateway", n.lane,
		diagram.Rect{X: box.X - gatewaySize - 6, Y: box.Y + box.H/2 - gatewaySize/2, W: gatewaySize, H: gatewaySize})
	for _, f := range n.in {
		f.to = g
		g.in = append(g.in, f)
		if len(f.points) > 1 {
			f.points = arriveAt(g.box, f.points)
		}
	}
	n.in = nil
	f := p.connect(g, n)
	f.points = []diagram.Point{{X: g.box.Right(), Y: g.box.Center().Y}, {X: box.X, Y: g.box.Center().Y}}
}

// gatewaySize is the side of the gateways the export adds, each 6 units
// from its step: a fork and a join fit side by side in the narrowest
// channel between two columns of relsop's layout (64 units).
const gatewaySize = 24.0

func (p *process) addGateway(id, elem, laneID string, box diagram.Rect) *node {
	g := &node{id: p.ids.make(id), elem: elem, lane: laneID, box: box}
	for _, l := range p.lanes {
		if l.id == laneID {
			l.nodes = append(l.nodes, g)
		}
	}
	p.nodes = append(p.nodes, g)
	return g
}

// fallbackLane is the lane of a step the layout did not place, which does
// not happen with relsop's layout; it keeps the output valid regardless.
func (p *process) fallbackLane() *lane {
	if len(p.lanes) == 0 {
		p.lanes = append(p.lanes, &lane{id: p.ids.make("Lane_unassigned"), name: lanes.Unassigned, box: diagram.Rect{W: 600, H: 200}})
	}
	return p.lanes[len(p.lanes)-1]
}

func removeFlows(all, drop []*flow) []*flow {
	var out []*flow
	for _, f := range all {
		keep := true
		for _, d := range drop {
			keep = keep && f != d
		}
		if keep {
			out = append(out, f)
		}
	}
	return out
}

// arriveAt reroutes the end of a polyline to the left side of box: the
// last point (on the original target) is replaced by a run along the
// approach's line to the middle of box's left side.
func arriveAt(box diagram.Rect, pts []diagram.Point) []diagram.Point {
	out := append([]diagram.Point(nil), pts[:len(pts)-1]...)
	last := out[len(out)-1]
	c := box.Center()
	switch {
	case last.X <= box.X && last.Y == c.Y:
	case last.X <= box.X:
		out = append(out, diagram.Point{X: last.X, Y: c.Y})
	default:
		// Coming from above, below or the right: drop down (or up) in the
		// channel left of the gateway first.
		out = append(out, diagram.Point{X: box.X - 3, Y: last.Y}, diagram.Point{X: box.X - 3, Y: c.Y})
	}
	return append(out, diagram.Point{X: box.X, Y: c.Y})
}

// leaveFrom reroutes the start of a polyline to leave from the right side
// of box.
func leaveFrom(box diagram.Rect, pts []diagram.Point) []diagram.Point {
	c := box.Center()
	start := diagram.Point{X: box.Right(), Y: c.Y}
	next := pts[1]
	out := []diagram.Point{start}
	if next.X > box.Right() && next.Y != c.Y {
		out = append(out, diagram.Point{X: next.X, Y: c.Y})
	}
	return append(out, pts[1:]...)
}

// element is the BPMN element a step kind becomes.
func element(st *relsop.Step) string {
	switch st.Kind {
	case relsop.KindStart:
		return "startEvent"
	case relsop.KindEnd:
		return "endEvent"
	case relsop.KindGate:
		return "exclusiveGateway"
	case relsop.KindAutomated:
		return "serviceTask"
	case relsop.KindNotify:
		return "sendTask"
	case relsop.KindDeploy, relsop.KindRollback:
		if st.Tool != "" {
			return "serviceTask"
		}
	}
	return "userTask"
}

func isGateway(elem string) bool { return strings.HasSuffix(elem, "Gateway") }

// canDefault reports whether the element has a default attribute: only
// activities and exclusive (or inclusive, complex) gateways do.
func canDefault(elem string) bool {
	return strings.HasSuffix(elem, "Task") || elem == "exclusiveGateway"
}

// condition is the text of a condition expression. BPMN leaves the
// language open; these say in words what the flow is taken on.
func condition(what, label string) string {
	if label == "" {
		return what
	}
	return fmt.Sprintf("%s == %q", what, label)
}

// bandBox is a phase's column band cut to the lanes, so that the group
// lies on the participant.
func bandBox(b diagram.Rect, ls []diagram.Lane) diagram.Rect {
	if len(ls) == 0 {
		return b
	}
	top, bottom := ls[0].Box.Y, ls[len(ls)-1].Box.Bottom()
	return diagram.Rect{X: b.X, Y: top, W: b.W, H: bottom - top}
}

func roleName(sop *relsop.SOP, id string) string {
	if r := sop.Role(id); r != nil {
		return lanes.Label(r.Name, r.ID)
	}
	return id
}

func roleNames(sop *relsop.SOP, ids []string) string {
	names := make([]string, len(ids))
	for i, id := range ids {
		names[i] = roleName(sop, id)
	}
	return strings.Join(names, ", ")
}

// stepDoc is a step's documentation: its description and notes, then the
// facts BPMN has no element for, one per line.
func stepDoc(sop *relsop.SOP, st *relsop.Step) string {
	var lines []string
	add := func(label, v string) {
		if v != "" {
			lines = append(lines, label+v)
		}
	}
	add("", st.Description)
	add("Notes: ", st.Notes)
	if ph := sop.Phase(st.Phase); ph != nil {
		add("Phase: ", lanes.Label(ph.Name, ph.ID))
	}
	if env := sop.Environment(st.Environment); env != nil {
		add("Environment: ", lanes.Label(env.Name, env.ID))
	} else {
		add("Environment: ", st.Environment)
	}
	add("Tool: ", st.Tool)
	add("Channel: ", st.Channel)
	add("Accountable: ", roleNames(sop, st.RACI.Accountable))
	add("Consulted: ", roleNames(sop, st.RACI.Consulted))
	add("Informed: ", roleNames(sop, st.RACI.Informed))
	add("Approvers: ", roleNames(sop, st.Approvers))
	for _, c := range st.Criteria {
		add("Criterion: ", c)
	}
	for _, e := range st.Evidence {
		add("Evidence: ", e)
	}
	if e := st.Escalation; e != nil {
		lines = append(lines, escalationDoc(sop, st))
	}
	return strings.Join(lines, "\n")
}

func escalationDoc(sop *relsop.SOP, st *relsop.Step) string {
	e := st.Escalation
	if e == nil {
		return "Escalation path."
	}
	s := "Escalation path: " + roleName(sop, e.Role) + " decides"
	if !e.After.IsZero() {
		s += " after " + e.After.String()
	}
	return s + " when the gate is blocked or times out."
}
