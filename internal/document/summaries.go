package document

import (
	"strconv"
	"strings"

	"github.com/relsop/relsop"
)

// gates lists every gate with who approves it, how many criteria it has
// and where it escalates: the page an auditor checks first.
func (b *builder) gates() {
	var rows [][]Text
	for i := range b.sop.Steps {
		st := &b.sop.Steps[i]
		if !st.IsGate() {
			continue
		}
		esc := Lit("—")
		if st.Escalation != nil {
			esc = b.escalation(st.Escalation)
		}
		rows = append(rows, []Text{b.stepRef(st.ID), dash(b.roleList(st.Approvers)), Lit(criteria(len(st.Criteria))), esc})
	}
	if len(rows) == 0 {
		return
	}
	b.heading(2, Lit("Approval gates"))
	b.add(Table{Head: lits("Gate", "Approvers", "Criteria", "Escalation"), Rows: rows})
}

func criteria(n int) string {
	switch n {
	case 0:
		return "none"
	case 1:
		return "1 criterion"
	}
	return strconv.Itoa(n) + " criteria"
}

// failurePaths lists where each step goes when it fails.
func (b *builder) failurePaths() {
	var rows [][]Text
	for i := range b.sop.Steps {
		st := &b.sop.Steps[i]
		if st.OnFailure != "" {
			rows = append(rows, []Text{b.stepRef(st.ID), b.stepRef(st.OnFailure)})
		}
	}
	if len(rows) == 0 {
		return
	}
	b.heading(2, Lit("Rollback and failure paths"))
	b.add(Table{Head: lits("When this step fails", "the procedure continues with"), Rows: rows})
}

// raciMatrix is the RACI of every step that is work (not a start or an
// end): R for the owner, A, C and I from the step's RACI.
func (b *builder) raciMatrix() {
	s := b.sop
	if len(s.Roles) == 0 {
		return
	}
	head := []Text{Lit("Step")}
	for _, r := range s.Roles {
		head = append(head, Say(label(r.Name, r.ID)))
	}
	var rows [][]Text
	for i := range s.Steps {
		st := &s.Steps[i]
		if st.Kind == relsop.KindStart || st.Kind == relsop.KindEnd {
			continue
		}
		row := []Text{b.stepRef(st.ID)}
		for _, r := range s.Roles {
			row = append(row, Lit(raciLetters(st, r.ID)))
		}
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		return
	}
	b.heading(2, Lit("RACI matrix"))
	b.add(Paragraph{Text: Lit("R responsible (the step's owner), A accountable, C consulted, I informed.")})
	b.add(Table{Head: head, Rows: rows})
}

// raciLetters is what role is for step st: "R", "A", "C", "I", several
// ("R, A"), or "" for nothing.
func raciLetters(st *relsop.Step, role string) string {
	var parts []string
	if st.Owner == role {
		parts = append(parts, "R")
	}
	for _, p := range []struct {
		letter string
		roles  []string
	}{{"A", st.RACI.Accountable}, {"C", st.RACI.Consulted}, {"I", st.RACI.Informed}} {
		for _, id := range p.roles {
			if id == role {
				parts = append(parts, p.letter)
				break
			}
		}
	}
	return strings.Join(parts, ", ")
}

// releaseTypes says how each release type differs from the base flow. A
// document of one release type's flow has them applied already.
func (b *builder) releaseTypes() {
	if len(b.types) == 0 {
		return
	}
	b.heading(2, Lit("Release types"))
	b.add(Paragraph{Text: Lit("Each release type follows the procedure above with these differences.")})
	for i := range b.types {
		rt := &b.types[i]
		b.heading(3, Say(label(rt.Name, rt.ID)))
		b.paragraphs(nil, rt.Description)
		var items []Item
		if rt.IsEmergency() {
			items = append(items, Item{Text: Lit("An emergency release: it must still be authorised before production and reviewed afterwards.")})
		}
		if rt.Base != "" {
			base := Say(rt.Base)
			if bt := b.releaseType(rt.Base); bt != nil {
				base = Say(label(bt.Name, bt.ID))
			}
			items = append(items, Item{Label: "Builds on", Text: base})
		}
		if len(rt.Remove) > 0 {
			items = append(items, Item{Label: "Skips", Text: b.stepList(rt.Remove)})
		}
		for _, a := range rt.Add {
			t := Say(label(a.Step.Name, a.Step.ID)).Lit(" (" + strings.ToLower(kindName(a.Step.Kind)))
			if a.Step.Owner != "" {
				t = t.Lit(", owned by ").Cat(b.role(a.Step.Owner))
			}
			t = t.Lit(")")
			switch {
			case a.After != "":
				t = t.Lit(" after ").Cat(b.stepRef(a.After))
			case a.Before != "":
				t = t.Lit(" before ").Cat(b.stepRef(a.Before))
			}
			items = append(items, Item{Label: "Adds", Text: t})
		}
		for _, c := range rt.Change {
			items = append(items, Item{Label: "Changes", Text: b.stepRef(c.Step).Lit(": ").Say(strings.Join(c.Set, ", "))})
		}
		if len(items) == 0 {
			items = append(items, Item{Text: Lit("No differences from the base flow.")})
		}
		b.list(items)
	}
}

func (b *builder) releaseType(id string) *relsop.ReleaseType {
	for i := range b.types {
		if b.types[i].ID == id {
			return &b.types[i]
		}
	}
	return nil
}

// departures lists what the SOP records as deliberate departures from
// practice: exceptions on steps and lint findings it suppresses, each with
// its reason.
func (b *builder) departures() {
	var items []Item
	for i := range b.sop.Steps {
		st := &b.sop.Steps[i]
		if st.Exception != nil {
			items = append(items, Item{Text: b.stepRef(st.ID).Lit(": ").Cat(b.exception(st.Exception))})
		}
	}
	for _, ig := range b.sop.Ignore {
		t := Lit("Rule ").Say(ig.Rule).Lit(" not applied")
		if ig.Step != "" {
			t = t.Lit(" to ").Cat(b.stepRef(ig.Step))
		}
		items = append(items, Item{Text: t.Lit(": ").Say(ig.Reason)})
	}
	if len(items) == 0 {
		return
	}
	b.heading(2, Lit("Departures from practice"))
	b.list(items)
}

// references lists the SOP's sources, links and notes.
func (b *builder) references() {
	s := b.sop
	if len(s.Sources) == 0 && len(s.Links) == 0 && strings.TrimSpace(s.Notes) == "" {
		return
	}
	b.heading(2, Lit("Sources and references"))
	var items []Item
	for _, src := range s.Sources {
		t := Say(src.Title)
		if src.Link != "" {
			t = Link(src.Title, src.Link)
		}
		if src.Kind != "" {
			t = t.Lit(" (").Say(src.Kind).Lit(")")
		}
		if src.Notes != "" {
			t = t.Lit(": ").Say(src.Notes)
		}
		items = append(items, Item{Text: t})
	}
	for _, l := range s.Links {
		items = append(items, Item{Text: Link(l.Title, l.URL)})
	}
	b.list(items)
	b.paragraphs(nil, s.Notes)
}
