package generate

import (
	"regexp"
	"sort"
	"strings"
	"sync"
)

// brief is what the planner understood from a brief (and any policy text):
// the domain, compliance regimes, practices asked for or excluded, numbers
// with units, the user's own role and environment names, and schedules.
type brief struct {
	text     string // normalised: lower case, one space between words
	original string

	domain      string
	domainWhy   string
	regimes     []regime
	want        map[string]string // practice id -> the words that asked for it
	exclude     map[string]string // practice id -> the words that excluded it
	roles       map[string]string // role slot -> the user's own name for it
	roleWhy     map[string]string
	envs        []envName // pre-production environments the brief names, in order
	prodName    string    // the user's name for production, if any
	canaryPct   string    // "5%"
	bake        string    // "2h"
	freezeLead  string    // "48h"
	hypercare   string    // "2w"
	schedule    []string  // phrases about when releases happen, verbatim
	assumptions []string
}

type envName struct{ id, name string }

type regime struct{ id, name string }

// understand reads a brief. Policy texts are read the same way and add to it.
func understand(texts ...string) *brief {
	orig := strings.Join(texts, "\n")
	b := &brief{original: orig, text: normalise(orig), want: map[string]string{}, exclude: map[string]string{},
		roles: map[string]string{}, roleWhy: map[string]string{}}
	b.findDomain()
	b.findRegimes()
	b.findPractices()
	b.findRoles()
	b.findEnvironments()
	b.findNumbers()
	b.findSchedule()
	return b
}

var spaces = regexp.MustCompile(`\s+`)

// normalise lower-cases text, unifies dashes and quotes, and collapses
// white space, so that patterns need not care how a brief was typed.
func normalise(s string) string {
	r := strings.NewReplacer("\u2013", "-", "\u2014", " - ", "\u2019", "'", "\u2018", "'", "\u201c", `"`, "\u201d", `"`, "\u00a0", " ", "→", " then ", "->", " then ", "=>", " then ")
	s = r.Replace(strings.ToLower(s))
	return strings.TrimSpace(spaces.ReplaceAllString(s, " "))
}

// has reports whether the brief mentions any of the patterns (regular
// expressions matched on word boundaries) in a clause that does not negate
// it, and returns the words matched.
func (b *brief) has(patterns ...string) (string, bool) {
	for _, p := range patterns {
		re := wordRE(p)
		for _, loc := range re.FindAllStringIndex(b.text, -1) {
			if !negated(b.text, loc[0], loc[1]) {
				return b.text[loc[0]:loc[1]], true
			}
		}
	}
	return "", false
}

// denies reports whether the brief mentions one of the patterns only to
// exclude it ("no staging", "we skip the CAB", "CAB is not needed").
func (b *brief) denies(patterns ...string) (string, bool) {
	for _, p := range patterns {
		re := wordRE(p)
		for _, loc := range re.FindAllStringIndex(b.text, -1) {
			if negated(b.text, loc[0], loc[1]) {
				return clauseAround(b.text, loc[0], loc[1]), true
			}
		}
	}
	return "", false
}

// wordRE matches pattern p as whole words.
func wordRE(p string) *regexp.Regexp {
	return cachedRE(`(?:^|[^a-z0-9])(?:` + p + `)(?:$|[^a-z0-9])`)
}

// cachedRE compiles each pattern of the knowledge base once; Generate may
// run on many requests at a time, hence the lock.
func cachedRE(expr string) *regexp.Regexp {
	reMu.Lock()
	defer reMu.Unlock()
	re, ok := reCache[expr]
	if !ok {
		re = regexp.MustCompile(expr)
		reCache[expr] = re
	}
	return re
}

var (
	reMu    sync.Mutex
	reCache = map[string]*regexp.Regexp{}
)

// clauseBreaks end the reach of a negation.
var clauseBreak = regexp.MustCompile(`[.;:!?\n]| but | and then | then | however | although | while `)

