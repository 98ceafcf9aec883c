package edit

import (
	"fmt"
	"slices"
	"strings"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/compile"
)

// planner works out the operations that turn one SOP into another. Each
// operation is applied as soon as it is chosen, so the next is chosen on
// the SOP as it really is: what add_step and remove_step do to the flows
// around a step need not be predicted, only looked at and corrected.
type planner struct {
	src    []byte         // the source after the operations so far
	loaded compile.Result // it, loaded; its tree is used up by the next operation
	cur    *relsop.SOP    // its SOP
	want   *relsop.SOP    // the SOP to arrive at
	ops    []Op
}

// plan makes the operations in an order in which each applies: roles,
// phases and environments before the steps that name them (and removed
// only once no step does), steps before the flows that lead to them, a
// step's fields before its kind where the kind needs them.
// Removed steps go before added ones, or after them when addsFirst: the
// order decides where removing a step leads what named it (a release type
// adding a step after it), so DiffOps tries both.
func (p *planner) plan(addsFirst bool) error {
	stages := []func() error{p.orderPlaces, p.addPlaces, p.setSOP, p.setElements, p.removeSteps, p.addSteps, p.setSteps, p.matchFlows, p.removePlaces, p.removeReleaseTypes, p.addReleaseTypes, p.setReleaseTypes}
	if addsFirst {
		stages[4], stages[5] = stages[5], stages[4]
	}
	for _, stage := range stages {
		if err := stage(); err != nil {
			return err
		}
	}
	return nil
}

// do applies op to the current source and records it. An operation that
// fails means the difference cannot be made this way: it is reported as
// unsupported, with ApplyOps's reason. The step is the one ApplyOps
// takes for each of its operations, so ApplyOps(from, ops) goes through
// the same sources.
func (p *planner) do(op Op) error {
	if len(p.ops) == maxOps {
		return &UnsupportedChangeError{Changes: []string{fmt.Sprintf("a change this large (more than %d operations)", maxOps)}}
	}
	// applyLoaded changes the tree it is given; after a failure it is
	// not used again.
	out, res, _, err := applyLoaded(p.loaded, op)
	if err != nil {
		return &UnsupportedChangeError{Changes: []string{fmt.Sprintf("%s (%v)", describe(op), err)}}
	}
	p.src, p.loaded, p.cur = out, res, res.SOP
	p.ops = append(p.ops, op)
	return nil
}

// describe says what op does, as a phrase for messages.
func describe(op Op) string {
	switch op.Op {
	case "set":
		return fmt.Sprintf("changing the %s of %s", op.Field, element(op.Kind, op.ID))
	case "add_step":
		return "adding " + element("step", op.Step.ID)
	case "remove_step":
		return "removing " + element("step", op.ID)
	case "connect":
		return fmt.Sprintf("leading the step %s to %s", quote(op.From), quote(op.To))
	case "disconnect":
		return fmt.Sprintf("no longer leading the step %s to %s", quote(op.From), quote(op.To))
	case "add_role":
		return "adding " + element("role", op.Role.ID)
	case "remove_role":
		return "removing " + element("role", op.ID)
	case "add_release_type":
		return "adding " + element("release type", op.Type.ID)
	case "remove_release_type":
		return "removing " + element("release type", op.ID)
	case "add_phase":
		return "adding " + element("phase", op.Phase.ID)
	case "remove_phase":
		return "removing " + element("phase", op.ID)
	case "add_environment":
		return "adding " + element("environment", op.Environment.ID)
	case "remove_environment":
		return "removing " + element("environment", op.ID)
	case "move_role", "move_phase", "move_environment":
		return "moving " + element(strings.TrimPrefix(op.Op, "move_"), op.ID)
	}
	return op.Op
}

// opValue is a field's value (as the value lists hold it) as a set
// operation gives it: a string, a list of strings or nil, a flag, links.
func opValue(typ fieldType, v any) any {
	switch typ {
	case textField:
		return v.(string)
	case flagField:
		return v.(bool)
	case linkField:
		if l := linkValues(v.([]relsop.Link)); l != nil {
			return l
		}
		return nil
	}
	if l := v.([]string); len(l) > 0 {
		return slices.Clone(l)
	}
	return nil
}

