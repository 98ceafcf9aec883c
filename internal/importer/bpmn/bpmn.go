// Package bpmn imports a BPMN 2.0 process as an SOP: lanes become roles
// (a pool without lanes one role), tasks steps of the matching kind,
// exclusive gateways gates whose outcomes are the names of their outgoing
// flows, start and end events start and end steps, sequence flows the
// flows. Parallel gateways and gateways that only join are not steps: the
// flows run through them. A file exported by relsop comes back with what
// the export wrote into documentation (environments, tools, approvers,
// criteria, phases) and its rollback and escalation paths, so that
// SOP -> BPMN -> SOP keeps roles, steps, kinds, flows and outcomes.
//
// The reader refuses DTDs and entities, bounds size and depth, and reports
// malformed XML with its line and column. It does not validate against the
// BPMN schemas; what it does not map is reported as a warning.
package bpmn

import (
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/importer"
)

const nsModel = "http://www.omg.org/spec/BPMN/20100524/MODEL"

// node is a flow node of the process.
type node struct {
	e        *elem
	id, kind string // kind: the element's local name
	step     string // the step id, empty for nodes the flows run through
	in, out  []*seqFlow
	lane     string // role id
	attached string // boundary events: the activity's id
}

type seqFlow struct {
	e        *elem
	from, to string
	name     string
	cond     string
	doc      string
}

type imp struct {
	b           *importer.Builder
	w           *importer.Warnings
	relsop      bool // exported by relsop: ids and documentation lines are read back
	nodes       map[string]*node
	order       []*node
	flows       []*seqFlow
	roleByName  map[string]string
	phaseByName map[string]string
	shapes      map[string]box
	groups      []group
	assumptions []string
}

type box struct{ x, y, w, h float64 }

type group struct {
	phase string
	box   box
}

// Import reads the BPMN file src; name is its file name.
func Import(name string, src []byte) (*importer.Result, error) {
	root, err := parse(src)
	if err != nil {
		return nil, err
	}
	if root.name != "definitions" {
		return nil, importer.Errorf(root.pos, importer.CodeInvalid, "a BPMN 2.0 file has <definitions> (usually bpmn:definitions) as its root",
			"the root element is <%s>, not a BPMN <definitions>", root.name)
	}
	im := &imp{w: &importer.Warnings{}, nodes: map[string]*node{}, roleByName: map[string]string{}, phaseByName: map[string]string{}, shapes: map[string]box{}}
	if root.space != nsModel {
		im.w.Add(root.pos, importer.CodeApproximated, "BPMN 2.0 uses the namespace "+nsModel, "the root element's namespace is %q, not BPMN 2.0's; read as BPMN regardless", root.space)
	}
	im.relsop = root.attr("exporter") == "relsop"
	im.run(name, root)
	return &importer.Result{SOP: im.b.SOP(), Warnings: im.w.List(), Assumptions: im.assumptions}, nil
}

