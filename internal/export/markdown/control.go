package markdown

import (
	"fmt"
	"strconv"
	"time"

	"github.com/relsop/relsop"
)

// Control is what a workspace knows of an SOP as a controlled document:
// which revision the document shows and the revisions before it, each
// with who made it, when, and the status it left the SOP in. A file on
// disk has none of this; the workspace's Markdown download has.
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

// maxRevisions is how many revisions the document lists; older ones are
// counted, and the workspace's history has them all.
const maxRevisions = 25

// ExportControlled is Export with a document-control section: the
// revision shown, the approval it is under, and the revision history.
func ExportControlled(sop, flow *relsop.SOP, ctl *Control) []byte {
	return newDoc(sop, flow, ctl).write()
}

func (d *doc) control() {
	ctl := d.ctl
	if ctl == nil {
		return
	}
	d.heading(2, "Document control")
	shown := "Revision " + strconv.Itoa(ctl.Revision) + " in the relsop workspace"
	if ctl.Unsaved {
		shown += ", with live edits made since"
	}
	items := []string{shown + "."}
	switch a, current := approval(ctl.Revisions); {
	case a == nil:
		items = append(items, "Not approved yet.")
	case current && ctl.Unsaved:
		items = append(items, fmt.Sprintf("Revision %d was approved by %s on %s; the live edits since are not.", a.Number, inline(a.Author), day(a.Date)))
	case current:
		items = append(items, fmt.Sprintf("Approved by %s on %s (revision %d).", inline(a.Author), day(a.Date), a.Number))
	default:
		items = append(items, fmt.Sprintf("Not approved: changed since it was last approved, by %s on %s (revision %d).", inline(a.Author), day(a.Date), a.Number))
	}
	for _, it := range items {
		d.line("- " + it)
	}
	d.line("")
	var rows [][]string
	for i, r := range ctl.Revisions {
		if i == maxRevisions {
			break
		}
		rows = append(rows, []string{strconv.Itoa(r.Number), r.Date.UTC().Format("2006-01-02 15:04 UTC"),
			dash(inline(r.Author)), inline(string(r.Status)), dash(inline(r.Message))})
	}
	if len(rows) > 0 {
		d.table([]string{"Revision", "Date", "By", "Status", "Change"}, rows)
	}
	if n := len(ctl.Revisions) - maxRevisions; n > 0 {
		d.line(fmt.Sprintf("%s not listed; the workspace's history has every revision.", count(n, "earlier revision")))
		d.line("")
	}
}

// approval is the latest approval among revisions (newest first), and
// whether the SOP is still under it: no revision since moved it out of the
// approved status (to a draft, a review or retirement).
func approval(revisions []Revision) (latest *Revision, current bool) {
	current = true
	for i := range revisions {
		r := &revisions[i]
		if r.Approval {
			return r, current
		}
		if r.Status != relsop.StatusApproved {
			current = false
		}
	}
	return nil, false
}

func day(t time.Time) string { return t.UTC().Format("2006-01-02") }
