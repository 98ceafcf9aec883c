// Package githubactions imports a GitHub Actions workflow as an SOP: jobs
// become automated steps in the pipeline's lane, needs: becomes flows,
// environment: becomes a deploy step (behind an approval gate in a human
// lane where the environment is of the kind teams protect), failure() and
// rollback jobs become rollback paths, the triggers become the start step's
// conditions, reusable workflows become linked steps and a matrix one step
// with a note. What it cannot map is reported as a positioned warning.
package githubactions

import (
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/importer"
	"github.com/relsop/relsop/internal/importer/ciyaml"
)

// Role ids of the lanes an import uses.
const (
	rolePipeline   = "github-actions"
	roleApprover   = "release-approver"
	roleMaintainer = "maintainer"
)

// Looks reports whether the parsed document looks like a workflow: a
// mapping with jobs: and on: (which YAML 1.1 readers may see as true:).
func Looks(doc *ciyaml.Node) bool {
	return doc != nil && doc.Kind == ciyaml.Mapping && doc.Get("jobs") != nil && doc.Get("jobs").Kind == ciyaml.Mapping &&
		(doc.Has("on") || doc.Has("true") || doc.Has(`"on"`))
}

// Import reads the workflow src (name is the file name, used for the SOP's
// id and title when the workflow has no name:).
func Import(name string, src []byte) (*importer.Result, error) {
	docs, fail := ciyaml.Parse(src)
	if fail != nil {
		return nil, importer.FromFinding(fail)
	}
	doc := docs[0]
	im := &imp{w: &importer.Warnings{}}
	for _, extra := range docs[1:] {
		im.w.Add(extra.Pos, importer.CodeUnmapped, "a workflow file holds one document; split the others into files of their own",
			"a second YAML document in a workflow file is not imported")
	}
	if doc.Kind != ciyaml.Mapping {
		return nil, importer.Errorf(doc.Pos, importer.CodeInvalid, "a workflow is a mapping with on: and jobs:",
			"a GitHub Actions workflow must be a mapping, not %s", doc.Describe())
	}
	jobs := doc.Get("jobs")
	if jobs == nil || jobs.Kind != ciyaml.Mapping || len(jobs.Pairs) == 0 {
		pos := doc.Pos
		if jobs != nil {
			pos = jobs.Pos
		}
		return nil, importer.Errorf(pos, importer.CodeInvalid, "add jobs: with at least one job, or import the file with --from gitlab-ci if it is a GitLab pipeline",
			"the workflow has no jobs")
	}
	if err := im.run(name, doc, jobs); err != nil {
		return nil, err
	}
	return &importer.Result{SOP: im.b.SOP(), Warnings: im.w.List(), Assumptions: im.assumptions}, nil
}

type job struct {
	key    *ciyaml.Node // the job id as written
	node   *ciyaml.Node
	id     string // step id
	needs  []*ciyaml.Node
	cond   string // if:
	deploy string // environment id
	gate   string // the approval gate in front of it
	fail   bool   // runs on failure of what it needs
}

type imp struct {
	b           *importer.Builder
	w           *importer.Warnings
	assumptions []string
	jobs        []*job
	byKey       map[string]*job
}

func (im *imp) assume(format string, args ...any) {
	a := fmt.Sprintf(format, args...)
	for _, old := range im.assumptions {
		if old == a {
			return
		}
	}
	im.assumptions = append(im.assumptions, a)
}

func (im *imp) run(name string, doc, jobs *ciyaml.Node) error {
	title := doc.Get("name").Str()
	base := strings.TrimSuffix(strings.TrimSuffix(filepath.Base(name), ".yml"), ".yaml")
	if title == "" {
		title = importer.Humanize(base) + " workflow"
	}
	im.b = importer.NewBuilder(importer.Slug(base), title)
	sop := im.b.SOP()
	sop.Description = "Imported from the GitHub Actions workflow " + filepath.Base(name) + ". Automated jobs are in the pipeline's lane; approvals and manual triggers are in human lanes."
	im.b.Role(rolePipeline, "GitHub Actions", "The CI/CD pipeline: runs every job of the workflow.")
	im.topLevel(doc)

	im.byKey = map[string]*job{}
	for _, p := range jobs.Pairs {
		j := &job{key: p.Key, node: p.Value}
		im.jobs = append(im.jobs, j)
		im.byKey[p.Key.Value] = j
	}
	for _, d := range jobs.Dups {
		im.w.Add(d.Pos, importer.CodeDuplicateKey, "give each job a unique id", "job %q is defined twice; the last definition is imported", d.Value)
	}
	if err := im.readNeeds(); err != nil {
		return err
	}
	start := im.start(doc)
	for _, j := range im.jobs {
		im.addJob(j)
	}
	im.connect(start)
	end := im.b.AddStep(relsop.Step{ID: "end", Name: "Finish workflow", Kind: relsop.KindEnd, Owner: rolePipeline})
	im.b.LinkSinks(end)
	sop.Notes = notes(im.assumptions)
	im.b.Finish("Start workflow", "Workflow finished")
	return nil
}