func (im *imp) run(name string, root *elem) {
	var processes []*elem
	participants := map[string]*elem{} // process id -> participant
	title := ""
	for _, c := range root.children {
		switch c.name {
		case "process":
			processes = append(processes, c)
		case "collaboration":
			for _, cc := range c.children {
				switch cc.name {
				case "participant":
					if ref := cc.attr("processRef"); ref != "" {
						participants[ref] = cc
					}
					if title == "" {
						title = cc.attr("name")
					}
				case "messageFlow":
					im.w.Group("messageFlow", cc.pos, importer.CodeUnmapped, "an SOP has one flow of work; say in a notify step what is sent",
						"message flow %s between pools is not imported", label(cc))
				default:
					im.unmapped(cc)
				}
			}
		case "category":
		case "BPMNDiagram":
			im.w.Group("BPMNDiagram", c.pos, importer.CodeUnmapped, "relsop lays the SOP out itself; phases are read from the groups' places",
				"the diagram layout (BPMNDI) is not kept")
			im.readShapes(c)
		default:
			im.unmapped(c)
		}
	}
	base := strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
	if title == "" && len(processes) > 0 {
		title = processes[0].attr("name")
	}
	if title == "" {
		title = importer.Humanize(base)
	}
	id := importer.Slug(base)
	if im.relsop {
		id = strings.TrimPrefix(root.attr("id"), "Definitions_")
	}
	im.b = importer.NewBuilder(id, title)
	im.b.SOP().Description = "Imported from the BPMN file " + filepath.Base(name) + "."
	categories := map[string]string{} // categoryValue id -> value
	for _, c := range root.all("category") {
		for _, v := range c.all("categoryValue") {
			categories[v.attr("id")] = v.attr("value")
		}
	}
	if len(processes) == 0 {
		im.w.Add(root.pos, importer.CodeInvalid, "a BPMN file with a process holds <process> elements", "the file has no process; the SOP has only a start and an end")
	}
	for _, p := range processes {
		im.process(p, participants[p.attr("id")], categories)
	}
	im.build()
}

func label(e *elem) string {
	if n := e.attr("name"); n != "" {
		return strconv.Quote(importer.OneLine(n))
	}
	return e.attr("id")
}

func (im *imp) unmapped(e *elem) {
	im.w.Group("element "+e.name, e.pos, importer.CodeUnmapped, "an SOP has roles, steps and flows; say in a step's notes what this element meant",
		"<%s> %s is not imported", e.name, label(e))
}

func (im *imp) assume(s string) { im.assumptions = append(im.assumptions, s) }

// readShapes keeps the bounds of every shape, for phases drawn as groups.
func (im *imp) readShapes(d *elem) {
	for _, plane := range d.all("BPMNPlane") {
		for _, s := range plane.all("BPMNShape") {
			b := s.child("Bounds")
			if b == nil {
				continue
			}
			f := func(k string) float64 { v, _ := strconv.ParseFloat(b.attr(k), 64); return v }
			im.shapes[s.attr("bpmnElement")] = box{f("x"), f("y"), f("width"), f("height")}
		}
	}
}

// process reads one process: its lanes, nodes and flows.
func (im *imp) process(p, participant *elem, categories map[string]string) {
	if doc := docOf(p); doc != "" {
		var rest []string
		for _, l := range strings.Split(doc, "\n") {
			if v, ok := strings.CutPrefix(l, "Version: "); ok && im.relsop {
				im.b.SOP().Version = v
			} else if _, ok := strings.CutPrefix(l, "Release type: "); ok && im.relsop {
			} else {
				rest = append(rest, l)
			}
		}
		im.b.SOP().Description = strings.Join(rest, "\n")
	}
	laneOf := map[string]string{}
	for _, ls := range p.all("laneSet") {
		im.lanes(ls, laneOf)
	}
	pool := ""
	if len(laneOf) == 0 {
		name := p.attr("name")
		if participant != nil && participant.attr("name") != "" {
			name = participant.attr("name")
		}
		if name != "" {
			pool = im.b.Role(importer.Slug(name), importer.OneLine(name), "The pool "+importer.OneLine(name)+" of the BPMN file.")
			im.roleByName[importer.OneLine(name)] = pool
			im.assume("the pool " + strconv.Quote(importer.OneLine(name)) + ", which has no lanes, is one role")
		}
	}
	im.flowElements(p, laneOf, pool, categories)
}

