package generate

// The brief set in testdata/briefs holds what real users type — prose,
// bullets, chat messages, policy excerpts, broken English, summaries of
// published release processes — each with expectations a release-management
// expert would write. The expectations describe a good SOP, not what the
// planner produces today, so a failing brief is a to-do for the planner, not
// for the brief.

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/goccy/go-yaml"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/lint"
)

// briefDomains and briefStyles are the closed lists a brief file may use, so
// the coverage test can count them.
var (
	briefDomains = []string{"saas", "itil", "cicd", "healthcare", "mobile", "desktop", "firmware", "ml", "database", "iac", "library", "data", "games"}
	briefStyles  = []string{"prose", "terse bullets", "non-native English", "policy excerpt", "one-liner", "chat message", "corpus summary"}
)

// briefRegimes are the compliance regimes the set must mention somewhere,
// each with the pattern that recognises a mention in a brief or policy.
var briefRegimes = map[string]string{
	"SOX":                `\bSOX\b|Sarbanes`,
	"HIPAA":              `\bHIPAA\b`,
	"PCI DSS":            `\bPCI[ -]?DSS\b`,
	"GxP":                `\bGxP\b`,
	"IEC 62304":          `\b62304\b`,
	"FDA 21 CFR Part 11": `21 CFR (Part )?11`,
	"ISO 27001":          `\b27001\b`,
	"SOC 2":              `\bSOC ?2\b`,
	"FedRAMP/ATO":        `\bFedRAMP\b|\bATO\b`,
}

const (
	minBriefs        = 46
	minPerDomain     = 3
	minPerStyle      = 3
	briefDir         = "testdata/briefs"
	briefFilePattern = "*.yaml"
)

// briefFile is one testdata/briefs/*.yaml file.
type briefFile struct {
	Name    string       `yaml:"name"`
	Domain  string       `yaml:"domain"`
	Style   string       `yaml:"style"`
	Types   []string     `yaml:"types"`
	Profile lint.Profile `yaml:"profile"`
	Brief   string       `yaml:"brief"`
	Policy  string       `yaml:"policy"`
	Expect  expectations `yaml:"expect"`
}

// expectations are case-insensitive regexes; see the kinds in check.
type expectations struct {
	Roles  []string `yaml:"roles"`
	Steps  []string `yaml:"steps"`
	Gates  []string `yaml:"gates"`
	Envs   []string `yaml:"envs"`
	Text   []string `yaml:"text"`
	Absent []string `yaml:"absent"`
}

// loadBriefs reads and strictly decodes every brief file, so a misspelt key
// in a test file fails instead of silently dropping an expectation.
func loadBriefs(t *testing.T) map[string]briefFile {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(briefDir, briefFilePattern))
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Fatalf("no brief files in %s", briefDir)
	}
	out := make(map[string]briefFile, len(paths))
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var bf briefFile
		if err := yaml.UnmarshalWithOptions(data, &bf, yaml.Strict()); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		out[strings.TrimSuffix(filepath.Base(p), ".yaml")] = bf
	}
	return out
}

var updatePending = flag.Bool("update-pending", false, "rewrite testdata/briefs-pending.txt with the expectations the planner does not meet yet")

// pendingPath lists, one per line as "brief<TAB>expectation", the
// expectations the planner does not meet yet. It is a ratchet: a brief
// that misses anything not listed fails (a regression), and so does a
// listed expectation that is now met (remove it with -update-pending), so
// the list only shrinks. The issue is not done while it has lines.
const pendingPath = "testdata/briefs-pending.txt"