// topLevel reports the workflow keys that have no place in an SOP.
func (im *imp) topLevel(doc *ciyaml.Node) {
	for _, p := range doc.Pairs {
		switch p.Key.Value {
		case "name", "on", "true", `"on"`, "jobs":
		case "run-name":
			im.b.SOP().Scope = "Each run is named " + p.Value.Str()
		default:
			im.w.Add(p.Key.Pos, importer.CodeUnmapped, "an SOP records the procedure, not the pipeline's settings",
				"workflow key %s: is not imported", p.Key.Value)
		}
	}
	for _, d := range doc.Dups {
		im.w.Add(d.Pos, importer.CodeDuplicateKey, "write each key once", "key %s: is written twice; the last value is imported", d.Value)
	}
}

// readNeeds resolves needs: and refuses cycles.
func (im *imp) readNeeds() error {
	for _, j := range im.jobs {
		n := j.node.Get("needs")
		if n == nil {
			continue
		}
		items := []*ciyaml.Node{n}
		if n.Kind == ciyaml.Sequence {
			items = n.Items
		}
		for _, it := range items {
			if it.Kind != ciyaml.Scalar {
				im.w.Add(it.Pos, importer.CodeUnmapped, "needs: lists job ids", "needs: entry of job %q is %s, not a job id; not imported", j.key.Value, it.Describe())
				continue
			}
			if im.byKey[it.Value] == nil {
				im.w.Add(it.Pos, importer.CodeInvalid, "name a job of this workflow", "job %q needs %q, which is not a job of this workflow; the flow is not imported", j.key.Value, it.Value)
				continue
			}
			j.needs = append(j.needs, it)
		}
	}
	return importer.NeedsCycle(im.jobs, im.byKey, func(j *job) (string, []*ciyaml.Node) { return j.key.Value, j.needs })
}

// start makes the start step from the triggers: tags, releases and manual
// dispatch are the start conditions of a release.
func (im *imp) start(doc *ciyaml.Node) string {
	on := doc.Get("on")
	if on == nil {
		on = doc.Get("true")
	}
	if on == nil {
		on = doc.Get(`"on"`)
	}
	var conds []string
	manual, release := false, false
	add := func(event string, n *ciyaml.Node) {
		c, rel := trigger(event, n)
		conds = append(conds, c)
		release = release || rel
		manual = manual || event == "workflow_dispatch"
	}
	switch {
	case on == nil:
	case on.Kind == ciyaml.Scalar:
		add(on.Value, nil)
	case on.Kind == ciyaml.Sequence:
		for _, it := range on.Items {
			add(it.Str(), nil)
		}
	case on.Kind == ciyaml.Mapping:
		for _, p := range on.Pairs {
			add(p.Key.Value, p.Value)
		}
	}
	owner := rolePipeline
	name := "Start workflow"
	switch {
	case manual && release:
		name = "Start release: tag, release or manual run"
	case release:
		name = "Start release on tag or release"
	case manual:
		name = "Start workflow manually"
	}
	if manual || release {
		owner = im.b.Role(roleMaintainer, "Maintainer", "Pushes release tags, publishes releases and starts workflows by hand.")
		im.assume("tags, releases and manual runs are started by a maintainer (lane %q)", "Maintainer")
	}
	st := relsop.Step{ID: "start", Name: name, Kind: relsop.KindStart, Owner: owner}
	if len(conds) > 0 {
		st.Description = "Start conditions:\n- " + strings.Join(conds, "\n- ")
	}
	return im.b.AddStep(st)
}

