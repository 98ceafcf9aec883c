package bpmn

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/compile"
	"github.com/relsop/relsop/internal/export/bpmn"
	"github.com/relsop/relsop/internal/importer/importertest"
	"github.com/relsop/relsop/internal/templates"
)

// summary is what a round trip must keep: roles, steps with their kinds,
// and every flow with its kind and label.
func summary(s *relsop.SOP) []string {
	var out []string
	for _, r := range s.Roles {
		out = append(out, "role "+r.ID+" "+r.Name)
	}
	for _, st := range s.Steps {
		out = append(out, fmt.Sprintf("step %s %q %s owner=%s", st.ID, st.Name, st.Kind, st.Owner))
	}
	for _, f := range s.Flows() {
		out = append(out, fmt.Sprintf("flow %s -> %s %s %q", f.From, f.To, f.Kind, f.Label))
	}
	sort.Strings(out)
	return out
}

// TestRoundTrip exports each template to BPMN and imports it again.
func TestRoundTrip(t *testing.T) {
	for _, tpl := range templates.All() {
		t.Run(tpl.Name, func(t *testing.T) {
			res := compile.Load(tpl.Source)
			if len(res.Errors) > 0 {
				t.Fatalf("template does not load: %v", res.Errors[0].Message)
			}
			xml := bpmn.Export(res.SOP)
			got, err := Import(tpl.Name+".bpmn", xml)
			if err != nil {
				t.Fatalf("import: %v", err)
			}
			importertest.Validate(t, got)
			if diff := cmp.Diff(summary(got.SOP), summary(res.SOP)); diff != "" {
				t.Errorf("round trip changed the SOP (-got +want):\n%s", diff)
			}
			var phases []string
			for _, p := range got.SOP.Steps {
				if want := res.SOP.Step(p.ID); want != nil && want.Phase != p.Phase {
					phases = append(phases, fmt.Sprintf("%s: %q, want %q", p.ID, p.Phase, want.Phase))
				}
				if want := res.SOP.Step(p.ID); want != nil && want.Environment != p.Environment {
					t.Errorf("%s: environment %q, want %q", p.ID, p.Environment, want.Environment)
				}
			}
			if len(phases) > 0 {
				t.Errorf("phases changed:\n%s", strings.Join(phases, "\n"))
			}
		})
	}
}

// TestCorpus imports every BPMN example of the shared corpus.
func TestCorpus(t *testing.T) {
	for _, path := range importertest.Corpus(t, "bpmn/examples") {
		t.Run(filepath.Base(path), func(t *testing.T) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			res, err := Import(path, src)
			if err != nil {
				t.Fatalf("import failed: %v", err)
			}
			importertest.Validate(t, res)
			if strings.Contains(path, "complex.bpmn") {
				found := false
				for _, w := range res.Warnings {
					found = found || strings.Contains(w.Message, "isCollection")
				}
				if !found {
					t.Error("the schema-invalid example gives no warning about isCollection")
				}
			}
		})
	}
}
