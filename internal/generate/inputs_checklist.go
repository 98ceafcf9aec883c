package generate

import (
	"fmt"
	"slices"
	"strings"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/generate/checklist"
)

// A Markdown checklist is read section by section. A section that reads
// like a sign-off (its heading, the checklist's title or file name, or
// most of its items talk of sign-off, approval, go/no-go or readiness)
// gives its items to the gate its heading names ("Security" → the security
// approval), or else to the gate the whole checklist names, or else to the
// go/no-go decision. Any other section is a test: its items are described
// on the test step its heading names, or on a new test step at the end of
// the test phase, and the QA sign-off asks for it to be complete. Ticks in
// the file mean nothing (a checklist is a template), and item texts are
// kept as written.

// signoffWords make a heading or an item read like a sign-off.
var signoffWords = []string{"signoff", "gonogo", "golive", "approve", "gate", "readiness", "criteria", "decision", "cab"}

func (in *inputs) applyChecklist(file string, cl *checklist.Checklist) {
	boxed := false
	for _, s := range cl.Sections {
		for _, it := range s.Items {
			boxed = boxed || it.Box
		}
	}
	title := inCleanLine(cl.Title, 150)
	doc := title + " " + inStem(file)
	docGate := inHasWord(doc, signoffWords...)
	gates := in.newMatcher(func(st *relsop.Step) bool { return st.Kind == relsop.KindGate })
	var used []string
	criteria, described := 0, 0
	sections := cl.Sections
	if len(sections) > maxSections {
		in.note("%s: only the first %d of %d sections are read", file, maxSections, len(sections))
		sections = sections[:maxSections]
	}
	for _, sec := range sections {
		var items []string
		for _, it := range sec.Items {
			if boxed && !it.Box {
				continue
			}
			if t := inCleanLine(it.Text, maxItemRunes); t != "" {
				items = append(items, t)
			}
		}
		if len(items) == 0 {
			continue
		}
		heading := inCleanLine(sec.Heading, 150)
		where := fmt.Sprintf("%s line %d", file, sec.Line)
		label := firstNonEmpty(heading, title, inStem(file))
		if docGate || inHasWord(heading, signoffWords...) || mostSignoff(items) {
			gate := firstNonEmpty(gates.best(heading, true), gates.best(title, true), gates.best(inStem(file), true), in.defaultGate())
			if gate != "" {
				n := in.addCriteria(gate, items, where, label)
				criteria += n
				used = append(used, fmt.Sprintf("%d criteria of %s", n, gate))
				continue
			}
		}
		if id := in.testChecklist(label, items, where); id != "" {
			described += len(items)
			used = append(used, fmt.Sprintf("%d items on %s", len(items), id))
		}
	}
	in.note("checklist %s: %s", file, firstNonEmpty(strings.Join(used, ", "), "no items used"))
	in.addSource("checklist", firstNonEmpty(title, "Checklist "+inStem(file)), file,
		plural(criteria, "gate criterion", "gate criteria")+" and "+plural(described, "test checklist item", "test checklist items")+".")

}

// mostSignoff reports whether more than half the items talk of sign-off.
func mostSignoff(items []string) bool {
	n := 0
	for _, it := range items {
		if inHasWord(it, signoffWords...) {
			n++
		}
	}
	return 2*n > len(items)
}

// defaultGate is the gate a sign-off checklist goes to when it names none:
// the go/no-go decision, else the last gate before the first production
// deploy, else the first gate.
func (in *inputs) defaultGate() string {
	var gates []*relsop.Step
	for i := range in.p.sop.Steps {
		if st := &in.p.sop.Steps[i]; st.Kind == relsop.KindGate {
			gates = append(gates, st)
		}
	}
	for _, g := range gates {
		if slices.Contains(inWords(g.Name+" "+g.ID), "gonogo") {
			return g.ID
		}
	}
	last := ""
	for _, st := range in.mainSteps() {
		if st.IsProductionDeploy(in.p.sop) {
			break
		}
		if st.Kind == relsop.KindGate {
			last = st.ID
		}
	}
	if last == "" && len(gates) > 0 {
		last = gates[0].ID
	}
	return last
}

