package edit

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/relsop/relsop/internal/syntax"
)

// NewPhase is a phase to add.
type NewPhase struct {
	ID          string `json:"id,omitempty"` // default: made from the name
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
}

// NewEnvironment is an environment to add.
type NewEnvironment struct {
	ID          string `json:"id,omitempty"` // default: made from the name
	Name        string `json:"name"`
	Production  bool   `json:"production,omitempty"`
	Description string `json:"description,omitempty"`
}

// ordered is what roles, phases and environments have in common for the
// operations on them: an ordered top-level list of items with ids, which
// steps name in one field (a role in owner, and elsewhere: RACI,
// escalation, exceptions; the SOP must load after a removal, which
// catches those).
type ordered struct {
	kind  string // phase, environment
	list  string // the YAML key of the list: phases, environments
	field string // the step field that names one: phase, environment
}

var (
	roles        = ordered{"role", "roles", "owner"}
	phases       = ordered{"phase", "phases", "phase"}
	environments = ordered{"environment", "environments", "environment"}
	orderedKinds = map[string]ordered{"role": roles, "phase": phases, "environment": environments}
)

// addPhaseOp adds a phase: after the phase op.After, before op.Before, or
// at the end.
func (d *doc) addPhaseOp(op Op) error {
	p := op.Phase
	if p == nil || strings.TrimSpace(p.Name) == "" {
		return errors.New("add_phase needs a phase with a name")
	}
	item := mapNode("id", nil, "name", strNode(strings.TrimSpace(p.Name)), "description", optional(strings.TrimSpace(p.Description)))
	return d.addOrdered(phases, op, p.ID, item)
}

// addEnvironmentOp adds an environment where addPhaseOp adds a phase.
func (d *doc) addEnvironmentOp(op Op) error {
	e := op.Environment
	if e == nil || strings.TrimSpace(e.Name) == "" {
		return errors.New("add_environment needs an environment with a name")
	}
	var production *syntax.Node
	if e.Production {
		production = &syntax.Node{Kind: syntax.Scalar, Type: syntax.Bool, Value: "true"}
	}
	item := mapNode("id", nil, "name", strNode(strings.TrimSpace(e.Name)), "production", production, "description", optional(strings.TrimSpace(e.Description)))
	return d.addOrdered(environments, op, e.ID, item)
}

// addOrdered puts item, a mapping without its id yet, into o's list with
// the id id (made from its name when empty) at the place op asks for.
func (d *doc) addOrdered(o ordered, op Op, id string, item *syntax.Node) error {
	name := scalar(item, "name")
	if id == "" {
		id = kebab(name)
		if id == "" {
			id = o.kind
		}
		base := id
		for n := 2; d.has(o, id); n++ {
			id = fmt.Sprintf("%s-%d", base, n)
		}
	} else if d.has(o, id) {
		return fmt.Errorf("a %s with the id %q already exists", o.kind, id)
	}
	at, err := d.position(o, op)
	if err != nil {
		return err
	}
	item.Pairs = slices.Insert(item.Pairs, 0, &syntax.Pair{Key: strNode("id"), Value: strNode(id)})
	list := d.list(o.list)
	list.Items = slices.Insert(list.Items, at, item)
	d.say("added %s %q (%s)", o.kind, id, name)
	return nil
}

// position is the index in o's list at which op puts a new item.
func (d *doc) position(o ordered, op Op) (int, error) {
	switch {
	case op.After != "" && op.Before != "":
		return 0, fmt.Errorf("%s takes after or before, not both", op.Op)
	case op.After != "":
		i, _ := d.item(o.list, "id", op.After)
		if i < 0 {
			return 0, fmt.Errorf("after: no %s has the id %q", o.kind, op.After)
		}
		return i + 1, nil
	case op.Before != "":
		i, _ := d.item(o.list, "id", op.Before)
		if i < 0 {
			return 0, fmt.Errorf("before: no %s has the id %q", o.kind, op.Before)
		}
		return i, nil
	}
	return len(d.items(o.list)), nil
}

func (d *doc) has(o ordered, id string) bool {
	i, _ := d.item(o.list, "id", id)
	return i >= 0
}

// removeOrderedOp removes the role, phase or environment op.ID. One that
// steps still name stays: the steps would lose their owner or place. The
// SOP must load afterwards too, which catches other references.
func (d *doc) removeOrderedOp(o ordered, op Op) error {
	i, _ := d.item(o.list, "id", op.ID)
	if i < 0 {
		return fmt.Errorf("no %s has the id %q", o.kind, op.ID)
	}
	var users []string
	for _, st := range d.items("steps") {
		if scalar(st, o.field) == op.ID {
			users = append(users, scalar(st, "id"))
		}
	}
	if len(users) > 0 {
		return fmt.Errorf("the %s %q is still the %s of the step(s) %s; give them another %s first", o.kind, op.ID, o.field, quoteList(users), o.field)
	}
	list := d.list(o.list)
	list.Items = slices.Delete(list.Items, i, i+1)
	if len(list.Items) == 0 {
		del(d.root, o.list)
	}
	d.say("removed %s %q", o.kind, op.ID)
	return nil
}

// moveOrderedOp moves the role, phase or environment op.ID to just after
// op.After or just before op.Before: the order of lanes, of phase columns,
// and of environments on the way to production.
func (d *doc) moveOrderedOp(o ordered, op Op) error {
	i, item := d.item(o.list, "id", op.ID)
	if i < 0 {
		return fmt.Errorf("no %s has the id %q", o.kind, op.ID)
	}
	if op.After == "" && op.Before == "" {
		return fmt.Errorf("%s needs after or before: the %s it goes after or before", op.Op, o.kind)
	}
	if op.After == op.ID || op.Before == op.ID {
		return fmt.Errorf("the %s %q cannot go after or before itself", o.kind, op.ID)
	}
	list := d.list(o.list)
	list.Items = slices.Delete(list.Items, i, i+1)
	at, err := d.position(o, op)
	if err != nil {
		return err
	}
	list.Items = slices.Insert(list.Items, at, item)
	if at != i {
		d.say("moved %s %q", o.kind, op.ID)
	}
	return nil
}