func clauseBounds(text string, start, end int) (int, int) {
	lo := 0
	for _, loc := range clauseBreak.FindAllStringIndex(text[:start], -1) {
		lo = loc[1]
	}
	hi := len(text)
	if loc := clauseBreak.FindStringIndex(text[end:]); loc != nil {
		hi = end + loc[0]
	}
	// A comma ends a clause too, unless it is inside a list right after
	// the negation ("no staging, canary or CAB").
	if i := strings.LastIndex(text[lo:start], ","); i >= 0 && !strings.Contains(text[lo:start], "no ") {
		lo += i + 1
	}
	return lo, hi
}

func clauseAround(text string, start, end int) string {
	lo, hi := clauseBounds(text, start, end)
	return strings.TrimSpace(text[lo:hi])
}

var (
	negBefore = regexp.MustCompile(`(?:^|[^a-z])(?:no|not|without|skip|skips|skipping|skipped|don't|dont|do not|does not|doesn't|never|n't|no longer|drop|dropping|avoid|exclude|excluding|instead of|rather than|forgo|bypass|bypassing|minus|zero)(?:[^a-z]|$)`)
	negAfter  = regexp.MustCompile(`^[^.;]{0,30}?(?:not (?:needed|required|necessary|used|wanted|applicable)|isn't (?:needed|required|necessary)|aren't (?:needed|required)|is optional|are optional|is skipped|are skipped|is out of scope|are out of scope|not in scope)`)
)

// negated reports whether the words at text[start:end] are excluded by
// their clause: a negation before them in the clause, or "not needed"
// and the like after them.
func negated(text string, start, end int) bool {
	lo, hi := clauseBounds(text, start, end)
	before := text[lo:start]
	// "no-go" and "go/no-go" are words, not negations.
	before = strings.NewReplacer("no-go", "", "no go", "").Replace(before)
	if negBefore.MatchString(before) {
		return true
	}
	return negAfter.MatchString(text[end:hi])
}

// domains, in the order ties are broken, with the words that point to them.
var domains = []struct {
	id, name string
	words    []string
}{
	{"healthcare", "regulated healthcare and pharma", []string{`medical devices?`, `samd`, `software as a medical device`, `iec 62304`, `fda`, `21 cfr`, `gxp`, `gmp`, `pharma\w*`, `clinical`, `hospital`, `patients?`, `ehr`, `hipaa`, `csv`, `computer system validation`, `iq/oq/pq`, `iq`, `oq`, `pq`, `lims`}},
	{"mobile", "mobile app", []string{`mobile`, `ios`, `android`, `app store`, `play store`, `google play`, `testflight`, `apps?`, `phased release`, `staged rollout`}},
	{"firmware", "firmware and over-the-air updates", []string{`firmware`, `ota`, `over-the-air`, `devices?`, `embedded`, `iot`, `fleet`, `bootloader`, `ecu`}},
	{"ml", "machine-learning models", []string{`ml`, `machine learning`, `models?`, `model registry`, `training`, `inference`, `shadow mode`, `a/b test`, `drift`, `llm`, `data scientists?`}},
	{"database", "database migrations", []string{`database`, `schema migrations?`, `db migrations?`, `migrations?`, `postgres\w*`, `mysql`, `oracle`, `dba`, `sql`, `flyway`, `liquibase`}},
	{"iac", "infrastructure as code", []string{`terraform`, `infrastructure as code`, `iac`, `pulumi`, `cloudformation`, `terragrunt`, `ansible`, `kubernetes clusters?`, `infra`, `infrastructure`}},
	{"library", "open-source library", []string{`open[- ]source`, `library`, `libraries`, `pypi`, `npm`, `crates\.io`, `maven central`, `package`, `semver`, `maintainers?`, `contributors?`, `tag`, `changelog`, `sdk`}},
	{"data", "data pipelines", []string{`data pipelines?`, `etl`, `elt`, `airflow`, `dbt`, `backfill`, `warehouse`, `data lake`, `spark`, `dags?`, `data quality`}},
	{"games", "games and live operations", []string{`games?`, `gaming`, `live ops`, `liveops`, `players?`, `patch(es)?`, `console`, `certification`, `steam`, `playstation`, `xbox`, `nintendo`, `season`, `live service`}},
	{"desktop", "desktop application", []string{`desktop`, `windows app`, `macos`, `installers?`, `msi`, `dmg`, `notari[sz]ation`, `code signing`, `auto-?update`, `electron`}},
	{"itil", "enterprise IT change (ITIL)", []string{`itil`, `cab`, `change advisory board`, `rfc`, `request for change`, `change request`, `change management`, `service ?now`, `erp`, `sap`, `enterprise`, `service desk`, `maintenance window`, `back-?out`}},
	{"cicd", "continuous delivery", []string{`ci/cd`, `continuous delivery`, `continuous deployment`, `pipeline`, `github actions`, `gitlab`, `jenkins`, `trunk`, `every merge`, `on merge`, `deploy on green`, `microservices?`, `argo`}},
	{"saas", "SaaS", []string{`saas`, `web app\w*`, `website`, `customers?`, `tenants?`, `release train`, `weekly`, `feature flags?`, `canary`, `api`}},
}

