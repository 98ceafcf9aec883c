package edit

import (
	"fmt"
	"slices"
	"strings"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/compile"
	"github.com/relsop/relsop/internal/format"
	"github.com/relsop/relsop/internal/lint"
	"github.com/relsop/relsop/internal/syntax"
)

// variantExamples are the release-type instructions understood.
var variantExamples = []string{
	`make an emergency variant that skips the CAB approval but needs the incident commander`,
	`create a hotfix release type that skips canary analysis and watch canary`,
	`add a minor variant without the verify features step`,
}

var (
	clauseSep   = lazyRE(`(?i)\s*(?:,|;|\bbut\b|\band\b|\bwhile\b|\bplus\b)\s*`)
	clauseLead  = lazyRE(`(?i)^(?:(?:that|which|where|it|also|still|only|then|with|in\s+which|so\s+that)\s+)+`)
	skipClause  = lazyRE(`(?i)^(?:skips?|removes?|drops?|omits?|leaves?\s+out|without|bypass(?:es)?|has\s+no|no\s+longer\s+(?:needs?|has|requires?)|does\s+not\s+(?:need|have|require)|doesn't\s+(?:need|have|require))\s+(.+)$`)
	needsClause = lazyRE(`(?i)^(?:needs?\s+(?:an?\s+)?(?:approval|sign-off|sign\s+off)\s+(?:from|by)|requires?\s+(?:an?\s+)?(?:approval|sign-off|sign\s+off)\s+(?:from|by)|is\s+approved\s+by|must\s+be\s+approved\s+by|gets\s+approved\s+by|needs?|requires?|adds?\s+(?:an?\s+)?approval\s+(?:by|from))\s+(.+)$`)
	flagClause  = lazyRE(`(?i)^(?:is\s+)?(?:an?\s+)?(?:emergency|expedited|urgent)(?:\s+(?:release|change|one))?$`)
)

// variantOp adds a release type, or extends one of that name, from
// clauses such as "skips the CAB" and "needs the incident commander".
func (d *doc) variantOp(in instruction, m []string) (bool, error) {
	name := strings.TrimSpace(in.phrase(m[1]).text)
	ws := words(name)
	for len(ws) > 1 && (ws[len(ws)-1] == "release" || ws[len(ws)-1] == "change") {
		ws = ws[:len(ws)-1]
	}
	id := strings.Join(ws, "-")
	if id == "" {
		return true, &UnsupportedError{Instruction: in.raw, Examples: variantExamples}
	}
	var skip []*relsop.Step
	var needs []roleRef
	emergency := false
	verb := ""
	for _, cl := range clauseSep.Split(clauseLead.ReplaceAllString(m[2], ""), -1) {
		cl = strings.TrimSpace(clauseLead.ReplaceAllString(strings.TrimSpace(cl), ""))
		if cl == "" {
			continue
		}
		var ref string
		switch {
		case flagClause.MatchString(cl):
			emergency = true
			continue
		case skipClause.MatchString(cl):
			verb, ref = "skip", skipClause.FindStringSubmatch(cl)[1]
		case needsClause.MatchString(cl):
			verb, ref = "needs", needsClause.FindStringSubmatch(cl)[1]
		case verb != "":
			ref = cl // "skips the CAB and UAT": the verb carries over
		default:
			return true, &UnsupportedError{Instruction: in.raw, Examples: variantExamples}
		}
		switch verb {
		case "skip":
			st, err := d.skipStep(in.phrase(ref))
			if err != nil {
				return true, err
			}
			skip = append(skip, st)
		case "needs":
			r, err := d.role(in.phrase(ref))
			if err != nil {
				return true, err
			}
			needs = append(needs, r)
		}
	}
	if len(skip)+len(needs) == 0 && !emergency {
		return true, fmt.Errorf("say how release type %q differs from the base flow, such as: make a %s variant that skips <step> but needs <role>", id, id)
	}
	return true, d.applyVariant(id, name, emergency, skip, needs)
}