// trigger describes one event of on: and says whether it starts a release.
func trigger(event string, n *ciyaml.Node) (string, bool) {
	switch event {
	case "push":
		if tags := n.Get("tags").Strings(); len(tags) > 0 {
			return "a tag matching " + strings.Join(tags, ", ") + " is pushed", true
		}
		if br := n.Get("branches").Strings(); len(br) > 0 {
			return "a push to " + strings.Join(br, ", "), false
		}
		return "a push", false
	case "release":
		if t := n.Get("types").Strings(); len(t) > 0 {
			return "a GitHub release is " + strings.Join(t, " or "), true
		}
		return "a GitHub release event", true
	case "workflow_dispatch":
		s := "a manual run (workflow_dispatch)"
		if in := n.Get("inputs"); in != nil && in.Kind == ciyaml.Mapping {
			s += " with inputs " + strings.Join(in.Keys(), ", ")
		}
		return s, false
	case "workflow_call":
		return "a call from another workflow (reusable workflow)", false
	case "schedule":
		var crons []string
		for _, it := range n.Items {
			if c := it.Get("cron").Str(); c != "" {
				crons = append(crons, c)
			}
		}
		return "a schedule (cron " + strings.Join(crons, ", ") + ")", false
	case "pull_request", "pull_request_target":
		if br := n.Get("branches").Strings(); len(br) > 0 {
			return "a pull request to " + strings.Join(br, ", "), false
		}
		return "a pull request", false
	case "workflow_run":
		return "the workflow(s) " + strings.Join(n.Get("workflows").Strings(), ", ") + " completing", false
	}
	return "the " + event + " event", false
}

var (
	failureCond  = lazyRegexp(`\bfailure\(\)`)
	rollbackWord = lazyRegexp(`(?i)roll[-_ ]?back|revert|restore`)
	notifyWord   = lazyRegexp(`(?i)notif|slack|announce|teams-message|mattermost|discord|\bemail\b`)
	// protected matches the names of environments teams protect with
	// required reviewers: production, release, or named for an approval.
	protected  = lazyRegexp(`(?i)prod|release|live|approv|gate|manual|protected`)
	production = lazyRegexp(`(?i)prod|live`)
	expression = lazyRegexp(`\$\{\{\s*(.*?)\s*\}\}`)
)

// lazyRegexp returns expr compiled on the first call: every relsop
// command links this package, and most never use its patterns.
func lazyRegexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}

// jobKeys are the job keys mapped into the step; others are reported.
var jobKeys = map[string]bool{"name": true, "needs": true, "if": true, "environment": true, "uses": true, "steps": true,
	"strategy": true, "runs-on": true, "timeout-minutes": true, "continue-on-error": true}