func (b *brief) findDomain() {
	best, bestScore := "saas", 0
	var why string
	for _, d := range domains {
		score, words := 0, []string{}
		for _, w := range d.words {
			if m, ok := b.has(w); ok {
				score++
				words = append(words, strings.TrimSpace(strings.Trim(m, " ,.;:()")))
			}
		}
		if score > bestScore {
			best, bestScore, why = d.id, score, strings.Join(words, ", ")
		}
	}
	b.domain = best
	if bestScore == 0 {
		b.assumptions = append(b.assumptions, "the brief names no domain, so a SaaS web service is assumed")
		return
	}
	b.domainWhy = "the brief mentions " + why
}

func domainName(id string) string {
	for _, d := range domains {
		if d.id == id {
			return d.name
		}
	}
	return id
}

var regimes = []struct {
	regime
	words []string
}{
	{regime{"sox", "SOX"}, []string{`sox`, `sarbanes[- ]oxley`, `itgc`}},
	{regime{"hipaa", "HIPAA"}, []string{`hipaa`, `phi`, `protected health information`}},
	{regime{"pci", "PCI DSS"}, []string{`pci(?:[- ]dss)?`, `cardholder data`, `payment card`}},
	{regime{"gxp", "GxP"}, []string{`gxp`, `gmp`, `glp`, `gamp ?5?`, `computer system validation`}},
	{regime{"iec62304", "IEC 62304"}, []string{`iec ?62304`, `62304`}},
	{regime{"part11", "FDA 21 CFR Part 11"}, []string{`21 ?cfr(?: part)? ?11`, `part 11`, `electronic signatures?`}},
	{regime{"iso27001", "ISO 27001"}, []string{`iso(?:/iec)? ?27001`, `27001`, `isms`}},
	{regime{"soc2", "SOC 2"}, []string{`soc ?2`, `soc-2`, `soc ii`}},
	{regime{"fedramp", "FedRAMP / ATO"}, []string{`fedramp`, `ato`, `authority to operate`, `nist 800-53`, `800-53`, `fisma`}},
}

func (b *brief) findRegimes() {
	for _, r := range regimes {
		if _, ok := b.has(r.words...); ok {
			b.regimes = append(b.regimes, r.regime)
		}
	}
}

// regulated reports a brief under any compliance regime; qualitySystem one
// under a quality system (GxP, IEC 62304, Part 11, healthcare), whose
// releases are approved by quality.
func (b *brief) regulated() bool { return len(b.regimes) > 0 || b.domain == "healthcare" }

func (b *brief) qualitySystem() bool {
	return b.domain == "healthcare" || b.hasRegime("gxp", "iec62304", "part11")
}

func (b *brief) hasRegime(ids ...string) bool {
	for _, r := range b.regimes {
		for _, id := range ids {
			if r.id == id {
				return true
			}
		}
	}
	return false
}

func (b *brief) regimeNames() string {
	var names []string
	for _, r := range b.regimes {
		names = append(names, r.name)
	}
	return strings.Join(names, ", ")
}

