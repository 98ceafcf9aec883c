package edit

import (
	"strings"
	"testing"
	"time"

	"github.com/relsop/relsop"
)

// Instructions about the review, links and exceptions, on the saas-weekly
// template.
func TestApplyRecords(t *testing.T) {
	was := today
	today = func() time.Time { return time.Date(2026, 11, 26, 15, 0, 0, 0, time.UTC) }
	t.Cleanup(func() { today = was })
	date := func(s *relsop.SOP) string { return s.Review.LastReviewed.Format(time.DateOnly) }
	tests := []struct {
		instruction string
		check       func(t *testing.T, a *relsop.SOP)
	}{
		{"mark the SOP as reviewed today", func(t *testing.T, a *relsop.SOP) { eq(t, "last reviewed", date(a), "2026-11-26") }},
		{"mark the SOP as reviewed", func(t *testing.T, a *relsop.SOP) { eq(t, "last reviewed", date(a), "2026-11-26") }},
		{"mark the procedure as reviewed on 2026-11-02", func(t *testing.T, a *relsop.SOP) { eq(t, "last reviewed", date(a), "2026-11-02") }},
		{"review the SOP monthly", func(t *testing.T, a *relsop.SOP) { eq(t, "cadence", a.Review.Cadence.Text, "monthly") }},
		{"set the review cadence to every 90 days", func(t *testing.T, a *relsop.SOP) { eq(t, "cadence", a.Review.Cadence.Text, "90d") }},
		{"add the runbook https://runbooks.example.com/canary to roll back the canary", func(t *testing.T, a *relsop.SOP) {
			eq(t, "links", step(t, a, "roll-back-canary").Links, []relsop.Link{{Title: "Runbook", URL: "https://runbooks.example.com/canary", Pos: step(t, a, "roll-back-canary").Links[0].Pos}})
		}},
		{"add a link 'Release dashboard' https://grafana.example.com/d/release to monitor release", func(t *testing.T, a *relsop.SOP) {
			l := step(t, a, "monitor-release").Links
			eq(t, "title and URL", []string{l[0].Title, l[0].URL}, []string{"Release dashboard", "https://grafana.example.com/d/release"})
		}},
		{"record an exception for deploy canary because canary traffic is synthetic", func(t *testing.T, a *relsop.SOP) {
			eq(t, "exception", *step(t, a, "deploy-canary").Exception, relsop.Exception{Reason: "Canary traffic is synthetic.",
				Pos: step(t, a, "deploy-canary").Exception.Pos, FieldPos: step(t, a, "deploy-canary").Exception.FieldPos})
		}},
		{"record an exception for deploy to production: the CAB waived staging for this fix, approved by the release manager", func(t *testing.T, a *relsop.SOP) {
			e := step(t, a, "deploy-production").Exception
			eq(t, "exception", []string{e.Reason, e.ApprovedBy}, []string{"The CAB waived staging for this fix.", "release-manager"})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.instruction, func(t *testing.T) {
			res, err := Apply("saas-weekly.sop.yaml", source(t, "saas-weekly"), tt.instruction)
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, load(t, res.Source))
		})
	}
}

