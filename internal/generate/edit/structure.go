package edit

import (
	"fmt"
	"slices"
	"strings"
)

// This file reads instructions about the SOP's structure, not its steps:
// add, move and remove lanes (roles), phases and environments, make an
// environment production or not, and who is accountable, consulted or
// informed for a step. Each handler does nothing (done=false) unless the
// instruction names the kind of element ("the QA lane", "a Hypercare
// phase"), so "add a smoke test before deploy" still adds a step.

// elementKinds maps the words people use to the ordered lists they name.
var elementKinds = map[string]ordered{
	"lane": roles, "lanes": roles, "swimlane": roles, "role": roles, "team": roles,
	"phase": phases, "column": phases, "stage": phases,
	"environment": environments, "env": environments,
}

const kindAlternatives = `lanes?|swimlane|role|team|phase|column|stage|environment|env`

var (
	elementPrefix = lazyRE(`(?i)^(?:the\s+|an?\s+|new\s+)*(` + kindAlternatives + `)\s+(.+)$`)
	elementSuffix = lazyRE(`(?i)^(?:the\s+|an?\s+|new\s+)*(.+?)\s+(` + kindAlternatives + `)$`)
	// Words a new element's name does not hold: "add a smoke test in the
	// staging environment" adds a step to an environment, not an
	// environment called "smoke test in the staging".
	placeWords = lazyRE(`(?i)\b(?:in|into|to|for|on|of|at|from|with|by|owned)\b`)
	// "a production environment called EU"
	productionEnv = lazyRE(`(?i)^(?:an?\s+|new\s+)*production\s+(?:environment|env)\s+(.+)$`)
)

// elementRef splits "the QA lead lane" or "phase Test" into the kind of
// element and the rest; ok is false when no kind word is there.
func elementRef(s string) (o ordered, rest string, ok bool) {
	s = strings.TrimSpace(s)
	if m := elementPrefix.FindStringSubmatch(s); m != nil && !hasQuote(m[1]) {
		return elementKinds[strings.ToLower(m[1])], m[2], true
	}
	if m := elementSuffix.FindStringSubmatch(s); m != nil {
		return elementKinds[strings.ToLower(m[2])], m[1], true
	}
	return ordered{}, "", false
}

// candidates lists the elements of o's kind.
func (d *doc) candidates(o ordered) []candidate {
	switch o.kind {
	case "role":
		return d.roles()
	case "phase":
		return d.phases()
	}
	return d.environments()
}

// element resolves a reference to an element of o's kind; a trailing kind
// word ("the release manager lane") is dropped first.
func (d *doc) element(in instruction, o ordered, ref string) (candidate, error) {
	if k, rest, ok := elementRef(ref); ok && k.kind == o.kind {
		ref = rest
	}
	return resolve(o.kind, in.phrase(ref), d.candidates(o))
}

// sides are the words that place an element before or after another.
var sides = map[string]string{
	"before": "before", "above": "before", "ahead of": "before", "in front of": "before", "left of": "before", "to the left of": "before",
	"after": "after", "below": "after", "behind": "after", "under": "after", "right of": "after", "to the right of": "after",
}

const sideAlternatives = `before|above|ahead\s+of|in\s+front\s+of|(?:to\s+the\s+)?left\s+of|after|below|behind|under|(?:to\s+the\s+)?right\s+of`

func side(s string) string { return sides[strings.ToLower(strings.Join(strings.Fields(s), " "))] }

// --- move ---

// moveElementOp reads "move the QA lane above the release manager" and
// "put the test phase after build".
func (d *doc) moveElementOp(in instruction, m []string) (bool, error) {
	return d.moveNamed(in, m[1], func(o ordered, _ []string, _ int) (string, string, error) {
		other, err := d.element(in, o, m[3])
		if err != nil || side(m[2]) == "after" {
			return other.id, "", err
		}
		return "", other.id, nil
	})
}

