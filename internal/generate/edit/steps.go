package edit

import (
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/syntax"
)

// --- remove a step ---

func (d *doc) removeOp(in instruction, m []string) (bool, error) {
	st, err := d.step(in.phrase(m[1]))
	if err != nil {
		return true, err
	}
	return true, d.removeStep(st)
}

// successor is where flows go when st is gone: its first next step, or a
// gate's go outcome (the rule release types follow when they remove one).
func successor(st *relsop.Step) string {
	if len(st.Next) > 0 {
		return st.Next[0]
	}
	if o := st.Proceed(); o != nil {
		return o.To
	}
	return ""
}

// removeStep deletes a step and leads every flow into it on to where it
// led: a next list to all its next steps, a single flow (gate outcome,
// failure path, escalation) to its successor. Release types that name the
// step are updated the same way.
func (d *doc) removeStep(st *relsop.Step) error {
	switch st.Kind {
	case relsop.KindStart, relsop.KindEnd:
		return fmt.Errorf("step %q (%s) is the %s step and cannot be removed: every SOP has one; rename it or change what leads %s it instead",
			st.ID, st.Name, st.Kind, map[relsop.StepKind]string{relsop.KindStart: "from", relsop.KindEnd: "to"}[st.Kind])
	}
	one := successor(st)
	nexts := st.Next
	if len(nexts) == 0 && one != "" {
		nexts = []string{one}
	}
	steps := d.list("steps")
	i, node := d.item("steps", "id", st.ID)
	lost := comments(node)
	steps.Items = slices.Delete(steps.Items, i, i+1)
	nodes, self := d.flowNodes()
	var rewired, cut []string
	for i, n := range nodes {
		if !retarget(n, self[i], st.ID, nexts, one) || i >= len(steps.Items) {
			continue // release types are reported below
		}
		if self[i] == one && len(nexts) <= 1 {
			cut = append(cut, self[i])
		} else {
			rewired = append(rewired, self[i])
		}
	}
	d.dropFromReleaseTypes(st.ID, one)
	msg := fmt.Sprintf("removed step %q (%s)", st.ID, st.Name)
	if len(rewired) > 0 {
		msg += fmt.Sprintf("; flows from %s now go on to %s", quoteList(rewired), quoteList(nexts))
	}
	if len(cut) > 0 {
		msg += fmt.Sprintf("; the flow from %s to it is gone, as it would lead back to itself", quoteList(cut))
	}
	if lost > 0 {
		msg += fmt.Sprintf("; its %d comment(s) went with it", lost)
	}
	d.say("%s", msg)
	return nil
}

// dropFromReleaseTypes updates what release types and ignore entries say
// about a removed step: removals and changes of it go, and steps added
// after or before it are added before its successor.
func (d *doc) dropFromReleaseTypes(id, successor string) {
	for _, rt := range d.items("release_types") {
		if rm := rt.Get("remove"); rm != nil {
			left := slices.DeleteFunc(strs(rm), func(s string) bool { return s == id })
			if len(left) == 0 {
				del(rt, "remove")
			} else if len(left) < len(strs(rm)) {
				set(rt, "remove", listNode(left...))
			}
		}
		if ch := rt.Get("change"); ch != nil && ch.Kind == syntax.Sequence {
			ch.Items = slices.DeleteFunc(ch.Items, func(c *syntax.Node) bool { return scalar(c, "step") == id })
			if len(ch.Items) == 0 {
				del(rt, "change")
			}
		}
		for _, a := range seqItems(rt.Get("add")) {
			if scalar(a, "after") != id && scalar(a, "before") != id {
				continue
			}
			del(a, "after")
			del(a, "before")
			if successor != "" {
				set(a, "before", strNode(successor))
			}
		}
	}
	if ig := d.root.Get("ignore"); ig != nil && ig.Kind == syntax.Sequence {
		ig.Items = slices.DeleteFunc(ig.Items, func(n *syntax.Node) bool { return scalar(n, "step") == id })
		if len(ig.Items) == 0 {
			del(d.root, "ignore")
		}
	}
}

