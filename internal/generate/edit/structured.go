package edit

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/compile"
	"github.com/relsop/relsop/internal/format"
	"github.com/relsop/relsop/internal/syntax"
)

// Op is one structured edit, as the workspace's diagram editor and side
// panel send them: unlike an instruction it names everything by id, so
// nothing has to be guessed. The JSON field names are those of the HTTP
// API (docs/api.md).
type Op struct {
	Op          string          `json:"op"`                     // set, add_step, remove_step, connect, disconnect, add_role, remove_role, move_role, add_release_type, remove_release_type, add_phase, remove_phase, move_phase, add_environment, remove_environment, move_environment
	Kind        string          `json:"kind,omitempty"`         // set: sop, step, role, phase, environment, release_type
	ID          string          `json:"id,omitempty"`           // set, remove_*, move_*: the element's id
	Field       string          `json:"field,omitempty"`        // set: the YAML field name
	Value       any             `json:"value,omitempty"`        // set: a string, a list of strings for list fields, true or false for flags; "" or null deletes an optional field
	Step        *NewStep        `json:"step,omitempty"`         // add_step
	Role        *NewRole        `json:"role,omitempty"`         // add_role
	Type        *NewType        `json:"release_type,omitempty"` // add_release_type
	Phase       *NewPhase       `json:"phase,omitempty"`        // add_phase
	Environment *NewEnvironment `json:"environment,omitempty"`  // add_environment
	After       string          `json:"after,omitempty"`        // add_step: the step it follows (default: before the end step); add_role, add_phase, add_environment: the role, phase or environment it follows (default: the last)
	Before      string          `json:"before,omitempty"`       // add_role, add_phase, add_environment, move_*: the one it goes before
	From        string          `json:"from,omitempty"`         // connect, disconnect
	To          string          `json:"to,omitempty"`           // connect, disconnect
	Label       string          `json:"label,omitempty"`        // connect from a gate: the outcome's label
}

// NewStep is a step to add.
type NewStep struct {
	ID    string `json:"id,omitempty"` // default: made from the name
	Name  string `json:"name"`
	Kind  string `json:"kind,omitempty"` // default task
	Owner string `json:"owner,omitempty"`
	Phase string `json:"phase,omitempty"`
}

// NewRole is a role to add.
type NewRole struct {
	ID   string `json:"id,omitempty"` // default: made from the name
	Name string `json:"name"`
}

// NewType is a release type to add: a variant that starts as a copy of
// the base flow, or of the release type Base.
type NewType struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"` // default: made from the id
	Base string `json:"base,omitempty"`
}

// OpError is a structured edit that could not be made; none of the list's
// edits was made.
type OpError struct {
	Index int // from 0
	Op    string
	Err   error
}

func (e *OpError) Error() string {
	return fmt.Sprintf("operation %d (%s): %v; no operation was applied", e.Index+1, e.Op, e.Err)
}

func (e *OpError) Unwrap() error { return e.Err }

// maxOps bounds one request's list of operations.
const maxOps = 200

// fieldType is what a settable field holds.
type fieldType int

const (
	textField fieldType = iota // one string
	listField                  // a list of strings
	flagField                  // true or false; false is written by leaving the field out
	linkField                  // a list of links, each a title and a URL
)

// LinkValue is one link in the value of a set operation on links: JSON
// {"title": ..., "url": ...}.
type LinkValue struct {
	Title string `json:"title"`
	URL   string `json:"url"`
}