// lanes makes a role of every leaf lane (nested lanes through
// childLaneSet), and records which lane each node is in.
func (im *imp) lanes(ls *elem, laneOf map[string]string) {
	for _, l := range ls.all("lane") {
		if cls := l.child("childLaneSet"); cls != nil && len(cls.all("lane")) > 0 {
			im.lanes(cls, laneOf)
			continue
		}
		name := importer.OneLine(l.attr("name"))
		id := importer.Slug(name)
		if im.relsop {
			if rid, ok := strings.CutPrefix(l.attr("id"), "Lane_"); ok {
				id = importer.ID(rid, id)
			}
		}
		if id == "" {
			id = importer.ID(l.attr("id"), "lane")
		}
		if name == "" {
			name = importer.Humanize(id)
		}
		role := im.b.Role(id, name, docOf(l))
		im.roleByName[name] = role
		for _, ref := range l.all("flowNodeRef") {
			laneOf[strings.TrimSpace(ref.text.String())] = role
		}
	}
}

// Kinds of flow node.
var (
	activities = map[string]relsop.StepKind{
		"task": relsop.KindTask, "userTask": relsop.KindTask, "manualTask": relsop.KindTask, "receiveTask": relsop.KindTask,
		"serviceTask": relsop.KindAutomated, "scriptTask": relsop.KindAutomated, "businessRuleTask": relsop.KindAutomated,
		"sendTask": relsop.KindNotify, "callActivity": relsop.KindTask, "subProcess": relsop.KindTask,
		"transaction": relsop.KindTask, "adHocSubProcess": relsop.KindTask,
	}
	gateways = map[string]bool{"exclusiveGateway": true, "inclusiveGateway": true, "complexGateway": true, "eventBasedGateway": true, "parallelGateway": true}
	events   = map[string]bool{"startEvent": true, "endEvent": true, "intermediateThrowEvent": true, "intermediateCatchEvent": true, "boundaryEvent": true, "implicitThrowEvent": true}
)

// nodeChildren are the children of a flow node that are read.
var nodeChildren = map[string]bool{"incoming": true, "outgoing": true, "documentation": true, "extensionElements": false}

func (im *imp) flowElements(p *elem, laneOf map[string]string, pool string, categories map[string]string) {
	for _, c := range p.children {
		switch {
		case c.name == "laneSet" || c.name == "documentation":
		case c.name == "sequenceFlow":
			f := &seqFlow{e: c, from: c.attr("sourceRef"), to: c.attr("targetRef"), name: importer.OneLine(c.attr("name")), doc: docOf(c)}
			if ce := c.child("conditionExpression"); ce != nil {
				f.cond = strings.TrimSpace(ce.text.String())
			}
			im.flows = append(im.flows, f)
		case activities[c.name] != "" || gateways[c.name] || events[c.name]:
			n := &node{e: c, id: c.attr("id"), kind: c.name, lane: laneOf[c.attr("id")], attached: c.attr("attachedToRef")}
			if n.lane == "" {
				n.lane = pool
			}
			if n.id == "" || im.nodes[n.id] != nil {
				im.w.Add(c.pos, importer.CodeInvalid, "give every flow node a unique id", "<%s> has no id or a repeated one; not imported", c.name)
				continue
			}
			im.nodes[n.id] = n
			im.order = append(im.order, n)
			for _, cc := range c.children {
				if nodeChildren[cc.name] || strings.HasSuffix(cc.name, "EventDefinition") || strings.HasSuffix(cc.name, "LoopCharacteristics") {
					continue
				}
				if cc.name == "flowElement" || activities[cc.name] != "" || gateways[cc.name] || events[cc.name] || cc.name == "sequenceFlow" {
					continue // inside a sub-process, reported with it
				}
				im.unmapped(cc)
			}
		case c.name == "group":
			if v, ok := categories[c.attr("categoryValueRef")]; ok && v != "" {
				pid := importer.Slug(v)
				if im.relsop {
					pid = importer.ID(strings.TrimPrefix(c.attr("categoryValueRef"), "Phase_"), pid)
				}
				ph := im.b.Phase(pid, v)
				im.phaseByName[importer.OneLine(v)] = ph
				if b, ok := im.shapes[c.attr("id")]; ok {
					im.groups = append(im.groups, group{phase: ph, box: b})
				}
				continue
			}
			im.unmapped(c)
		case c.name == "dataObjectReference" && c.attr("isCollection") != "":
			im.w.Add(c.pos, importer.CodeInvalid, "move isCollection to the dataObject the reference points to",
				"the BPMN 2.0 schema does not allow isCollection on <dataObjectReference>; the file does not validate (the element is not imported either way)")
		default:
			im.unmapped(c)
		}
	}
}

