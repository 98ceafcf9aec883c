package edit

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/compile"
	"github.com/relsop/relsop/internal/format"
	"github.com/relsop/relsop/internal/syntax"
	"github.com/relsop/relsop/internal/templates"
)

// yamlEdit is a hand edit of a file, made on its syntax tree the way a
// person edits the YAML text: it knows nothing of ApplyOps. sop is the
// file's model, to choose what to edit.
type yamlEdit func(t *testing.T, y *yamlDoc)

type yamlDoc struct {
	root *syntax.Node
	sop  *relsop.SOP
}

func (y *yamlDoc) step(t *testing.T, id string) *syntax.Node {
	t.Helper()
	for _, it := range y.root.Get("steps").Items {
		if scalar(it, "id") == id {
			return it
		}
	}
	t.Fatalf("no step %q", id)
	return nil
}

func (y *yamlDoc) item(t *testing.T, list, id string) *syntax.Node {
	t.Helper()
	for _, it := range y.root.Get(list).Items {
		if scalar(it, "id") == id {
			return it
		}
	}
	t.Fatalf("no %s item %q", list, id)
	return nil
}

// plainStep is the first step that is no start, end, gate or deploy step
// and leads to exactly one step.
func (y *yamlDoc) plainStep(t *testing.T) *relsop.Step {
	t.Helper()
	for i := range y.sop.Steps {
		st := &y.sop.Steps[i]
		switch st.Kind {
		case relsop.KindTask, relsop.KindAutomated, relsop.KindNotify:
			if len(st.Next) == 1 {
				return st
			}
		}
	}
	t.Fatal("no plain step")
	return nil
}

func (y *yamlDoc) gate(t *testing.T) *relsop.Step {
	t.Helper()
	for i := range y.sop.Steps {
		if y.sop.Steps[i].IsGate() {
			return &y.sop.Steps[i]
		}
	}
	t.Fatal("no gate")
	return nil
}

func otherThan[T any](list []T, id func(T) string, not string) string {
	for _, x := range list {
		if id(x) != not {
			return id(x)
		}
	}
	return ""
}

// mutate makes a hand edit on src and returns the edited file, which must
// load.
func mutate(t *testing.T, src []byte, e yamlEdit) []byte {
	t.Helper()
	loaded := compile.Load(src)
	if len(loaded.Errors) > 0 {
		t.Fatalf("the original does not load:%s", findings(loaded.Errors))
	}
	e(t, &yamlDoc{root: loaded.Tree.Root, sop: loaded.SOP})
	out := format.Format(loaded.Tree)
	if errs := compile.Load(out).Errors; len(errs) > 0 {
		t.Fatalf("the hand edit does not load:%s", findings(errs))
	}
	return out
}

