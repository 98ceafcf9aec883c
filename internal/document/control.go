package document

import (
	"fmt"
	"strconv"
	"time"

	"github.com/relsop/relsop"
)

// Control is what a workspace knows of an SOP as a controlled document:
// which revision the document shows and the revisions before it, each
// with who made it, when, and the status it left the SOP in. A file on
// disk has none of this; the workspace's document downloads have.
type Control struct {
	Revision int  // the revision the document shows
	Unsaved  bool // it also holds live edits made since that revision
	// Revisions up to and including Revision, newest first.
	Revisions []Revision
}

// Revision is one saved version of the SOP.
type Revision struct {
	Number   int
	Date     time.Time
	Author   string
	Status   relsop.Status
	Message  string // what changed, in a line
	Approval bool   // this revision is the SOP's approval (its status became approved)
}

// MaxRevisions is how many revisions the document lists; older ones are
// counted, and the workspace's history has them all.
const MaxRevisions = 25

// Approval is the latest approval among the control's revisions, and
// whether the shown revision is still under it: no revision since moved
// the SOP out of the approved status (to a draft, a review or retirement).
// Live edits since (Unsaved) are not under it either way.
func (c *Control) Approval() (latest *Revision, current bool) {
	current = true
	for i := range c.Revisions {
		r := &c.Revisions[i]
		if r.Approval {
			return r, current
		}
		if r.Status != relsop.StatusApproved {
			current = false
		}
	}
	return nil, false
}

func (b *builder) control() {
	ctl := b.doc.Control
	if ctl == nil {
		return
	}
	b.heading(2, Lit("Document control"))
	shown := "Revision " + strconv.Itoa(ctl.Revision) + " in the relsop workspace"
	if ctl.Unsaved {
		shown += ", with live edits made since"
	}
	items := []Item{{Text: Lit(shown + ".")}}
	a, current := ctl.Approval()
	switch {
	case a == nil:
		items = append(items, Item{Text: Lit("Not approved yet.")})
	case current && ctl.Unsaved:
		items = append(items, Item{Text: Lit(fmt.Sprintf("Revision %d was approved by ", a.Number)).Say(a.Author).Lit(" on " + Day(a.Date) + "; the live edits since are not.")})
	case current:
		items = append(items, Item{Text: Lit("Approved by ").Say(a.Author).Lit(fmt.Sprintf(" on %s (revision %d).", Day(a.Date), a.Number))})
	default:
		items = append(items, Item{Text: Lit("Not approved: changed since it was last approved, by ").Say(a.Author).Lit(fmt.Sprintf(" on %s (revision %d).", Day(a.Date), a.Number))})
	}
	b.list(items)
	var rows [][]Text
	for i, r := range ctl.Revisions {
		if i == MaxRevisions {
			break
		}
		rows = append(rows, []Text{Lit(strconv.Itoa(r.Number)), Lit(r.Date.UTC().Format("2006-01-02 15:04 UTC")),
			dash(Say(r.Author)), Say(string(r.Status)), dash(Say(r.Message))})
	}
	if len(rows) > 0 {
		b.add(Table{Head: lits("Revision", "Date", "By", "Status", "Change"), Rows: rows})
	}
	if n := len(ctl.Revisions) - MaxRevisions; n > 0 {
		b.add(Paragraph{Text: Lit(count(n, "earlier revision") + " not listed; the workspace's history has every revision.")})
	}
}

// Day writes a date as the document does.
func Day(t time.Time) string { return t.UTC().Format("2006-01-02") }