func TestBriefs(t *testing.T) {
	briefs := loadBriefs(t)
	pending := readPending(t)
	var mu sync.Mutex
	var nowUnmet []string
	t.Cleanup(func() {
		if *updatePending {
			sort.Strings(nowUnmet)
			data := strings.Join(nowUnmet, "\n")
			if data != "" {
				data += "\n"
			}
			if err := os.WriteFile(pendingPath, []byte(data), 0o644); err != nil {
				t.Error(err)
			}
		}
	})
	for _, file := range sortedKeys(briefs) {
		bf := briefs[file]
		t.Run(file, func(t *testing.T) {
			t.Parallel()
			if problems := bf.metaProblems(file); len(problems) > 0 {
				t.Fatalf("brief file is malformed:\n  %s", strings.Join(problems, "\n  "))
			}
			res, err := Generate(bf.request())
			if err != nil {
				t.Fatalf("Generate: %v", err)
			}
			n := namesOf(res.SOP)
			// Long texts are folded over several lines in the YAML; text
			// expectations are about the words, so white space is one space.
			yamlText := strings.Join(strings.Fields(string(res.YAML)), " ")
			keys := bf.Expect.unmetKeys(n, yamlText)
			mu.Lock()
			for _, k := range keys {
				nowUnmet = append(nowUnmet, file+"\t"+k)
			}
			mu.Unlock()
			if *updatePending {
				return
			}
			var regressions, fixed []string
			for _, k := range keys {
				if !pending[file+"\t"+k] {
					regressions = append(regressions, k)
				}
			}
			for k := range pending {
				if b, exp, _ := strings.Cut(k, "\t"); b == file && !slices.Contains(keys, exp) {
					fixed = append(fixed, exp)
				}
			}
			if len(regressions) > 0 {
				t.Errorf("unmet expectations for %s brief (%s, %s):\n%s",
					file, bf.Domain, bf.Style, strings.Join(bf.Expect.check(n, yamlText), "\n"))
			}
			if len(fixed) > 0 {
				sort.Strings(fixed)
				t.Errorf("now met, remove from %s (go test ./internal/generate -run TestBriefs -update-pending): %s", pendingPath, strings.Join(fixed, "; "))
			}
		})
	}
}

func readPending(t *testing.T) map[string]bool {
	data, err := os.ReadFile(pendingPath)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, line := range strings.Split(string(data), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			out[line] = true
		}
	}
	return out
}

// unmetKeys lists each unmet expectation as "kind /regex/".
func (e expectations) unmetKeys(n sopNames, yamlText string) []string {
	var out []string
	for _, k := range []struct {
		kind       string
		patterns   []string
		candidates []string
	}{{"role", e.Roles, n.roles}, {"step", e.Steps, n.steps}, {"gate", e.Gates, n.gates}, {"env", e.Envs, n.envs}, {"text", e.Text, []string{yamlText}}} {
		for _, p := range k.patterns {
			if !anyMatch(p, k.candidates) {
				out = append(out, k.kind+" /"+p+"/")
			}
		}
	}
	all := slices.Concat(n.roles, n.steps, n.envs)
	for _, p := range e.Absent {
		if len(matching(p, all)) > 0 {
			out = append(out, "absent /"+p+"/")
		}
	}
	return out
}

// metaProblems checks the file's own fields: those the coverage test counts
// and those Generate would reject with a less helpful message.
func (bf briefFile) metaProblems(file string) []string {
	var out []string
	if bf.Name != file {
		out = append(out, fmt.Sprintf("name %q differs from the file name %q", bf.Name, file))
	}
	if !slices.Contains(briefDomains, bf.Domain) {
		out = append(out, fmt.Sprintf("domain %q is not one of %s", bf.Domain, strings.Join(briefDomains, ", ")))
	}
	if !slices.Contains(briefStyles, bf.Style) {
		out = append(out, fmt.Sprintf("style %q is not one of %s", bf.Style, strings.Join(briefStyles, ", ")))
	}
	if bf.Profile != "" && !slices.Contains(lint.Profiles, bf.Profile) {
		out = append(out, fmt.Sprintf("profile %q is not default or regulated", bf.Profile))
	}
	if strings.TrimSpace(bf.Brief) == "" {
		out = append(out, "brief is empty")
	}
	for _, kind := range bf.Expect.kinds() {
		for _, re := range kind.patterns {
			if _, err := compileCI(re); err != nil {
				out = append(out, fmt.Sprintf("%s regex %q: %v", kind.name, re, err))
			}
		}
	}
	return out
}

func (bf briefFile) request() Request {
	req := Request{Brief: bf.Brief, Types: bf.Types, Profile: bf.Profile}
	if strings.TrimSpace(bf.Policy) != "" {
		req.Policies = []string{bf.Policy}
	}
	if req.Profile == "" {
		req.Profile = lint.ProfileDefault
	}
	return req
}

// sopNames are the names expectations are matched against, by kind.
type sopNames struct {
	roles, steps, gates, envs []string
}

