package edit

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/syntax"
)

// --- rename ---

var kindPrefix = lazyRE(`(?i)^(?:the\s+)?(step|role|lane|swimlane|phase|environment|gate)\s+(.+)$`)
var kindSuffix = lazyRE(`(?i)^(.+?)\s+(step|role|lane|swimlane|phase|environment|gate)$`)

func (d *doc) renameOp(in instruction, m []string) (bool, error) {
	var last error = errNoSplit
	for _, sep := range []string{"to", "as", "into"} {
		err := trySplitsOrdered(m[1], sep, newNameFirst, func(left, right string) (int, error) {
			return d.rename(in, left, right)
		})
		if err == nil {
			return true, nil
		}
		if !errorsIsNoSplit(err) {
			last = err
			break
		}
	}
	return true, noSplitUnsupported(last, in)
}

// newNameFirst orders the ways to divide "rename A to B" so that those
// whose B starts as a name does (a capital letter or a quote) come first:
// in "rename deploy to production to Blue-green deploy to production" the
// new name is "Blue-green deploy to production", not "production".
func newNameFirst(splits [][2]string) {
	slices.SortStableFunc(splits, func(a, b [2]string) int {
		return boolRank(looksLikeName(b[1])) - boolRank(looksLikeName(a[1]))
	})
}

func looksLikeName(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r) || strings.HasPrefix(s, quoteMark)
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (d *doc) callOp(in instruction, m []string) (bool, error) {
	_, err := d.rename(in, m[1], m[2])
	return true, err
}

// rename gives a step, role, phase or environment a new name; its id, and
// so every reference to it, stays.
func (d *doc) rename(in instruction, left, right string) (int, error) {
	name := in.phrase(right).text
	if name == "" {
		return 1, fmt.Errorf("say what the new name is: rename %q to 'New name'", in.phrase(left).text)
	}
	// "the minor release", "the hotfix release type"; "monitor release" may
	// name a step, so a release type that is not there is no error yet.
	if rt, ok, err := d.releaseType(in, left); ok && err == nil {
		if err := d.setField("release_type", rt.id, "name", name); err != nil {
			return 0, err
		}
		d.say("renamed release type %q from %q to %q (its id stays %s)", rt.id, rt.name, name, rt.id)
		return 2, nil
	}
	kind := ""
	if k := kindPrefix.FindStringSubmatch(left); k != nil && !hasQuote(k[1]) {
		kind, left = strings.ToLower(k[1]), k[2]
	} else if k := kindSuffix.FindStringSubmatch(left); k != nil {
		kind, left = strings.ToLower(k[2]), k[1]
	}
	switch kind {
	case "gate":
		kind = "step"
	case "lane", "swimlane":
		kind = "role"
	}
	ref := in.phrase(left)
	lists := map[string][]candidate{"step": d.steps(), "role": d.roles(), "phase": d.phases(), "environment": d.environments()}
	kinds := []string{"step", "role", "phase", "environment"}
	if kind != "" {
		kinds = []string{kind}
	}
	var c candidate
	var err error
	found := ""
	// An exact id or name of one kind wins over partial matches: "rename
	// deploy to Release" means the deploy phase when there is one.
	var exact []string
	for _, k := range kinds {
		if _, ok := exactly(ref, lists[k]); ok {
			exact = append(exact, k)
		}
	}
	if len(exact) == 1 {
		kinds = exact
	}
	for _, k := range kinds {
		c, err = resolve(k, ref, lists[k])
		if err == nil {
			found = k
			break
		}
		if _, unknown := err.(*UnknownError); !unknown {
			return 0, err
		}
	}
	if found == "" {
		if len(kinds) > 1 {
			return 0, unknown("step, role, phase or environment", ref.text, append(append(d.steps(), d.roles()...), d.phases()...))
		}
		return 0, err
	}
	list := map[string]string{"step": "steps", "role": "roles", "phase": "phases", "environment": "environments"}[found]
	_, node := d.item(list, "id", c.id)
	set(node, "name", strNode(name))
	d.say("renamed %s %q from %q to %q (its id stays %s)", found, c.id, c.name, name, c.id)
	return 2, nil
}