// moveElementEndOp reads "move the support lane to the bottom" and "put
// the plan phase first".
func (d *doc) moveElementEndOp(in instruction, m []string) (bool, error) {
	return d.moveNamed(in, m[1], func(_ ordered, ids []string, i int) (string, string, error) {
		switch first := ids[0]; strings.ToLower(m[2]) {
		case "top", "start", "front", "beginning", "first", "left":
			if i == 0 {
				return "", "", nil
			}
			return "", first, nil
		}
		if i == len(ids)-1 {
			return "", "", nil
		}
		return ids[len(ids)-1], "", nil
	})
}

// moveElementStepOp reads "move the QA lane up" and "move the test phase
// right": one place.
func (d *doc) moveElementStepOp(in instruction, m []string) (bool, error) {
	return d.moveNamed(in, m[1], func(o ordered, ids []string, i int) (string, string, error) {
		switch strings.ToLower(m[2]) {
		case "up", "left", "earlier":
			if i == 0 {
				return "", "", fmt.Errorf("%s %s already comes first", o.kind, ids[i])
			}
			return "", ids[i-1], nil
		}
		if i == len(ids)-1 {
			return "", "", fmt.Errorf("%s %s already comes last", o.kind, ids[i])
		}
		return ids[i+1], "", nil
	})
}

// moveNamed moves the lane, phase or environment subject names ("the QA
// lane") to where place says, given the ids in order and its index there:
// after or before another; neither when it is there already. Without a
// kind word in subject it is no such instruction.
func (d *doc) moveNamed(in instruction, subject string, place func(o ordered, ids []string, i int) (after, before string, err error)) (bool, error) {
	o, ref, ok := elementRef(subject)
	if !ok {
		return false, nil
	}
	c, err := d.element(in, o, ref)
	if err != nil {
		return true, err
	}
	ids := idsOf(d.candidates(o), func(c *candidate) string { return c.id })
	after, before, err := place(o, ids, slices.Index(ids, c.id))
	if err != nil {
		return true, err
	}
	op := Op{Op: "move_" + o.kind, ID: c.id, After: after, Before: before}
	said := len(d.summary)
	if after != "" || before != "" {
		if err := d.moveOrderedOp(o, op); err != nil {
			return true, err
		}
	}
	if len(d.summary) == said {
		d.say("%s %s is already there; nothing changed", o.kind, c.id)
		return true, nil
	}
	d.summary[said] = fmt.Sprintf("moved %s %q: the %ss are now in the order %s", o.kind, c.id, o.kind, strings.Join(orderAfter(op, ids), ", "))
	return true, nil
}

// orderAfter is the order of ids once the move op is made: the tree has
// changed, the loaded SOP has not.
func orderAfter(op Op, ids []string) []string {
	ids = slices.DeleteFunc(slices.Clone(ids), func(id string) bool { return id == op.ID })
	at := len(ids)
	if op.Before != "" {
		at = slices.Index(ids, op.Before)
	} else if i := slices.Index(ids, op.After); i >= 0 {
		at = i + 1
	}
	return slices.Insert(ids, at, op.ID)
}

// --- add ---

// addElementOp reads "add a phase Hypercare after post-release", "add a
// Compliance Officer lane" and "add a production environment called EU
// before production".
func (d *doc) addElementOp(in instruction, m []string) (bool, error) {
	o, name, ok := elementRef(m[1])
	production := false
	if p := productionEnv.FindStringSubmatch(m[1]); p != nil {
		o, name, ok, production = environments, p[1], true, true
	}
	if !ok {
		return false, nil
	}
	name = strings.TrimSpace(name)
	if f := strings.Fields(name); o.kind == "environment" && len(f) > 1 && strings.EqualFold(f[len(f)-1], "production") && !hasQuote(name) {
		// "add a canary production environment"
		production, name = true, strings.Join(f[:len(f)-1], " ")
	}
	for _, prefix := range []string{"called ", "named "} {
		if len(name) > len(prefix) && strings.EqualFold(name[:len(prefix)], prefix) {
			name = name[len(prefix):]
		}
	}
	if !in.phrase(name).quoted && placeWords.MatchString(in.restore(name)) {
		return false, nil
	}
	op := Op{Op: "add_" + o.kind}
	if m[2] != "" {
		other, err := d.element(in, o, m[3])
		if err != nil {
			return true, err
		}
		if side(m[2]) == "after" {
			op.After = other.id
		} else {
			op.Before = other.id
		}
	}
	name = in.phrase(name).text
	if name == "" {
		return true, fmt.Errorf("say what the new %s is called: add a %s 'Name'", o.kind, o.kind)
	}
	switch o.kind {
	case "role":
		op.Role = &NewRole{Name: name}
		return true, d.addRoleOp(op)
	case "phase":
		op.Phase = &NewPhase{Name: name}
		return true, d.addPhaseOp(op)
	}
	op.Environment = &NewEnvironment{Name: name, Production: production}
	return true, d.addEnvironmentOp(op)
}

