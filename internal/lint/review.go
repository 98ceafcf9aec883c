package lint

import (
	"fmt"
	"time"

	"github.com/relsop/relsop"
)

func init() {
	register(
		&Rule{
			ID: "review-overdue", Family: "review", Default: relsop.SeverityWarning, Scope: ScopeSOP,
			Summary: "The SOP was reviewed within its review cadence.",
			Doc: "Don't treat the SOP as static: tools, teams and regulations change. Review it on its " +
				"cadence and after major releases or incidents, and record the date.",
			Example: "review:\n  cadence: quarterly\n  last_reviewed: 2026-10-01",
			Fix:     "review the SOP and update review: last_reviewed:",
			Check: func(p *pass) {
				r := p.sop.Review
				if r.Cadence.D == 0 || r.LastReviewed.IsZero() {
					return
				}
				due := r.LastReviewed.Add(r.Cadence.D)
				if p.cfg.Today.After(due) {
					p.report(r.FieldPos.Of("last_reviewed", r.Pos), "", fmt.Sprintf("the SOP was last reviewed on %s; with a %s cadence the review was due on %s",
						r.LastReviewed.Format(time.DateOnly), r.Cadence.Text, due.Format(time.DateOnly)), "")
				}
			},
		},
		&Rule{
			ID: "review-schedule", Family: "review", Default: relsop.SeverityInfo, Regulated: relsop.SeverityWarning, Scope: ScopeSOP,
			Summary: "The SOP states its review cadence and last review date.",
			Doc:     "Without a cadence and a date nobody can tell whether the SOP is still current.",
			Example: "review:\n  cadence: quarterly\n  last_reviewed: 2026-10-01",
			Fix:     "add review: with cadence: and last_reviewed:",
			Check: func(p *pass) {
				r := p.sop.Review
				switch {
				case r.Cadence.Text == "" && r.LastReviewed.IsZero():
					p.report(p.sop.FieldPos.Of("review", p.sop.FieldPos.Of("id", p.sop.Pos)), "", "the SOP states no review cadence or last review date", "")
				case r.Cadence.Text == "":
					p.report(p.sop.FieldPos.Of("review", p.sop.Pos), "", "the SOP states no review cadence", "")
				case r.LastReviewed.IsZero():
					p.report(p.sop.FieldPos.Of("review", p.sop.Pos), "", "the SOP states no last review date", "")
				}
			},
		},
	)
}
