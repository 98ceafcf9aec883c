package release

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/document"
	"github.com/relsop/relsop/internal/export/lanes"
)

// Report returns the release as a document for an audit or a change
// record: what ran through which SOP, the gates' decisions with every
// sign-off, the departures from the procedure, the evidence, and the
// whole trail. name is the trail's file name, and problems what Replay
// found, which the report lists rather than hides. With flow, the
// document also shows the path the release took on the flow, which a
// writer draws from Progress (the PDF does; Markdown's Mermaid cannot
// mark it, so leave it out there).
func (r *Run) Report(name string, problems []Problem, flow bool) *document.Document {
	b := &reportBuilder{r: r, doc: &document.Document{SOP: r.Flow}}
	b.doc.Title = "Release " + clean(r.Start.Release)
	if recs := r.Records(); len(recs) > 0 {
		b.doc.Date = recs[len(recs)-1].At
	}
	b.heading(1, document.Lit("Release ").Say(r.Start.Release).Lit(": ").Say(lanes.Label(r.SOP.Title, r.SOP.ID)))
	switch {
	case r.Start.Rehearsal && r.SOP.Status != relsop.StatusApproved:
		b.para(document.Lit("Rehearsal. The SOP was " + string(r.SOP.Status) + ", not approved, when this run started: it is practice, and no evidence of a release."))
	case r.Start.Rehearsal:
		b.para(document.Lit("Rehearsal. This run through the approved SOP was started as practice: it is no evidence of a release."))
	}
	b.summary(name, problems)
	b.decisions()
	b.departures()
	b.evidence()
	b.trail()
	if flow {
		b.heading(2, document.Lit("The path taken"))
		b.para(document.Lit("The flow the release followed, with each step marked by what last happened to it, the flows it went along, and the steps it was ready to carry out next."))
		b.add(document.Flow{})
	}
	if len(problems) > 0 {
		b.heading(2, document.Lit("Problems found in the trail"))
		items := make([]document.Item, len(problems))
		for i, p := range problems {
			items[i] = document.Item{Label: fmt.Sprintf("Line %d", p.Line), Text: document.Say(p.Msg)}
		}
		b.add(document.List{Items: items})
	}
	b.add(document.Rule{})
	b.add(document.Paragraph{Aside: true, Text: document.Lit("Made by relsop from the trail " + clean(name) + ". Anyone can check that no record up to the chain head above has changed: ").
		Cat(document.Code("relsop release verify " + clean(name) + " --head " + r.Head()))})
	return b.doc
}

type reportBuilder struct {
	r   *Run
	doc *document.Document
}

func (b *reportBuilder) add(bl document.Block) { b.doc.Blocks = append(b.doc.Blocks, bl) }

func (b *reportBuilder) heading(level int, t document.Text) {
	b.add(document.Heading{Level: level, Text: t})
}

func (b *reportBuilder) para(t document.Text) { b.add(document.Paragraph{Text: t}) }