// build turns the nodes and flows into steps.
func (im *imp) build() {
	for _, f := range im.flows {
		from, to := im.nodes[f.from], im.nodes[f.to]
		if from == nil || to == nil {
			im.w.Add(f.e.pos, importer.CodeInvalid, "a sequence flow joins two flow nodes of the process",
				"sequence flow %s refers to a node that is not in the process; not imported", f.e.attr("id"))
			continue
		}
		from.out = append(from.out, f)
		to.in = append(to.in, f)
	}
	// Boundary events hang on their activity: they are its failure path.
	for _, n := range im.order {
		if n.kind == "boundaryEvent" && n.lane == "" {
			if a := im.nodes[n.attached]; a != nil {
				n.lane = a.lane
			}
		}
	}
	for _, n := range im.order {
		if im.passThrough(n) {
			continue
		}
		n.step = im.b.AddStep(im.step(n))
	}
	for _, n := range im.order {
		if n.step == "" {
			continue
		}
		im.connect(n)
	}
	im.b.SOP().Notes = notes(im.assumptions)
	im.b.Finish("Start", "End")
}

// passThrough reports whether the flows run through n instead of it being
// a step: parallel gateways, and gateways that only join or are unnamed
// with one way out.
func (im *imp) passThrough(n *node) bool {
	if !gateways[n.kind] {
		return false
	}
	if n.kind == "parallelGateway" {
		return true
	}
	return len(n.out) <= 1
}

var (
	docLine  = lazyRegexp(`^(Notes|Phase|Environment|Tool|Channel|Accountable|Consulted|Informed|Approvers|Criterion|Evidence): (.*)$`)
	escLine  = lazyRegexp(`^Escalation path: (.*) decides(?: after (\S+))? when`)
	rollback = lazyRegexp(`(?i)roll ?back|revert|switch traffic back`)
)

// lazyRegexp returns expr compiled on the first call: every relsop
// command links this package, and most never use its patterns.
func lazyRegexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}

func (im *imp) step(n *node) relsop.Step {
	e := n.e
	st := relsop.Step{ID: importer.ID(n.id, "step"), Name: importer.OneLine(e.attr("name")), Owner: n.lane}
	if st.Name == "" {
		st.Name = importer.Humanize(strings.TrimSuffix(n.kind, "Event")) + " " + n.id
		if n.kind == "startEvent" {
			st.Name = "Start"
		} else if n.kind == "endEvent" {
			st.Name = "End"
		}
	}
	var notes []string
	switch {
	case n.kind == "startEvent":
		st.Kind = relsop.KindStart
		if d := eventDefinition(e); d != "" {
			notes = append(notes, "Starts on a "+d+" event.")
		}
	case n.kind == "endEvent":
		st.Kind = relsop.KindEnd
	case gateways[n.kind]:
		st.Kind = relsop.KindGate
		if n.kind != "exclusiveGateway" {
			notes = append(notes, "Imported from an "+n.kind+": in the SOP, one outcome is taken.")
			im.w.Group("gateway "+n.kind, e.pos, importer.CodeApproximated, "check that one outcome at a time is what the process means",
				"<%s> %s is imported as a gate, whose outcomes exclude each other", n.kind, label(e))
		}
	case events[n.kind]:
		st.Kind = relsop.KindTask
		def := eventDefinition(e)
		if def == "message" && n.kind == "intermediateThrowEvent" {
			st.Kind = relsop.KindNotify
		}
		what := strings.TrimSpace(def + " event")
		if n.kind == "boundaryEvent" {
			what = "boundary " + what
		}
		notes = append(notes, "Imported from a "+what+" ("+n.kind+").")
		im.w.Group("event "+n.kind, e.pos, importer.CodeApproximated, "an SOP has no intermediate events; check the step says what happens",
			"<%s> %s is imported as a step", n.kind, label(e))
	default:
		st.Kind = activities[n.kind]
		switch n.kind {
		case "subProcess", "transaction", "adHocSubProcess":
			im.w.Add(e.pos, importer.CodeApproximated, "import the sub-process as an SOP of its own, or draw its steps in the main flow",
				"the %s %s is one step; its inner steps are not expanded", n.kind, label(e))
		case "callActivity":
			notes = append(notes, "Calls the process "+e.attr("calledElement")+".")
		case "receiveTask":
			notes = append(notes, "Waits for a message (receiveTask).")
		}
		if e.child("multiInstanceLoopCharacteristics") != nil || e.child("standardLoopCharacteristics") != nil {
			notes = append(notes, "Repeats (a loop or multi-instance activity in BPMN).")
		}
	}
	im.readDoc(&st, docOf(e), &notes)
	if st.Phase == "" {
		st.Phase = im.phaseAt(n.id)
	}
	if st.Environment != "" && (st.Kind == relsop.KindTask || st.Kind == relsop.KindAutomated) {
		st.Kind = relsop.KindDeploy
		if im.isRollbackTarget(n) || rollback().MatchString(st.Name) {
			st.Kind = relsop.KindRollback
		}
	}
	st.Notes = strings.TrimSpace(strings.Join(append(notes, st.Notes), "\n"))
	return st
}