// settable lists, per kind of element, the fields set may change and what
// each holds. Ids are not settable: references would break.
var settable = map[string]map[string]fieldType{
	"sop": {"title": textField, "version": textField, "owner": textField, "scope": textField, "description": textField, "notes": textField, "status": textField,
		"review.cadence": textField, "review.last_reviewed": textField},
	"step": {"name": textField, "kind": textField, "owner": textField, "phase": textField, "environment": textField, "description": textField, "notes": textField, "tool": textField, "channel": textField, "duration": textField, "sla": textField, "criteria": listField, "approvers": listField, "evidence": listField,
		"raci.accountable": listField, "raci.consulted": listField, "raci.informed": listField,
		"escalation.role": textField, "escalation.after": textField, "escalation.to": textField, "links": linkField, "on_failure": textField,
		"exception.reason": textField, "exception.approved_by": textField},
	"role":        {"name": textField, "description": textField},
	"phase":       {"name": textField, "description": textField},
	"environment": {"name": textField, "production": flagField, "description": textField},
	// A release type's added and changed steps are not settable: they are
	// step definitions of their own (edit them in the YAML).
	"release_type": {"name": textField, "description": textField, "emergency": flagField, "remove": listField},
}

// ApplyOps makes a list of structured edits on the SOP in src, all or
// nothing: each is made on the file the one before left, and the file must
// load after each. Comments and the untouched parts of the file stay. It
// returns an *OpError naming the edit that failed.
func ApplyOps(src []byte, ops []Op) (*Result, error) {
	res, _, err := NewSession(src).Apply(ops)
	return res, err
}

// applyLoaded makes one structured edit on a loaded SOP, whose tree it
// changes, and returns the new source, loaded, and what was done.
func applyLoaded(loaded compile.Result, op Op) ([]byte, compile.Result, []string, error) {
	d := &doc{file: "SOP", tree: loaded.Tree, root: loaded.Tree.Root, sop: loaded.SOP}
	if err := d.applyOp(op); err != nil {
		return nil, loaded, nil, err
	}
	out := format.Format(d.tree)
	res := compile.Load(out)
	if len(res.Errors) > 0 {
		return nil, loaded, nil, fmt.Errorf("it would leave an SOP that does not load:%s", findings(res.Errors))
	}
	return out, res, d.summary, nil
}

func (d *doc) applyOp(op Op) error {
	switch op.Op {
	case "set":
		return d.setOp(op)
	case "add_step":
		return d.addStepOp(op)
	case "remove_step":
		st := d.sop.Step(op.ID)
		if st == nil {
			return fmt.Errorf("no step has the id %q", op.ID)
		}
		return d.removeStep(st)
	case "connect":
		return d.connectOp(op)
	case "disconnect":
		return d.disconnectOp(op)
	case "add_role":
		return d.addRoleOp(op)
	case "add_release_type":
		return d.addTypeOp(op)
	case "add_phase":
		return d.addPhaseOp(op)
	case "add_environment":
		return d.addEnvironmentOp(op)
	case "remove_release_type":
		return d.removeTypeOp(op)
	}
	// remove_ and move_ a role, phase or environment
	if verb, kind, _ := strings.Cut(op.Op, "_"); orderedKinds[kind].kind != "" {
		switch verb {
		case "remove":
			return d.removeOrderedOp(orderedKinds[kind], op)
		case "move":
			return d.moveOrderedOp(orderedKinds[kind], op)
		}
	}
	return fmt.Errorf("unknown operation %q; use set, add_step, remove_step, connect, disconnect, add_role, remove_role, move_role, add_release_type, remove_release_type, add_phase, remove_phase, move_phase, add_environment, remove_environment or move_environment", op.Op)
}

// setOp gives one field of one element a new value.
func (d *doc) setOp(op Op) error {
	if err := d.setField(op.Kind, op.ID, op.Field, op.Value); err != nil {
		return err
	}
	d.say("set %s of %s %q", op.Field, op.Kind, op.ID)
	return nil
}

// setField is setOp without its line in the summary: the instruction
// handlers that set fields say what they did in their own words.
func (d *doc) setField(kind, id, field string, value any) error {
	op := Op{Op: "set", Kind: kind, ID: id, Field: field, Value: value}
	fields, ok := settable[op.Kind]
	if !ok {
		return fmt.Errorf("set needs kind sop, step, role, phase, environment or release_type, not %q", op.Kind)
	}
	typ, ok := fields[op.Field]
	if !ok {
		return fmt.Errorf("the field %q of a %s cannot be set here; settable: %s", op.Field, op.Kind, strings.Join(sortedKeys(fields), ", "))
	}
	var m *syntax.Node
	if op.Kind == "sop" {
		m = d.root
	} else {
		if _, m = d.item(op.Kind+"s", "id", op.ID); m == nil {
			return fmt.Errorf("no %s has the id %q", op.Kind, op.ID)
		}
	}
	v, err := setValue(typ, op.Value)
	if err != nil {
		return fmt.Errorf("%s: %v", op.Field, err)
	}
	put(m, op.Field, v)
	return nil
}

