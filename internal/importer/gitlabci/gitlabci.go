// Package gitlabci imports a GitLab CI/CD configuration as an SOP: stages
// become phases, jobs steps in the pipeline's lane, needs: and the order of
// stages flows, when: manual an approval gate in a human lane (blocking or
// optional), environment: deploy, rollback or teardown steps, rules:,
// only: and except: the conditions noted on a step. Local include: and
// extends: are resolved, !reference tags followed, a spec: header read;
// remote includes are listed as unresolved. Whatever is not mapped is
// reported as a positioned warning.
package gitlabci

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
	rolePipeline   = "gitlab-ci"
	roleMaintainer = "maintainer"
)

// defaultStages are GitLab's stages when a file names none.
var defaultStages = []string{".pre", "build", "test", "deploy", ".post"}

// keywords are the top-level keys that are not jobs.
var keywords = map[string]string{
	"stages": "mapped", "include": "mapped", "workflow": "mapped", "spec": "mapped",
	"default": "", "variables": "", "image": "", "services": "", "cache": "", "before_script": "", "after_script": "", "pages": "job",
}

type job struct {
	name     string
	key      *ciyaml.Node
	node     *ciyaml.Node // with extends: applied
	stage    int
	id       string
	entry    string // the gate in front of it, or id
	manual   bool
	blocking bool // a manual job the pipeline waits for
	onFail   bool // when: on_failure
	needs    []*ciyaml.Node
	hasNeeds bool
}