func (b *reportBuilder) summary(name string, problems []Problem) {
	r := b.r
	st := r.Start
	flow := document.Lit("the base flow")
	if rt := r.SOP.ReleaseType(st.ReleaseType); rt != nil {
		flow = document.Lit("release type ").Say(lanes.Label(rt.Name, rt.ID))
	}
	items := []document.Item{
		{Label: "Release", Text: document.Say(st.Release)},
		{Label: "Procedure", Text: document.Say(lanes.Label(r.SOP.Title, r.SOP.ID)).Lit(" (").Say(r.SOP.ID).Lit(versionWords(r.SOP.Version) + ", " + string(r.SOP.Status) + "), ").Cat(flow)},
		{Label: "SOP file", Text: document.Say(st.File).Lit(" (SHA-256 " + st.SHA256 + ")")},
		{Label: "Started", Text: document.Lit(when(r.Started) + " by ").Say(r.StartedBy)},
		{Label: "Status", Text: document.Lit(b.status())},
	}
	if r.Finished() {
		items = append(items, document.Item{Label: "Took", Text: document.Lit(took(r.Ended.Sub(r.Started)))})
	}
	if len(r.Start.Roster) > 0 {
		items = append(items, document.Item{Label: "Roster", Text: b.roster(r.Start.Roster)})
	}
	check := "chain intact; every record follows the procedure"
	if len(problems) > 0 {
		check = fmt.Sprintf("%d problem%s (listed at the end)", len(problems), plural(len(problems) == 1, "", "s"))
	}
	items = append(items,
		document.Item{Label: "Trail", Text: document.Lit(fmt.Sprintf("%s, %d records; chain head %s", clean(name), len(r.Records()), r.Head()))},
		document.Item{Label: "Checked", Text: document.Lit(check)})
	if lessons := r.Lessons(); len(lessons) > 0 && !st.Rehearsal {
		items = append(items, document.Item{Label: "Review", Text: document.Lit("suggested for the SOP, because ").Say(strings.Join(lessons, "; ")).
			Lit(": change what this release taught, then record the review (review.last_reviewed).")})
	}
	b.heading(2, document.Lit("Summary"))
	b.add(document.List{Items: items})
}

// roster says who held each role, in the SOP's order of roles.
func (b *reportBuilder) roster(ro Roster) document.Text {
	var t document.Text
	for _, role := range b.r.SOP.Roles {
		people, ok := ro[role.ID]
		if !ok {
			continue
		}
		if len(t) > 0 {
			t = t.Lit("; ")
		}
		t = t.Say(b.roleName(role.ID)).Lit(": ").Say(strings.Join(people, ", "))
	}
	return t
}

// status says where the release stands in a phrase.
func (b *reportBuilder) status() string {
	r := b.r
	switch {
	case r.Aborted:
		return "aborted on " + when(r.Ended)
	case r.Finished() && len(b.rolledBack()) > 0:
		return "finished on " + when(r.Ended) + ", rolled back (" + strings.Join(b.rolledBack(), ", ") + ")"
	case r.Finished():
		return "finished on " + when(r.Ended)
	}
	return "in progress; ready now: " + strings.Join(r.ReadySteps(), ", ")
}

// rolledBack lists the rollback steps the release carried out.
func (b *reportBuilder) rolledBack() []string {
	var out []string
	for _, st := range b.r.Flow.Steps {
		if st.Kind == relsop.KindRollback && b.r.steps[st.ID].carriedOut() {
			out = append(out, st.ID)
		}
	}
	return out
}

func (s *StepState) carriedOut() bool { return s.recorded(TypeDone) }

func (b *reportBuilder) decisions() {
	b.heading(2, document.Lit("Gate decisions"))
	if len(b.r.Decisions) == 0 {
		b.para(document.Lit("No gate has been decided yet."))
		return
	}
	t := document.Table{Head: []document.Text{document.Lit("Gate"), document.Lit("Decision"), document.Lit("Signed by"), document.Lit("Decided")}}
	for _, d := range b.r.Decisions {
		var signs []document.Text
		for _, sg := range d.Signs {
			signs = append(signs, document.Say(b.roleName(sg.Role)).Lit(": ").Say(sg.By).Lit(" (").Say(sg.Outcome).Lit(", "+when(sg.At)+")"))
		}
		decision := document.Say(d.Outcome)
		if d.Escalated {
			decision = decision.Lit(" (escalated)")
		}
		t.Rows = append(t.Rows, []document.Text{b.stepName(d.Gate), decision, document.Join(signs, "; "), document.Lit(when(d.At))})
	}
	b.add(t)
}

