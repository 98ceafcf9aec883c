package generate

import (
	"strings"
	"testing"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/lint"
)

// generateFor plans an SOP from a brief, failing the test on an error.
func generateFor(t *testing.T, brief string) *relsop.SOP {
	t.Helper()
	res, err := Generate(Request{Brief: brief, Profile: lint.ProfileDefault})
	if err != nil {
		t.Fatal(err)
	}
	return res.SOP
}

func stepNames(s *relsop.SOP) string {
	var names []string
	for _, st := range s.Steps {
		names = append(names, st.Name)
	}
	return strings.Join(names, " | ")
}

func TestSplitRelatives(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []piece
	}{
		{"passes the build to the Packaging Lead and the Store Manager, who build, sign and upload the bundles",
			[]piece{{text: "passes the build to the Packaging Lead and the Store Manager"}, {text: "build, sign and upload the bundles", agent: "the Packaging Lead and the Store Manager"}}},
		{"Each component has an Owner who drafts the notes",
			[]piece{{text: "Each component has an Owner"}, {text: "drafts the notes", agent: "an Owner"}}},
		// The sentence goes on after the relative clause.
		{"The QA Lead, who runs the soak tests, signs off the release",
			[]piece{{text: "The QA Lead signs off the release"}, {text: "runs the soak tests", agent: "The QA Lead"}}},
		// The relative clause is the sentence's subject, not work.
		{"the person who approves a change may not deploy it", []piece{{text: "the person who approves a change may not deploy it"}}},
		// No verb of work after "who".
		{"our testers, who are volunteers", []piece{{text: "our testers, who are volunteers"}}},
		{"who signs the tag", []piece{{text: "who signs the tag"}}},
	} {
		got := splitRelatives([]string{tc.in})
		if len(got) != len(tc.want) {
			t.Errorf("%q: got %q, want %q", tc.in, got, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("%q: piece %d is %q, want %q", tc.in, i, got[i], tc.want[i])
			}
		}
	}
}

// Work a relative clause describes becomes a step owned by the people the
// clause is about, even where it half matches a step of the knowledge
// base ("Build and sign the release artifacts").
func TestRelativeClauseBecomesStep(t *testing.T) {
	s := generateFor(t, "Mobile app released every two weeks. The Release Manager tags the release, then hands over to the Packaging Lead and the Store Manager, who builds, signs and uploads the bundles.")
	st := stepNamed(s, "Build, sign and upload the bundles")
	if st == nil {
		t.Fatalf("no step for the relative clause; steps are %s", stepNames(s))
	}
	if role := s.Role(st.Owner); role == nil || role.Name != "Packaging Lead" {
		t.Errorf("owner is %q, want the Packaging Lead", st.Owner)
	}
	if !contains(st.RACI.Consulted, "store-manager") {
		t.Errorf("the Store Manager, also named by the clause, is not consulted: %+v", st.RACI)
	}
	if build := s.Step("build"); build == nil || strings.Contains(build.Description, "bundles") {
		t.Errorf("the clause was attached to the pipeline's build step instead")
	}
}

func TestSubsetDeadline(t *testing.T) {
	for in, want := range map[string]string{
		"Plugins have an earlier code freeze":              "Plugin code freeze, earlier than the rest of the release",
		"the client SDKs get their own release deadline":   "Client SDK release deadline, separate from the rest of the release",
		"Translations have a later deadline for the notes": "Translation deadline for the notes, later than the rest of the release",
		"Libraries have an earlier final-release deadline": "Library final-release deadline, earlier than the rest of the release",
		"we have an earlier freeze":                        "",
		"plugins never have an earlier freeze":             "",
		"no libraries have an earlier freeze":              "",
		"the freeze is earlier this year":                  "",
	} {
		c := clause{text: in, low: normalise(in), stems: inWords(in)}
		if got := subsetDeadline(c); got != want {
			t.Errorf("%q: got %q, want %q", in, got, want)
		}
	}
	s := generateFor(t, "Open-source library, released every six months by the maintainers. Plugins have an earlier code freeze. Then we tag and publish to PyPI.")
	st := stepNamed(s, "Plugin code freeze, earlier than the rest of the release")
	if st == nil {
		t.Fatalf("no step for the plugins' freeze; steps are %s", stepNames(s))
	}
	if st.Phase != "build" || !strings.Contains(st.Description, "Plugins have an earlier code freeze") {
		t.Errorf("phase %q, description %q", st.Phase, st.Description)
	}
}