// setFields sets the settable fields of one element that differ, in the
// order of the lists given; only holds the fields to look at (nil: all).
func (p *planner) setFields(kind, id string, cur, want []value, only func(value) bool) error {
	for i, w := range want {
		typ, ok := settable[kind][w.field]
		if !ok || (only != nil && !only(w)) || same(cur[i].v, w.v) {
			continue
		}
		op := Op{Op: "set", Kind: kind, ID: id, Field: w.field, Value: opValue(typ, w.v)}
		if err := p.do(op); err != nil {
			return err
		}
	}
	return nil
}

func (p *planner) setSOP() error {
	return p.setFields("sop", "", sopValues(p.cur), sopValues(p.want), nil)
}

// place is a kind of element the steps are placed by (their owner, phase
// and environment), which the planner adds and removes.
type place struct {
	ids    func(*relsop.SOP) []string
	add    func(want *relsop.SOP, id, after, before string) Op
	remove string // the operation that removes one
	move   string // the operation that moves one
}

var places = []place{
	{roleIDs, func(w *relsop.SOP, id, after, before string) Op {
		r := w.Role(id)
		return Op{Op: "add_role", After: after, Before: before, Role: &NewRole{ID: r.ID, Name: r.Name}}
	}, "remove_role", "move_role"},
	{phaseIDs, func(w *relsop.SOP, id, after, before string) Op {
		ph := w.Phase(id)
		return Op{Op: "add_phase", After: after, Before: before, Phase: &NewPhase{ID: ph.ID, Name: ph.Name, Description: ph.Description}}
	}, "remove_phase", "move_phase"},
	{environmentIDs, func(w *relsop.SOP, id, after, before string) Op {
		e := w.Environment(id)
		return Op{Op: "add_environment", After: after, Before: before, Environment: &NewEnvironment{ID: e.ID, Name: e.Name, Production: e.Production, Description: e.Description}}
	}, "remove_environment", "move_environment"},
}

// addPlaces adds the new roles, phases and environments, each where it is
// in to: after the one before it there, or before the first that follows.
func (p *planner) addPlaces() error {
	for _, pl := range places {
		want := pl.ids(p.want)
		for i, id := range want {
			have := pl.ids(p.cur)
			if slices.Contains(have, id) {
				continue
			}
			after, before := placeOf(want, i, have)
			if err := p.do(pl.add(p.want, id, after, before)); err != nil {
				return err
			}
		}
	}
	return nil
}

// placeOf says where the element want[i] goes among have: after the
// nearest element before it in want that have holds, else before the
// nearest after it; both "" when have holds none of them.
func placeOf(want []string, i int, have []string) (after, before string) {
	for j := i - 1; j >= 0; j-- {
		if slices.Contains(have, want[j]) {
			return want[j], ""
		}
	}
	for j := i + 1; j < len(want); j++ {
		if slices.Contains(have, want[j]) {
			return "", want[j]
		}
	}
	return "", ""
}

// orderPlaces puts the roles, phases and environments that from and to
// share in to's order, before addPlaces adds the new ones among them. It
// moves as few as it can: those outside a longest run that is in order
// already, each after the one before it in to (or first). Those to be
// removed later stay where they are; taking them out moves no other.
func (p *planner) orderPlaces() error {
	for _, pl := range places {
		in := func(list []string) func(string) bool {
			return func(id string) bool { return !slices.Contains(list, id) }
		}
		order := slices.DeleteFunc(pl.ids(p.want), in(pl.ids(p.cur)))
		shared := func() []string { return slices.DeleteFunc(pl.ids(p.cur), in(order)) }
		keep := longestInOrder(order, shared())
		for i, id := range order {
			if keep[id] {
				continue
			}
			op := Op{Op: pl.move, ID: id}
			if i > 0 {
				op.After = order[i-1]
			} else if first := shared()[0]; first != id {
				op.Before = first
			} else {
				continue
			}
			if err := p.do(op); err != nil {
				return err
			}
		}
	}
	return nil
}