func TestApplyRecordsErrors(t *testing.T) {
	tests := []struct {
		instruction string
		check       func(t *testing.T, err error)
	}{
		{"mark the SOP as reviewed on yesterday", errorSaying(`"yesterday" is not a date`)},
		{"review the SOP every now and then", errorSaying("is not a review cadence")},
		{"add the runbook https://runbooks.example.com/x to the moon landing", unknownWith("step")},
		{"add the runbook https://runbooks.example.com/app/rollback to roll back production", nil},
		{"record an exception for deploy canary: the vice president of everything said so, approved by the Relase Manager", unknownWith("role", "release-manager")},
	}
	for _, tt := range tests {
		t.Run(tt.instruction, func(t *testing.T) {
			res, err := Apply("saas-weekly.sop.yaml", source(t, "saas-weekly"), tt.instruction)
			if tt.check == nil {
				// A link the step has already: nothing to do.
				if err != nil || !strings.Contains(strings.Join(res.Summary, "\n"), "nothing changed") {
					t.Fatalf("err = %v, summary %q", err, res.Summary)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error; the edit made:\n%s", strings.Join(res.Summary, "\n"))
			}
			tt.check(t, err)
		})
	}
}

// Instructions that change which steps an existing release type skips.
func TestApplySkips(t *testing.T) {
	tests := []struct {
		instruction string
		remove      []string // minor's, after
	}{
		{"skip confirm scope in minor releases", []string{"agree-readiness", "verify-features", "confirm-scope"}},
		{"the minor release should skip confirm scope", []string{"agree-readiness", "verify-features", "confirm-scope"}},
		{"minor releases skip confirm scope", []string{"agree-readiness", "verify-features", "confirm-scope"}},
		{"restore agree readiness in minor releases", []string{"verify-features"}},
		{"minor releases no longer skip verify features", []string{"agree-readiness"}},
	}
	for _, tt := range tests {
		t.Run(tt.instruction, func(t *testing.T) {
			res, err := Apply("saas-weekly.sop.yaml", source(t, "saas-weekly"), tt.instruction)
			if err != nil {
				t.Fatal(err)
			}
			eq(t, "minor skips", load(t, res.Source).ReleaseType("minor").Remove, tt.remove)
		})
	}
	for instruction, check := range map[string]func(*testing.T, error){
		"skip confirm scope in the moon release":           unknownWith("release type"),
		"restore confirm scope in minor releases":          errorSaying(`release type "minor" does not skip step "confirm-scope"`),
		"skip the start step in minor releases":            errorSaying("cannot skip the start step"),
		"skip deplyo canary in the emergency release type": unknownWith("step", "deploy-canary"),
	} {
		t.Run(instruction, func(t *testing.T) {
			_, err := Apply("saas-weekly.sop.yaml", source(t, "saas-weekly"), instruction)
			if err == nil {
				t.Fatal("no error")
			}
			check(t, err)
		})
	}
}

// Renaming a lane or a release type by the words people use for them.
func TestApplyRenameLaneAndReleaseType(t *testing.T) {
	for instruction, check := range map[string]func(t *testing.T, a *relsop.SOP){
		"rename the QA lead lane to Quality":        func(t *testing.T, a *relsop.SOP) { eq(t, "qa-lead", a.Role("qa-lead").Name, "Quality") },
		"rename the minor release to Small release": func(t *testing.T, a *relsop.SOP) { eq(t, "minor", a.ReleaseType("minor").Name, "Small release") },
		"rename monitor release to Watch the release": func(t *testing.T, a *relsop.SOP) {
			eq(t, "step", step(t, a, "monitor-release").Name, "Watch the release")
		},
	} {
		t.Run(instruction, func(t *testing.T) {
			res, err := Apply("saas-weekly.sop.yaml", source(t, "saas-weekly"), instruction)
			if err != nil {
				t.Fatal(err)
			}
			check(t, load(t, res.Source))
		})
	}
}

// Instructions that set one field of a step.
func TestApplyStepFields(t *testing.T) {
	tests := []struct {
		instruction, step string
		get               func(st *relsop.Step) string
		want              string
	}{
		{"set the duration of monitor release to 4h", "monitor-release", func(st *relsop.Step) string { return st.Duration.Text }, "4h"},
		{"monitor release takes 4 hours", "monitor-release", func(st *relsop.Step) string { return st.Duration.Text }, "4h"},
		{"set the SLA of go/no-go to 2 hours", "go-no-go", func(st *relsop.Step) string { return st.SLA.Text }, "2h"},
		{"set the tool of deploy to staging to Argo CD", "deploy-staging", func(st *relsop.Step) string { return st.Tool }, "Argo CD"},
		{"change the channel of notify deferral to #releases", "notify-deferral", func(st *relsop.Step) string { return st.Channel }, "#releases"},
		{"add evidence 'Signed approval' to go/no-go", "go-no-go", func(st *relsop.Step) string { return st.Evidence[len(st.Evidence)-1] }, "Signed approval"},
	}
	for _, tt := range tests {
		t.Run(tt.instruction, func(t *testing.T) {
			res, err := Apply("saas-weekly.sop.yaml", source(t, "saas-weekly"), tt.instruction)
			if err != nil {
				t.Fatal(err)
			}
			eq(t, tt.step, tt.get(step(t, load(t, res.Source), tt.step)), tt.want)
		})
	}
	for instruction, check := range map[string]func(*testing.T, error){
		"set the duration of monitor release to soon":   errorSaying(`"soon" is not a duration`),
		"set the environment of deploy canary to mars":  unknownWith("environment"),
		"set the tool of the moon landing to a rocket":  unknownWith("step"),
		"set the kind of monitor release to a bad kind": errorSaying("kind"),
	} {
		t.Run(instruction, func(t *testing.T) {
			_, err := Apply("saas-weekly.sop.yaml", source(t, "saas-weekly"), instruction)
			if err == nil {
				t.Fatal("no error")
			}
			check(t, err)
		})
	}
}