// handEdits are the edits people make in the YAML tab, written so that
// they fit any template.
var handEdits = []struct {
	name       string
	edit       yamlEdit
	invertible bool // whether undoing it can be merged too
}{
	{"rename a step", func(t *testing.T, y *yamlDoc) {
		set(y.step(t, y.plainStep(t).ID), "name", strNode("A renamed step"))
	}, true},
	{"change owner, phase and kind", func(t *testing.T, y *yamlDoc) {
		st := y.plainStep(t)
		n := y.step(t, st.ID)
		set(n, "owner", strNode(otherThan(y.sop.Roles, func(r relsop.Role) string { return r.ID }, st.Owner)))
		set(n, "phase", strNode(otherThan(y.sop.Phases, func(p relsop.Phase) string { return p.ID }, st.Phase)))
		kind := "notify"
		if st.Kind == relsop.KindNotify {
			kind = "task"
		}
		set(n, "kind", strNode(kind))
	}, true},
	{"turn a step into a deploy step", func(t *testing.T, y *yamlDoc) {
		n := y.step(t, y.plainStep(t).ID)
		set(n, "kind", strNode("deploy"))
		set(n, "environment", strNode(y.sop.Environments[0].ID))
	}, true},
	{"change and drop descriptions and lists", func(t *testing.T, y *yamlDoc) {
		n := y.step(t, y.plainStep(t).ID)
		set(n, "description", strNode("A new description\nover two lines."))
		del(n, "evidence")
		set(n, "duration", strNode("45m"))
		set(n, "notes", strNode("Ask first."))
	}, true},
	{"change criteria and approvers of a gate", func(t *testing.T, y *yamlDoc) {
		n := y.step(t, y.gate(t).ID)
		set(n, "criteria", listNode("All checks green", "No open sev-1"))
		set(n, "approvers", listNode(y.sop.Roles[len(y.sop.Roles)-1].ID, y.sop.Roles[0].ID))
	}, true},
	{"change the SOP's title, version, owner and notes", func(t *testing.T, y *yamlDoc) {
		set(y.root, "title", strNode("A new title"))
		set(y.root, "version", strNode("9.1"))
		set(y.root, "owner", strNode(y.sop.Roles[len(y.sop.Roles)-1].ID))
		set(y.root, "notes", strNode("Reviewed again."))
	}, true},
	{"rename a role and a phase", func(t *testing.T, y *yamlDoc) {
		set(y.item(t, "roles", y.sop.Roles[1].ID), "name", strNode("Renamed role"))
		set(y.item(t, "phases", y.sop.Phases[1].ID), "name", strNode("Renamed phase"))
		set(y.item(t, "environments", y.sop.Environments[0].ID), "description", strNode("Where it starts."))
	}, true},
	{"add a step between two others", func(t *testing.T, y *yamlDoc) {
		st := y.plainStep(t)
		insertStep(t, y, st.ID, mapNode("id", strNode("extra-check"), "name", strNode("Extra check"), "kind", strNode("automated"),
			"owner", strNode(st.Owner), "phase", strNode(st.Phase), "tool", strNode("make check"), "next", strNode(st.Next[0])))
		set(y.step(t, st.ID), "next", strNode("extra-check"))
	}, true},
	{"add a gate and a deploy step between two others", func(t *testing.T, y *yamlDoc) {
		st := y.plainStep(t)
		env := y.sop.Environments[len(y.sop.Environments)-1].ID
		insertStep(t, y, st.ID,
			mapNode("id", strNode("extra-gate"), "name", strNode("Extra gate"), "kind", strNode("gate"), "owner", strNode(y.sop.Roles[0].ID),
				"phase", strNode(st.Phase), "criteria", listNode("Looks good"), "outcomes", mapNode("approved", strNode("extra-deploy"), "rejected", strNode(st.ID))),
			mapNode("id", strNode("extra-deploy"), "name", strNode("Extra deploy"), "kind", strNode("deploy"), "owner", strNode(st.Owner),
				"environment", strNode(env), "next", strNode(st.Next[0])))
		set(y.step(t, st.ID), "next", strNode("extra-gate"))
	}, true},
	{"add a step with no owner at the end of the file", func(t *testing.T, y *yamlDoc) {
		st := y.plainStep(t)
		steps := y.root.Get("steps")
		steps.Items = append(steps.Items, mapNode("id", strNode("late-step"), "name", strNode("Late step"), "next", strNode(st.Next[0])))
		set(y.step(t, st.ID), "next", listNode(st.Next[0], "late-step"))
	}, true},
	// Undoing it adds the step back, which cannot be merged when the step
	// had fields set cannot give it (raci, on_failure): the templates'
	// steps have them.
	{"remove a step", func(t *testing.T, y *yamlDoc) {
		removeSomeStep(t, y)
	}, false},
	{"add a flow between steps", func(t *testing.T, y *yamlDoc) {
		st := y.plainStep(t)
		target := ""
		for _, s := range y.sop.Steps {
			if s.ID != st.ID && s.Kind != relsop.KindStart && !slices.Contains(st.Next, s.ID) {
				target = s.ID
				break
			}
		}
		set(y.step(t, st.ID), "next", listNode(append(slices.Clone(st.Next), target)...))
	}, true},
	{"change the outcomes of a gate", func(t *testing.T, y *yamlDoc) {
		g := y.gate(t)
		n := y.step(t, g.ID)
		outs := n.Get("outcomes")
		outs.Pairs[0].Key.Value = "approved"
		set(outs, "needs-work", strNode(y.plainStep(t).ID))
	}, true},
	{"add a role and give it a step", func(t *testing.T, y *yamlDoc) {
		roles := y.root.Get("roles")
		roles.Items = append(roles.Items, mapNode("id", strNode("hypercare-lead"), "name", strNode("Hypercare Lead"), "description", strNode("Watches the first week.")))
		set(y.step(t, y.plainStep(t).ID), "owner", strNode("hypercare-lead"))
	}, false},
	{"several edits at once", func(t *testing.T, y *yamlDoc) {
		st := y.plainStep(t)
		set(y.root, "title", strNode("Several edits"))
		roles := y.root.Get("roles")
		roles.Items = append(roles.Items, mapNode("id", strNode("auditor"), "name", strNode("Auditor")))
		insertStep(t, y, st.ID, mapNode("id", strNode("audit"), "name", strNode("Audit"), "owner", strNode("auditor"),
			"phase", strNode(st.Phase), "next", strNode(st.Next[0])))
		set(y.step(t, st.ID), "next", strNode("audit"))
		set(y.step(t, y.gate(t).ID), "approvers", listNode("auditor"))
	}, false},
}