func (im *imp) addJob(j *job) {
	n := j.node
	st := relsop.Step{ID: importer.Slug(j.key.Value), Kind: relsop.KindAutomated, Owner: rolePipeline,
		Tool: "GitHub Actions job " + j.key.Value}
	st.Name = n.Get("name").Str()
	if st.Name == "" || strings.Contains(st.Name, "${{") {
		st.Name = "Run " + importer.Humanize(j.key.Value)
	}
	if n.Kind != ciyaml.Mapping {
		im.w.Add(j.key.Pos, importer.CodeInvalid, "a job is a mapping with runs-on: and steps:, or uses:", "job %q is %s, not a mapping", j.key.Value, n.Describe())
	}
	var notes []string
	j.cond = n.Get("if").Str()
	if j.cond != "" {
		if failureCond().MatchString(j.cond) && len(j.needs) > 0 {
			j.fail = true
			notes = append(notes, "Runs when a job it needs fails (if: "+j.cond+").")
		} else {
			notes = append(notes, "Runs only if: "+j.cond)
		}
	}
	if ro := n.Get("runs-on"); ro != nil {
		notes = append(notes, "Runs on "+strings.Join(ro.Strings(), ", ")+".")
	}
	if t := n.Get("timeout-minutes").Str(); t != "" && isDigits(t) {
		if d, err := relsop.ParseDuration(t + "m"); err == nil {
			st.SLA = d
		}
	}
	if n.Has("continue-on-error") {
		notes = append(notes, "A failure does not fail the workflow (continue-on-error: "+n.Get("continue-on-error").Str()+").")
	}
	if uses := n.Get("uses").Str(); uses != "" {
		st.Links = append(st.Links, relsop.Link{Title: "Reusable workflow " + uses, URL: workflowURL(uses)})
		notes = append(notes, "Runs the reusable workflow "+uses+"; its jobs are a linked procedure, imported on its own.")
		im.w.Add(n.Get("uses").Pos, importer.CodeUnresolved, "import the called workflow on its own to see its steps",
			"the reusable workflow %s is a linked step; its jobs are not expanded", uses)
	}
	if m := n.Get("strategy").Get("matrix"); m != nil {
		notes = append(notes, matrixNote(m))
	}
	st.Description = stepsSummary(n.Get("steps"))
	if env := n.Get("environment"); env != nil {
		j.deploy = im.environment(env)
		if j.deploy != "" {
			st.Kind = relsop.KindDeploy
			st.Environment = j.deploy
			if !n.Has("name") {
				st.Name = "Deploy to " + im.b.SOP().Environment(j.deploy).Name + " (" + j.key.Value + ")"
			}
		}
	}
	words := j.key.Value + " " + st.Name
	switch {
	case rollbackWord().MatchString(words):
		st.Kind = relsop.KindRollback
	case j.fail && st.Kind != relsop.KindDeploy:
		st.Kind = relsop.KindRollback
		if !rollbackWord().MatchString(words) {
			im.assume("job %q, which runs when a job it needs fails, is a rollback or contingency path", j.key.Value)
		}
	case notifyWord().MatchString(words) && st.Kind == relsop.KindAutomated:
		st.Kind = relsop.KindNotify
		st.Channel = channel(words)
	}
	st.Notes = strings.Join(notes, "\n")
	for _, p := range n.Pairs {
		if !jobKeys[p.Key.Value] {
			im.w.Group("job-key "+p.Key.Value, p.Key.Pos, importer.CodeUnmapped, "an SOP step records what is done and by whom, not how the runner is set up",
				"job key %s: is not imported", p.Key.Value)
		}
	}
	if s := n.Get("strategy"); s != nil {
		for _, p := range s.Pairs {
			if p.Key.Value != "matrix" {
				im.w.Group("strategy "+p.Key.Value, p.Key.Pos, importer.CodeUnmapped, "the matrix is noted on the step; its run settings are not",
					"strategy key %s: is not imported", p.Key.Value)
			}
		}
	}
	j.id = im.b.AddStep(st)
	if j.deploy != "" && protected().MatchString(im.b.SOP().Environment(j.deploy).Name) {
		j.gate = im.gate(j)
	}
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// environment reads environment: (a name, or name: and url:) and returns
// the environment's id.
func (im *imp) environment(env *ciyaml.Node) string {
	name := env.Str()
	if env.Kind == ciyaml.Mapping {
		name = env.Get("name").Str()
		for _, p := range env.Pairs {
			if p.Key.Value != "name" && p.Key.Value != "url" {
				im.w.Group("environment "+p.Key.Value, p.Key.Pos, importer.CodeUnmapped, "", "environment key %s: is not imported", p.Key.Value)
			}
		}
	}
	if name == "" {
		im.w.Add(env.Pos, importer.CodeUnmapped, "give the environment a name", "the environment has no name; the job is imported as an automated step")
		return ""
	}
	if expression().MatchString(name) {
		im.assume("the environment %q is chosen at run time; it is one environment in the SOP", name)
	}
	prod := production().MatchString(name)
	return im.b.Environment(importer.Slug(name), name, prod)
}

// gate puts an approval gate in front of the deploy job j.
func (im *imp) gate(j *job) string {
	env := im.b.SOP().Environment(j.deploy)
	approver := im.b.Role(roleApprover, "Release approver", "Reviews and approves deployments to protected environments (the environment's required reviewers).")
	im.assume("the environment %q is protected by required reviewers; its approval is the gate before job %q", env.Name, j.key.Value)
	stop := im.stop()
	return im.b.AddStep(relsop.Step{ID: "approve-" + j.id, Name: "Approve deployment to " + env.Name, Kind: relsop.KindGate,
		Owner: approver, Approvers: []string{approver},
		Criteria: []string{"A required reviewer of the " + env.Name + " environment approves the deployment"},
		Outcomes: []relsop.Outcome{{Label: "go", To: j.id}, {Label: "no-go", To: stop}},
		Notes:    "Assumed from the environment's name: GitHub asks its required reviewers before the job runs."})
}

// stop is the end step of a release stopped at a gate.
func (im *imp) stop() string {
	if im.b.Step("release-stopped") == nil {
		return im.b.AddStep(relsop.Step{ID: "release-stopped", Name: "Stop the release", Kind: relsop.KindEnd, Owner: roleApprover})
	}
	return "release-stopped"
}

// connect turns needs: into flows: a job follows the jobs it needs (or its
// approval gate does), a failure job is their failure path, and jobs that
// need nothing follow the start.
func (im *imp) connect(start string) {
	for _, j := range im.jobs {
		entry := j.id
		if j.gate != "" {
			entry = j.gate
		}
		if len(j.needs) == 0 {
			if j.fail {
				continue
			}
			im.b.Link(start, entry)
			continue
		}
		for _, n := range j.needs {
			d := im.byKey[n.Value]
			if j.fail {
				st := im.b.Step(d.id)
				if st.OnFailure == "" {
					st.OnFailure = j.id
				} else if st.OnFailure != j.id {
					im.w.Add(n.Pos, importer.CodeApproximated, "an SOP step has one failure path",
						"job %q already has the failure path %q; %q is linked as a next step instead", d.key.Value, st.OnFailure, j.key.Value)
					im.b.Link(d.id, entry)
				}
				continue
			}
			im.b.Link(d.id, entry)
		}
	}
}

func matrixNote(m *ciyaml.Node) string {
	if m.Kind != ciyaml.Mapping {
		return "Runs as a matrix (" + m.Str() + "), one run per combination; shown as one step."
	}
	var dims []string
	combos := 1
	for _, p := range m.Pairs {
		switch p.Key.Value {
		case "include", "exclude":
			continue
		}
		if p.Value.Kind == ciyaml.Sequence {
			dims = append(dims, fmt.Sprintf("%s (%d)", p.Key.Value, len(p.Value.Items)))
			combos *= max(len(p.Value.Items), 1)
		} else {
			dims = append(dims, p.Key.Value)
			combos = -1
		}
	}
	s := "Runs as a matrix over " + strings.Join(dims, " x ")
	if combos > 0 && len(dims) > 0 {
		s += fmt.Sprintf(", %d combinations", combos)
	}
	if inc := m.Get("include"); inc != nil && inc.Kind == ciyaml.Sequence {
		s += fmt.Sprintf(", plus %d included", len(inc.Items))
	}
	return s + "; shown as one step."
}

// stepsSummary lists what a job does, from its steps' names or actions.
func stepsSummary(steps *ciyaml.Node) string {
	if steps == nil || steps.Kind != ciyaml.Sequence {
		return ""
	}
	var lines []string
	for _, s := range steps.Items {
		line := s.Get("name").Str()
		if line == "" {
			if u := s.Get("uses").Str(); u != "" {
				line = "uses " + u
			} else if r := s.Get("run").Str(); r != "" {
				line = "run: " + firstLine(r)
			}
		}
		if line != "" {
			lines = append(lines, "- "+importer.OneLine(line))
		}
	}
	if len(lines) == 0 {
		return ""
	}
	return "Steps:\n" + strings.Join(lines, "\n")
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " ..."
	}
	return s
}