// qaGate is the QA sign-off, or "".
func (in *inputs) qaGate() string {
	for i := range in.p.sop.Steps {
		st := &in.p.sop.Steps[i]
		if st.Kind == relsop.KindGate && slices.Contains(inWords(st.Name+" "+st.ID), "qa") {
			return st.ID
		}
	}
	return ""
}

// addCriteria adds items to a gate's criteria, leaving out those it has,
// and returns how many it added.
func (in *inputs) addCriteria(id string, items []string, where, label string) int {
	st := in.p.sop.Step(id)
	if st == nil {
		return 0
	}
	have := map[string]bool{}
	for _, c := range st.Criteria {
		have[normName(c)] = true
	}
	n, dropped := 0, 0
	for _, it := range items {
		k := normName(it)
		if have[k] {
			continue
		}
		if len(st.Criteria) >= maxCriteria {
			dropped++
			continue
		}
		have[k] = true
		st.Criteria = append(st.Criteria, it)
		n++
	}
	if dropped > 0 {
		in.note("%s: gate %s has %d criteria; %d more items of %q are left out", where, id, maxCriteria, dropped, label)
	}
	if n > 0 {
		in.addWhy(id, fmt.Sprintf("the checklist %q (%s) adds %s", label, where, plural(n, "criterion", "criteria")))
	}
	return n
}

// testChecklist puts a test checklist on the test step its label names, or
// on a new step at the end of the test phase, and makes the QA sign-off
// ask for it. It returns the step's id, or "" when there was no room.
func (in *inputs) testChecklist(label string, items []string, where string) string {
	p := in.p
	tests := in.newMatcher(func(st *relsop.Step) bool {
		return st.Kind == relsop.KindTask || st.Kind == relsop.KindAutomated
	})
	id := tests.best(label, true)
	if id == "" {
		if in.added >= maxAddedSteps {
			in.note("%s: too many steps added from the inputs; the checklist %q is left out", where, label)
			return ""
		}
		ph := in.existingPhase("test")
		at := in.placeInPhase(ph)
		name := "Complete the " + label + " checklist"
		if strings.HasSuffix(strings.ToLower(label), "checklist") {
			name = "Complete the " + label
		}
		if len(items) == 1 {
			name = items[0]
		}
		var ok bool
		id, ok = in.insertMain(at, relsop.Step{ID: inSlug(name, 60), Name: inCleanLine(name, maxNameRunes), Kind: relsop.KindTask, Phase: ph,
			Owner: p.role("qa"), Evidence: []string{"Completed checklist: " + label}})
		if !ok {
			in.note("%s: no place in the flow for the checklist %q; it is left out", where, label)
			return ""
		}
		p.why[id] = fmt.Sprintf("the checklist %q (%s) is a test the release passes", label, where)
	} else {
		in.addWhy(id, fmt.Sprintf("the checklist %q (%s) says what this step checks", label, where))
	}
	st := p.sop.Step(id)
	have := map[string]bool{}
	for _, line := range strings.Split(st.Description, "\n") {
		have[normName(strings.TrimPrefix(line, "- "))] = true
	}
	var lines []string
	for _, it := range items {
		if k := normName(it); !have[k] && len(lines) < maxItemsPerStep && in.testItems < maxTestItems {
			in.testItems++
			have[k] = true
			lines = append(lines, "- "+it)
		}
	}
	if len(lines) > 0 {
		st.Description = inAppendText(st.Description, "Checklist "+label+" ("+where+"):\n"+strings.Join(lines, "\n"))
	}
	if qa := in.qaGate(); qa != "" && in.mainIndex(id) >= 0 && in.mainIndex(id) < in.mainIndex(qa) {
		in.addCriteria(qa, []string{"Checklist " + label + " complete"}, where, label)
	}
	return id
}