// --- remove ---

// removeElementOp reads "remove the support lane" and "drop the hypercare
// phase". An element of that name that is not there leaves the
// instruction to the step handlers when a step is called so ("remove the
// deploy to staging environment" may name a step).
func (d *doc) removeElementOp(in instruction, m []string) (bool, error) {
	o, ref, ok := elementRef(m[1])
	if !ok {
		return false, nil
	}
	c, err := d.element(in, o, ref)
	if err != nil {
		if _, stepErr := d.step(in.phrase(m[1])); stepErr == nil {
			return false, nil
		}
		return true, err
	}
	return true, d.removeOrderedOp(o, Op{Op: "remove_" + o.kind, ID: c.id})
}

// --- production ---

// productionOp reads "make canary a production environment" and "mark
// staging as non-production".
func (d *doc) productionOp(in instruction, m []string) (bool, error) {
	c, err := d.element(in, environments, trimWord(m[1], "environment"))
	if err != nil {
		if strings.Contains(strings.ToLower(m[1]), "environment") {
			return true, err
		}
		return false, nil
	}
	on := strings.EqualFold(m[2], "production")
	e := d.sop.Environment(c.id)
	if e.Production == on {
		d.say("environment %s is already %s; nothing changed", c.id, strings.ToLower(m[2]))
		return true, nil
	}
	if err := d.setField("environment", c.id, "production", on); err != nil {
		return true, err
	}
	d.say("environment %s is now %s", c.id, strings.ToLower(m[2]))
	return true, nil
}

// --- RACI ---

// raciWords map the words of an instruction to the RACI list they name.
var raciWords = map[string]string{
	"accountable": "accountable", "consulted": "consulted", "informed": "informed",
	"consult": "consulted", "inform": "informed",
}

// raciOp reads "make the CTO accountable for go/no-go", "QA is consulted
// on the release scope" and "keep support informed about the rollout".
func (d *doc) raciOp(in instruction, m []string) (bool, error) {
	return d.addToRACI(in, m[1], raciWords[strings.ToLower(m[2])], m[3])
}

// raciVerbOp reads "consult security on the release scope" and "inform
// support about the rollout".
func (d *doc) raciVerbOp(in instruction, m []string) (bool, error) {
	return d.addToRACI(in, m[2], raciWords[strings.ToLower(m[1])], m[3])
}

func (d *doc) addToRACI(in instruction, who, list, what string) (bool, error) {
	st, err := d.step(in.phrase(what))
	if err != nil {
		return true, err
	}
	r, err := d.role(in.phrase(who))
	if err != nil {
		return true, err
	}
	cur := d.raciList(st.ID, list)
	if slices.Contains(cur, r.id) {
		d.say("%s is already %s for step %q; nothing changed", r.id, list, st.ID)
		return true, nil
	}
	put(d.stepNode(st.ID), "raci."+list, listNode(append(cur, d.useRole(r))...))
	d.say("%s is now %s for step %q", r.id, list, st.ID)
	return true, nil
}