type imp struct {
	opts           Options
	b              *importer.Builder
	w              *importer.Warnings
	cfg            *config
	resolved       map[string]*ciyaml.Node
	err            *importer.Error
	assumptions    []string
	unresolvedList []string
	jobs           []*job
	byName         map[string]*job
	stages         []string
	end, stop      string
	barriers       map[int]string
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

// Import reads the GitLab CI file src; name is its path, and opts says how
// to read what it includes.
func Import(name string, src []byte, opts Options) (*importer.Result, error) {
	if opts.Dir == "" {
		opts.Dir = filepath.Dir(name)
	}
	im := &imp{opts: opts, w: &importer.Warnings{}, resolved: map[string]*ciyaml.Node{}, byName: map[string]*job{}, barriers: map[int]string{}}
	cfg, err := im.load(src)
	if err != nil {
		return nil, err
	}
	im.cfg = cfg
	if err := im.run(name); err != nil {
		return nil, err
	}
	return &importer.Result{SOP: im.b.SOP(), Warnings: im.w.List(), Assumptions: im.assumptions}, nil
}

func (im *imp) run(name string) error {
	root := im.cfg.root
	base := filepath.Base(name)
	title := importer.Humanize(strings.TrimSuffix(strings.TrimSuffix(strings.TrimPrefix(base, "."), ".yml"), ".yaml")) + " pipeline"
	im.b = importer.NewBuilder(importer.Slug(strings.TrimSuffix(strings.TrimSuffix(base, ".yml"), ".yaml")), title)
	sop := im.b.SOP()
	sop.Description = "Imported from the GitLab CI/CD configuration " + base + ". Stages are phases; jobs are automated steps in the pipeline's lane; manual jobs wait for a person's go in the Maintainer lane."
	im.b.Role(rolePipeline, "GitLab CI/CD", "The pipeline: runs every job of the configuration.")
	for _, d := range root.Dups {
		im.warn(d, importer.CodeDuplicateKey, "write each key once", "key %s: is written twice; the last value is imported", d.Value)
	}
	im.readStages(root)
	if err := im.readJobs(root, false); err != nil {
		return err
	}
	if len(im.jobs) == 0 {
		// A file of templates only (included by others): its hidden jobs
		// are what it describes.
		if err := im.readJobs(root, true); err != nil {
			return err
		}
		if len(im.jobs) > 0 {
			im.assume("the file holds only hidden jobs (templates for other files); each is imported as a step")
		} else {
			im.warn(root, importer.CodeInvalid, "a pipeline needs at least one job (a key that is not a keyword, with script: or trigger:)",
				"the GitLab CI file has no jobs to import%s; the SOP has only a start and an end", unresolvedNote(im.unresolvedList))
		}
	}
	if err := im.readNeeds(); err != nil {
		return err
	}
	start := im.start(root)
	for _, j := range im.jobs {
		im.addJob(j)
	}
	im.end = im.b.AddStep(relsop.Step{ID: "end", Name: "Finish pipeline", Kind: relsop.KindEnd, Owner: rolePipeline})
	im.connect(start)
	im.gates()
	im.b.LinkSinks(im.end)
	sop.Notes = notes(im.assumptions, im.unresolvedList)
	im.b.Finish("Start pipeline", "Finish pipeline")
	return nil
}

func unresolvedNote(list []string) string {
	if len(list) == 0 {
		return ""
	}
	return "; its jobs may be in the unresolved " + strings.Join(list, ", ")
}

// readStages makes a phase of each stage, in order.
func (im *imp) readStages(root *ciyaml.Node) {
	st := root.Get("stages")
	names := defaultStages
	if st != nil {
		names = nil
		for _, it := range im.list(st) {
			if it.Kind == ciyaml.Scalar {
				names = append(names, it.Value)
			}
		}
		// GitLab runs .pre first and .post last whatever the list says.
		names = append(append([]string{".pre"}, without(names, ".pre", ".post")...), ".post")
	} else {
		im.assume("the file names no stages:, so GitLab's default stages (build, test, deploy) are the phases")
	}
	im.stages = names
}

func without(list []string, drop ...string) []string {
	var out []string
	for _, s := range list {
		keep := true
		for _, d := range drop {
			keep = keep && s != d
		}
		if keep {
			out = append(out, s)
		}
	}
	return out
}

func (im *imp) stageIndex(j *job) int {
	name := "test"
	if s := im.deref(j.node.Get("stage"), 0); s != nil && s.Str() != "" {
		name = s.Str()
	}
	for i, s := range im.stages {
		if s == name {
			return i
		}
	}
	im.warn(j.node.Get("stage"), importer.CodeInvalid, "add the stage to stages:", "job %q names the stage %q, which is not in stages:; it is put last", j.name, name)
	im.stages = append(im.stages, name)
	return len(im.stages) - 1
}

func (im *imp) phase(i int) string {
	name := im.stages[i]
	id := importer.Slug(name)
	if id == "" {
		id = fmt.Sprintf("stage-%d", i+1)
	}
	return im.b.Phase(id, strings.TrimPrefix(name, "."))
}

// readNeeds reads needs: and refuses cycles.
func (im *imp) readNeeds() error {
	for _, j := range im.jobs {
		j.stage = im.stageIndex(j)
		n := j.node.Get("needs")
		if n == nil {
			continue
		}
		j.hasNeeds = true
		for _, it := range im.list(n) {
			target := it.Str()
			if it.Kind == ciyaml.Mapping {
				switch {
				case it.Get("job") != nil:
					target = it.Get("job").Str()
				case it.Has("pipeline"), it.Has("project"):
					im.warn(it, importer.CodeUnresolved, "cross-pipeline needs are not part of this pipeline's SOP",
						"job %q needs a job of another pipeline (%s); the flow is not imported", j.name, strings.Join(it.Keys(), ", "))
					continue
				}
			}
			if target == "" {
				im.warn(it, importer.CodeUnmapped, "needs: lists job names", "needs: entry of job %q is %s; not imported", j.name, it.Describe())
				continue
			}
			if im.byName[target] == nil {
				if it.Get("optional").Str() != "true" {
					im.warn(it, importer.CodeUnresolved, "name a job of this pipeline", "job %q needs %q, which is not a job of this file; the flow is not imported", j.name, target)
				}
				continue
			}
			j.needs = append(j.needs, &ciyaml.Node{Kind: ciyaml.Scalar, Value: target, Pos: it.Pos, File: it.File})
		}
	}
	return importer.NeedsCycle(im.jobs, im.byName, func(j *job) (string, []*ciyaml.Node) { return j.name, j.needs })
}

// start makes the start step; workflow: rules are its conditions.
func (im *imp) start(root *ciyaml.Node) string {
	st := relsop.Step{ID: "start", Name: "Start pipeline", Kind: relsop.KindStart, Owner: rolePipeline, Phase: im.phase(0)}
	var conds []string
	if wf := root.Get("workflow"); wf != nil {
		for _, r := range im.list(wf.Get("rules")) {
			conds = append(conds, ruleText(r))
		}
		for _, p := range wf.Pairs {
			if p.Key.Value != "rules" {
				im.warn(p.Key, importer.CodeUnmapped, "", "workflow key %s: is not imported", p.Key.Value)
			}
		}
	}
	if len(conds) > 0 {
		st.Description = "Start conditions (workflow: rules):\n- " + strings.Join(conds, "\n- ")
	}
	if in := im.cfg.inputs; in != nil && in.Kind == ciyaml.Mapping {
		var lines []string
		for _, p := range in.Pairs {
			s := p.Key.Value
			if d := p.Value.Get("default"); d != nil && d.Kind == ciyaml.Scalar {
				s += " (default " + d.Value + ")"
			}
			if d := p.Value.Get("description").Str(); d != "" {
				s += ": " + importer.OneLine(d)
			}
			lines = append(lines, s)
		}
		st.Notes = "Pipeline inputs (spec: inputs):\n- " + strings.Join(lines, "\n- ")
	}
	return im.b.AddStep(st)
}

var (
	rollbackWord = lazyRegexp(`(?i)roll[-_ ]?back|revert`)
	notifyWord   = lazyRegexp(`(?i)notif|slack|announce|mattermost|\bemail\b`)
	production   = lazyRegexp(`(?i)prod|live`)
)

// lazyRegexp returns expr compiled on the first call: every relsop
// command links this package, and most never use its patterns.
func lazyRegexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}

