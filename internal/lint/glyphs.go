package lint

import (
	"fmt"

	"github.com/relsop/relsop"
	tm "github.com/relsop/relsop/internal/textmeasure"
)

func init() {
	register(&Rule{
		ID: "missing-glyphs", Family: "naming", Default: relsop.SeverityWarning, Scope: ScopeFlow,
		Summary: "Names can be drawn with the diagram font.",
		Doc: "The diagram embeds the Go fonts so that SVG, PNG and PDF look alike, but they have no " +
			"glyphs for CJK scripts, Arabic, Hebrew or emoji. Such characters are drawn with a fallback " +
			"(a box in PNG, ? in PDF), so a name that relies on them may not read as written.",
		Example: "name: Deploy to production",
		Fix:     "write the name in Latin, Greek or Cyrillic script, or without emoji",
		Check: func(p *pass) {
			for i := range p.sop.Steps {
				st := &p.sop.Steps[i]
				if m := tm.Missing(st.Name, false); len(m) > 0 {
					p.report(st.FieldPos.Of("name", idPos(st)), st.ID, fmt.Sprintf("step name %q has characters the diagram font cannot draw: %q", st.Name, string(m)), "")
				}
			}
			for _, r := range p.sop.Roles {
				if m := tm.Missing(r.Name, true); len(m) > 0 && p.variant == nil {
					p.report(r.FieldPos.Of("name", r.Pos), r.ID, fmt.Sprintf("role name %q has characters the diagram font cannot draw: %q", r.Name, string(m)), "")
				}
			}
		},
	})
}