// raciRemoveOp reads "stop informing support about the rollout", "no
// longer consult QA on scope" and "remove QA from the RACI of scope".
func (d *doc) raciRemoveOp(in instruction, m []string) (bool, error) {
	st, err := d.step(in.phrase(m[2]))
	if err != nil {
		return true, err
	}
	c, err := resolve("role", in.phrase(m[1]), d.roles())
	if err != nil {
		return true, err
	}
	var from []string
	for _, list := range []string{"accountable", "consulted", "informed"} {
		cur := d.raciList(st.ID, list)
		if !slices.Contains(cur, c.id) {
			continue
		}
		from = append(from, list)
		rest := slices.DeleteFunc(cur, func(id string) bool { return id == c.id })
		if len(rest) == 0 {
			put(d.stepNode(st.ID), "raci."+list, nil)
		} else {
			put(d.stepNode(st.ID), "raci."+list, listNode(rest...))
		}
	}
	if len(from) == 0 {
		return true, fmt.Errorf("%s is not accountable, consulted or informed for step %q", c.id, st.ID)
	}
	d.say("%s is no longer %s for step %q", c.id, strings.Join(from, " or "), st.ID)
	return true, nil
}

// raciList is a step's RACI list as the tree has it now.
func (d *doc) raciList(step, list string) []string {
	raci := d.stepNode(step).Get("raci")
	if raci == nil {
		return nil
	}
	return strs(raci.Get(list))
}

// --- swap ---

// pluralKinds end a swap of two elements: "swap the QA lead and release
// manager lanes", "swap the test and approve phases".
var pluralKinds = lazyRE(`(?i)\s+(lanes|swimlanes|roles|phases|columns|stages|environments|envs)$`)

// swapOp reads "swap the QA lead and release manager lanes" and "swap
// staging and canary": two lanes, phases or environments trade places.
// Without a kind word, the two must name elements of one kind.
func (d *doc) swapOp(in instruction, m []string) (bool, error) {
	text := m[1]
	kinds := []ordered{roles, phases, environments}
	if k := pluralKinds.FindStringSubmatch(text); k != nil {
		kinds = []ordered{elementKinds[strings.TrimSuffix(strings.ToLower(k[1]), "s")]}
		text = text[:len(text)-len(k[0])]
	}
	err := trySplits(text, "and", func(left, right string) (int, error) {
		var last error
		for _, o := range kinds {
			a, err := d.element(in, o, left)
			if err != nil {
				last = err
				continue
			}
			b, err := d.element(in, o, right)
			if err != nil {
				last = err
				continue
			}
			return 2, d.swap(o, a.id, b.id)
		}
		if len(kinds) > 1 {
			if a, err := d.step(in.phrase(left)); err == nil {
				if b, err := d.step(in.phrase(right)); err == nil {
					return 2, fmt.Errorf("only lanes, phases and environments trade places; to move a step, say: move %s after %s", a.ID, b.ID)
				}
			}
		}
		return 0, last
	})
	if err == errNoSplit {
		return false, nil
	}
	return true, err
}

// swap makes a and b trade places in their list: a goes where b was, and
// b where a was.
func (d *doc) swap(o ordered, a, b string) error {
	if a == b {
		return fmt.Errorf("%s %s cannot trade places with itself", o.kind, a)
	}
	ids := idsOf(d.candidates(o), func(c *candidate) string { return c.id })
	i, j := slices.Index(ids, a), slices.Index(ids, b)
	if i > j {
		i, j, a, b = j, i, b, a
	}
	said := len(d.summary)
	if err := d.moveOrderedOp(o, Op{Op: "move_" + o.kind, ID: a, After: b}); err != nil {
		return err
	}
	if j > i+1 {
		// b goes where a was: before what followed a.
		if err := d.moveOrderedOp(o, Op{Op: "move_" + o.kind, ID: b, Before: ids[i+1]}); err != nil {
			return err
		}
	}
	ids[i], ids[j] = ids[j], ids[i]
	d.summary = append(d.summary[:said], fmt.Sprintf("swapped %s %q and %q: the %ss are now in the order %s", o.kind, a, b, o.kind, strings.Join(ids, ", ")))
	return nil
}
