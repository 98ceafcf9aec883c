package lint

import (
	"fmt"
	"time"

	"github.com/relsop/relsop"
)

func init() {
	register(&Rule{
		ID: "review-freshness", Family: "review", Default: relsop.SeverityWarning, Scope: ScopeSOP,
		Summary: "The SOP states a review cadence and was reviewed within it.",
		Doc: "Don't treat the SOP as static: tools, teams and regulations change. State how often the " +
			"SOP is reviewed, review it on that cadence and after major releases or incidents, and record " +
			"the date. relsop lint --today (or RELSOP_TODAY) sets the date it judges by.",
		Example: "review:\n  cadence: quarterly\n  last_reviewed: 2026-10-01",
		Fix:     "review the SOP and record review: cadence: and last_reviewed:",
		Check: func(p *pass) {
			r := p.sop.Review
			at := p.sop.FieldPos.Of("review", p.sop.FieldPos.Of("id", p.sop.Pos))
			switch {
			case r.Cadence.Text == "" && r.LastReviewed.IsZero():
				p.report(at, "", "the SOP states no review cadence or last review date", "")
			case r.Cadence.Text == "":
				p.report(at, "", "the SOP states no review cadence", "")
			case r.LastReviewed.IsZero():
				p.report(at, "", "the SOP states no last review date", "")
			default:
				if due := r.Due(); p.cfg.Today.After(due) {
					p.report(r.FieldPos.Of("last_reviewed", r.Pos), "", fmt.Sprintf("the SOP was last reviewed on %s; with a %s cadence the review was due on %s",
						r.LastReviewed.Format(time.DateOnly), r.Cadence.Text, due.Format(time.DateOnly)), "")
				}
			}
		},
	})
}