// setValue is the node a set operation writes for a field of type typ, or
// nil when it deletes the field.
func setValue(typ fieldType, value any) (*syntax.Node, error) {
	if typ == linkField {
		links, err := opLinks(value)
		if len(links) == 0 || err != nil {
			return nil, err
		}
		list := &syntax.Node{Kind: syntax.Sequence}
		for _, l := range links {
			list.Items = append(list.Items, mapNode("title", strNode(l.Title), "url", strNode(l.URL)))
		}
		return list, nil
	}
	if typ == flagField {
		on, err := opFlag(value)
		if !on || err != nil {
			return nil, err
		}
		return &syntax.Node{Kind: syntax.Scalar, Type: syntax.Bool, Value: "true"}, nil
	}
	vals, err := opValues(value, typ == listField)
	switch {
	case err != nil || len(vals) == 0:
		return nil, err
	case typ == listField:
		return listNode(vals...), nil
	}
	return strNode(vals[0]), nil
}

// put gives field the value v in mapping m, or deletes it when v is nil. A
// dotted field ("raci.informed") is a key of a mapping inside m, made when
// needed and dropped when it becomes empty.
func put(m *syntax.Node, field string, v *syntax.Node) {
	parent, key, nested := strings.Cut(field, ".")
	if !nested {
		if v == nil {
			del(m, field)
		} else {
			set(m, field, v)
		}
		return
	}
	inner := m.Get(parent)
	if inner == nil || inner.Kind != syntax.Mapping {
		if v == nil {
			return
		}
		inner = mapNode()
		set(m, parent, inner)
	}
	put(inner, key, v)
	if len(inner.Pairs) == 0 {
		del(m, parent)
	}
}

// opValues reads a set operation's value: a string, a list of strings, or
// nothing.
func opValues(v any, isList bool) ([]string, error) {
	switch v := v.(type) {
	case nil:
		return nil, nil
	case string:
		v = strings.TrimSpace(v)
		if v == "" {
			return nil, nil
		}
		return []string{v}, nil
	case []string:
		return cleanList(v), nil
	case []any:
		if !isList {
			return nil, errors.New("takes one string, not a list")
		}
		var out []string
		for _, x := range v {
			s, ok := x.(string)
			if !ok {
				return nil, errors.New("a list of strings is needed")
			}
			out = append(out, s)
		}
		return cleanList(out), nil
	}
	return nil, errors.New("the value must be a string or a list of strings")
}

// opLinks reads a set operation's value for links: a list of {title, url}
// objects (as JSON gives them, or LinkValues), or nothing.
func opLinks(v any) ([]LinkValue, error) {
	switch v := v.(type) {
	case nil:
		return nil, nil
	case []LinkValue:
		return checkLinks(v)
	case []any:
		var out []LinkValue
		for _, x := range v {
			m, ok := x.(map[string]any)
			if !ok {
				return nil, errors.New("a list of links is needed, each {\"title\": ..., \"url\": ...}")
			}
			title, _ := m["title"].(string)
			url, _ := m["url"].(string)
			out = append(out, LinkValue{Title: title, URL: url})
		}
		return checkLinks(out)
	}
	return nil, errors.New("a list of links is needed, each {\"title\": ..., \"url\": ...}")
}