// insertStep puts step nodes into the file after step after.
func insertStep(t *testing.T, y *yamlDoc, after string, nodes ...*syntax.Node) {
	t.Helper()
	steps := y.root.Get("steps")
	i := slices.IndexFunc(steps.Items, func(n *syntax.Node) bool { return scalar(n, "id") == after })
	if i < 0 {
		t.Fatalf("no step %q", after)
	}
	steps.Items = slices.Insert(steps.Items, i+1, nodes...)
}

// removeSomeStep removes a plain step no failure path, escalation, release
// type or ignore entry names, leading the flows into it on to its next.
func removeSomeStep(t *testing.T, y *yamlDoc) {
	t.Helper()
	named := func(id string) bool {
		for _, s := range y.sop.Steps {
			if s.OnFailure == id || s.Escalation != nil && s.Escalation.To == id {
				return true
			}
		}
		for _, rt := range y.sop.ReleaseTypes {
			if strings.Contains(fmt.Sprintf("%+v", rt), id) {
				return true
			}
		}
		return slices.ContainsFunc(y.sop.Ignore, func(ig relsop.Ignore) bool { return ig.Step == id })
	}
	for _, st := range y.sop.Steps {
		if st.Kind == relsop.KindStart || st.Kind == relsop.KindEnd || st.IsGate() || len(st.Next) != 1 || named(st.ID) {
			continue
		}
		steps := y.root.Get("steps")
		steps.Items = slices.DeleteFunc(steps.Items, func(n *syntax.Node) bool { return scalar(n, "id") == st.ID })
		for _, n := range steps.Items {
			retarget(n, scalar(n, "id"), st.ID, st.Next, st.Next[0])
		}
		return
	}
	t.Fatal("no step to remove")
}

// checkDiff checks DiffOps's contract on one pair: it gives operations,
// the same each time, that turn from into an SOP that means what to
// means.
func checkDiff(t *testing.T, from, to []byte) []Op {
	t.Helper()
	ops, err := DiffOps(from, to)
	if err != nil {
		t.Fatalf("DiffOps: %v", err)
	}
	again, _ := DiffOps(from, to)
	if !reflect.DeepEqual(ops, again) {
		t.Errorf("DiffOps is not deterministic:\n%v\n%v", ops, again)
	}
	if len(ops) == 0 {
		if !sameSOP(compile.Load(from).SOP, compile.Load(to).SOP) {
			t.Fatal("no operations for different SOPs")
		}
		return ops
	}
	res, err := ApplyOps(from, ops)
	if err != nil {
		t.Fatalf("ApplyOps(from, DiffOps(from, to)): %v\nops: %+v", err, ops)
	}
	got, want := compile.Load(res.Source).SOP, compile.Load(to).SOP
	if !sameSOP(got, want) {
		t.Fatalf("the result differs from to: %v\nops: %+v", remaining(got, want), ops)
	}
	return ops
}