func quoteList(ids []string) string {
	q := make([]string, len(ids))
	for i, id := range ids {
		q[i] = fmt.Sprintf("%q", id)
	}
	return strings.Join(q, ", ")
}

// --- add a step ---

// addSpec is an add instruction taken apart: what comes before the first
// clause holds the name and kind, the clauses say where and who.
type addSpec struct {
	head                                 []string
	after, before, between, phase, owner []string
}

// markers start the clauses of an add instruction; "in" and "during" only
// when what follows is a phase.
var markers = []struct {
	words []string
	field string
}{
	{[]string{"owned", "by"}, "owner"}, {[]string{"run", "by"}, "owner"}, {[]string{"done", "by"}, "owner"},
	{[]string{"performed", "by"}, "owner"}, {[]string{"handled", "by"}, "owner"}, {[]string{"assigned", "to"}, "owner"},
	{[]string{"owner"}, "owner"}, {[]string{"after"}, "after"}, {[]string{"following"}, "after"},
	{[]string{"before"}, "before"}, {[]string{"between"}, "between"}, {[]string{"preceding"}, "before"}, {[]string{"in"}, "phase"}, {[]string{"during"}, "phase"},
	{[]string{"by"}, "by"}, {[]string{"at", "the", "end"}, "end"}, {[]string{"at", "the", "start"}, "start"}, {[]string{"at", "the", "beginning"}, "start"},
}

// fillers are words left at the end of a clause by the next one: "right
// after", "with owner", "and owned by".
var fillers = map[string]bool{"right": true, "just": true, "immediately": true, "directly": true, "with": true, "and": true, "straight": true}

func (d *doc) splitAdd(text string) addSpec {
	ws := strings.Fields(strings.ReplaceAll(text, ",", " "))
	type cut struct {
		at, n int
		field string
	}
	var cuts []cut
	for i := 0; i < len(ws); i++ {
		for _, mk := range markers {
			if i+len(mk.words) > len(ws) || !equalWords(ws[i:i+len(mk.words)], mk.words) {
				continue
			}
			cuts = append(cuts, cut{i, len(mk.words), mk.field})
			i += len(mk.words) - 1
			break
		}
	}
	// A phase clause must name a phase, and a bare "by" a role; otherwise
	// the word is part of a name ("run tests in dev" is a step when dev is
	// no phase, "sign off by email" when email is no role).
	var keep []cut
	for k, c := range cuts {
		if c.field != "phase" && c.field != "by" {
			keep = append(keep, c)
			continue
		}
		end := len(ws)
		for _, c2 := range cuts[k+1:] {
			if c2.field != "phase" && c2.field != "by" {
				end = c2.at
				break
			}
		}
		seg := ws[c.at+1 : end]
		if c.field == "phase" && d.isPhase(seg) || c.field == "by" && d.isRole(seg) {
			keep = append(keep, c)
		}
	}
	var s addSpec
	start := len(ws)
	if len(keep) > 0 {
		start = keep[0].at
	}
	s.head = trimFillers(ws[:start])
	for k, c := range keep {
		end := len(ws)
		if k+1 < len(keep) {
			end = keep[k+1].at
		}
		seg := trimFillers(ws[c.at+c.n : end])
		switch c.field {
		case "owner", "by":
			s.owner = seg
		case "end":
			// At the end: before the end step, when there is one.
			s.before = d.onlyStepOfKind(relsop.KindEnd)
		case "start":
			s.after = d.onlyStepOfKind(relsop.KindStart)
		case "after":
			s.after = seg
		case "before":
			s.before = seg
		case "between":
			s.between = seg
		case "phase":
			s.phase = seg
		}
	}
	return s
}

// isRole reports whether the words name one role.
func (d *doc) isRole(seg []string) bool {
	if len(seg) == 0 {
		return false
	}
	_, err := resolve("role", phrase{text: article.ReplaceAllString(strings.Join(seg, " "), "")}, d.roles())
	return err == nil
}

// onlyStepOfKind is the id of the one step of kind, as the words of a
// clause; nil when there is none or several (the caller then asks where).
func (d *doc) onlyStepOfKind(kind relsop.StepKind) []string {
	var ids []string
	for _, st := range d.sop.Steps {
		if st.Kind == kind {
			ids = append(ids, st.ID)
		}
	}
	if len(ids) != 1 {
		return nil
	}
	return ids
}