// skipStep resolves a step a release type skips. "skips the CAB" names a
// gate more often than the steps around it, so among several matches a
// single gate wins.
func (d *doc) skipStep(p phrase) (*relsop.Step, error) {
	st, err := d.step(p)
	if amb, ok := err.(*AmbiguousError); ok {
		var gates []string
		for _, id := range amb.Candidates {
			if d.sop.Step(id).Kind == relsop.KindGate {
				gates = append(gates, id)
			}
		}
		if len(gates) == 1 {
			st, err = d.sop.Step(gates[0]), nil
		}
	}
	if err != nil {
		return nil, err
	}
	if st.Kind == relsop.KindStart || st.Kind == relsop.KindEnd {
		return nil, fmt.Errorf("a release type cannot skip the %s step %q", st.Kind, st.ID)
	}
	return st, nil
}

func (d *doc) applyVariant(id, name string, emergency bool, skip []*relsop.Step, needs []roleRef) error {
	rts := d.list("release_types")
	_, rt := d.item("release_types", "id", id)
	isNew := rt == nil
	if rt == nil {
		full := capitalise(name)
		if w := words(name); w[len(w)-1] != "release" && w[len(w)-1] != "change" && w[len(w)-1] != "fix" {
			full += " release"
		}
		rt = mapNode("id", strNode(id), "name", strNode(full))
		rts.Items = append(rts.Items, rt)
		emergency = emergency || (&relsop.ReleaseType{ID: id}).IsEmergency()
		d.say("added release type %q (%s)", id, full)
	}
	if emergency && scalar(rt, "emergency") != "true" {
		set(rt, "emergency", &syntax.Node{Kind: syntax.Scalar, Type: syntax.Bool, Value: "true"})
		d.say("release type %q is marked as an emergency release", id)
	}
	removed := strs(rt.Get("remove"))
	for _, st := range skip {
		if slices.Contains(removed, st.ID) {
			d.say("release type %q already skips %q", id, st.ID)
			continue
		}
		removed = append(removed, st.ID)
		d.say("release type %q skips step %q (%s)", id, st.ID, st.Name)
	}
	if len(removed) > 0 {
		set(rt, "remove", listNode(removed...))
	}
	for _, r := range needs {
		if err := d.variantNeeds(rt, id, r, skip, removed); err != nil {
			return err
		}
	}
	if isNew && emergency {
		d.addReview(rt, id)
	}
	return nil
}

// addReview gives a new emergency release type a post-implementation
// review before the end when its flow has none: an emergency release
// bypasses parts of the process, and the review afterwards is what every
// emergency procedure (and relsop lint) asks for. The templates' emergency
// release types do the same.
func (d *doc) addReview(rt *syntax.Node, id string) {
	res := compile.Load(format.Format(d.tree))
	if len(res.Errors) > 0 || res.SOP == nil {
		return
	}
	missing := false
	for _, f := range lint.Run(res.SOP, lint.Config{Today: lintDay}) {
		if f.Code == "emergency-review" && f.Element == id {
			missing = true
		}
	}
	var end *relsop.Step
	for i := range d.sop.Steps {
		if d.sop.Steps[i].Kind == relsop.KindEnd {
			end = &d.sop.Steps[i]
			break
		}
	}
	if !missing || end == nil {
		return
	}
	owner := end.Owner
	for _, r := range d.sop.Roles {
		if r.ID == "release-manager" {
			owner = r.ID
		}
	}
	pid := d.newStepID("hold pir")
	st := mapNode("id", strNode(pid), "name", strNode("Hold post-implementation review"), "phase", strNode(end.Phase), "before", strNode(end.ID))
	if owner != "" {
		set(st, "owner", strNode(owner))
	}
	add := rt.Get("add")
	if add == nil || add.Kind != syntax.Sequence {
		add = &syntax.Node{Kind: syntax.Sequence}
		set(rt, "add", add)
	}
	add.Items = append(add.Items, st)
	d.say("release type %q adds step %q (Hold post-implementation review) before %q: an emergency release ends with one", id, pid, end.ID)
}