// checkLinks trims links and makes sure each has a title and a URL.
func checkLinks(links []LinkValue) ([]LinkValue, error) {
	out := make([]LinkValue, 0, len(links))
	for i, l := range links {
		l = LinkValue{Title: strings.TrimSpace(l.Title), URL: strings.TrimSpace(l.URL)}
		if l.Title == "" || l.URL == "" {
			return nil, fmt.Errorf("link %d needs a title and a URL", i+1)
		}
		out = append(out, l)
	}
	return out, nil
}

// opFlag reads a set operation's value for a flag: true or false, as a
// JSON boolean or a string; nothing is false.
func opFlag(v any) (bool, error) {
	switch v := v.(type) {
	case nil:
		return false, nil
	case bool:
		return v, nil
	case string:
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "true":
			return true, nil
		case "false", "":
			return false, nil
		}
	}
	return false, errors.New("the value must be true or false")
}

func cleanList(vs []string) []string {
	var out []string
	for _, v := range vs {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// addStepOp adds a step after another, or before the end step.
func (d *doc) addStepOp(op Op) error {
	ns := op.Step
	if ns == nil || strings.TrimSpace(ns.Name) == "" {
		return errors.New("add_step needs a step with a name")
	}
	kind := relsop.StepKind(ns.Kind)
	if kind == "" {
		kind = relsop.KindTask
	}
	if !slices.Contains(relsop.StepKinds, kind) || kind == relsop.KindStart || kind == relsop.KindEnd {
		return fmt.Errorf("a new step's kind must be task, automated, gate, deploy, rollback or notify, not %q", kind)
	}
	id := ns.ID
	if id == "" {
		id = d.newStepID(ns.Name)
	} else if d.sop.Step(id) != nil {
		return fmt.Errorf("a step with the id %q already exists", id)
	}
	var after, before *relsop.Step
	if op.After != "" {
		if after = d.sop.Step(op.After); after == nil {
			return fmt.Errorf("no step has the id %q", op.After)
		}
	} else {
		i := slices.IndexFunc(d.sop.Steps, func(s relsop.Step) bool { return s.Kind == relsop.KindEnd })
		if i < 0 {
			return errors.New("the SOP has no end step to add before; say after which step")
		}
		before = &d.sop.Steps[i]
	}
	ref := after
	if ref == nil {
		ref = before
	}
	owner, phase := ns.Owner, ns.Phase
	if owner == "" {
		owner = ref.Owner
	}
	if phase == "" {
		phase = ref.Phase
	}
	n := mapNode("id", strNode(id), "name", strNode(strings.TrimSpace(ns.Name)), "kind", strNode(string(kind)), "owner", optional(owner), "phase", optional(phase))
	if kind == relsop.KindGate {
		set(n, "criteria", listNode("Criteria to be written"))
	}
	where, err := d.splice(n, id, kind, after, before)
	if err != nil {
		return err
	}
	d.say("added step %q %s", id, where)
	return nil
}

func optional(v string) *syntax.Node {
	if v == "" {
		return nil
	}
	return strNode(v)
}

// connectOp adds a flow: to a step's next list, or a gate's outcome.
func (d *doc) connectOp(op Op) error {
	from, to, err := d.flowEnds(op)
	if err != nil {
		return err
	}
	n := d.stepNode(from.ID)
	if from.Kind == relsop.KindGate {
		label := strings.TrimSpace(op.Label)
		if label == "" {
			return fmt.Errorf("%q is a gate: say which outcome leads to %q (label, such as go or no-go)", from.ID, to.ID)
		}
		outs := n.Get("outcomes")
		if outs == nil {
			outs = mapNode()
			set(n, "outcomes", outs)
		}
		set(outs, label, strNode(to.ID))
		d.say("gate %q now leads to %q on %q", from.ID, to.ID, label)
		return nil
	}
	if from.Kind == relsop.KindEnd {
		return fmt.Errorf("%q is the end step; nothing follows it", from.ID)
	}
	if slices.Contains(from.Next, to.ID) {
		return fmt.Errorf("%q already leads to %q", from.ID, to.ID)
	}
	set(n, "next", refsNode(append(slices.Clone(from.Next), to.ID)))
	d.say("%q now leads to %q", from.ID, to.ID)
	return nil
}

// disconnectOp removes a flow from a step's next list or a gate's outcomes.
func (d *doc) disconnectOp(op Op) error {
	from, to, err := d.flowEnds(op)
	if err != nil {
		return err
	}
	n := d.stepNode(from.ID)
	found := false
	if slices.Contains(from.Next, to.ID) {
		found = true
		left := slices.DeleteFunc(slices.Clone(from.Next), func(s string) bool { return s == to.ID })
		if len(left) == 0 {
			del(n, "next")
		} else {
			set(n, "next", refsNode(left))
		}
	}
	if outs := n.Get("outcomes"); outs != nil && outs.Kind == syntax.Mapping {
		before := len(outs.Pairs)
		outs.Pairs = slices.DeleteFunc(outs.Pairs, func(p *syntax.Pair) bool {
			return p.Value.Kind == syntax.Scalar && p.Value.Value == to.ID
		})
		found = found || len(outs.Pairs) < before
	}
	if !found {
		return fmt.Errorf("%q does not lead to %q", from.ID, to.ID)
	}
	d.say("%q no longer leads to %q", from.ID, to.ID)
	return nil
}

func (d *doc) flowEnds(op Op) (from, to *relsop.Step, err error) {
	if from = d.sop.Step(op.From); from == nil {
		return nil, nil, fmt.Errorf("no step has the id %q", op.From)
	}
	if to = d.sop.Step(op.To); to == nil {
		return nil, nil, fmt.Errorf("no step has the id %q", op.To)
	}
	if from.ID == to.ID {
		return nil, nil, fmt.Errorf("a step cannot lead to itself (%q)", from.ID)
	}
	return from, to, nil
}

// addRoleOp adds a role (a new swimlane) where addPhaseOp adds a phase.
func (d *doc) addRoleOp(op Op) error {
	r := op.Role
	if r == nil || strings.TrimSpace(r.Name) == "" {
		return errors.New("add_role needs a role with a name")
	}
	return d.addOrdered(roles, op, r.ID, mapNode("id", nil, "name", strNode(strings.TrimSpace(r.Name))))
}

// addTypeOp adds a release type that changes nothing yet: a copy of the
// base flow (or of another type) to be edited into a variant.
func (d *doc) addTypeOp(op Op) error {
	nt := op.Type
	if nt == nil || strings.TrimSpace(nt.ID) == "" {
		return errors.New("add_release_type needs a release type with an id")
	}
	id := kebab(nt.ID)
	if id != nt.ID {
		return fmt.Errorf("a release type id is lower-case words joined by hyphens, such as %q, not %q", id, nt.ID)
	}
	if d.sop.ReleaseType(id) != nil {
		return fmt.Errorf("a release type with the id %q already exists", id)
	}
	if nt.Base != "" && d.sop.ReleaseType(nt.Base) == nil {
		return fmt.Errorf("no release type has the id %q", nt.Base)
	}
	name := strings.TrimSpace(nt.Name)
	if name == "" {
		name = capitalise(strings.ReplaceAll(id, "-", " "))
	}
	types := d.list("release_types")
	types.Items = append(types.Items, mapNode("id", strNode(id), "name", strNode(name), "base", optional(nt.Base)))
	d.say("added release type %q (%s)", id, name)
	return nil
}

// removeTypeOp removes the release type op.ID, unless another builds on it.
func (d *doc) removeTypeOp(op Op) error {
	i, _ := d.item("release_types", "id", op.ID)
	if i < 0 {
		return fmt.Errorf("no release type has the id %q", op.ID)
	}
	for _, rt := range d.sop.ReleaseTypes {
		if rt.Base == op.ID {
			return fmt.Errorf("the release type %q builds on %q; remove it or change its base first", rt.ID, op.ID)
		}
	}
	list := d.list("release_types")
	list.Items = slices.Delete(list.Items, i, i+1)
	if len(list.Items) == 0 {
		del(d.root, "release_types")
	}
	d.say("removed release type %q", op.ID)
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}