func (d *doc) isPhase(seg []string) bool {
	if len(seg) == 0 {
		return false
	}
	last := strings.ToLower(seg[len(seg)-1])
	first := strings.ToLower(seg[0])
	if last == "phase" || first == "phase" || first == "the" && len(seg) > 1 && strings.ToLower(seg[1]) == "phase" {
		return true
	}
	p := strings.Join(seg, " ")
	p = strings.TrimPrefix(strings.TrimPrefix(p, "the "), "The ")
	_, ok := exactly(phrase{text: p}, d.phases())
	return ok
}

func equalWords(a, b []string) bool {
	for i := range b {
		if !strings.EqualFold(a[i], b[i]) {
			return false
		}
	}
	return true
}

func trimFillers(ws []string) []string {
	for len(ws) > 0 && fillers[strings.ToLower(ws[len(ws)-1])] {
		ws = ws[:len(ws)-1]
	}
	return ws
}

// Words that say which kind of step is meant. The first kind whose words
// appear wins, in this order.
var kindHints = []struct {
	kind  relsop.StepKind
	words []string
}{
	{relsop.KindRollback, []string{"rollback", "roll back", "roll-back", "revert", "back out", "back-out", "switch back"}},
	{relsop.KindDeploy, []string{"deploy", "deployment", "promote", "roll out", "rollout"}},
	{relsop.KindNotify, []string{"notify", "notification", "announce", "announcement", "inform", "email", "tell", "communicate", "message"}},
	{relsop.KindGate, []string{"gate", "approval", "approve", "sign-off", "signoff", "sign off", "go/no-go", "go no go", "go-no-go", "decision", "authorisation", "authorization", "authorise", "authorize"}},
	{relsop.KindAutomated, []string{"run", "scan", "pipeline", "automated", "automatic", "ci", "job", "workflow", "lint", "script"}},
}

func guessKind(text string) relsop.StepKind {
	t := " " + strings.Join(words(strings.ReplaceAll(text, "/", " / ")), " ") + " "
	t = strings.ReplaceAll(t, " / ", "/")
	for _, h := range kindHints {
		for _, w := range h.words {
			if strings.Contains(t, " "+w+" ") {
				return h.kind
			}
		}
	}
	return relsop.KindTask
}