func channel(words string) string {
	w := strings.ToLower(words)
	for _, c := range []string{"slack", "discord", "mattermost", "teams", "email"} {
		if strings.Contains(w, c) {
			return c
		}
	}
	return "notification"
}

// workflowURL is where a reusable workflow can be read: a GitHub URL for
// owner/repo/path@ref, the path itself for a local workflow.
func workflowURL(uses string) string {
	if strings.HasPrefix(uses, "./") {
		return uses
	}
	ref := ""
	if i := strings.LastIndexByte(uses, '@'); i >= 0 {
		uses, ref = uses[:i], uses[i+1:]
	}
	parts := strings.SplitN(uses, "/", 3)
	if len(parts) < 3 || ref == "" {
		return uses
	}
	return "https://github.com/" + parts[0] + "/" + parts[1] + "/blob/" + ref + "/" + parts[2]
}

// notes writes the assumptions into the SOP, so that the file says how it
// was made.
func notes(assumptions []string) string {
	if len(assumptions) == 0 {
		return "Imported from a GitHub Actions workflow; review owners, approvals and rollback paths."
	}
	a := append([]string(nil), assumptions...)
	sort.Strings(a)
	return "Imported from a GitHub Actions workflow. Assumptions made by the import:\n- " + strings.Join(a, "\n- ")
}