func TestDiffOpsTemplates(t *testing.T) {
	for _, name := range templates.Names() {
		tp, _ := templates.Get(name)
		for _, he := range handEdits {
			t.Run(name+"/"+he.name, func(t *testing.T) {
				to := mutate(t, tp.Source, he.edit)
				if ops := checkDiff(t, tp.Source, to); len(ops) == 0 {
					t.Fatal("no operations for an edit")
				}
				if !he.invertible {
					return
				}
				undo, err := InverseOps(tp.Source, to)
				if err != nil {
					t.Fatalf("InverseOps: %v", err)
				}
				res, err := ApplyOps(to, undo)
				if err != nil {
					t.Fatalf("ApplyOps(to, undo): %v", err)
				}
				if got := compile.Load(res.Source).SOP; !sameSOP(got, compile.Load(tp.Source).SOP) {
					t.Fatalf("undo does not give the original back: %v", remaining(got, compile.Load(tp.Source).SOP))
				}
			})
		}
	}
}

func TestDiffOpsExample(t *testing.T) {
	src := loadExample(t)
	tests := []struct {
		name string
		edit yamlEdit
		want []Op
	}{
		{"set a field", func(t *testing.T, y *yamlDoc) { set(y.step(t, "freeze"), "name", strNode("Freeze")) },
			[]Op{{Op: "set", Kind: "step", ID: "freeze", Field: "name", Value: "Freeze"}}},
		{"delete a field", func(t *testing.T, y *yamlDoc) { del(y.step(t, "deploy-prod"), "duration") },
			[]Op{{Op: "set", Kind: "step", ID: "deploy-prod", Field: "duration", Value: ""}}},
		{"a step between two others", func(t *testing.T, y *yamlDoc) {
			insertStep(t, y, "freeze", mapNode("id", strNode("scan"), "name", strNode("Scan"), "kind", strNode("automated"),
				"owner", strNode("ci"), "phase", strNode("plan"), "next", strNode("deploy-staging")))
			set(y.step(t, "freeze"), "next", strNode("scan"))
		}, []Op{{Op: "add_step", After: "freeze", Step: &NewStep{ID: "scan", Name: "Scan", Kind: "automated", Owner: "ci", Phase: "plan"}}}},
		{"remove a step", func(t *testing.T, y *yamlDoc) {
			steps := y.root.Get("steps")
			steps.Items = slices.DeleteFunc(steps.Items, func(n *syntax.Node) bool { return scalar(n, "id") == "notify-incident" })
			set(y.step(t, "rollback"), "next", strNode("open-incident"))
		}, []Op{{Op: "remove_step", ID: "notify-incident"}}},
		{"remove a step a release type names", func(t *testing.T, y *yamlDoc) {
			steps := y.root.Get("steps")
			steps.Items = slices.DeleteFunc(steps.Items, func(n *syntax.Node) bool { return scalar(n, "id") == "freeze" })
			set(y.step(t, "start"), "next", strNode("deploy-staging"))
			del(y.item(t, "release_types", "emergency"), "remove")
		}, []Op{{Op: "remove_step", ID: "freeze"}}},
		{"remove a step and lead on elsewhere", func(t *testing.T, y *yamlDoc) {
			steps := y.root.Get("steps")
			steps.Items = slices.DeleteFunc(steps.Items, func(n *syntax.Node) bool { return scalar(n, "id") == "notify-incident" })
			set(y.step(t, "rollback"), "next", strNode("end"))
		}, []Op{{Op: "remove_step", ID: "notify-incident"}, {Op: "connect", From: "rollback", To: "end"}, {Op: "disconnect", From: "rollback", To: "open-incident"}}},
		{"a role before the others", func(t *testing.T, y *yamlDoc) {
			roles := y.root.Get("roles")
			roles.Items = slices.Insert(roles.Items, 0, mapNode("id", strNode("auditor"), "name", strNode("Auditor")))
		}, []Op{{Op: "add_role", Before: "release-manager", Role: &NewRole{ID: "auditor", Name: "Auditor"}}}},
		{"remove a role once its steps have another owner", func(t *testing.T, y *yamlDoc) {
			roles := y.root.Get("roles")
			roles.Items = slices.DeleteFunc(roles.Items, func(n *syntax.Node) bool { return scalar(n, "id") == "ci" })
			for _, st := range y.root.Get("steps").Items {
				if scalar(st, "owner") == "ci" {
					set(st, "owner", strNode("developer"))
				}
			}
		}, nil},
		{"a phase at the end", func(t *testing.T, y *yamlDoc) {
			ph := y.root.Get("phases")
			ph.Items = append(ph.Items, mapNode("id", strNode("hypercare"), "name", strNode("Hypercare")))
		}, []Op{{Op: "add_phase", After: "post-release", Phase: &NewPhase{ID: "hypercare", Name: "Hypercare"}}}},
		{"a phase first, and one between two others with a step in it", func(t *testing.T, y *yamlDoc) {
			ph := y.root.Get("phases")
			ph.Items = slices.Insert(ph.Items, 2, mapNode("id", strNode("schedule"), "name", strNode("Schedule"), "description", strNode("Book the window.")))
			ph.Items = slices.Insert(ph.Items, 0, mapNode("id", strNode("intake"), "name", strNode("Intake")))
			set(y.step(t, "go-no-go"), "phase", strNode("schedule"))
		}, []Op{
			{Op: "add_phase", Before: "plan", Phase: &NewPhase{ID: "intake", Name: "Intake"}},
			{Op: "add_phase", After: "test", Phase: &NewPhase{ID: "schedule", Name: "Schedule", Description: "Book the window."}},
			{Op: "set", Kind: "step", ID: "go-no-go", Field: "phase", Value: "schedule"},
		}},
		{"remove a phase once its steps have moved", func(t *testing.T, y *yamlDoc) {
			ph := y.root.Get("phases")
			ph.Items = slices.DeleteFunc(ph.Items, func(n *syntax.Node) bool { return scalar(n, "id") == "approve" })
			for _, st := range y.root.Get("steps").Items {
				if scalar(st, "phase") == "approve" {
					set(st, "phase", strNode("test"))
				}
			}
		}, []Op{{Op: "set", Kind: "step", ID: "go-no-go", Field: "phase", Value: "test"}, {Op: "remove_phase", ID: "approve"}}},
		{"a production environment before production", func(t *testing.T, y *yamlDoc) {
			env := y.root.Get("environments")
			env.Items = slices.Insert(env.Items, 1, mapNode("id", strNode("canary"), "name", strNode("Canary"),
				"production", &syntax.Node{Kind: syntax.Scalar, Type: syntax.Bool, Value: "true"}))
		}, []Op{{Op: "add_environment", After: "staging", Environment: &NewEnvironment{ID: "canary", Name: "Canary", Production: true}}}},
		{"remove an environment", func(t *testing.T, y *yamlDoc) {
			env := y.root.Get("environments")
			env.Items = slices.DeleteFunc(env.Items, func(n *syntax.Node) bool { return scalar(n, "id") == "staging" })
			set(y.step(t, "deploy-staging"), "environment", strNode("production"))
		}, []Op{{Op: "set", Kind: "step", ID: "deploy-staging", Field: "environment", Value: "production"}, {Op: "remove_environment", ID: "staging"}}},
		{"swap two roles", func(t *testing.T, y *yamlDoc) {
			roles := y.root.Get("roles")
			roles.Items[0], roles.Items[1] = roles.Items[1], roles.Items[0]
		}, []Op{{Op: "move_role", ID: "release-manager", After: "developer"}}},
		{"a role moved first", func(t *testing.T, y *yamlDoc) {
			roles := y.root.Get("roles")
			last := roles.Items[len(roles.Items)-1]
			roles.Items = slices.Insert(roles.Items[:len(roles.Items)-1], 0, last)
		}, []Op{{Op: "move_role", ID: "sre", Before: "release-manager"}}},
		{"a phase moved last", func(t *testing.T, y *yamlDoc) {
			ph := y.root.Get("phases")
			ph.Items = append(ph.Items[1:], ph.Items[0])
		}, []Op{{Op: "move_phase", ID: "plan", After: "post-release"}}},
		{"phases reversed", func(t *testing.T, y *yamlDoc) {
			slices.Reverse(y.root.Get("phases").Items)
		}, []Op{
			{Op: "move_phase", ID: "deploy", After: "post-release"},
			{Op: "move_phase", ID: "approve", After: "deploy"},
			{Op: "move_phase", ID: "test", After: "approve"},
			{Op: "move_phase", ID: "plan", After: "test"},
		}},
		{"a new role first and another moved next to it", func(t *testing.T, y *yamlDoc) {
			roles := y.root.Get("roles")
			i := slices.IndexFunc(roles.Items, func(n *syntax.Node) bool { return scalar(n, "id") == "qa" })
			qa := roles.Items[i]
			roles.Items = slices.Delete(roles.Items, i, i+1)
			roles.Items = slices.Insert(roles.Items, 0, mapNode("id", strNode("auditor"), "name", strNode("Auditor")), qa)
		}, []Op{
			{Op: "move_role", ID: "qa", Before: "release-manager"},
			{Op: "add_role", Before: "qa", Role: &NewRole{ID: "auditor", Name: "Auditor"}},
		}},
		{"a RACI for a step without one", func(t *testing.T, y *yamlDoc) {
			set(y.step(t, "freeze"), "raci", mapNode("accountable", listNode("release-manager"), "informed", listNode("qa", "sre")))
		}, []Op{
			{Op: "set", Kind: "step", ID: "freeze", Field: "raci.accountable", Value: []string{"release-manager"}},
			{Op: "set", Kind: "step", ID: "freeze", Field: "raci.informed", Value: []string{"qa", "sre"}},
		}},
		{"an escalation changes who and when, and where it leads", func(t *testing.T, y *yamlDoc) {
			set(y.step(t, "go-no-go"), "escalation", mapNode("role", strNode("release-manager"), "after", strNode("2h"), "to", strNode("rollback")))
		}, []Op{
			{Op: "set", Kind: "step", ID: "go-no-go", Field: "escalation.role", Value: "release-manager"},
			{Op: "set", Kind: "step", ID: "go-no-go", Field: "escalation.after", Value: "2h"},
			{Op: "set", Kind: "step", ID: "go-no-go", Field: "escalation.to", Value: "rollback"},
		}},
		{"a gate loses its escalation", func(t *testing.T, y *yamlDoc) {
			del(y.step(t, "go-no-go"), "escalation")
		}, []Op{
			{Op: "set", Kind: "step", ID: "go-no-go", Field: "escalation.after", Value: ""},
			{Op: "set", Kind: "step", ID: "go-no-go", Field: "escalation.role", Value: ""},
		}},
		{"a runbook link for a step", func(t *testing.T, y *yamlDoc) {
			links := &syntax.Node{Kind: syntax.Sequence}
			links.Items = append(links.Items, mapNode("title", strNode("Runbook"), "url", strNode("https://example.com/runbook")))
			set(y.step(t, "freeze"), "links", links)
		}, []Op{{Op: "set", Kind: "step", ID: "freeze", Field: "links", Value: []LinkValue{{Title: "Runbook", URL: "https://example.com/runbook"}}}}},
		{"the review's cadence changes and its date goes", func(t *testing.T, y *yamlDoc) {
			set(y.root, "review", mapNode("cadence", strNode("monthly")))
		}, []Op{
			{Op: "set", Kind: "sop", Field: "review.cadence", Value: "monthly"},
			{Op: "set", Kind: "sop", Field: "review.last_reviewed", Value: ""},
		}},
		{"reviewed today", func(t *testing.T, y *yamlDoc) {
			set(y.root.Get("review"), "last_reviewed", strNode("2026-11-26"))
		}, []Op{{Op: "set", Kind: "sop", Field: "review.last_reviewed", Value: "2026-11-26"}}},
		{"an exception for a step, and one taken back", func(t *testing.T, y *yamlDoc) {
			set(y.step(t, "freeze"), "exception", mapNode("reason", strNode("Agreed with the CAB."), "approved_by", strNode("release-manager")))
		}, []Op{
			{Op: "set", Kind: "step", ID: "freeze", Field: "exception.reason", Value: "Agreed with the CAB."},
			{Op: "set", Kind: "step", ID: "freeze", Field: "exception.approved_by", Value: "release-manager"},
		}},
		{"a release type's description, and the steps it skips", func(t *testing.T, y *yamlDoc) {
			major := y.item(t, "release_types", "major")
			set(major, "description", strNode("A train with a breaking change."))
			set(major, "remove", listNode("announce"))
			set(y.item(t, "release_types", "emergency"), "remove", listNode("freeze", "deploy-staging"))
		}, []Op{
			{Op: "set", Kind: "release_type", ID: "major", Field: "description", Value: "A train with a breaking change."},
			{Op: "set", Kind: "release_type", ID: "major", Field: "remove", Value: []string{"announce"}},
			{Op: "set", Kind: "release_type", ID: "emergency", Field: "remove", Value: []string{"freeze", "deploy-staging"}},
		}},
		{"a release type is no longer an emergency one", func(t *testing.T, y *yamlDoc) {
			del(y.item(t, "release_types", "emergency"), "emergency")
		}, []Op{{Op: "set", Kind: "release_type", ID: "emergency", Field: "emergency", Value: false}}},
		{"a new release type that skips a step", func(t *testing.T, y *yamlDoc) {
			types := y.root.Get("release_types")
			types.Items = append(types.Items, mapNode("id", strNode("patch"), "name", strNode("Patch"), "remove", listNode("announce")))
		}, []Op{
			{Op: "add_release_type", Type: &NewType{ID: "patch", Name: "Patch"}},
			{Op: "set", Kind: "release_type", ID: "patch", Field: "remove", Value: []string{"announce"}},
		}},
		{"a rollback path for the staging deploy, and none for monitoring", func(t *testing.T, y *yamlDoc) {
			set(y.step(t, "deploy-staging"), "on_failure", strNode("fix-defects"))
			del(y.step(t, "monitor"), "on_failure")
		}, []Op{
			{Op: "set", Kind: "step", ID: "deploy-staging", Field: "on_failure", Value: "fix-defects"},
			{Op: "set", Kind: "step", ID: "monitor", Field: "on_failure", Value: ""},
		}},
		{"staging becomes a production environment", func(t *testing.T, y *yamlDoc) {
			set(y.item(t, "environments", "staging"), "production", &syntax.Node{Kind: syntax.Scalar, Type: syntax.Bool, Value: "true"})
		}, []Op{{Op: "set", Kind: "environment", ID: "staging", Field: "production", Value: true}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			to := mutate(t, src, tt.edit)
			got := checkDiff(t, src, to)
			if tt.want != nil && !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ops = %s, want %s", opsString(got), opsString(tt.want))
			}
			// Undo is the difference the other way. Phases and
			// environments come and go both ways.
			if slices.ContainsFunc(tt.want, func(op Op) bool {
				return op.Phase != nil || op.Environment != nil || strings.HasPrefix(op.Op, "remove_") && op.Op != "remove_step" ||
					strings.HasPrefix(op.Op, "move_") || op.Kind == "environment" || strings.HasPrefix(op.Field, "raci.") || strings.HasPrefix(op.Field, "escalation.") || op.Field == "links" ||
					strings.HasPrefix(op.Field, "review.") || strings.HasPrefix(op.Field, "exception.") || op.Kind == "release_type" || op.Field == "on_failure"
			}) {
				checkDiff(t, to, src)
			}
		})
	}
}