func (d *doc) addOp(in instruction, m []string) (bool, error) {
	s := d.splitAdd(m[1])
	name, hints := d.addName(in, s.head)
	if name == "" {
		return true, fmt.Errorf("say what the new step is called, such as: add a step 'Notify support' after publish release notes")
	}
	if len(s.between) > 0 {
		// "between X and Y": the split where both name a step.
		err := trySplits(strings.Join(s.between, " "), "and", func(left, right string) (int, error) {
			if _, err := d.step(in.phrase(left)); err != nil {
				return 0, err
			}
			if _, err := d.step(in.phrase(right)); err != nil {
				return 1, err
			}
			s.after, s.before = strings.Fields(left), strings.Fields(right)
			return 2, nil
		})
		if err == errNoSplit {
			return true, fmt.Errorf("say between which two steps: between <step> and <step>")
		}
		if err != nil {
			return true, err
		}
	}
	if len(s.after)+len(s.before)+len(s.phase) == 0 {
		return true, fmt.Errorf("say where step %q goes: after or before which step, or in which phase (add a step '%s' after <step>)", name, name)
	}
	kind := guessKind(hints + " " + name)
	for _, k := range relsop.StepKinds {
		if slices.Contains(words(hints), string(k)) {
			kind = k
		}
	}
	if kind == relsop.KindStart || kind == relsop.KindEnd {
		return true, fmt.Errorf("an SOP has one %s step; add a task instead", kind)
	}
	var after, before *relsop.Step
	var err error
	if len(s.after) > 0 {
		if after, err = d.step(in.phrase(strings.Join(s.after, " "))); err != nil {
			return true, err
		}
	}
	if len(s.before) > 0 {
		if before, err = d.step(in.phrase(strings.Join(s.before, " "))); err != nil {
			return true, err
		}
	}
	phase := ""
	if len(s.phase) > 0 {
		p, err := d.phase(in.phrase(phaseWords.FindStringSubmatch(strings.Join(s.phase, " "))[1]))
		if err != nil {
			return true, err
		}
		phase = p.id
		if after == nil && before == nil {
			if after = d.lastInPhase(p.id); after == nil {
				return true, fmt.Errorf("phase %s has no step that leads on to attach %q to; say after or before which step it goes", p.id, name)
			}
		}
	}
	anchor := after
	if anchor == nil {
		anchor = before
	}
	if phase == "" {
		phase = anchor.Phase
	}
	owner := roleRef{id: anchor.Owner}
	if len(s.owner) > 0 {
		if owner, err = d.role(in.phrase(strings.Join(s.owner, " "))); err != nil {
			return true, err
		}
	}
	env := ""
	if kind == relsop.KindDeploy || kind == relsop.KindRollback {
		env = d.envIn(name)
		if env == "" && kind == relsop.KindRollback && anchor.Environment != "" {
			env = anchor.Environment
		}
		if env == "" && kind == relsop.KindDeploy {
			return true, fmt.Errorf("a deploy step names its environment; say which in its name, such as 'Deploy to %s'", d.lastEnv())
		}
	}
	id := d.newStepID(name)
	n := mapNode("id", strNode(id), "name", strNode(name))
	if kind != relsop.KindTask {
		set(n, "kind", strNode(string(kind)))
	}
	if owner.id != "" {
		set(n, "owner", strNode(owner.id))
	}
	if phase != "" {
		set(n, "phase", strNode(phase))
	}
	if env != "" {
		set(n, "environment", strNode(env))
	}
	where, err := d.splice(n, id, kind, after, before)
	if err != nil {
		return true, err
	}
	if owner.isNew {
		d.useRole(owner)
	}
	d.added = append(d.added, id)
	msg := fmt.Sprintf("added step %q (%s) %s", id, name, where)
	if owner.id != "" {
		msg += ", owned by " + owner.id
	}
	if kind != relsop.KindTask {
		msg += ", kind " + string(kind)
	}
	d.say("%s", msg)
	if kind == relsop.KindGate {
		d.unfinished = append(d.unfinished, id)
		d.say("gate %q has no criteria yet: add some with \"add criterion '...' to %s\"", id, id)
	}
	return true, nil
}

// addName finds the new step's name in the words before the clauses: a
// quoted text, the words after "called" or "named", or the words
// themselves without articles and kind words. hints are the other words.
func (d *doc) addName(in instruction, head []string) (name, hints string) {
	for i, w := range head {
		if hasQuote(w) {
			return in.phrase(w).text, strings.Join(append(slices.Clone(head[:i]), head[i+1:]...), " ")
		}
	}
	for i, w := range head {
		if lw := strings.ToLower(w); lw == "called" || lw == "named" || lw == "titled" {
			return capitalise(in.phrase(strings.Join(head[i+1:], " ")).text), strings.Join(head[:i], " ")
		}
	}
	ws := slices.Clone(head)
	var hint []string
	for len(ws) > 0 {
		lw := strings.ToLower(ws[0])
		if lw != "a" && lw != "an" && lw != "the" && lw != "new" && lw != "another" && lw != "extra" && lw != "additional" {
			break
		}
		ws = ws[1:]
	}
	for len(ws) > 0 {
		lw := strings.ToLower(ws[len(ws)-1])
		if lw != "step" && lw != "task" && lw != "gate" && lw != "stage" {
			break
		}
		hint = append(hint, lw)
		ws = ws[:len(ws)-1]
	}
	// "add a step to notify the team": the step is what follows "to".
	if len(ws) > 2 && (strings.EqualFold(ws[0], "step") || strings.EqualFold(ws[0], "task")) && strings.EqualFold(ws[1], "to") {
		ws = ws[2:]
	}
	if len(ws) > 0 {
		// "add a gate security sign-off": a leading kind word is a hint.
		for _, k := range relsop.StepKinds {
			if strings.EqualFold(ws[0], string(k)) && len(ws) > 1 {
				hint = append(hint, string(k))
				// A kind that is also a verb starts the name: "notify
				// the team on Slack", "deploy to canary".
				if k != relsop.KindNotify && k != relsop.KindDeploy {
					ws = ws[1:]
				}
				break
			}
		}
	}
	return capitalise(in.phrase(strings.Join(ws, " ")).text), strings.Join(hint, " ")
}