// exactly returns the candidate whose id or whole name the reference is.
func exactly(p phrase, cands []candidate) (candidate, bool) {
	key := compact(article.ReplaceAllString(p.text, "")) // "the service desk" is "Service Desk"
	var found []candidate
	for _, c := range cands {
		if c.id == p.text || compact(c.name) == key || compact(c.id) == key {
			found = append(found, c)
		}
	}
	if len(found) == 1 {
		return found[0], true
	}
	return candidate{}, false
}

// article opens a reference without naming anything.
var article = lazyRE(`(?i)^(?:the|a|an|our)\s+`)

func errorsIsNoSplit(err error) bool { return err == errNoSplit }

// noSplitUnsupported turns errNoSplit, which means the instruction lacked
// the word that divides its parts, into an UnsupportedError.
func noSplitUnsupported(err error, in instruction) error {
	if err == errNoSplit {
		return unsupported(in.raw)
	}
	return err
}

// --- gates ---

// gate resolves a reference to a step that must be a gate.
func (d *doc) gate(p phrase, what string) (*relsop.Step, error) {
	st, err := d.step(p)
	var amb *AmbiguousError
	if errors.As(err, &amb) {
		// Only a gate will do here: "the release" is the one release
		// gate, not one of the eleven steps with "release" in the name.
		gates := filter(d.steps(), func(c candidate) bool { return c.gate })
		if c, gerr := resolve("gate", p, gates); gerr == nil {
			return d.sop.Step(c.id), nil
		}
	}
	if err != nil {
		return nil, err
	}
	if st.Kind != relsop.KindGate {
		return nil, fmt.Errorf("step %q (%s) is a %s, not a gate, so it has no %s; add a gate after it instead", st.ID, st.Name, st.Kind, what)
	}
	return st, nil
}

var afterDuration = lazyRE(`(?i)^(.+?)\s+(?:after|within|if\s+(?:blocked|undecided|stuck|waiting)\s+(?:for|after|longer\s+than)|when\s+blocked\s+for|if\s+no\s+decision\s+(?:after|within|in))\s+(.+)$`)

// gateEscalatesOp reads "make production approval escalate to the CTO
// after 2 hours" and "go/no-go escalates to the VP after 4h": the escalate
// form with the gate named first.
func (d *doc) gateEscalatesOp(in instruction, m []string) (bool, error) {
	return d.escalateOp(in, []string{m[0], strings.TrimSpace(m[1]) + " " + m[2]})
}

func (d *doc) escalateOp(in instruction, m []string) (bool, error) {
	text, after := m[1], ""
	if a := afterDuration.FindStringSubmatch(text); a != nil {
		dur, ok := parseDuration(a[2])
		if !ok {
			return true, fmt.Errorf("%q is not a duration; write it like 4 hours, 30 minutes, 2 days or 4h", a[2])
		}
		text, after = a[1], dur
	}
	err := trySplits(text, "to", func(left, right string) (int, error) {
		st, err := d.gate(in.phrase(left), "escalation")
		if err != nil {
			return 0, err
		}
		r, err := d.role(in.phrase(right))
		if err != nil {
			return 1, err
		}
		node := d.stepNode(st.ID)
		esc := node.Get("escalation")
		if esc == nil || esc.Kind != syntax.Mapping {
			esc = mapNode()
			set(node, "escalation", esc)
		}
		set(esc, "role", strNode(d.useRole(r)))
		if after != "" {
			set(esc, "after", strNode(after))
		}
		msg := fmt.Sprintf("gate %q now escalates to %s", st.ID, r.id)
		if a := scalar(esc, "after"); a != "" {
			msg += " after " + a
		}
		d.say("%s", msg)
		return 2, nil
	})
	return true, noSplitUnsupported(err, in)
}

func (d *doc) approverOp(in instruction, m []string) (bool, error) {
	st, err := d.gate(in.phrase(m[2]), "approvers")
	if err != nil {
		return true, err
	}
	r, err := d.role(in.phrase(m[1]))
	if err != nil {
		return true, err
	}
	if slices.Contains(st.Approvers, r.id) {
		d.say("%s already approves gate %q; nothing changed", r.id, st.ID)
		return true, nil
	}
	node := d.stepNode(st.ID)
	set(node, "approvers", listNode(append(slices.Clone(st.Approvers), d.useRole(r))...))
	d.say("added %s as an approver of gate %q", r.id, st.ID)
	return true, nil
}