func TestDiffOpsSame(t *testing.T) {
	src := loadExample(t)
	reformatted := strings.Replace(string(src), "  - id: freeze\n", "  # Freeze on Tuesday.\n  - id: freeze\n", 1)
	for name, to := range map[string][]byte{"identical": src, "comments and layout": []byte(reformatted)} {
		t.Run(name, func(t *testing.T) {
			ops, err := DiffOps(src, to)
			if err != nil || ops == nil || len(ops) != 0 {
				t.Errorf("DiffOps = %v, %v; want an empty list", ops, err)
			}
		})
	}
}

func TestDiffOpsUnsupported(t *testing.T) {
	src := loadExample(t)
	tests := []struct {
		name    string
		edit    yamlEdit
		reverse bool // the edit makes from, and to is the example
		want    string
	}{
		{"change a phase's id", func(t *testing.T, y *yamlDoc) {
			set(y.item(t, "phases", "approve"), "id", strNode("decide"))
			set(y.step(t, "go-no-go"), "phase", strNode("decide"))
		}, false, "Changing the id of the phase “approve” to “decide”"},
		{"change a role's id", func(t *testing.T, y *yamlDoc) {
			set(y.item(t, "roles", "ci"), "id", strNode("pipeline"))
			for _, st := range y.root.Get("steps").Items {
				if scalar(st, "owner") == "ci" {
					set(st, "owner", strNode("pipeline"))
				}
			}
		}, false, "Changing the id of the role “ci” to “pipeline”"},
		{"change a step id", func(t *testing.T, y *yamlDoc) {
			set(y.step(t, "notify-incident"), "id", strNode("notify-on-call"))
			set(y.step(t, "rollback"), "next", strNode("notify-on-call"))
		}, false, "Changing the id of the step “notify-incident” to “notify-on-call”"},
		{"change a field set cannot", func(t *testing.T, y *yamlDoc) {
			sources := &syntax.Node{Kind: syntax.Sequence}
			sources.Items = append(sources.Items, mapNode("kind", strNode("policy"), "title", strNode("Change policy")))
			set(y.root, "sources", sources)
		}, false, "Changing the sources of the SOP"},
		{"turn a task into a gate", func(t *testing.T, y *yamlDoc) {
			n := y.step(t, "freeze")
			set(n, "kind", strNode("gate"))
			del(n, "next")
			set(n, "outcomes", mapNode("go", strNode("deploy-staging")))
		}, false, "from task to gate"},
		{"change a release type's changed steps", func(t *testing.T, y *yamlDoc) {
			change := y.item(t, "release_types", "emergency").Get("change")
			set(change.Items[0], "approvers", listNode("sre", "release-manager"))
		}, false, "Changing the change of the release type “emergency”"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			from, to := src, mutate(t, src, tt.edit)
			if tt.reverse {
				from, to = to, from
			}
			ops, err := DiffOps(from, to)
			var ue *UnsupportedChangeError
			if !errors.As(err, &ue) {
				t.Fatalf("DiffOps = %s, %v; want an *UnsupportedChangeError", opsString(ops), err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
		})
	}
}

func TestDiffOpsDoesNotLoad(t *testing.T) {
	src := loadExample(t)
	broken := []byte(strings.Replace(string(src), "owner: developer", "owner: nobody", 1))
	for name, pair := range map[string][2][]byte{"from": {broken, src}, "to": {src, broken}} {
		t.Run(name, func(t *testing.T) {
			_, err := DiffOps(pair[0], pair[1])
			if err == nil || !strings.Contains(err.Error(), "does not load") || !strings.Contains(err.Error(), `"nobody"`) {
				t.Fatalf("err = %v", err)
			}
			var ue *UnsupportedChangeError
			if errors.As(err, &ue) {
				t.Error("a load error is no unsupported change")
			}
		})
	}
}

func TestUnsupportedChangeErrorMessage(t *testing.T) {
	tests := []struct {
		changes []string
		want    string
	}{
		{[]string{"adding the phase “hypercare”"}, "Adding the phase “hypercare” cannot be merged with others' edits; save the whole file to make it"},
		{[]string{"a", "b", "c"}, "A, b and c cannot be merged"},
		{[]string{"a", "b", "c", "d", "e", "f", "g"}, "A, b, c, d, e and 2 more change(s) cannot"},
	}
	for _, tt := range tests {
		if got := (&UnsupportedChangeError{Changes: tt.changes}).Error(); !strings.HasPrefix(got, tt.want) {
			t.Errorf("Error() = %q, want it to start with %q", got, tt.want)
		}
	}
}

func opsString(ops []Op) string {
	b, _ := json.Marshal(ops)
	return string(b)
}
