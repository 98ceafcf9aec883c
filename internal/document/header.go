package document

import (
	"fmt"

	"github.com/relsop/relsop"
)

// header is the title, the SOP's metadata and what it is about.
func (b *builder) header() {
	s := b.sop
	b.heading(1, Say(label(s.Title, s.ID)))
	items := []Item{{Label: "SOP", Text: Say(s.ID)}}
	add := func(label string, t Text) {
		if len(t) > 0 {
			items = append(items, Item{Label: label, Text: t})
		}
	}
	add("Version", Say(s.Version))
	add("Status", Say(string(s.Status)))
	if s.Owner != "" {
		add("Owner", b.role(s.Owner))
	}
	if rt := b.resolved; rt != nil {
		add("Release type", Say(label(rt.Name, rt.ID)).Lit(" (this document shows its flow)"))
	}
	add("Review", review(s.Review))
	b.list(items)
	if s.Scope != "" {
		b.paragraphs(Lit("Scope: "), s.Scope)
	}
	b.paragraphs(nil, s.Description)
	if rt := b.resolved; rt != nil && rt.Description != "" {
		b.paragraphs(Say(label(rt.Name, rt.ID)).Lit(": "), rt.Description)
	}
}

// review says how often the SOP is reviewed and when it last was.
func review(r relsop.Review) Text {
	var parts []Text
	if c := r.Cadence.String(); c != "" {
		if c[0] >= '0' && c[0] <= '9' {
			c = "every " + c // "every 90d", but "quarterly"
		}
		parts = append(parts, Say(c))
	}
	if !r.LastReviewed.IsZero() {
		parts = append(parts, Lit("last reviewed "+r.LastReviewed.Format("2006-01-02")))
		if due := r.Due(); !due.IsZero() {
			// The date the review-freshness lint rule holds it to.
			parts = append(parts, Lit("next due "+due.Format("2006-01-02")))
		}
	}
	return Join(parts, "; ")
}

func (b *builder) roles() {
	s := b.sop
	if len(s.Roles) == 0 {
		return
	}
	b.heading(2, Lit("Roles"))
	var rows [][]Text
	for _, r := range s.Roles {
		owns, approves := 0, 0
		for i := range s.Steps {
			st := &s.Steps[i]
			if st.Owner == r.ID {
				owns++
			}
			for _, a := range st.Approvers {
				if a == r.ID {
					approves++
				}
			}
		}
		rows = append(rows, []Text{Say(label(r.Name, r.ID)), Lit(count(owns, "step")), Lit(count(approves, "gate")), Say(r.Description)})
	}
	b.add(Table{Head: lits("Role", "Responsible for", "Approves", "Description"), Rows: rows})
}

func lits(words ...string) []Text {
	out := make([]Text, len(words))
	for i, w := range words {
		out[i] = Lit(w)
	}
	return out
}

// count says how many of what there are, or a dash for none.
func count(n int, what string) string {
	switch n {
	case 0:
		return "—"
	case 1:
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

func (b *builder) environments() {
	if len(b.sop.Environments) == 0 {
		return
	}
	b.heading(2, Lit("Environments"))
	var items []Item
	for _, e := range b.sop.Environments {
		items = append(items, Item{Text: b.environment(&e)})
	}
	b.add(List{Ordered: true, Items: items})
}

func (b *builder) environment(e *relsop.Environment) Text {
	t := Say(label(e.Name, e.ID))
	if e.Production {
		t = t.Lit(" (production)")
	}
	if e.Description != "" {
		t = t.Lit(": ").Say(e.Description)
	}
	return t
}

// stepRef names a step by its number and name, as the procedure lists it.
func (b *builder) stepRef(id string) Text {
	st := b.sop.Step(id)
	if st == nil {
		return Say(id)
	}
	return Lit(b.numbers[id] + " ").Say(label(st.Name, st.ID))
}

// role names a role by its name, or by the id when no role has it.
func (b *builder) role(id string) Text {
	if r := b.sop.Role(id); r != nil {
		return Say(label(r.Name, r.ID))
	}
	return Say(id)
}

func (b *builder) roleList(ids []string) Text {
	names := make([]Text, len(ids))
	for i, id := range ids {
		names[i] = b.role(id)
	}
	return Join(names, ", ")
}

func (b *builder) stepList(ids []string) Text {
	refs := make([]Text, len(ids))
	for i, id := range ids {
		refs[i] = b.stepRef(id)
	}
	return Join(refs, "; ")
}