// jobKeys are the job keywords the import maps; the rest are reported.
var jobKeys = map[string]bool{"stage": true, "script": true, "before_script": true, "after_script": true, "needs": true,
	"when": true, "allow_failure": true, "environment": true, "rules": true, "only": true, "except": true, "trigger": true,
	"parallel": true, "timeout": true, "release": true, "resource_group": true, "start_in": true, "dependencies": true,
	"manual_confirmation": true, "extends": true}

func (im *imp) addJob(j *job) {
	n := j.node
	st := relsop.Step{ID: importer.Slug(j.name), Name: "Run " + importer.Humanize(j.name), Kind: relsop.KindAutomated, Owner: rolePipeline,
		Phase: im.phase(j.stage), Tool: "GitLab CI job " + j.name}
	var notes []string
	when := im.deref(n.Get("when"), 0).Str()
	allow := im.deref(n.Get("allow_failure"), 0)
	switch when {
	case "manual":
		j.manual = true
		// A manual job blocks the pipeline only with allow_failure: false.
		j.blocking = allow.Str() == "false"
	case "on_failure":
		j.onFail = true
		notes = append(notes, "Runs when a job of an earlier stage fails (when: on_failure).")
	case "always":
		notes = append(notes, "Runs whatever happened before (when: always).")
	case "delayed":
		notes = append(notes, "Runs after a delay (when: delayed, start_in: "+im.deref(n.Get("start_in"), 0).Str()+").")
	}
	if allow != nil && !j.manual && allow.Kind == ciyaml.Scalar && allow.Value == "true" {
		notes = append(notes, "A failure does not stop the pipeline (allow_failure: true).")
	}
	if conds := im.conditions(j); len(conds) > 0 {
		notes = append(notes, "Runs when:\n- "+strings.Join(conds, "\n- "))
	}
	if p := im.deref(n.Get("parallel"), 0); p != nil {
		if m := p.Get("matrix"); m != nil {
			notes = append(notes, fmt.Sprintf("Runs as a parallel matrix of %d variable sets; shown as one step.", len(m.Items)))
		} else {
			notes = append(notes, "Runs as "+p.Str()+" parallel jobs; shown as one step.")
		}
	}
	if t := im.deref(n.Get("timeout"), 0).Str(); t != "" {
		if d, err := relsop.ParseDuration(strings.ReplaceAll(strings.ReplaceAll(t, " ", ""), "minutes", "m")); err == nil {
			st.SLA = d
		} else {
			notes = append(notes, "Times out after "+t+".")
		}
	}
	if rg := im.deref(n.Get("resource_group"), 0).Str(); rg != "" {
		notes = append(notes, "Runs one at a time (resource_group: "+rg+").")
	}
	if deps := n.Get("dependencies"); deps != nil {
		notes = append(notes, "Uses the artifacts of: "+strings.Join(deps.Strings(), ", ")+".")
	}
	if mc := im.deref(n.Get("manual_confirmation"), 0).Str(); mc != "" {
		notes = append(notes, "Asks for confirmation: "+mc)
	}
	if rel := n.Get("release"); rel != nil {
		notes = append(notes, "Creates a GitLab release "+im.deref(rel.Get("tag_name"), 0).Str()+".")
		st.Name = "Publish release (" + j.name + ")"
	}
	if tr := n.Get("trigger"); tr != nil {
		what := tr.Str()
		if tr.Kind == ciyaml.Mapping {
			what = tr.Get("project").Str()
			if what == "" {
				what = "a child pipeline"
			}
			if tr.Get("strategy").Str() == "depend" {
				notes = append(notes, "Waits for the downstream pipeline (strategy: depend).")
			}
		}
		notes = append(notes, "Triggers the downstream pipeline "+what+"; it is a linked procedure.")
		if strings.Contains(what, "/") {
			st.Links = append(st.Links, relsop.Link{Title: "Downstream pipeline " + what, URL: what})
		}
		im.warn(tr, importer.CodeUnresolved, "import the downstream pipeline on its own to see its steps", "the downstream pipeline %s triggered by job %q is a linked step; its jobs are not expanded", what, j.name)
	}
	st.Description = im.scriptSummary(n)
	im.environment(j, &st, &notes)
	words := j.name
	switch {
	case rollbackWord().MatchString(words):
		st.Kind = relsop.KindRollback
	case j.onFail && st.Kind == relsop.KindAutomated:
		st.Kind = relsop.KindRollback
		im.assume("job %q, which runs when an earlier job fails, is a rollback or contingency path", j.name)
	case notifyWord().MatchString(words) && st.Kind == relsop.KindAutomated:
		st.Kind = relsop.KindNotify
		st.Channel = "notification"
	}
	st.Notes = strings.Join(notes, "\n")
	for _, p := range n.Pairs {
		if !jobKeys[p.Key.Value] {
			im.group("job-key "+p.Key.Value, p.Key, importer.CodeUnmapped, "an SOP step records what is done and by whom, not how the runner is set up",
				"job keyword %s: is not imported", p.Key.Value)
		}
	}
	j.id = im.b.AddStep(st)
	j.entry = j.id
}