// readDoc reads a step's documentation: relsop's export writes its fields
// there one per line ("Environment: Production"); other text is the
// description.
func (im *imp) readDoc(st *relsop.Step, doc string, notes *[]string) {
	var desc []string
	for _, line := range strings.Split(doc, "\n") {
		m := docLine().FindStringSubmatch(line)
		if !im.relsop || m == nil {
			if esc := escLine().FindStringSubmatch(line); im.relsop && esc != nil && st.Kind == relsop.KindGate {
				e := &relsop.Escalation{Role: im.roleByName[esc[1]]}
				if d, err := relsop.ParseDuration(esc[2]); err == nil && esc[2] != "" {
					e.After = d
				}
				if e.Role != "" {
					st.Escalation = e
				}
				continue
			}
			desc = append(desc, line)
			continue
		}
		v := m[2]
		switch m[1] {
		case "Notes":
			st.Notes = v
		case "Phase":
			st.Phase = im.phaseByName[v]
		case "Environment":
			st.Environment = im.environment(v)
		case "Tool":
			st.Tool = v
		case "Channel":
			st.Channel = v
		case "Accountable":
			st.RACI.Accountable = im.roles(v)
		case "Consulted":
			st.RACI.Consulted = im.roles(v)
		case "Informed":
			st.RACI.Informed = im.roles(v)
		case "Approvers":
			st.Approvers = im.roles(v)
		case "Criterion":
			st.Criteria = append(st.Criteria, v)
		case "Evidence":
			st.Evidence = append(st.Evidence, v)
		}
	}
	st.Description = strings.TrimSpace(strings.Join(desc, "\n"))
}

func (im *imp) roles(names string) []string {
	var out []string
	for _, n := range strings.Split(names, ", ") {
		if id := im.roleByName[n]; id != "" {
			out = append(out, id)
		}
	}
	return out
}

func (im *imp) environment(name string) string {
	prod := regexp.MustCompile(`(?i)prod|live`).MatchString(name)
	return im.b.Environment(importer.Slug(name), name, prod)
}

// phaseAt finds the phase group whose box holds the centre of the node's
// shape.
func (im *imp) phaseAt(id string) string {
	s, ok := im.shapes[id]
	if !ok {
		return ""
	}
	cx, cy := s.x+s.w/2, s.y+s.h/2
	for _, g := range im.groups {
		if cx >= g.box.x && cx <= g.box.x+g.box.w && cy >= g.box.y && cy <= g.box.y+g.box.h {
			return g.phase
		}
	}
	return ""
}