// longestInOrder returns the ids of a longest list of want's ids that have
// holds in want's order (have holds the ids of want, in some order).
func longestInOrder(want, have []string) map[string]bool {
	pos := make([]int, len(want))
	for i, id := range want {
		pos[i] = slices.Index(have, id)
	}
	// run[i]: the length of the longest run in order that ends at want[i];
	// prev[i]: the index before i in it, or -1.
	run, prev := make([]int, len(want)), make([]int, len(want))
	best := -1
	for i := range want {
		run[i], prev[i] = 1, -1
		for j := range i {
			if pos[j] < pos[i] && run[j]+1 > run[i] {
				run[i], prev[i] = run[j]+1, j
			}
		}
		if best < 0 || run[i] > run[best] {
			best = i
		}
	}
	keep := map[string]bool{}
	for i := best; i >= 0; i = prev[i] {
		keep[want[i]] = true
	}
	return keep
}

// removePlaces removes the roles, phases and environments to has no
// more, once the steps have moved out of them.
func (p *planner) removePlaces() error {
	for _, pl := range places {
		want := pl.ids(p.want)
		for _, id := range pl.ids(p.cur) {
			if !slices.Contains(want, id) {
				if err := p.do(Op{Op: pl.remove, ID: id}); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func roleIDs(s *relsop.SOP) []string {
	return idsOf(s.Roles, func(r *relsop.Role) string { return r.ID })
}
func phaseIDs(s *relsop.SOP) []string {
	return idsOf(s.Phases, func(p *relsop.Phase) string { return p.ID })
}
func environmentIDs(s *relsop.SOP) []string {
	return idsOf(s.Environments, func(e *relsop.Environment) string { return e.ID })
}

func idsOf[T any](list []T, id func(*T) string) []string {
	ids := make([]string, len(list))
	for i := range list {
		ids[i] = id(&list[i])
	}
	return ids
}

// setElements sets the fields of roles, phases and environments.
func (p *planner) setElements() error {
	// One after the other: after a failure the planner's tree is not used again.
	if err := setEach(p, "role", p.want.Roles, (*relsop.SOP).Role, func(r *relsop.Role) string { return r.ID }, roleValues); err != nil {
		return err
	}
	if err := setEach(p, "phase", p.want.Phases, (*relsop.SOP).Phase, func(ph *relsop.Phase) string { return ph.ID }, phaseValues); err != nil {
		return err
	}
	return setEach(p, "environment", p.want.Environments, (*relsop.SOP).Environment, func(e *relsop.Environment) string { return e.ID }, environmentValues)
}

// setEach sets the fields that differ of each wanted element of a kind;
// find looks an element up in the SOP as it is now.
func setEach[T any](p *planner, kind string, want []T, find func(*relsop.SOP, string) *T, id func(*T) string, values func(*T) []value) error {
	for i := range want {
		w := &want[i]
		if err := p.setFields(kind, id(w), values(find(p.cur, id(w))), values(w), nil); err != nil {
			return err
		}
	}
	return nil
}

// removeSteps removes the steps to has no more, in the file's order.
// Flows into each are led on; matchFlows corrects them later.
func (p *planner) removeSteps() error {
	var gone []string
	for _, st := range p.cur.Steps {
		if p.want.Step(st.ID) == nil {
			gone = append(gone, st.ID)
		}
	}
	for _, id := range gone {
		if err := p.do(Op{Op: "remove_step", ID: id}); err != nil {
			return err
		}
	}
	return nil
}

// addSteps adds the new steps, each after a step that leads to it where
// one is there already, so that a chain of new steps comes out as a
// chain and add_step's own splicing is mostly what is wanted.
func (p *planner) addSteps() error {
	var pending []*relsop.Step
	for i := range p.want.Steps {
		if p.cur.Step(p.want.Steps[i].ID) == nil {
			pending = append(pending, &p.want.Steps[i])
		}
	}
	for len(pending) > 0 {
		k := slices.IndexFunc(pending, func(st *relsop.Step) bool { return p.leadingTo(st.ID) != "" })
		if k < 0 {
			k = 0
		}
		st := pending[k]
		pending = slices.Delete(pending, k, k+1)
		// A deploy step must name its environment, which add_step
		// cannot give: it starts as a task, and setSteps sets the
		// environment, then the kind.
		kind := st.Kind
		if kind == relsop.KindDeploy {
			kind = relsop.KindTask
		}
		op := Op{Op: "add_step", After: p.anchor(st), Step: &NewStep{ID: st.ID, Name: st.Name, Kind: string(kind), Owner: st.Owner, Phase: st.Phase}}
		if err := p.do(op); err != nil {
			return err
		}
	}
	return nil
}

// leadingTo is the first step, in to's file order, that leads to id there
// and that a new step can follow now; "" if none.
func (p *planner) leadingTo(id string) string {
	for _, st := range p.want.Steps {
		leads := slices.Contains(st.Next, id) || slices.ContainsFunc(st.Outcomes, func(o relsop.Outcome) bool { return o.To == id })
		if leads && p.canFollow(st.ID) {
			return st.ID
		}
	}
	return ""
}

// canFollow reports whether add_step can put a step after id: it must
// exist, not be the end step, and lead somewhere.
func (p *planner) canFollow(id string) bool {
	st := p.cur.Step(id)
	return st != nil && st.Kind != relsop.KindEnd && len(st.Next)+len(st.Outcomes) > 0
}

// anchor chooses the step a new step st is added after: the step before
// it in to's file when that one leads to it, else any step that leads to
// it, else the step before it in the file, else the start step, else the
// first that can be followed; "" (before the end step) when none can.
func (p *planner) anchor(st *relsop.Step) string {
	prev := ""
	if i := slices.IndexFunc(p.want.Steps, func(s relsop.Step) bool { return s.ID == st.ID }); i > 0 {
		prev = p.want.Steps[i-1].ID
	}
	if w := p.want.Step(prev); w != nil && p.canFollow(prev) &&
		(slices.Contains(w.Next, st.ID) || slices.ContainsFunc(w.Outcomes, func(o relsop.Outcome) bool { return o.To == st.ID })) {
		return prev
	}
	if id := p.leadingTo(st.ID); id != "" {
		return id
	}
	if p.canFollow(prev) {
		return prev
	}
	for _, s := range p.cur.Steps {
		if s.Kind == relsop.KindStart && p.canFollow(s.ID) {
			return s.ID
		}
	}
	for _, s := range p.cur.Steps {
		if p.canFollow(s.ID) {
			return s.ID
		}
	}
	return ""
}

// setSteps sets the fields of every step that differ. Values are given
// before the kind changes and taken away after, so that a step turned
// into a deploy step has its environment first, and one turned from it
// keeps its environment until it is no longer a deploy step. Values are
// taken away in the reverse of their order, so that a field others need
// (an escalation's role) goes last.
func (p *planner) setSteps() error {
	for i := range p.want.Steps {
		w := &p.want.Steps[i]
		given := func(v value) bool { return v.field != "kind" && !same(v.v, nil) }
		kind := func(v value) bool { return v.field == "kind" }
		taken := func(v value) bool { return v.field != "kind" && same(v.v, nil) }
		for pass, only := range []func(value) bool{given, kind, taken} {
			cur, want := stepValues(p.cur.Step(w.ID)), stepValues(w)
			if pass == 2 { // taken away last field first: an escalation's role goes after its other fields
				slices.Reverse(cur)
				slices.Reverse(want)
			}
			if err := p.setFields("step", w.ID, cur, want, only); err != nil {
				return err
			}
		}
	}
	return nil
}

// matchFlows makes every step lead where it leads in to.
func (p *planner) matchFlows() error {
	for i := range p.want.Steps {
		w := &p.want.Steps[i]
		var err error
		if p.cur.Step(w.ID).IsGate() {
			err = p.matchOutcomes(w)
		} else {
			err = p.matchNext(w)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// matchNext connects the next steps w has and the current step lacks,
// then disconnects those it has and w lacks.
func (p *planner) matchNext(w *relsop.Step) error {
	cur := slices.Clone(p.cur.Step(w.ID).Next)
	var ops []Op
	for _, to := range w.Next {
		if i := slices.Index(cur, to); i >= 0 {
			cur = slices.Delete(cur, i, i+1)
			continue
		}
		ops = append(ops, Op{Op: "connect", From: w.ID, To: to})
	}
	for _, to := range cur {
		ops = append(ops, Op{Op: "disconnect", From: w.ID, To: to})
	}
	return p.doAll(ops)
}

// matchOutcomes gives a gate w's outcomes. Outcomes that change or are new
// are connected first (connect points a label at its step), so the gate
// never runs out of outcomes, which would not load. disconnect removes
// every outcome that leads to a step, so an outcome to drop that shares
// its step with one to keep is first pointed at a step no kept outcome
// leads to.
func (p *planner) matchOutcomes(w *relsop.Step) error {
	cur := p.cur.Step(w.ID)
	var ops []Op
	keep := map[string]bool{}
	for _, o := range w.Outcomes {
		keep[o.To] = true
		if c := cur.Outcome(o.Label); c == nil || c.To != o.To {
			ops = append(ops, Op{Op: "connect", From: w.ID, To: o.To, Label: o.Label})
		}
	}
	var drop []string
	for _, o := range cur.Outcomes {
		if w.Outcome(o.Label) != nil {
			continue
		}
		to := o.To
		if keep[to] {
			to = p.spare(w.ID, keep)
			if to == "" {
				return &UnsupportedChangeError{Changes: []string{fmt.Sprintf("changing the outcomes of the gate %s", quote(w.ID))}}
			}
			ops = append(ops, Op{Op: "connect", From: w.ID, To: to, Label: o.Label})
		}
		if !slices.Contains(drop, to) {
			drop = append(drop, to)
		}
	}
	for _, to := range drop {
		ops = append(ops, Op{Op: "disconnect", From: w.ID, To: to})
	}
	return p.doAll(ops)
}

// spare is a step an outcome of gate id may lead to for a moment: not the
// gate itself, and none a kept outcome leads to.
func (p *planner) spare(id string, keep map[string]bool) string {
	for _, st := range p.cur.Steps {
		if st.ID != id && !keep[st.ID] {
			return st.ID
		}
	}
	return ""
}

func (p *planner) doAll(ops []Op) error {
	for _, op := range ops {
		if err := p.do(op); err != nil {
			return err
		}
	}
	return nil
}

// addReleaseTypes adds the new release types, each as it is (an id, a
// name, a base: differences made sure of that) after the others.
func (p *planner) addReleaseTypes() error {
	for _, rt := range p.want.ReleaseTypes {
		if p.cur.ReleaseType(rt.ID) != nil {
			continue
		}
		if err := p.do(Op{Op: "add_release_type", Type: &NewType{ID: rt.ID, Name: rt.Name, Base: rt.Base}}); err != nil {
			return err
		}
	}
	return nil
}

// linkValues are a step's links as a set operation's value; nil for none.
func linkValues(links []relsop.Link) []LinkValue {
	if len(links) == 0 {
		return nil
	}
	out := make([]LinkValue, len(links))
	for i, l := range links {
		out[i] = LinkValue{Title: l.Title, URL: l.URL}
	}
	return out
}

// removeReleaseTypes removes the release types to has no more, those no
// other builds on first.
func (p *planner) removeReleaseTypes() error {
	for {
		var gone string
		for _, rt := range p.cur.ReleaseTypes {
			based := slices.ContainsFunc(p.cur.ReleaseTypes, func(o relsop.ReleaseType) bool { return o.Base == rt.ID })
			if p.want.ReleaseType(rt.ID) == nil && !based {
				gone = rt.ID
				break
			}
		}
		if gone == "" {
			return nil
		}
		if err := p.do(Op{Op: "remove_release_type", ID: gone}); err != nil {
			return err
		}
	}
}

// setReleaseTypes sets what set reaches of every release type: its name,
// description, emergency flag and skipped steps.
func (p *planner) setReleaseTypes() error {
	return setEach(p, "release_type", p.want.ReleaseTypes, (*relsop.SOP).ReleaseType, func(rt *relsop.ReleaseType) string { return rt.ID }, releaseTypeValues)
}