func (d *doc) removeApproverOp(in instruction, m []string) (bool, error) {
	st, err := d.gate(in.phrase(m[2]), "approvers")
	if err != nil {
		return true, err
	}
	c, err := resolve("role", in.phrase(m[1]), d.roles())
	if err != nil {
		return true, err
	}
	if !slices.Contains(st.Approvers, c.id) {
		return true, fmt.Errorf("%s is not an approver of gate %q (its approvers: %s)", c.id, st.ID, strings.Join(st.Approvers, ", "))
	}
	rest := slices.DeleteFunc(slices.Clone(st.Approvers), func(a string) bool { return a == c.id })
	node := d.stepNode(st.ID)
	if len(rest) == 0 {
		del(node, "approvers")
	} else {
		set(node, "approvers", listNode(rest...))
	}
	d.say("removed %s from the approvers of gate %q", c.id, st.ID)
	return true, nil
}

func (d *doc) criterionOp(in instruction, m []string) (bool, error) {
	var last error = errNoSplit
	for _, sep := range []string{"to", "for", "on", "of"} {
		err := trySplits(m[1], sep, func(left, right string) (int, error) {
			st, err := d.gate(in.phrase(right), "criteria")
			if err != nil {
				return 0, err
			}
			return 2, d.addCriterion(st, criterionText(in.phrase(left)))
		})
		if err == nil {
			return true, nil
		}
		if err != errNoSplit && (last == errNoSplit || !isUnknown(err)) {
			last = err
		}
	}
	return true, noSplitUnsupported(last, in)
}

func isUnknown(err error) bool {
	_, ok := err.(*UnknownError)
	return ok
}

func (d *doc) criterionAsOp(in instruction, m []string) (bool, error) {
	st, err := d.gate(in.phrase(m[2]), "criteria")
	if err != nil {
		return true, err
	}
	return true, d.addCriterion(st, criterionText(in.phrase(m[1])))
}

// criterionText is a criterion as written in the file: a quoted one as
// quoted, another with a capital, like the criteria of the templates.
func criterionText(p phrase) string {
	if p.quoted {
		return p.text
	}
	return capitalise(p.text)
}

func (d *doc) addCriterion(st *relsop.Step, text string) error {
	if text == "" {
		return fmt.Errorf("say what the criterion is: add criterion 'No open severity-1 defects' to %s", st.ID)
	}
	for _, c := range st.Criteria {
		if strings.EqualFold(c, text) {
			d.say("gate %q already has the criterion %q; nothing changed", st.ID, c)
			return nil
		}
	}
	node := d.stepNode(st.ID)
	if v := node.Get("criteria"); v != nil && v.Kind == syntax.Sequence {
		v.Items = append(v.Items, strNode(text))
	} else {
		set(node, "criteria", listNode(append(slices.Clone(st.Criteria), text)...))
	}
	d.say("added criterion %q to gate %q", text, st.ID)
	return nil
}

// --- failure paths ---

func (d *doc) rollbackOp(in instruction, m []string) (bool, error) {
	var last error = errNoSplit
	for _, sep := range []string{"to", "via", "with", "using", "through", "->"} {
		err := trySplits(m[1], sep, func(left, right string) (int, error) {
			return d.onFailure(in, left, right)
		})
		if err == nil {
			return true, nil
		}
		if err != errNoSplit && (last == errNoSplit || !isUnknown(err)) {
			last = err
		}
	}
	return true, noSplitUnsupported(last, in)
}

func (d *doc) onFailureOp(in instruction, m []string) (bool, error) {
	_, err := d.onFailure(in, m[1], m[2])
	return true, err
}