func (im *imp) isRollbackTarget(n *node) bool {
	for _, f := range n.in {
		if isFailure(f) {
			return true
		}
	}
	return false
}

func isFailure(f *seqFlow) bool {
	return f.cond == "failed" || strings.HasPrefix(f.doc, "Rollback path")
}

func isEscalation(f *seqFlow) bool { return f.cond == "escalated" }

// targets follows a flow through the pass-through gateways to the steps it
// reaches.
func (im *imp) targets(f *seqFlow, seen map[*node]bool) []string {
	n := im.nodes[f.to]
	if n == nil || seen[n] {
		return nil
	}
	if n.step != "" {
		return []string{n.step}
	}
	seen[n] = true
	var out []string
	for _, o := range n.out {
		out = append(out, im.targets(o, seen)...)
	}
	return out
}

// connect adds the flows leaving step n: outcomes for a gate, failure and
// escalation paths where relsop's export marked them, next flows else.
func (im *imp) connect(n *node) {
	st := func() *relsop.Step { return im.b.Step(n.step) }
	if n.kind == "boundaryEvent" {
		if a := im.nodes[n.attached]; a != nil && a.step != "" {
			if s := im.b.Step(a.step); s.OnFailure == "" {
				s.OnFailure = n.step
			} else {
				im.b.Link(a.step, n.step)
			}
		}
	}
	for i, f := range n.out {
		to := im.targets(f, map[*node]bool{})
		switch {
		case im.relsop && isFailure(f) && len(to) > 0:
			st().OnFailure = to[0]
		case im.relsop && isEscalation(f) && len(to) > 0:
			if e := st().Escalation; e != nil {
				e.To = to[0]
			} else {
				st().Escalation = &relsop.Escalation{Role: st().Owner, To: to[0]}
			}
		case st().Kind == relsop.KindGate:
			lbl := f.name
			if lbl == "" {
				lbl = conditionLabel(f.cond)
			}
			if lbl == "" {
				if t := im.nodes[f.to]; t != nil && t.e.attr("name") != "" {
					lbl = importer.OneLine(t.e.attr("name"))
				} else {
					lbl = "option " + strconv.Itoa(i+1)
				}
			}
			for k, t := range to {
				l := lbl
				if k > 0 {
					l += " " + strconv.Itoa(k+1)
				}
				st().Outcomes = append(st().Outcomes, relsop.Outcome{Label: l, To: t})
			}
		default:
			for _, t := range to {
				im.b.Link(n.step, t)
			}
		}
	}
}

// conditionLabel reads relsop's outcome == "go" conditions, and keeps any
// other short condition as the label.
func conditionLabel(cond string) string {
	if v, ok := strings.CutPrefix(cond, "outcome == "); ok {
		if s, err := strconv.Unquote(v); err == nil {
			return s
		}
	}
	if len(cond) <= 40 {
		return importer.OneLine(cond)
	}
	return ""
}

func eventDefinition(e *elem) string {
	for _, c := range e.children {
		if d, ok := strings.CutSuffix(c.name, "EventDefinition"); ok {
			return d
		}
	}
	return ""
}

func docOf(e *elem) string {
	var parts []string
	for _, d := range e.all("documentation") {
		if t := strings.TrimSpace(d.text.String()); t != "" {
			parts = append(parts, t)
		}
	}
	return strings.Join(parts, "\n")
}

func notes(assumptions []string) string {
	s := "Imported from BPMN; review owners, gates and rollback paths."
	if len(assumptions) > 0 {
		a := append([]string(nil), assumptions...)
		sort.Strings(a)
		s += "\nAssumptions made by the import:\n- " + strings.Join(a, "\n- ")
	}
	return s
}
