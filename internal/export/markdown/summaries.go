package markdown

import (
	"strconv"
	"strings"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/export/lanes"
)

// gates lists every gate with who approves it, how many criteria it has
// and where it escalates: the page an auditor checks first.
func (d *doc) gates() {
	var rows [][]string
	for i := range d.sop.Steps {
		st := &d.sop.Steps[i]
		if !st.IsGate() {
			continue
		}
		esc := "—"
		if st.Escalation != nil {
			esc = d.escalation(st.Escalation)
		}
		rows = append(rows, []string{d.stepRef(st.ID), dash(d.roleList(st.Approvers)), criteria(len(st.Criteria)), esc})
	}
	if len(rows) == 0 {
		return
	}
	d.heading(2, "Approval gates")
	d.table([]string{"Gate", "Approvers", "Criteria", "Escalation"}, rows)
}

// failurePaths lists where each step goes when it fails.
func (d *doc) failurePaths() {
	var rows [][]string
	for i := range d.sop.Steps {
		st := &d.sop.Steps[i]
		if st.OnFailure == "" {
			continue
		}
		rows = append(rows, []string{d.stepRef(st.ID), d.stepRef(st.OnFailure)})
	}
	if len(rows) == 0 {
		return
	}
	d.heading(2, "Rollback and failure paths")
	d.table([]string{"When this step fails", "the procedure continues with"}, rows)
}

// raciMatrix is the RACI of every step that is work (not a start or an
// end): R for the owner, A, C and I from the step's RACI.
func (d *doc) raciMatrix() {
	s := d.sop
	if len(s.Roles) == 0 {
		return
	}
	head := []string{"Step"}
	for _, r := range s.Roles {
		head = append(head, inline(lanes.Label(r.Name, r.ID)))
	}
	var rows [][]string
	for i := range s.Steps {
		st := &s.Steps[i]
		if st.Kind == relsop.KindStart || st.Kind == relsop.KindEnd {
			continue
		}
		row := []string{d.stepRef(st.ID)}
		for _, r := range s.Roles {
			var parts []string
			if st.Owner == r.ID {
				parts = append(parts, "R")
			}
			for _, p := range []struct {
				letter string
				roles  []string
			}{{"A", st.RACI.Accountable}, {"C", st.RACI.Consulted}, {"I", st.RACI.Informed}} {
				for _, id := range p.roles {
					if id == r.ID {
						parts = append(parts, p.letter)
						break
					}
				}
			}
			row = append(row, strings.Join(parts, ", "))
		}
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		return
	}
	d.heading(2, "RACI matrix")
	d.line("R responsible (the step's owner), A accountable, C consulted, I informed.")
	d.line("")
	d.table(head, rows)
}

// releaseTypes says how each release type differs from the base flow. A
// document of one release type's flow has them applied already.
func (d *doc) releaseTypes() {
	if len(d.types) == 0 {
		return
	}
	d.heading(2, "Release types")
	d.line("Each release type follows the procedure above with these differences.")
	d.line("")
	for i := range d.types {
		rt := &d.types[i]
		d.heading(3, inline(lanes.Label(rt.Name, rt.ID)))
		d.paragraphs(rt.Description)
		var items []string
		if rt.IsEmergency() {
			items = append(items, "An emergency release: it must still be authorised before production and reviewed afterwards.")
		}
		if rt.Base != "" {
			base := inline(rt.Base)
			if b := d.releaseType(rt.Base); b != nil {
				base = inline(lanes.Label(b.Name, b.ID))
			}
			items = append(items, "**Builds on:** "+base)
		}
		if len(rt.Remove) > 0 {
			items = append(items, "**Skips:** "+d.stepList(rt.Remove))
		}
		for _, a := range rt.Add {
			text := "**Adds:** " + inline(lanes.Label(a.Step.Name, a.Step.ID)) + " (" + strings.ToLower(kindName(a.Step.Kind))
			if a.Step.Owner != "" {
				text += ", owned by " + d.role(a.Step.Owner)
			}
			text += ")"
			switch {
			case a.After != "":
				text += " after " + d.stepRef(a.After)
			case a.Before != "":
				text += " before " + d.stepRef(a.Before)
			}
			items = append(items, text)
		}
		for _, c := range rt.Change {
			items = append(items, "**Changes** "+d.stepRef(c.Step)+": "+inline(strings.Join(c.Set, ", ")))
		}
		if len(items) == 0 {
			items = append(items, "No differences from the base flow.")
		}
		for _, it := range items {
			d.line("- " + it)
		}
		d.line("")
	}
}

// departures lists what the SOP records as deliberate departures from
// practice: exceptions on steps and lint findings it suppresses, each with
// its reason.
func (d *doc) departures() {
	var items []string
	for i := range d.sop.Steps {
		st := &d.sop.Steps[i]
		if st.Exception != nil {
			items = append(items, d.stepRef(st.ID)+": "+d.exception(st.Exception))
		}
	}
	for _, ig := range d.sop.Ignore {
		text := "Rule " + inline(ig.Rule) + " not applied"
		if ig.Step != "" {
			text += " to " + d.stepRef(ig.Step)
		}
		items = append(items, text+": "+inline(ig.Reason))
	}
	if len(items) == 0 {
		return
	}
	d.heading(2, "Departures from practice")
	for _, it := range items {
		d.line("- " + it)
	}
	d.line("")
}

// references lists the SOP's sources, links and notes.
func (d *doc) references() {
	s := d.sop
	if len(s.Sources) == 0 && len(s.Links) == 0 && strings.TrimSpace(s.Notes) == "" {
		return
	}
	d.heading(2, "Sources and references")
	for _, src := range s.Sources {
		text := inline(src.Title)
		if src.Link != "" {
			text = link(src.Title, src.Link)
		}
		if src.Kind != "" {
			text += " (" + inline(src.Kind) + ")"
		}
		if src.Notes != "" {
			text += ": " + inline(src.Notes)
		}
		d.line("- " + text)
	}
	for _, l := range s.Links {
		d.line("- " + link(l.Title, l.URL))
	}
	if len(s.Sources)+len(s.Links) > 0 {
		d.line("")
	}
	d.paragraphs(s.Notes)
}

func dash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func (d *doc) releaseType(id string) *relsop.ReleaseType {
	for i := range d.types {
		if d.types[i].ID == id {
			return &d.types[i]
		}
	}
	return nil
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