// departures lists what did not go as the procedure's ordinary path:
// skips, failures, escalations, gates that stopped the release, steps
// that took longer than their SLA, and an abort.
func (b *reportBuilder) departures() {
	type departure struct {
		seq  int // the record it comes from, for the order of the list
		item document.Item
	}
	var list []departure
	add := func(seq int, label string, t document.Text) {
		list = append(list, departure{seq, document.Item{Label: label, Text: t}})
	}
	for _, rec := range b.r.Records() {
		s := b.r.steps[rec.Step]
		switch rec.Type {
		case TypeSkip:
			add(rec.Seq, "Skipped", b.stepName(rec.Step).Lit(" by ").Say(rec.By).Lit(", "+when(rec.At)).Cat(noteAfter(rec.Note)))
		case TypeFail:
			path := document.Lit("; the step stayed ready, to be tried again")
			if to := s.Step.OnFailure; to != "" {
				path = document.Lit("; the release took its failure path to ").Cat(b.stepName(to))
			}
			add(rec.Seq, "Failed", b.stepName(rec.Step).Lit(", "+when(rec.At)).Cat(noteAfter(rec.Note)).Cat(path))
		case TypeEscalate:
			add(rec.Seq, "Escalated", b.stepName(rec.Step).Lit(" to ").Say(b.roleName(s.Step.Escalation.Role)).Lit(" by ").Say(rec.By).Lit(", "+when(rec.At)).Cat(noteAfter(rec.Note)))
		case TypeAssign:
			add(rec.Seq, "Roster changed", document.Say(b.roleName(rec.Role)).Lit(" held by ").Say(strings.Join(rec.People, ", ")).Lit(" from "+when(rec.At)+", by ").Say(rec.By).Cat(noteAfter(rec.Note)))
		case TypeAbort:
			add(rec.Seq, "Aborted", document.Lit("by ").Say(rec.By).Lit(", "+when(rec.At)).Cat(noteAfter(rec.Note)))
		case TypeDone:
			if late := b.lateness(rec); late != "" {
				add(rec.Seq, "Late", b.stepName(rec.Step).Lit(" "+late))
			}
		}
	}
	for _, d := range b.r.Decisions {
		gate := b.r.steps[d.Gate].Step
		if d.Outcome != Proceed(gate) && d.Outcome != "escalate" && len(d.Signs) > 0 {
			add(d.Signs[len(d.Signs)-1].Seq, "Stopped", b.stepName(d.Gate).Lit(" decided ").Say(d.Outcome).Lit(", "+when(d.At)))
		}
	}
	slices.SortStableFunc(list, func(a, b departure) int { return a.seq - b.seq })
	b.heading(2, document.Lit("Departures from the procedure"))
	if len(list) == 0 {
		b.para(document.Lit("None: every step was carried out in turn, and every gate passed."))
		return
	}
	items := make([]document.Item, len(list))
	for i, d := range list {
		items[i] = d.item
	}
	b.add(document.List{Items: items})
}

// lateness says how much longer than its SLA a step took from when the
// release reached it, or "" when it has no SLA or kept it.
func (b *reportBuilder) lateness(rec Record) string {
	st := b.r.steps[rec.Step].Step
	if st.SLA.D <= 0 {
		return ""
	}
	if took := rec.At.Sub(b.r.reached[rec.Seq]); took > st.SLA.D {
		return "took " + took.Round(time.Minute).String() + " from when the release reached it; its SLA is " + st.SLA.String()
	}
	return ""
}

func (b *reportBuilder) evidence() {
	var items []document.Item
	for _, rec := range b.r.Records() {
		if len(rec.Evidence) == 0 {
			continue
		}
		it := document.Item{Text: b.stepName(rec.Step).Lit(" (" + string(rec.Type) + " by ").Say(rec.By).Lit(", " + when(rec.At) + ")")}
		if rec.Step == "" {
			it.Text = document.Lit("The release (").Say(rec.By).Lit(", " + when(rec.At) + ")")
		}
		for _, e := range rec.Evidence {
			it.Sub = append(it.Sub, evidenceText(e))
		}
		items = append(items, it)
	}
	b.heading(2, document.Lit("Evidence"))
	if len(items) == 0 {
		b.para(document.Lit("No evidence recorded."))
		return
	}
	b.add(document.List{Items: items})
}