// onFailure sets the path a step takes when it fails.
func (d *doc) onFailure(in instruction, from, to string) (int, error) {
	st, err := d.step(in.phrase(from))
	if err != nil {
		return 0, err
	}
	target, err := d.step(in.phrase(to))
	if err != nil {
		return 1, err
	}
	switch {
	case st.Kind == relsop.KindEnd:
		return 1, fmt.Errorf("step %q is the end step; nothing follows it, not even a rollback", st.ID)
	case target.ID == st.ID:
		return 1, fmt.Errorf("step %q cannot be its own rollback path", st.ID)
	case target.Kind == relsop.KindStart:
		return 1, fmt.Errorf("step %q is the start step; a rollback path cannot lead back to it", target.ID)
	}
	set(d.stepNode(st.ID), "on_failure", strNode(target.ID))
	msg := fmt.Sprintf("step %q now goes to %q when it fails", st.ID, target.ID)
	if st.OnFailure != "" && st.OnFailure != target.ID {
		msg += fmt.Sprintf(" (was %q)", st.OnFailure)
	}
	d.say("%s", msg)
	return 2, nil
}

// --- environments ---

func (d *doc) envOrderOp(in instruction, m []string) (bool, error) {
	a, err := d.environment(in.phrase(trimWord(m[1], "environment")))
	if err != nil {
		return false, nil // not an environment: perhaps a step to add
	}
	b, err := d.environment(in.phrase(trimWord(m[3], "environment")))
	if err != nil {
		if strings.Contains(strings.ToLower(m[3]), "environment") || isUnknown(err) && len(words(m[3])) == 1 {
			return true, err
		}
		return false, nil
	}
	if a.id == b.id {
		return true, fmt.Errorf("%s cannot go before or after itself", a.id)
	}
	envs := d.list("environments")
	ia, na := d.item("environments", "id", a.id)
	ib, _ := d.item("environments", "id", b.id)
	if after := strings.EqualFold(m[2], "after"); after && ia > ib || !after && ia < ib {
		d.say("environment %s already comes %s %s; nothing changed", a.id, strings.ToLower(m[2]), b.id)
		return true, nil
	}
	envs.Items = slices.Delete(envs.Items, ia, ia+1)
	ib, _ = d.item("environments", "id", b.id)
	if strings.EqualFold(m[2], "after") {
		ib++
	}
	envs.Items = slices.Insert(envs.Items, ib, na)
	d.say("environments are now in the order %s", strings.Join(d.envIDs(), ", "))
	return true, nil
}

var listSep = lazyRE(`(?i)\s*(?:,|->|→|>|\bthen\b|\band\b)\s*`)

func (d *doc) envListOp(in instruction, m []string) (bool, error) {
	var order []string
	for _, part := range listSep.Split(m[1], -1) {
		if strings.TrimSpace(part) == "" {
			continue
		}
		c, err := d.environment(in.phrase(part))
		if err != nil {
			return true, err
		}
		if slices.Contains(order, c.id) {
			return true, fmt.Errorf("environment %s is named twice", c.id)
		}
		order = append(order, c.id)
	}
	if len(order) != len(d.sop.Environments) {
		return true, fmt.Errorf("name every environment once, in the new order: %s", strings.Join(d.envIDs(), ", "))
	}
	envs := d.list("environments")
	var items []*syntax.Node
	for _, id := range order {
		_, n := d.item("environments", "id", id)
		items = append(items, n)
	}
	envs.Items = items
	d.say("environments are now in the order %s", strings.Join(order, ", "))
	return true, nil
}

func (d *doc) envIDs() []string {
	var out []string
	for _, e := range d.items("environments") {
		out = append(out, scalar(e, "id"))
	}
	return out
}

func trimWord(s, w string) string {
	s = strings.TrimSpace(s)
	if len(s) > len(w) && strings.EqualFold(s[len(s)-len(w):], w) {
		return strings.TrimSpace(s[:len(s)-len(w)])
	}
	return s
}

// --- phase and owner ---

var phaseWords = lazyRE(`(?i)^(?:the\s+)?(?:phase\s+)?(.+?)(?:\s+phase)?$`)