// namesOf collects the names of an SOP. Steps that release types add or
// rename count too: "types: [emergency]" expectations are about them.
func namesOf(s *relsop.SOP) sopNames {
	var n sopNames
	for _, r := range s.Roles {
		n.roles = append(n.roles, r.Name)
	}
	for _, e := range s.Environments {
		n.envs = append(n.envs, e.Name)
	}
	addStep := func(st relsop.Step) {
		if st.Name == "" {
			return
		}
		n.steps = append(n.steps, st.Name)
		if st.Kind == relsop.KindGate {
			n.gates = append(n.gates, st.Name)
		}
	}
	for _, st := range s.Steps {
		addStep(st)
	}
	for _, rt := range s.ReleaseTypes {
		for _, a := range rt.Add {
			addStep(a.Step)
		}
		for _, c := range rt.Change {
			addStep(c.Fields)
		}
	}
	return n
}

// kind is one list of expectations with the names it is matched against.
type kind struct {
	name     string
	patterns []string
}

func (e expectations) kinds() []kind {
	return []kind{{"role", e.Roles}, {"step", e.Steps}, {"gate", e.Gates}, {"env", e.Envs}, {"text", e.Text}, {"absent", e.Absent}}
}

// check returns one line per kind with unmet expectations, listing the
// regexes that failed and, once, the candidates they were matched against,
// so the planner's author sees at a glance what was produced instead.
func (e expectations) check(n sopNames, yamlText string) []string {
	var unmet []string
	want := func(k string, patterns, candidates []string) {
		var missing []string
		for _, p := range patterns {
			if !anyMatch(p, candidates) {
				missing = append(missing, "/"+p+"/")
			}
		}
		if len(missing) > 0 {
			unmet = append(unmet, fmt.Sprintf("  missing %s %s\n    %ss are: %s", k, strings.Join(missing, " "), k, quoteList(candidates)))
		}
	}
	want("role", e.Roles, n.roles)
	want("step", e.Steps, n.steps)
	want("gate", e.Gates, n.gates)
	want("env", e.Envs, n.envs)
	var missingText []string
	for _, p := range e.Text {
		if !anyMatch(p, []string{yamlText}) {
			missingText = append(missingText, "/"+p+"/")
		}
	}
	if len(missingText) > 0 {
		unmet = append(unmet, "  missing text "+strings.Join(missingText, " ")+" anywhere in the generated YAML")
	}
	all := slices.Concat(n.roles, n.steps, n.envs)
	for _, p := range e.Absent {
		if hits := matching(p, all); len(hits) > 0 {
			unmet = append(unmet, fmt.Sprintf("  absent /%s/ matches names the brief rules out: %s", p, quoteList(hits)))
		}
	}
	return unmet
}

// compileCI compiles a case-insensitive regex; brief files never need to
// spell (?i) themselves.
func compileCI(p string) (*regexp.Regexp, error) { return regexp.Compile("(?i)" + p) }

func anyMatch(p string, candidates []string) bool { return len(matching(p, candidates)) > 0 }

func matching(p string, candidates []string) []string {
	re, err := compileCI(p)
	if err != nil {
		return nil // reported by metaProblems before any check runs
	}
	var out []string
	for _, c := range candidates {
		if re.MatchString(c) {
			out = append(out, c)
		}
	}
	return out
}

func quoteList(names []string) string {
	if len(names) == 0 {
		return "(none)"
	}
	q := make([]string, len(names))
	for i, s := range names {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// TestBriefSetCoverage keeps the set broad: a set that lost a domain, a
// style or a regime would let the planner regress there unnoticed.
func TestBriefSetCoverage(t *testing.T) {
	briefs := loadBriefs(t)
	if len(briefs) < minBriefs {
		t.Errorf("%d briefs; want at least %d", len(briefs), minBriefs)
	}
	domains, styles := map[string]int{}, map[string]int{}
	var corpus strings.Builder
	for _, bf := range briefs {
		domains[bf.Domain]++
		styles[bf.Style]++
		corpus.WriteString(bf.Brief + "\n" + bf.Policy + "\n")
	}
	for _, d := range briefDomains {
		if domains[d] < minPerDomain {
			t.Errorf("domain %s has %d briefs; want at least %d", d, domains[d], minPerDomain)
		}
	}
	for _, s := range briefStyles {
		if styles[s] < minPerStyle {
			t.Errorf("style %q has %d briefs; want at least %d", s, styles[s], minPerStyle)
		}
	}
	for _, name := range sortedKeys(briefRegimes) {
		if !regexp.MustCompile(briefRegimes[name]).MatchString(corpus.String()) {
			t.Errorf("no brief or policy mentions %s", name)
		}
	}
}