// environment reads environment: into a deploy, rollback or teardown step.
func (im *imp) environment(j *job, st *relsop.Step, notes *[]string) {
	env := im.deref(j.node.Get("environment"), 0)
	if env == nil {
		return
	}
	name, action, tier := env.Str(), "start", ""
	if env.Kind == ciyaml.Mapping {
		name = im.deref(env.Get("name"), 0).Str()
		if a := env.Get("action").Str(); a != "" {
			action = a
		}
		tier = env.Get("deployment_tier").Str()
		if s := env.Get("on_stop").Str(); s != "" {
			*notes = append(*notes, "The environment is stopped by job "+s+" (on_stop).")
		}
		for _, p := range env.Pairs {
			switch p.Key.Value {
			case "name", "action", "deployment_tier", "on_stop", "url":
			default:
				im.group("environment "+p.Key.Value, p.Key, importer.CodeUnmapped, "", "environment key %s: is not imported", p.Key.Value)
			}
		}
	}
	if name == "" {
		im.warn(env, importer.CodeUnmapped, "give the environment a name", "the environment of job %q has no name; the job is an automated step", j.name)
		return
	}
	if strings.Contains(name, "$") {
		im.assume("the environment %q is named at run time; it is one environment in the SOP", name)
	}
	prod := tier == "production" || (tier == "" && production().MatchString(name))
	id := importer.Slug(name)
	if id == "" {
		id = "environment"
	}
	st.Environment = im.b.Environment(id, name, prod)
	switch action {
	case "start":
		st.Kind = relsop.KindDeploy
		st.Name = "Deploy to " + name
		if importer.Slug(j.name) != id {
			st.Name += " (" + j.name + ")"
		}
	case "stop":
		st.Kind = relsop.KindAutomated
		*notes = append(*notes, "Tears the environment down (action: stop).")
		if !strings.Contains(strings.ToLower(j.name), "stop") {
			st.Name = "Stop " + name + " (" + j.name + ")"
		}
	default:
		*notes = append(*notes, "Acts on the environment without deploying (action: "+action+").")
	}
}