func (d *doc) moveOp(in instruction, m []string) (bool, error) {
	var last error = errNoSplit
	for _, sep := range []string{"to", "into"} {
		err := trySplits(m[1], sep, func(left, right string) (int, error) {
			st, err := d.step(in.phrase(left))
			if err != nil {
				return 0, err
			}
			p, err := d.phase(in.phrase(phaseWords.FindStringSubmatch(right)[1]))
			if err != nil {
				return 1, err
			}
			if st.Phase == p.id {
				d.say("step %q is already in phase %s; nothing changed", st.ID, p.id)
				return 2, nil
			}
			set(d.stepNode(st.ID), "phase", strNode(p.id))
			msg := fmt.Sprintf("moved step %q to phase %s", st.ID, p.id)
			if st.Phase != "" {
				msg += " (from " + st.Phase + ")"
			}
			d.say("%s", msg)
			return 2, nil
		})
		if err == nil {
			return true, nil
		}
		if err != errNoSplit {
			last = err
			break
		}
	}
	return true, noSplitUnsupported(last, in)
}

func (d *doc) reassignOp(in instruction, m []string) (bool, error) {
	err := trySplits(m[1], "to", func(left, right string) (int, error) {
		return d.reassign(in, left, right)
	})
	return true, noSplitUnsupported(err, in)
}

func (d *doc) ownerStepRoleOp(in instruction, m []string) (bool, error) {
	_, err := d.reassign(in, m[1], m[2])
	return true, err
}

func (d *doc) ownerRoleStepOp(in instruction, m []string) (bool, error) {
	_, err := d.reassign(in, m[2], m[1])
	return true, err
}

// reassign makes a role the owner of a step.
func (d *doc) reassign(in instruction, stepRef, roleRef string) (int, error) {
	st, err := d.step(in.phrase(stepRef))
	if err != nil {
		return 0, err
	}
	r, err := d.role(in.phrase(roleRef))
	if err != nil {
		return 1, err
	}
	if st.Owner == r.id {
		d.say("step %q is already owned by %s; nothing changed", st.ID, r.id)
		return 2, nil
	}
	set(d.stepNode(st.ID), "owner", strNode(d.useRole(r)))
	msg := fmt.Sprintf("step %q is now owned by %s", st.ID, r.id)
	if st.Owner != "" {
		msg += " (was " + st.Owner + ")"
	}
	d.say("%s", msg)
	return 2, nil
}

// useRole returns the id of r, adding it to the roles when it is new.
func (d *doc) useRole(r roleRef) string {
	if !r.isNew || d.newRole[r.id] {
		return r.id
	}
	if d.newRole == nil {
		d.newRole = map[string]bool{}
	}
	d.newRole[r.id] = true
	roles := d.list("roles")
	roles.Items = append(roles.Items, mapNode("id", strNode(r.id), "name", strNode(r.name)))
	d.say("added role %q (%s)", r.id, r.name)
	return r.id
}

// gateNeedsOp reads "the CAB approval needs the security manager too": a
// gate named first and a role it needs as an approver. The role must
// exist: "deploy needs a rollback" names no role, and is not this form.
func (d *doc) gateNeedsOp(in instruction, m []string) (bool, error) {
	roleRef := needsRoleNoise.ReplaceAllString(needsRolePrefix.ReplaceAllString(m[2], ""), "")
	r, err := resolve("role", in.phrase(roleRef), d.roles())
	if err != nil {
		// A gate that needs someone no role names: say how to add one,
		// rather than make a role of whatever followed "needs".
		if st, gerr := d.gate(in.phrase(m[1]), "approvers"); gerr == nil {
			return true, fmt.Errorf("no role matches %q; to make a new role an approver of %s, say: add %s as an approver of %s", in.phrase(roleRef).text, st.ID, in.phrase(roleRef).text, st.ID)
		}
		return false, nil
	}
	return d.approverOp(in, []string{m[0], r.id, m[1]})
}

// needsRolePrefix and needsRoleNoise are the words around the role in
// "needs approval from the CISO" and "needs the CISO's sign-off too".
var (
	needsRolePrefix = lazyRE(`(?i)^(?:(?:an?\s+)?(?:approval|sign-?off|sign\s+off)\s+(?:from|by)\s+)?(?:the\s+)?`)
	needsRoleNoise  = lazyRE(`(?i)(?:'s?\s+(?:approval|sign-?off))?(?:\s+as\s+(?:an?\s+)?approver)?(?:\s+(?:too|as\s+well|also))?$`)
)