// evidenceText makes a web address in a piece of evidence a link.
func evidenceText(e string) document.Text {
	e = clean(e)
	at := strings.LastIndex(e, "http://")
	if i := strings.LastIndex(e, "https://"); i > at {
		at = i
	}
	if at < 0 || strings.ContainsAny(e[at:], " \t") || at > 0 && e[at-1] != ' ' {
		return document.Say(e)
	}
	link := document.Link(e[at:], e[at:])
	if at == 0 {
		return link
	}
	return document.Say(e[:at]).Lit(" ").Cat(link)
}

func (b *reportBuilder) trail() {
	b.heading(2, document.Lit("Trail"))
	t := document.Table{Head: []document.Text{document.Lit("#"), document.Lit("When (UTC)"), document.Lit("By"), document.Lit("Record")}}
	for _, rec := range b.r.Records() {
		t.Rows = append(t.Rows, []document.Text{document.Lit(fmt.Sprint(rec.Seq)), document.Lit(rec.At.UTC().Format("2006-01-02 15:04:05")), document.Say(rec.By), b.describe(rec)})
	}
	b.add(t)
}

// describe says what a record records, in a phrase.
func (b *reportBuilder) describe(rec Record) document.Text {
	var t document.Text
	switch rec.Type {
	case TypeStart:
		t = document.Lit("started the release through ").Say(rec.Start.SOP).Lit(versionWords(rec.Start.Version))
		if rec.Start.ReleaseType != "" {
			t = t.Lit(", release type ").Say(rec.Start.ReleaseType)
		}
	case TypeDone:
		t = document.Lit("carried out ").Cat(b.stepName(rec.Step))
	case TypeSkip:
		t = document.Lit("skipped ").Cat(b.stepName(rec.Step))
	case TypeFail:
		t = document.Lit("failed ").Cat(b.stepName(rec.Step))
	case TypeSign:
		t = document.Lit("signed ").Say(rec.Outcome).Lit(" on ").Cat(b.stepName(rec.Step)).Lit(" for ").Say(b.roleName(rec.Role))
	case TypeEscalate:
		t = document.Lit("escalated ").Cat(b.stepName(rec.Step))
	case TypeNote:
		t = document.Lit("noted")
		if rec.Step != "" {
			t = t.Lit(" on ").Cat(b.stepName(rec.Step))
		}
	case TypeAssign:
		t = document.Lit("gave ").Say(b.roleName(rec.Role)).Lit(" to ").Say(strings.Join(rec.People, ", "))
	case TypeAbort:
		t = document.Lit("aborted the release")
	}
	return t.Cat(noteAfter(rec.Note))
}

func noteAfter(note string) document.Text {
	if n := document.Say(note); len(n) > 0 {
		return document.Lit(": ").Cat(n)
	}
	return nil
}

// stepName is a step's name with its id, as a reader finds it in the SOP.
func (b *reportBuilder) stepName(id string) document.Text {
	s := b.r.steps[id]
	if s == nil || s.Step.Name == "" || s.Step.Name == id {
		return document.Say(id)
	}
	return document.Say(s.Step.Name).Lit(" (").Say(id).Lit(")")
}

func (b *reportBuilder) roleName(id string) string {
	if role := b.r.SOP.Role(id); role != nil {
		return lanes.Label(role.Name, role.ID)
	}
	return id
}

// when is a record's time as the report prints it.
func when(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

func versionWords(v string) string {
	if v == "" {
		return ""
	}
	return " version " + clean(v)
}

// took says a duration to the minute, or in seconds under a minute.
func took(d time.Duration) string {
	if d < time.Minute {
		return d.Round(time.Second).String()
	}
	return strings.TrimSuffix(d.Round(time.Minute).String(), "0s")
}

// clean is text of the trail as plain document text.
func clean(s string) string { return document.Say(s).String() }

// Describe says what a record records, in a phrase ("signed go on Go/no-go
// decision (go-no-go) for Release manager: ...").
func (r *Run) Describe(rec Record) string {
	b := &reportBuilder{r: r}
	return b.describe(rec).String()
}
