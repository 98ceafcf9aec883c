package mermaid

import (
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/export/exporttest"
	"github.com/relsop/relsop/internal/export/lanes"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func TestGolden(t *testing.T) {
	exporttest.TemplateGoldens(t, ".mmd", Export, *update)
}

// parsed is what tools/js/mermaid-check.mjs reports Mermaid read.
type parsed struct {
	Error  string         `json:"error"`
	Type   string         `json:"type"`
	Config map[string]any `json:"config"`
	Nodes  []struct {
		ID, Text, Type string
		Classes        []string
		Link           *string
	} `json:"nodes"`
	Subgraphs []struct {
		ID, Title string
		Nodes     []string
	} `json:"subgraphs"`
	Edges []struct {
		From, To, Text, Stroke string
		Style                  []string
	} `json:"edges"`
	Clicks   int `json:"clicks"`
	Tooltips int `json:"tooltips"`
}

// parse runs Mermaid on each SOP's export.
func parse(t *testing.T, sops map[string]*relsop.SOP) map[string]parsed {
	t.Helper()
	dir := t.TempDir()
	var files []string
	paths := map[string]string{}
	for name, sop := range sops {
		path := filepath.Join(dir, strings.ReplaceAll(name, "/", "-")+".mmd")
		if err := os.WriteFile(path, Export(sop), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, path)
		paths[path] = name
	}
	var res map[string]parsed
	if err := json.Unmarshal(exporttest.Node(t, "mermaid-check.mjs", nil, files...), &res); err != nil {
		t.Fatal(err)
	}
	out := map[string]parsed{}
	for path, p := range res {
		out[paths[path]] = p
	}
	return out
}

// TestMermaidAcceptsEverySOP parses every template flow and generated SOPs
// with the real Mermaid and checks it read every step, lane and flow, with
// rollback and escalation edges styled.
func TestMermaidAcceptsEverySOP(t *testing.T) {
	sops := map[string]*relsop.SOP{}
	for _, f := range exporttest.Flows(t) {
		sops[f.Name] = f.SOP
	}
	r := rand.New(rand.NewPCG(7, 7))
	for i := range 30 {
		sops[fmt.Sprintf("generated-%02d", i)] = exporttest.RandomSOP(r)
	}
	for name, p := range parse(t, sops) {
		sop := sops[name]
		if p.Error != "" {
			t.Errorf("%s: mermaid: %s", name, p.Error)
			continue
		}
		if len(p.Nodes) != len(sop.Steps) {
			t.Errorf("%s: mermaid read %d nodes, want %d", name, len(p.Nodes), len(sop.Steps))
		}
		if want := len(lanes.Of(sop)); len(p.Subgraphs) != want {
			t.Errorf("%s: mermaid read %d subgraphs, want %d", name, len(p.Subgraphs), want)
		}
		flows := lanes.Flows(sop)
		if len(p.Edges) != len(flows) {
			t.Errorf("%s: mermaid read %d edges, want %d", name, len(p.Edges), len(flows))
			continue
		}
		for i, f := range flows {
			e := p.Edges[i]
			styled := strings.Join(e.Style, ";")
			switch f.Kind {
			case relsop.FlowRollback:
				if !strings.Contains(styled, "#D55E00") {
					t.Errorf("%s: rollback %s->%s drawn with %q", name, f.From, f.To, styled)
				}
			case relsop.FlowEscalation:
				if !strings.Contains(styled, "#E69F00") {
					t.Errorf("%s: escalation %s->%s drawn with %q", name, f.From, f.To, styled)
				}
			default:
				if styled != "" {
					t.Errorf("%s: flow %s->%s styled %q", name, f.From, f.To, styled)
				}
			}
		}
	}
}

// TestMermaidReadsHostileLabelsAsText checks that Mermaid reads every
// hostile name back as the text it was, as a browser would show it, and
// that no label added a node, a click handler, a link or configuration.
func TestMermaidReadsHostileLabelsAsText(t *testing.T) {
	sop := exporttest.HostileSOP()
	p := parse(t, map[string]*relsop.SOP{"hostile": sop})["hostile"]
	if p.Error != "" {
		t.Fatalf("mermaid: %s", p.Error)
	}
	text := map[string]string{}
	for _, n := range p.Nodes {
		text[n.ID] = n.Text
		if n.Link != nil || len(n.Classes) != 1 {
			t.Errorf("node %s has link %v and classes %v", n.ID, n.Link, n.Classes)
		}
	}
	if len(p.Nodes) != len(sop.Steps) {
		t.Errorf("mermaid read %d nodes, want %d", len(p.Nodes), len(sop.Steps))
	}
	for i, want := range exporttest.HostileNames {
		if got := text[fmt.Sprintf("s_s%d", i)]; got != want {
			t.Errorf("step s%d read back as %q, want %q", i, got, want)
		}
	}
	for i, sg := range p.Subgraphs {
		if sg.Title != sop.Roles[i].Name {
			t.Errorf("lane %d read back as %q, want %q", i, sg.Title, sop.Roles[i].Name)
		}
	}
	gate := sop.Step("gate")
	var labels []string
	for _, e := range p.Edges {
		if e.Text != "" {
			labels = append(labels, e.Text)
		}
	}
	if want := []string{gate.Outcomes[0].Label, gate.Outcomes[1].Label}; fmt.Sprint(labels) != fmt.Sprint(want) {
		t.Errorf("edge labels read back as %q, want %q", labels, want)
	}
	if p.Clicks != 0 || p.Tooltips != 0 || len(p.Config) != 0 {
		t.Errorf("labels added %d click handlers, %d tooltips, configuration %v", p.Clicks, p.Tooltips, p.Config)
	}
	// The title is in the front matter, which Mermaid reads as YAML.
	src := string(Export(sop))
	front, _, _ := strings.Cut(strings.TrimPrefix(src, "---\n"), "\n---\n")
	var fm struct{ Title string }
	if err := yaml.Unmarshal([]byte(front), &fm); err != nil || fm.Title != sop.Title {
		t.Errorf("front matter title %q (%v), want %q", fm.Title, err, sop.Title)
	}
}

func TestLabel(t *testing.T) {
	for in, want := range map[string]string{
		"plain text":     `"plain text"`,
		`a "b" #c; <d>`:  `"a #34;b#34; #35;c#59; #60;d#62;"`,
		"x\ny\x00\xff":   `"x<br>y"`,
		"日本 🚀":           `"日本 🚀"`,
		"%%{init: {}}%%": `"#37;#37;#123;init#58; #123;#125;#125;#37;#37;"`,
	} {
		if got := label(in); got != want {
			t.Errorf("label(%q) = %s, want %s", in, got, want)
		}
	}
	ids := newIDs()
	for _, tt := range []struct{ in, want string }{{"a-b", "s_a_b"}, {"a_b", "s_a_b_2"}, {"end", "s_end"}, {"日", "s__"}} {
		if got := ids.Make("s_" + tt.in); got != tt.want {
			t.Errorf("id for %q = %q, want %q", tt.in, got, tt.want)
		}
	}
}
