package generate

import (
	"fmt"
	"slices"
	"strings"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/generate/raci"
)

// A RACI matrix says who does each activity. Each activity is matched to
// the planned step it describes; the Responsible role becomes the step's
// owner and the other letters fill its RACI (for gates, the Accountable
// role approves). An activity no step covers becomes a task of its own,
// spliced into the main line in the phase its words and its place in the
// matrix point to, so that the flow stays whole. Roles are created only
// when some step uses them.

// raciRoleSlots are the short names matrices give roles in their column
// headers that the lexicon's words (knowledge/lexicon.yaml) do not cover,
// so that "Dev" in the matrix is the planner's developer and not a second
// lane for the same people.
var raciRoleSlots = map[string]string{
	"dev": "developer", "devs": "developer", "dev team": "developer", "development": "developer", "development team": "developer",
	"engineer": "developer", "engineering": "developer", "em": "dev-lead", "qe": "qa", "qa manager": "qa", "quality assurance": "qa",
	"qa ra": "quality", "on call": "sre", "platform": "sre", "ci cd": "ci", "build system": "ci", "automation": "ci",
}

// normName reads a role name for comparison: lower case, words only.
func normName(s string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 127)
	}), " ")
}

// slotOf returns the planner's slot for a role name from a matrix, or "".
func slotOf(name string) string {
	if s, ok := raciRoleSlots[normName(name)]; ok {
		return s
	}
	return slotForName(name)
}

// raciRole returns the id of the role a matrix names, adding or renaming
// a role the first time: a planned role with the same name or id is
// reused; a planned role playing the same part (the same slot) is reused
// under the matrix's name; any other name is a new role.
func (in *inputs) raciRole(name, file string) string {
	p := in.p
	key := normName(name)
	if id, ok := in.roleByName[key]; ok && p.sop.Role(id) != nil {
		return id
	}
	display := inCleanLine(name, maxNameRunes)
	id := ""
	for _, r := range p.sop.Roles {
		if normName(r.Name) == key || r.ID == inSlug(name, 60) {
			id = r.ID
			break
		}
	}
	if id == "" && key != "" {
		if slot := slotOf(name); slot != "" && !in.slotUsed[slot] {
			in.slotUsed[slot] = true
			id = p.role(slot)
			if r := p.sop.Role(id); r != nil && normName(r.Name) != key {
				in.addWhy("role:"+id, fmt.Sprintf("the RACI matrix (%s) calls the %s %s", file, r.Name, display))
				r.Name = display
			}
		}
	}
	if id == "" {
		base := inSlug(name, 60)
		if base == "" {
			base = "role"
		}
		id, n := base, 2
		for p.sop.Role(id) != nil {
			id = fmt.Sprintf("%s-%d", base, n)
			n++
		}
		if display == "" {
			display = id
		}
		p.sop.Roles = append(p.sop.Roles, relsop.Role{ID: id, Name: display, Description: "A role of the RACI matrix " + file + "."})
		p.why["role:"+id] = fmt.Sprintf("the RACI matrix (%s) names %s", file, display)
		in.roleByName[key] = id
		return id
	}
	in.roleByName[key] = id
	return id
}

// raciPart is one activity resolved to role ids.
type raciPart struct {
	r, a, c, i []string
}