// conditions turns rules:, only: and except: into words.
func (im *imp) conditions(j *job) []string {
	var out []string
	for _, r := range im.list(j.node.Get("rules")) {
		out = append(out, ruleText(r))
		if r.Get("when").Str() == "manual" && !j.manual {
			j.manual = true
			// In rules, a manual job blocks unless allow_failure: true.
			j.blocking = r.Get("allow_failure").Str() != "true"
			im.assume("job %q is manual under some of its rules; its gate is drawn for every run", j.name)
		}
	}
	for _, k := range []string{"only", "except"} {
		v := im.deref(j.node.Get(k), 0)
		if v == nil {
			continue
		}
		var parts []string
		if v.Kind == ciyaml.Mapping {
			for _, p := range v.Pairs {
				parts = append(parts, p.Key.Value+": "+strings.Join(p.Value.Strings(), ", "))
			}
		} else {
			parts = v.Strings()
		}
		prefix := "only on "
		if k == "except" {
			prefix = "not on "
		}
		out = append(out, prefix+strings.Join(parts, "; "))
	}
	return out
}

func ruleText(r *ciyaml.Node) string {
	if r.Kind != ciyaml.Mapping {
		return r.Str()
	}
	var parts []string
	for _, p := range r.Pairs {
		v := strings.Join(p.Value.Strings(), ", ")
		if p.Value.Kind == ciyaml.Mapping {
			v = strings.Join(p.Value.Keys(), ", ")
		}
		parts = append(parts, p.Key.Value+": "+importer.OneLine(v))
	}
	return strings.Join(parts, "; ")
}

// scriptSummary lists the first commands of a job.
func (im *imp) scriptSummary(n *ciyaml.Node) string {
	const maxLines = 8
	var lines []string
	total := 0
	for _, k := range []string{"before_script", "script", "after_script"} {
		for _, it := range im.list(n.Get(k)) {
			for _, s := range it.Strings() {
				total++
				if len(lines) < maxLines {
					line := importer.OneLine(s)
					if len(line) > 120 {
						line = line[:117] + "..."
					}
					lines = append(lines, "- "+line)
				}
			}
		}
	}
	if len(lines) == 0 {
		return ""
	}
	if total > maxLines {
		lines = append(lines, fmt.Sprintf("- ... and %d more commands", total-maxLines))
	}
	return "Script:\n" + strings.Join(lines, "\n")
}

// connect turns needs: and the order of stages into flows.
func (im *imp) connect(start string) {
	byStage := map[int][]*job{}
	for _, j := range im.jobs {
		if !j.onFail {
			byStage[j.stage] = append(byStage[j.stage], j)
		}
	}
	for _, j := range im.jobs {
		if j.manual {
			im.gate(j)
		}
	}
	for _, j := range im.jobs {
		var preds []string
		if j.hasNeeds {
			for _, n := range j.needs {
				preds = append(preds, im.byName[n.Value].id)
			}
			if len(preds) == 0 && !j.onFail {
				preds = []string{start}
			}
		} else {
			preds = im.previousStage(j, byStage, start)
		}
		if j.onFail {
			for _, p := range preds {
				if st := im.b.Step(p); st != nil && st.OnFailure == "" && st.Kind != relsop.KindStart && st.Kind != relsop.KindGate {
					st.OnFailure = j.id
				}
			}
			continue
		}
		for _, p := range preds {
			im.b.Link(p, j.entry)
		}
	}
}

// previousStage returns what a job without needs: waits for: every job of
// the nearest earlier stage that has jobs, through one barrier step when
// both stages are wide, or the start.
func (im *imp) previousStage(j *job, byStage map[int][]*job, start string) []string {
	for s := j.stage - 1; s >= 0; s-- {
		prev := byStage[s]
		if len(prev) == 0 {
			continue
		}
		var ids []string
		for _, p := range prev {
			ids = append(ids, p.id)
		}
		followers := 0
		for _, f := range byStage[j.stage] {
			if !f.hasNeeds {
				followers++
			}
		}
		if len(prev) > 1 && followers > 1 && len(prev)*followers > 16 {
			return []string{im.barrier(s, ids)}
		}
		return ids
	}
	return []string{start}
}

// barrier is a step standing for "every job of stage s has finished",
// so that two wide stages are not joined by every pair of their jobs.
func (im *imp) barrier(s int, ids []string) string {
	if id, ok := im.barriers[s]; ok {
		return id
	}
	name := strings.TrimPrefix(im.stages[s], ".")
	id := im.b.AddStep(relsop.Step{ID: "stage-" + importer.Slug(name) + "-done", Name: "Complete stage " + name, Kind: relsop.KindAutomated,
		Owner: rolePipeline, Phase: im.phase(s), Notes: "Every job of the stage has finished: GitLab starts the next stage only then."})
	for _, p := range ids {
		im.b.Link(p, id)
	}
	im.barriers[s] = id
	return id
}

