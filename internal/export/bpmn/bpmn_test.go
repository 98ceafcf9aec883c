package bpmn

import (
	"encoding/json"
	"encoding/xml"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/export/exporttest"
	"github.com/relsop/relsop/internal/testenv"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func TestGolden(t *testing.T) {
	exporttest.TemplateGoldens(t, ".bpmn", Export, *update)
}

// TestMapping checks what each part of an SOP becomes, read back with
// encoding/xml.
func TestMapping(t *testing.T) {
	sop := &relsop.SOP{ID: "m", Title: "Mapping",
		Roles:  []relsop.Role{{ID: "dev", Name: "Developer"}, {ID: "ci", Name: "CI"}},
		Phases: []relsop.Phase{{ID: "build", Name: "Build"}},
		Steps: []relsop.Step{
			{ID: "start", Name: "Start", Kind: relsop.KindStart, Owner: "dev", Phase: "build", Next: []string{"code"}},
			{ID: "code", Name: "Code", Kind: relsop.KindTask, Owner: "dev", Phase: "build", Next: []string{"test", "notify"}},
			{ID: "test", Name: "Test", Kind: relsop.KindAutomated, Owner: "ci", Phase: "build", Next: []string{"gate"}, OnFailure: "code"},
			{ID: "notify", Name: "Tell", Kind: relsop.KindNotify, Owner: "ci", Phase: "build", Next: []string{"gate"}},
			{ID: "gate", Name: "Ship?", Kind: relsop.KindGate, Owner: "dev", Phase: "build", Approvers: []string{"dev"}, Criteria: []string{"green"},
				Outcomes:   []relsop.Outcome{{Label: "go", To: "deploy"}, {Label: "no-go", To: "code"}},
				Escalation: &relsop.Escalation{Role: "ci", To: "end"}},
			{ID: "deploy", Name: "Deploy", Kind: relsop.KindDeploy, Owner: "ci", Phase: "build", Tool: "argo", Next: []string{"end"}, OnFailure: "roll"},
			{ID: "roll", Name: "Roll back", Kind: relsop.KindRollback, Owner: "dev", Phase: "build", Next: []string{"end"}},
			{ID: "end", Name: "End", Kind: relsop.KindEnd, Owner: "dev", Phase: "build"},
		}}
	var doc struct {
		Collab struct {
			Participant struct {
				Name string `xml:"name,attr"`
			} `xml:"participant"`
		} `xml:"collaboration"`
		Process struct {
			Lanes []struct {
				ID   string   `xml:"id,attr"`
				Name string   `xml:"name,attr"`
				Refs []string `xml:"flowNodeRef"`
			} `xml:"laneSet>lane"`
			Nodes []struct {
				XMLName xml.Name
				ID      string `xml:"id,attr"`
				Name    string `xml:"name,attr"`
				Default string `xml:"default,attr"`
				Doc     string `xml:"documentation"`
				Source  string `xml:"sourceRef,attr"`
				Target  string `xml:"targetRef,attr"`
				Cond    string `xml:"conditionExpression"`
			} `xml:",any"`
		} `xml:"process"`
	}
	if err := xml.Unmarshal(Export(sop), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Collab.Participant.Name != "Mapping" {
		t.Errorf("participant %q, want the SOP's title", doc.Collab.Participant.Name)
	}
	var lanes []string
	for _, l := range doc.Process.Lanes {
		lanes = append(lanes, l.Name+": "+strings.Join(l.Refs, " "))
	}
	wantLanes := []string{"Developer: start code gate roll end Gateway_fork_code Gateway_join_gate", "CI: test notify deploy"}
	if d := cmp.Diff(lanes, wantLanes); d != "" {
		t.Errorf("lanes (-got +want):\n%s", d)
	}
	var got []string
	docs := map[string]string{}
	for _, n := range doc.Process.Nodes {
		s := n.XMLName.Local + " " + n.ID
		if n.Source != "" {
			s = fmt.Sprintf("flow %s->%s", n.Source, n.Target)
		}
		if n.Name != "" {
			s += fmt.Sprintf(" %q", n.Name)
		}
		if n.Cond != "" {
			s += " if " + n.Cond
		}
		if n.Default != "" {
			s += " default " + n.Default
		}
		if n.XMLName.Local != "laneSet" {
			got = append(got, s)
		}
		docs[n.ID] = n.Doc
	}
	want := []string{
		`startEvent start "Start"`,
		`userTask code "Code"`,
		`serviceTask test "Test" default Flow_test_gate`,
		`sendTask notify "Tell"`,
		`exclusiveGateway gate "Ship?"`,
		`serviceTask deploy "Deploy" default Flow_deploy_end`,
		`userTask roll "Roll back"`,
		`endEvent end "End"`,
		`parallelGateway Gateway_fork_code`,
		`exclusiveGateway Gateway_join_gate`,
		`flow start->code`,
		`flow Gateway_fork_code->test`,
		`flow Gateway_fork_code->notify`,
		`flow code->Gateway_fork_code`,
		`flow test->Gateway_join_gate`,
		`flow test->code "failed" if failed`,
		`flow notify->Gateway_join_gate`,
		`flow gate->deploy "go" if outcome == "go"`,
		`flow gate->code "no-go" if outcome == "no-go"`,
		`flow gate->end "escalate" if escalated`,
		`flow deploy->end`,
		`flow deploy->roll "failed" if failed`,
		`flow roll->end`,
		`flow Gateway_join_gate->gate`,
		`group Group_build`,
	}
	if d := cmp.Diff(got, want); d != "" {
		t.Errorf("process (-got +want):\n%s", d)
	}
	for id, want := range map[string]string{
		"gate":             "Phase: Build\nApprovers: Developer\nCriterion: green\nEscalation path: CI decides when the gate is blocked or times out.",
		"Flow_deploy_roll": `Rollback path: taken when "Deploy" fails.`,
		"deploy":           "Phase: Build\nTool: argo",
	} {
		if docs[id] != want {
			t.Errorf("documentation of %s = %q, want %q", id, docs[id], want)
		}
	}
}

// outputs are every flow of every template, the hostile SOP and generated
// SOPs, written to files for the real tools.
func outputs(t *testing.T) (files []string, sops map[string]*relsop.SOP) {
	t.Helper()
	dir := t.TempDir()
	sops = map[string]*relsop.SOP{}
	add := func(name string, sop *relsop.SOP) {
		path := filepath.Join(dir, strings.ReplaceAll(name, "/", "-")+".bpmn")
		if err := os.WriteFile(path, Export(sop), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, path)
		sops[path] = sop
	}
	for _, f := range exporttest.Flows(t) {
		add(f.Name, f.SOP)
	}
	add("hostile", exporttest.HostileSOP())
	r := rand.New(rand.NewPCG(5, 5))
	for i := range 40 {
		add(fmt.Sprintf("generated-%02d", i), exporttest.RandomSOP(r))
	}
	return files, sops
}

// TestSchemaValid validates every output against the OMG BPMN 2.0 XSDs
// with xmllint.
func TestSchemaValid(t *testing.T) {
	xmllint := testenv.Tool(t, "xmllint")
	xsd := filepath.Join(testenv.SharedDir(t, "RELSOP_CORPUS", "corpus"), "bpmn", "xsd", "BPMN20.xsd")
	files, _ := outputs(t)
	out, err := exec.Command(xmllint, append([]string{"--noout", "--nonet", "--schema", xsd}, files...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("xmllint: %v\n%s", err, out)
	}
}

type checked struct {
	Warnings []string `json:"warnings"`
	Lint     []struct {
		Rule, ID, Message, Category string
	} `json:"lint"`
	Elements []struct {
		Type, ID      string
		Name          *string
		Documentation []string
		Condition     *string
		Source        string
	} `json:"elements"`
}

// TestBpmnlintAndModdle loads every output with bpmn-moddle (no warnings)
// and lints it with bpmnlint's recommended rules (no errors). Warnings of
// fake-join are expected: a task several flows lead to is how an SOP is
// written, and BPMN reads it as an exclusive merge.
func TestBpmnlintAndModdle(t *testing.T) {
	files, sops := outputs(t)
	var results map[string]checked
	if err := json.Unmarshal(exporttest.Node(t, "bpmn-check.mjs", nil, files...), &results); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		res, ok := results[f]
		if !ok {
			t.Fatalf("no result for %s", f)
		}
		name := filepath.Base(f)
		for _, w := range res.Warnings {
			t.Errorf("%s: bpmn-moddle: %s", name, w)
		}
		for _, l := range res.Lint {
			if l.Category == "error" || l.Rule != "fake-join" {
				t.Errorf("%s: bpmnlint %s: %s: %s [%s]", name, l.Category, l.ID, l.Message, l.Rule)
			}
		}
		steps := 0
		for _, e := range res.Elements {
			if sops[f].Step(e.ID) != nil {
				steps++
			}
		}
		if steps != len(sops[f].Steps) {
			t.Errorf("%s: bpmn-moddle read %d of the %d steps", name, steps, len(sops[f].Steps))
		}
	}
}

// TestHostileLabels checks that bpmn-moddle reads every hostile name back
// as the same text and no element appears that the SOP does not have.
func TestHostileLabels(t *testing.T) {
	sop := exporttest.HostileSOP()
	path := filepath.Join(t.TempDir(), "hostile.bpmn")
	if err := os.WriteFile(path, Export(sop), 0o644); err != nil {
		t.Fatal(err)
	}
	var results map[string]checked
	if err := json.Unmarshal(exporttest.Node(t, "bpmn-check.mjs", nil, path), &results); err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	types := map[string]int{}
	for _, e := range results[path].Elements {
		if e.Name != nil {
			names[e.ID] = *e.Name
		}
		types[e.Type]++
	}
	for i, want := range exporttest.HostileNames {
		if got := names[fmt.Sprintf("s%d", i)]; got != want {
			t.Errorf("step s%d read back as %q, want %q", i, got, want)
		}
	}
	for id, want := range map[string]string{
		"Participant_hostile": sop.Title, "Lane_r1": sop.Roles[0].Name, "Lane_r2": sop.Roles[1].Name,
		"Flow_gate_end": sop.Steps[len(sop.Steps)-2].Outcomes[0].Label, "Flow_gate_s0": sop.Steps[len(sop.Steps)-2].Outcomes[1].Label,
	} {
		if names[id] != want {
			t.Errorf("%s read back as %q, want %q", id, names[id], want)
		}
	}
	wantTypes := map[string]int{"bpmn:Participant": 1, "bpmn:Lane": 2, "bpmn:StartEvent": 1, "bpmn:EndEvent": 1,
		"bpmn:UserTask": len(exporttest.HostileNames), "bpmn:ExclusiveGateway": 1, "bpmn:SequenceFlow": len(exporttest.HostileNames) + 3}
	if d := cmp.Diff(types, wantTypes); d != "" {
		t.Errorf("element counts (-got +want):\n%s", d)
	}
}

func TestEscape(t *testing.T) {
	tests := []struct{ in, text, attr string }{
		{`a<b>&"c"`, `a&lt;b&gt;&amp;"c"`, `a&lt;b&gt;&amp;&quot;c&quot;`},
		{"line\none\tx\r", "line\none\tx&#13;", "line&#10;one&#9;x&#13;"},
		{"nul\x00bell\x07bad\xffend", "nulbellbadend", "nulbellbadend"},
		{"]]> 日本", "]]&gt; 日本", "]]&gt; 日本"},
	}
	for _, tt := range tests {
		if got := escape(tt.in, false); got != tt.text {
			t.Errorf("escape(%q) = %q, want %q", tt.in, got, tt.text)
		}
		if got := escape(tt.in, true); got != tt.attr {
			t.Errorf("escape(%q, attr) = %q, want %q", tt.in, got, tt.attr)
		}
	}
	for in, want := range map[string]string{"ok-1.a_b": "ok-1.a_b", "1st": "_1st", "": "_", "a b:c/日": "a_b_c__"} {
		if got := ncName(in); got != want {
			t.Errorf("ncName(%q) = %q, want %q", in, got, want)
		}
	}
}