func (in *inputs) raciParts(act raci.Activity, file string) raciPart {
	ids := func(names []string) []string {
		var out []string
		for _, n := range names {
			if strings.TrimSpace(n) == "" {
				continue
			}
			if id := in.raciRole(n, file); !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
		return out
	}
	return raciPart{r: ids(act.Responsible), a: ids(act.Accountable), c: ids(act.Consulted), i: ids(act.Informed)}
}

// applyRACI folds one matrix into the plan.
func (in *inputs) applyRACI(file string, m *raci.Matrix) {
	p := in.p
	type act struct {
		raci.Activity
		name string
		step string // matched or added step
		new  bool
	}
	var acts []act
	if len(m.Activities) > maxActivities {
		in.note("%s: only the first %d of %d activities are read", file, maxActivities, len(m.Activities))
	}
	for _, a := range m.Activities[:min(len(m.Activities), maxActivities)] {
		name := inCleanLine(a.Name, maxNameRunes)
		if name == "" || len(a.Responsible)+len(a.Accountable)+len(a.Consulted)+len(a.Informed) == 0 {
			continue
		}
		acts = append(acts, act{Activity: a, name: name})
	}
	// Match greedily, best pair first, each step to one activity: two
	// activities of one matrix never fight over a step.
	mt := in.newMatcher(func(*relsop.Step) bool { return true })
	type pair struct {
		act int
		s   inScored
	}
	var pairs []pair
	for i, a := range acts {
		for _, s := range mt.ranked(a.name, false) {
			pairs = append(pairs, pair{i, s})
		}
	}
	slices.SortStableFunc(pairs, func(x, y pair) int {
		switch {
		case inBetter(x.s, y.s):
			return -1
		case inBetter(y.s, x.s):
			return 1
		}
		return x.act - y.act
	})
	taken := map[string]bool{}
	for _, pr := range pairs {
		if acts[pr.act].step != "" || taken[pr.s.c.id] {
			continue
		}
		acts[pr.act].step = pr.s.c.id
		taken[pr.s.c.id] = true
	}
	matched, added := 0, 0
	var listed []string
	for i := range acts {
		a := &acts[i]
		where := fmt.Sprintf("%s line %d", file, a.Line)
		if a.step != "" {
			if why := in.applyParts(a.step, in.raciParts(a.Activity, file)); why != "" {
				in.addWhy(a.step, "the RACI matrix ("+where+") "+why)
			}
			matched++
			continue
		}
		id, ok := in.addActivity(a.Activity, a.name, i, func(k int) (string, bool) {
			if k < 0 || k >= len(acts) {
				return "", false
			}
			return acts[k].step, true
		}, file, where)
		if !ok {
			listed = append(listed, fmt.Sprintf("%q (line %d)", a.name, a.Line))
			continue
		}
		a.step, a.new = id, true
		added++
	}
	for _, r := range m.Roles {
		if _, ok := in.roleByName[normName(r)]; !ok {
			in.note("%s: role %s takes part in no activity the SOP uses, so the SOP leaves it out", file, inCleanLine(r, maxNameRunes))
		}
	}
	if len(listed) > 0 {
		in.note("%s: these activities could not be placed in the flow and are listed here instead: %s", file, strings.Join(listed, ", "))
		p.sop.Notes = inAppendText(p.sop.Notes, "Activities of the RACI matrix "+file+" not in the flow: "+strings.Join(listed, ", ")+".")
	}
	in.note("RACI matrix %s: %s set the owners and RACI of planned steps, %s", file,
		plural(matched, "activity", "activities"), plural(added, "activity became a new step", "activities became new steps"))
	in.addSource("raci", "RACI matrix "+inStem(file), file, fmt.Sprintf("%d activities and %d roles: owners, approvers and RACI of the steps.", len(acts), len(m.Roles)))
}

// applyParts gives step id the owner and RACI an activity names, and
// returns what it did, for the step's reason.
func (in *inputs) applyParts(id string, parts raciPart) string {
	p := in.p
	st := p.sop.Step(id)
	if st == nil {
		return ""
	}
	var why []string
	names := func(ids []string) string {
		out := make([]string, len(ids))
		for i, id := range ids {
			out[i] = roleNameOf(p.sop, id)
		}
		return joinAnd(out)
	}
	without := func(ids []string, drop ...string) []string {
		var out []string
		for _, x := range ids {
			if !slices.Contains(drop, x) && !slices.Contains(out, x) {
				out = append(out, x)
			}
		}
		return out
	}
	var rest []string
	if len(parts.r) > 0 {
		st.Owner = parts.r[0]
		rest = parts.r[1:]
		if slices.Equal(parts.a, parts.r[:1]) {
			why = append(why, "makes "+names(parts.r[:1])+" responsible and accountable")
		} else {
			why = append(why, "makes "+names(parts.r[:1])+" responsible")
		}
	}
	if len(parts.a) > 0 {
		st.RACI.Accountable = without(parts.a)
		if len(parts.r) == 0 || !slices.Equal(parts.a, parts.r[:1]) {
			why = append(why, "makes "+names(parts.a)+" accountable")
		}
	}
	if c := without(append(slices.Clone(rest), parts.c...), st.Owner); len(c) > 0 {
		st.RACI.Consulted = c
		if len(rest) > 0 {
			why = append(why, "also makes "+names(rest)+" responsible (a step has one owner, so they are consulted)")
		}
		if len(parts.c) > 0 {
			why = append(why, "consults "+names(parts.c))
		}
	}
	if i := without(parts.i, st.Owner); len(i) > 0 {
		st.RACI.Informed = i
		why = append(why, "informs "+names(i))
	}
	if st.Kind == relsop.KindGate {
		approvers := parts.a
		if len(approvers) == 0 {
			approvers = parts.r
		}
		if len(approvers) > 0 {
			st.Approvers = without(approvers)
			in.raciGates[id] = true
			verb := " approves"
			if len(st.Approvers) > 1 {
				verb = " approve"
			}
			why = append(why, "so "+names(st.Approvers)+verb+" the gate")
		}
	}
	return strings.Join(why, ", ")
}

// checkDuties says, for each gate whose approvers a matrix set, which of
// them will give way to separation of duties: nobody approves a gate their
// own step leads into.
func (in *inputs) checkDuties() {
	p := in.p
	ids := make([]string, 0, len(in.raciGates))
	for id := range in.raciGates {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		gate := p.sop.Step(id)
		if gate == nil {
			continue
		}
		for _, a := range gate.Approvers {
			for _, st := range p.sop.Steps {
				if st.Kind == relsop.KindStart || st.Kind == relsop.KindGate || st.Owner != a || !slices.Contains(st.Next, id) {
					continue
				}
				msg := fmt.Sprintf("separation of duties keeps %s from approving %s, since %s owns step %s that leads into it", roleNameOf(p.sop, a), id, roleNameOf(p.sop, a), st.ID)
				in.addWhy(id, msg)
				in.note("%s: the RACI matrix makes %s approve it, but %s", id, roleNameOf(p.sop, a), msg)
				break
			}
		}
	}
}

// addActivity adds an activity no step covers as a task on the main line,
// in the phase its words point to or, failing that, the phase of its
// neighbours in the matrix; it goes right after the step of the activity
// before it when that step is in the same phase, so the matrix's order
// holds. It reports false when there is no safe place.
func (in *inputs) addActivity(act raci.Activity, name string, k int, stepOf func(int) (string, bool), file, where string) (string, bool) {
	p := in.p
	if in.added >= maxAddedSteps {
		return "", false
	}
	prev := ""
	for j := k - 1; j >= 0; j-- {
		if id, ok := stepOf(j); ok && id != "" && in.mainIndex(id) >= 0 {
			prev = id
			break
		}
	}
	ph := inGuessPhase(name)
	if ph == "" {
		// No word says where: the phase of the nearest placed neighbour.
		for d := 1; ph == ""; d++ {
			a, okA := stepOf(k - d)
			b, okB := stepOf(k + d)
			if !okA && !okB {
				break
			}
			for _, id := range []string{a, b} {
				if st := p.sop.Step(id); ph == "" && id != "" && st != nil && st.Kind != relsop.KindStart && st.Kind != relsop.KindEnd {
					ph = st.Phase
				}
			}
		}
	}
	if ph == "" {
		return "", false
	}
	ph = in.existingPhase(ph)
	if ph == "" {
		return "", false
	}
	at := in.placeInPhase(ph)
	if prev != "" {
		if st := p.sop.Step(prev); st != nil && st.Phase == ph && st.Kind != relsop.KindEnd {
			at = in.mainIndex(prev)
		}
	}
	if !in.canInsert(at) {
		return "", false
	}
	parts := in.raciParts(act, file)
	owner := ""
	switch {
	case len(parts.r) > 0:
		owner = parts.r[0]
	case len(parts.a) > 0:
		owner = parts.a[0]
	default:
		owner = p.role("release-manager")
	}
	st := relsop.Step{ID: inSlug(name, 60), Name: name, Kind: relsop.KindTask, Phase: ph, Owner: owner,
		Description: "An activity of the RACI matrix (" + where + ") that the planned flow did not have."}
	id, ok := in.insertMain(at, st)
	if !ok {
		return "", false
	}
	why := "the RACI matrix (" + where + ") lists this activity, which no planned step covers"
	if w := in.applyParts(id, parts); w != "" {
		why += ", and " + w
	}
	if len(parts.r) == 0 {
		why += "; nobody is responsible in the matrix, so " + roleNameOf(p.sop, owner) + " owns it"
	}
	p.why[id] = why
	return id, true
}

func roleNameOf(s *relsop.SOP, id string) string {
	if r := s.Role(id); r != nil {
		return r.Name
	}
	return id
}