func capitalise(s string) string {
	r := []rune(s)
	if len(r) == 0 {
		return s
	}
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

// lastInPhase is the step a step added to a phase follows: the last step
// of the phase, in file order, that leads on to another and is on the main
// path (not a rollback, nor reached only when something fails).
func (d *doc) lastInPhase(phase string) *relsop.Step {
	var found *relsop.Step
	for i := range d.sop.Steps {
		st := &d.sop.Steps[i]
		if st.Phase != phase || st.Kind == relsop.KindEnd || st.Kind == relsop.KindRollback || len(st.Next)+len(st.Outcomes) == 0 {
			continue
		}
		if st.Kind != relsop.KindStart && len(d.predecessors(st.ID)) == 0 {
			continue
		}
		found = st
	}
	return found
}

// envIn finds an environment named in a step name.
func (d *doc) envIn(name string) string {
	ws := words(name)
	for _, e := range d.sop.Environments {
		if slices.Contains(ws, strings.ToLower(e.ID)) || compact(e.Name) != "" && strings.Contains(" "+strings.Join(ws, " ")+" ", " "+strings.Join(words(e.Name), " ")+" ") {
			return e.ID
		}
	}
	return ""
}

func (d *doc) lastEnv() string {
	if n := len(d.sop.Environments); n > 0 {
		return d.sop.Environments[n-1].Name
	}
	return "production"
}

// newStepID makes an id for a new step from its name, unique among the
// steps of the base flow and those release types add.
func (d *doc) newStepID(name string) string {
	ws := words(name)
	if len(ws) > 6 {
		ws = ws[:6]
	}
	base := strings.Join(ws, "-")
	if base == "" {
		base = "step"
	}
	taken := map[string]bool{}
	nodes, self := d.flowNodes()
	for i := range nodes {
		taken[self[i]] = true
	}
	id := base
	for n := 2; taken[id]; n++ {
		id = fmt.Sprintf("%s-%d", base, n)
	}
	return id
}

// splice puts the new step node n into the flow: after a step (taking
// over where it led), before one (every flow into it comes to the new step
// first), or between two. It says where, for the summary.
func (d *doc) splice(n *syntax.Node, id string, kind relsop.StepKind, after, before *relsop.Step) (string, error) {
	steps := d.list("steps")
	lead := func(to string, failure string) {
		if kind == relsop.KindGate {
			outs := mapNode("go", strNode(to))
			if failure != "" && failure != to {
				set(outs, "no-go", strNode(failure))
			}
			set(n, "outcomes", outs)
			if owner := scalar(n, "owner"); owner != "" {
				set(n, "approvers", listNode(owner))
			}
			return
		}
		set(n, "next", strNode(to))
	}
	switch {
	case after != nil && before != nil:
		an := d.stepNode(after.ID)
		if !slices.Contains(after.Next, before.ID) && !slices.ContainsFunc(after.Outcomes, func(o relsop.Outcome) bool { return o.To == before.ID }) {
			return "", fmt.Errorf("step %q does not lead to %q, so nothing lies between them; say only after or before", after.ID, before.ID)
		}
		retarget(an, after.ID, before.ID, []string{id}, id)
		lead(before.ID, after.OnFailure)
		i, _ := d.item("steps", "id", after.ID)
		steps.Items = slices.Insert(steps.Items, i+1, n)
		return fmt.Sprintf("between %q and %q", after.ID, before.ID), nil
	case after != nil:
		if after.Kind == relsop.KindEnd {
			return "", fmt.Errorf("step %q is the end step; nothing can follow it, so add the step before it", after.ID)
		}
		an := d.stepNode(after.ID)
		switch {
		case len(after.Next) > 0:
			if kind == relsop.KindGate {
				lead(after.Next[0], failureOf(after))
				rest := append([]string{id}, after.Next[1:]...)
				set(an, "next", refsNode(rest))
			} else {
				set(n, "next", refsNode(after.Next))
				set(an, "next", strNode(id))
			}
		case len(after.Outcomes) > 0:
			goTo := successor(after)
			lead(goTo, failureOf(after))
			retargetOutcome(an, goTo, id)
		default:
			return "", fmt.Errorf("step %q leads nowhere, so there is nothing to add after it; say before which step the new one goes", after.ID)
		}
		i, _ := d.item("steps", "id", after.ID)
		steps.Items = slices.Insert(steps.Items, i+1, n)
		return fmt.Sprintf("after %q", after.ID), nil
	default:
		if before.Kind == relsop.KindStart {
			return "", fmt.Errorf("step %q is the start step; nothing comes before it, so add the step after it", before.ID)
		}
		failure := ""
		if preds := d.predecessors(before.ID); len(preds) == 1 {
			failure = failureOf(preds[0])
		}
		nodes, self := d.flowNodes()
		for i, m := range nodes {
			retarget(m, self[i], before.ID, []string{id}, id)
		}
		lead(before.ID, failure)
		i, _ := d.item("steps", "id", before.ID)
		steps.Items = slices.Insert(steps.Items, i, n)
		return fmt.Sprintf("before %q", before.ID), nil
	}
}

// failureOf is where a no-go of a gate added after st goes: st's own
// failure path, or back to st to do it again.
func failureOf(st *relsop.Step) string {
	if st.OnFailure != "" {
		return st.OnFailure
	}
	if st.Kind == relsop.KindGate {
		for _, o := range st.Outcomes {
			if relsop.MeaningOf(o.Label) == relsop.OutcomeNoGo {
				return o.To
			}
		}
		return ""
	}
	return st.ID
}

// retargetOutcome points the first outcome of gate node m that leads to
// from at to.
func retargetOutcome(m *syntax.Node, from, to string) {
	if o := m.Get("outcomes"); o != nil {
		for _, p := range o.Pairs {
			if p.Value.Kind == syntax.Scalar && p.Value.Value == from {
				p.Value.Value = to
				return
			}
		}
	}
}

// predecessors are the steps of the base flow whose next or outcomes lead
// to id.
func (d *doc) predecessors(id string) []*relsop.Step {
	var out []*relsop.Step
	for i := range d.sop.Steps {
		st := &d.sop.Steps[i]
		if slices.Contains(st.Next, id) || slices.ContainsFunc(st.Outcomes, func(o relsop.Outcome) bool { return o.To == id }) {
			out = append(out, st)
		}
	}
	return out
}

// frontedPlaceOp reads an instruction that starts with where the new step
// goes: "after monitoring, hold a retrospective with the team" is "add
// hold a retrospective with the team after monitoring".
func (d *doc) frontedPlaceOp(in instruction, m []string) (bool, error) {
	if failing.MatchString(m[2]) {
		anchor := failing.ReplaceAllString(m[2], "")
		return true, fmt.Errorf("to say where the flow goes when %s fails: if %s fails, go to <step>", anchor, anchor)
	}
	what := addVerb.ReplaceAllString(m[3], "")
	rest := what + " " + strings.ToLower(m[1]) + " " + m[2]
	return d.addAs(in, rest)
}

// failing ends an anchor that is a failure, not a place: "after X fails".
var failing = lazyRE(`(?i)\s+(?:fails|failed|has\s+failed)$`)

// addVerb is an "add" the fronted form may repeat ("after X, add Y").
var addVerb = lazyRE(`(?i)^(?:add|insert|create|introduce|append|put|include)\s+`)

// notifyStepOp reads "notify the team on Slack after deploy to
// production": a step that tells someone, placed as an added step is.
func (d *doc) notifyStepOp(in instruction, m []string) (bool, error) {
	return d.addAs(in, m[0])
}

// addAs reads another form of instruction as "add REST": what follows
// "add" in the instruction addOp reads.
func (d *doc) addAs(in instruction, rest string) (bool, error) {
	return d.addOp(instruction{raw: in.raw, text: "add " + rest, quotes: in.quotes}, []string{"add " + rest, rest})
}
