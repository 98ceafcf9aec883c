package generate

import (
	"strings"
	"testing"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/lint"
)

// briefCase is a brief and what its SOP must and must not contain: step
// ids, role names ("role:Name"), environment names ("env:Name").
type briefCase struct {
	name, brief string
	profile     lint.Profile
	must, not   []string
}

var briefCases = []briefCase{
	{name: "saas prose", brief: "Weekly SaaS releases. Our Dev Lead cuts the branch on Tuesday, QA tests on staging, then a 5% canary for 2 hours before full rollout. We skip the CAB. PCI DSS applies.",
		must: []string{"deploy-canary", "canary-analysis", "security-scan", "security-approval", "role:Dev Lead", "env:Canary (5%)", "env:Staging"},
		not:  []string{"cab-approval", "deploy-dev", "quality-release"}},
	{name: "terse bullets", brief: "- ci/cd, deploy on green\n- no staging\n- blue/green to prod\n- on-call SRE watches",
		must: []string{"deploy-test", "deploy-production", "roll-back-production", "monitor"}, not: []string{"deploy-staging", "cab-approval", "deploy-canary"}},
	{name: "itil enterprise", brief: "Enterprise ERP change: request for change, CAB approval, Saturday maintenance window 1-4 am, back-out plan, service desk informed.",
		must: []string{"raise-rfc", "cab-approval", "announce-window", "back-up", "post-implementation-review"}},
	{name: "medical device", brief: "Medical device software under IEC 62304 and FDA 21 CFR Part 11. The ISSO reviews security. Releases to hospitals twice a year with IQ/OQ validation; no canary.", profile: lint.ProfileRegulated,
		must: []string{"execute-validation", "quality-release", "role:ISSO", "assess-impact"}, not: []string{"deploy-canary"}},
	{name: "non-native", brief: "we are doing release of mobile app to app store every two week, QA do test on testflight, after store review we make phased release",
		must: []string{"store-review", "release-first-wave", "env:Testflight"}},
	{name: "library", brief: "Open-source Python library released to PyPI by the maintainers; tag, changelog, no CAB.",
		must: []string{"deploy-production"}, not: []string{"cab-approval", "smoke-tests"}},
	{name: "relative clauses and parts", brief: "Open-source SDK released quarterly. Fixes are cherry-picked to the LTS branch. Plugins have an earlier code freeze. The maintainers tag it, then hand over to the Packaging Lead, who builds, signs and uploads the wheels; images are promoted to the public registry.",
		must: []string{"backport", "promote-images", "plugin-code-freeze-earlier-than-the-rest-of-the", "build-sign-and-upload-the-wheels", "role:Packaging Lead"}},
}

func TestGenerateBriefs(t *testing.T) {
	for _, tc := range briefCases {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Generate(Request{Brief: tc.brief, Types: ReleaseTypes, Profile: tc.profile})
			if err != nil {
				t.Fatal(err)
			}
			have := elements(res.SOP)
			for _, m := range tc.must {
				if !have[m] {
					t.Errorf("missing %s", m)
				}
			}
			for _, n := range tc.not {
				if have[n] {
					t.Errorf("has %s, which the brief rules out", n)
				}
			}
			for _, f := range res.Findings {
				if f.Severity == relsop.SeverityError {
					t.Errorf("lint error: %s %s", f.Code, f.Message)
				}
			}
			again, _ := Generate(Request{Brief: tc.brief, Types: ReleaseTypes, Profile: tc.profile})
			if string(again.YAML) != string(res.YAML) {
				t.Error("two runs differ")
			}
			for _, r := range res.Reasons {
				if strings.TrimSpace(r.Why) == "" {
					t.Errorf("%s has no reason", r.Element)
				}
			}
		})
	}
}

func elements(s *relsop.SOP) map[string]bool {
	out := map[string]bool{}
	for _, st := range s.Steps {
		out[st.ID] = true
	}
	for _, r := range s.Roles {
		out["role:"+r.Name] = true
	}
	for _, e := range s.Environments {
		out["env:"+e.Name] = true
	}
	return out
}

func TestGenerateBadRequests(t *testing.T) {
	for _, tc := range []struct {
		req  Request
		want string
	}{
		{Request{Brief: "  "}, "the brief is empty"},
		{Request{Brief: "weekly releases", Types: []string{"hotfix"}}, `unknown release type "hotfix"`},
		{Request{Brief: strings.Repeat("a", MaxBrief+1)}, "at most"},
	} {
		if _, err := Generate(tc.req); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want %q", tc.req.Brief[:min(20, len(tc.req.Brief))], err, tc.want)
		}
	}
}

func FuzzGenerate(f *testing.F) {
	for _, tc := range briefCases {
		f.Add(tc.brief)
	}
	f.Fuzz(func(t *testing.T, brief string) {
		res, err := Generate(Request{Brief: brief, Types: ReleaseTypes})
		if err != nil {
			if strings.HasPrefix(err.Error(), "internal error") {
				t.Fatalf("%q: %v", brief, err)
			}
			return
		}
		if len(res.SOP.Steps) == 0 {
			t.Fatal("no steps")
		}
	})
}

// TestGenerateConcurrently runs the planner from many goroutines, as the
// web workspace will (run with -race to see the point).
func TestGenerateConcurrently(t *testing.T) {
	done := make(chan string, len(briefCases))
	for _, tc := range briefCases {
		go func() {
			res, err := Generate(Request{Brief: tc.brief, Types: ReleaseTypes, Profile: tc.profile})
			if err != nil {
				done <- err.Error()
				return
			}
			done <- string(res.YAML[:10])
		}()
	}
	for range briefCases {
		if got := <-done; !strings.HasPrefix(got, "id: ") {
			t.Errorf("concurrent generate: %s", got)
		}
	}
}