// variantNeeds makes a release type need a role's approval: a gate of its
// own in place of the first gate the release type skips, or else the role
// added to the approvers of the last gate before the production deploy.
func (d *doc) variantNeeds(rt *syntax.Node, id string, r roleRef, skip []*relsop.Step, removed []string) error {
	var skipped *relsop.Step
	for _, st := range skip {
		if st.Kind == relsop.KindGate {
			skipped = st
			break
		}
	}
	if skipped != nil {
		to := successor(skipped)
		for seen := 0; slices.Contains(removed, to) && seen < len(d.sop.Steps); seen++ {
			to = successor(d.sop.Step(to))
		}
		if to == "" {
			return fmt.Errorf("gate %q leads nowhere once release type %q skips its successors; say where the %s approval goes", skipped.ID, id, r.name)
		}
		gid := d.newStepID(r.id + " approval")
		// The new gate decides what the skipped one decided: it goes on
		// where that one's go led and keeps its other outcomes (rework,
		// reject...), so the steps only they lead to stay reachable.
		outs := mapNode("go", strNode(to))
		for _, o := range skipped.Outcomes {
			if relsop.MeaningOf(o.Label) == relsop.OutcomeGo || slices.Contains(removed, o.To) || o.Label == "go" {
				continue
			}
			set(outs, o.Label, strNode(o.To))
		}
		owner := d.useRole(r)
		g := mapNode("id", strNode(gid), "name", strNode(r.name+" approval"), "kind", strNode("gate"), "owner", strNode(owner),
			"phase", strNode(skipped.Phase), "approvers", listNode(owner), "outcomes", outs, "before", strNode(to))
		add := rt.Get("add")
		if add == nil || add.Kind != syntax.Sequence {
			add = &syntax.Node{Kind: syntax.Sequence}
			set(rt, "add", add)
		}
		add.Items = append(add.Items, g)
		d.unfinished = append(d.unfinished, gid)
		d.say("release type %q adds gate %q (%s) before %q in place of %q", id, gid, r.name+" approval", to, skipped.ID)
		d.say("gate %q has no criteria yet: give it those of %q or its own in the release type's add entry", gid, skipped.ID)
		return nil
	}
	gate := d.gateBeforeProduction(removed)
	if gate == nil {
		return fmt.Errorf("release type %q keeps no gate before a production deploy for %s to approve; say which: add %s as an approver of <gate>", id, r.id, r.name)
	}
	owner := d.useRole(r)
	change := rt.Get("change")
	if change == nil || change.Kind != syntax.Sequence {
		change = &syntax.Node{Kind: syntax.Sequence}
		set(rt, "change", change)
	}
	var c *syntax.Node
	for _, it := range change.Items {
		if scalar(it, "step") == gate.ID {
			c = it
		}
	}
	if c == nil {
		c = mapNode("step", strNode(gate.ID))
		change.Items = append(change.Items, c)
	}
	approvers := gate.Approvers
	if v := c.Get("approvers"); v != nil {
		approvers = strs(v)
	}
	if !slices.Contains(approvers, owner) {
		set(c, "approvers", listNode(append(slices.Clone(approvers), owner)...))
	}
	d.say("in release type %q, %s approves gate %q", id, owner, gate.ID)
	return nil
}

// gateBeforeProduction is the nearest gate, going back along the flow,
// before the first production deploy that a release type keeps.
func (d *doc) gateBeforeProduction(removed []string) *relsop.Step {
	var deploy *relsop.Step
	for i := range d.sop.Steps {
		st := &d.sop.Steps[i]
		if st.IsProductionDeploy(d.sop) && !slices.Contains(removed, st.ID) {
			deploy = st
			break
		}
	}
	if deploy == nil {
		return nil
	}
	seen := map[string]bool{deploy.ID: true}
	queue := []string{deploy.ID}
	for len(queue) > 0 {
		id := queue[0]
		queue = queue[1:]
		for _, p := range d.predecessors(id) {
			if seen[p.ID] {
				continue
			}
			seen[p.ID] = true
			if p.Kind == relsop.KindGate && !slices.Contains(removed, p.ID) {
				return p
			}
			queue = append(queue, p.ID)
		}
	}
	return nil
}