// practices are what a brief can ask for or exclude, with their words.
var practices = map[string][]string{
	"staging":      {`staging`, `stage environment`, `pre-?prod\w*`, `uat`, `test environment`, `qa environment`},
	"canary":       {`canary`, `canaries`, `canary release`, `\d+ ?% of (?:traffic|users)`},
	"blue-green":   {`blue[- /]green`, `red[- /]black`},
	"rolling":      {`rolling (?:update|deploy\w*|upgrade|restart)`, `rolling`},
	"flags":        {`feature flags?`, `feature toggles?`, `dark launch\w*`, `launchdarkly`, `flags?`},
	"phased":       {`phased (?:release|rollout)`, `staged rollout`, `percentage rollout`, `gradual rollout`, `rings?`, `cohorts?`, `waves?`},
	"freeze":       {`code freeze`, `change freeze`, `freeze`, `frozen`, `feature freeze`, `blackout`},
	"cab":          {`cab`, `change advisory board`, `change board`, `change approval board`},
	"security":     {`security (?:review|approval|sign-?off|scan\w*|gate)`, `appsec`, `pen(?:etration)? ?test\w*`, `vulnerabilit\w+`, `sast`, `dast`, `threat model\w*`, `security`},
	"privacy":      {`privacy (?:review|impact assessment)`, `dpia`, `pia`, `gdpr`, `personal data`, `privacy`},
	"qa-signoff":   {`qa sign-?off`, `qa approval`, `test sign-?off`, `quality sign-?off`, `qa`},
	"manual-test":  {`manual (?:test\w*|qa|regression)`, `exploratory test\w*`, `uat`, `user acceptance`},
	"load-test":    {`load test\w*`, `performance test\w*`, `perf test\w*`, `stress test\w*`, `soak test\w*`},
	"smoke":        {`smoke test\w*`, `smoke`, `sanity check\w*`, `health checks?`},
	"go-no-go":     {`go/no-go`, `go-no-go`, `go or no-go`, `go/nogo`, `release readiness review`, `readiness review`},
	"window":       {`maintenance windows?`, `change windows?`, `release windows?`, `downtime window`, `outage window`, `windows?`},
	"downtime":     {`downtime`, `outage`, `maintenance page`},
	"hypercare":    {`hypercare`, `hyper-care`, `early life support`, `elevated monitoring`},
	"postmortem":   {`post-?mortems?`, `retro\w*`, `post-implementation review`, `pir`, `lessons learned`, `blameless review`},
	"status-page":  {`status ?page`, `customer notice`, `notify customers`, `customer communication`, `release notes`, `changelog`},
	"backup":       {`backups?`, `snapshots?`, `restore point`},
	"migration":    {`migrations?`, `schema changes?`, `ddl`},
	"signing":      {`code signing`, `sign(?:ed)? (?:binaries|builds|images|artifacts|artefacts|firmware|packages)`, `signing`, `notari[sz]\w+`, `sigstore`, `cosign`, `gpg`},
	"sbom":         {`sbom`, `software bill of materials`},
	"validation":   {`iq/oq/pq`, `iq`, `oq`, `pq`, `validation protocols?`, `computer system validation`, `csv`, `v&v`, `verification and validation`},
	"traceability": {`traceability`, `trace matrix`, `requirements trac\w+`},
	"store-review": {`app store review`, `store review`, `app review`, `submission`, `certification`, `cert`, `platform review`},
	"incident":     {`incidents?`, `on-?call`, `pager\w*`, `sev-?[0-9]`},
	"dr":           {`disaster recovery`, `dr drill`, `failover`},
	"approval":     {`approvals?`, `sign-?offs?`, `approve[sd]?`},
	"automated":    {`automated`, `automatic\w*`, `ci/cd`, `pipeline`, `continuous deployment`, `every merge`, `on merge`},
	"shadow":       {`shadow (?:mode|deploy\w*|traffic)`, `shadow`},
	"bake":         {`bake(?: time| period)?`, `soak(?: time| period)?`},
}

func (b *brief) findPractices() {
	ids := make([]string, 0, len(practices))
	for id := range practices {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		if m, ok := b.has(practices[id]...); ok {
			b.want[id] = strings.Trim(strings.TrimSpace(m), " ,.;:()")
		} else if why, ok := b.denies(practices[id]...); ok {
			b.exclude[id] = why
		}
	}
}

// asks reports whether the brief asks for practice id; excludes whether
// it rules it out.
func (b *brief) asks(id string) bool     { _, ok := b.want[id]; return ok }
func (b *brief) excludes(id string) bool { _, ok := b.exclude[id]; return ok }