// gate puts a manual approval in front of job j.
func (im *imp) gate(j *job) {
	owner := im.b.Role(roleMaintainer, "Maintainer", "Runs the pipeline's manual jobs: decides when a manual deploy or action goes ahead.")
	st := im.b.Step(j.id)
	what := st.Name
	kind := "optional: the pipeline goes on without it"
	if j.blocking {
		kind = "blocking: the pipeline waits for it"
	}
	g := relsop.Step{ID: "approve-" + j.id, Name: "Approve " + strings.ToLower(what[:1]) + what[1:], Kind: relsop.KindGate, Owner: owner,
		Phase: st.Phase, Approvers: []string{owner},
		Criteria: []string{"A person with permission to run the job starts it (when: manual)"},
		Notes:    "Manual job, " + kind + "."}
	g.Outcomes = []relsop.Outcome{{Label: "go", To: j.id}}
	j.entry = im.b.AddStep(g)
}

// gates gives each manual gate its other outcome, now that the flows are
// known: a blocking gate stops the release, an optional one skips the job.
func (im *imp) gates() {
	for _, j := range im.jobs {
		if !j.manual {
			continue
		}
		g := im.b.Step(j.entry)
		if j.blocking {
			if im.stop == "" {
				im.stop = im.b.AddStep(relsop.Step{ID: "release-stopped", Name: "Stop the release", Kind: relsop.KindEnd, Owner: roleMaintainer, Phase: g.Phase})
				g = im.b.Step(j.entry)
			}
			g.Outcomes = append(g.Outcomes, relsop.Outcome{Label: "no-go", To: im.stop})
			continue
		}
		skip := im.end
		if next := im.b.Step(j.id).Next; len(next) > 0 {
			skip = next[0]
		}
		// no-go skips the job: the pipeline goes on without it.
		g.Outcomes = append(g.Outcomes, relsop.Outcome{Label: "no-go", To: skip})
	}
}

func notes(assumptions, unresolved []string) string {
	s := "Imported from a GitLab CI/CD configuration; review owners, approvals and rollback paths."
	if len(assumptions) > 0 {
		a := append([]string(nil), assumptions...)
		sort.Strings(a)
		s += "\nAssumptions made by the import:\n- " + strings.Join(a, "\n- ")
	}
	if len(unresolved) > 0 {
		s += "\nNot resolved (their jobs are not in this SOP):\n- " + strings.Join(unresolved, "\n- ")
	}
	return s
}

// readJobs collects the jobs of the configuration; with hidden, the hidden
// jobs (templates) instead. Keywords are reported on the first pass only.
func (im *imp) readJobs(root *ciyaml.Node, hidden bool) error {
	var templates []*ciyaml.Node
	for _, p := range root.Pairs {
		k := p.Key.Value
		if kind, ok := keywords[k]; ok && kind != "job" {
			if kind == "" && !hidden {
				im.warn(p.Key, importer.CodeUnmapped, "an SOP records the procedure, not the runners' settings", "global keyword %s: is not imported", k)
			}
			continue
		}
		if strings.HasPrefix(k, ".") != hidden {
			if !hidden {
				templates = append(templates, p.Key)
			}
			continue
		}
		if p.Value.Kind != ciyaml.Mapping {
			if !hidden {
				im.warn(p.Key, importer.CodeUnmapped, "a job is a mapping with script:, trigger: or extends:", "top-level key %s: is %s, not a job; not imported", k, p.Value.Describe())
			}
			continue
		}
		node, err := im.resolveExtends(k, nil)
		if err != nil {
			return err
		}
		if w := im.deref(node.Get("when"), 0).Str(); w == "never" {
			im.warn(p.Key, importer.CodeUnmapped, "", "job %q has when: never and never runs; not imported", k)
			continue
		}
		j := &job{name: k, key: p.Key, node: node}
		im.jobs = append(im.jobs, j)
		im.byName[k] = j
	}
	if len(im.jobs) > 0 {
		for _, t := range templates {
			im.group("hidden-job", t, importer.CodeUnmapped, "hidden jobs reach the SOP through the jobs that extend or reference them",
				"hidden job %s is a template GitLab does not run; it is not a step", t.Value)
		}
	}
	return nil
}