func TestPassiveHyphenatedVerb(t *testing.T) {
	for in, want := range map[string]string{
		"each fix is cherry-picked to the stable branch":       "Cherry-pick each fix to the stable branch",
		"then the release is smoke-tested in the staging area": "Smoke-test the release in the staging area",
		"the build is signed":                                  "Sign the build",
	} {
		if got := passiveStepName(in); got != want {
			t.Errorf("%q: got %q, want %q", in, got, want)
		}
	}
}

func TestCutName(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Tag the release", "Tag the release"},
		// Up to softMaxName, a name that ends its phrase is kept whole.
		{"Promote builds from dev to preprod to prod automatically when the tests are green",
			"Promote builds from dev to preprod to prod automatically when the tests are green"},
		// Past it, at the last end of a phrase ...
		{"Promote the branches: a stable PR with the final release notes and any approved beta backports, and a beta PR for the next train",
			"Promote the branches: a stable PR with the final release notes and any approved beta backports"},
		{"Run in shadow mode for one week, scoring live traffic without serving, followed by an A/B test on 10% of traffic",
			"Run in shadow mode for one week, scoring live traffic without serving"},
		// ... but not between the items of a list, and not on a small word.
		{"Announce the releases with the CVE, severity, impact and mitigations at 4pm UTC on a weekday other than Friday",
			"Announce the releases with the CVE, severity, impact and mitigations at 4pm UTC"},
		{"Raise each change in the change control system with an impact assessment on the validated state of the whole system",
			"Raise each change in the change control system with an impact assessment"},
		// A name with no space to cut at is not cut inside a letter.
		{strings.Repeat("é", 60) + "x", strings.Repeat("é", 40)}, {"x" + strings.Repeat("é", 60), "x" + strings.Repeat("é", 39)},
	} {
		got := cutName(tc.in)
		if got != tc.want {
			t.Errorf("cutName(%q)\n got %q\nwant %q", tc.in, got, tc.want)
		}
		if len(got) > softMaxName {
			t.Errorf("cutName(%q) is %d characters long", tc.in, len(got))
		}
	}
}

func TestStepNameDropsSubjectQualifier(t *testing.T) {
	s := generateFor(t, "Open-source library released by the maintainers. Release Managers from SIG Tooling publish the nightly snapshots to the mirror every evening.")
	if stepNamed(s, "Publish the nightly snapshots to the mirror every evening") == nil {
		t.Errorf("no step named without its subject; steps are %s", stepNames(s))
	}
	for in, want := range map[string]string{
		"from SIG Release cut the alphas": "cut the alphas",
		"of each team signs the tag":      "signs the tag",
		"from time to time":               "from time to time", // no verb: kept
		"cut the branch":                  "cut the branch",
	} {
		if got := strings.Join(skipQualifier(strings.Fields(in)), " "); got != want {
			t.Errorf("skipQualifier(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestBackportAndImagePromotion(t *testing.T) {
	s := generateFor(t, "Open-source library released by the maintainers. Each security fix is cherry-picked to every supported branch. The container images are promoted to the public registry before the tag is announced.")
	bp := s.Step("backport")
	if bp == nil {
		t.Fatalf("no backport step; steps are %s", stepNames(s))
	}
	// The brief's sentence about the work goes on its step, not a copy of it.
	if !strings.Contains(bp.Description, "cherry-picked to every supported branch") {
		t.Errorf("backport description %q lacks the brief's words", bp.Description)
	}
	if strings.Contains(stepNames(s), "Cherry-pick each security fix") {
		t.Errorf("the sentence made a second backport step: %s", stepNames(s))
	}
	if s.Step("promote-images") == nil {
		t.Errorf("no image promotion step; steps are %s", stepNames(s))
	}
	plain := generateFor(t, "Open-source library released by the maintainers; we promote builds from the test index to PyPI.")
	if plain.Step("backport") != nil || plain.Step("promote-images") != nil {
		t.Errorf("backport or image promotion without the brief asking: %s", stepNames(plain))
	}
}
