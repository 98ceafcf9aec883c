package generate

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/goccy/go-yaml"
	"github.com/relsop/relsop/internal/lint"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// goldenBriefs are a sample of the test briefs whose whole SOP is kept as
// a golden file, so that any change to the planner's output is reviewed.
var goldenBriefs = []string{"saas-prose-canary", "itil-terse-cab", "healthcare-policy-part11", "mobile-terse-phased", "corpus-kubernetes", "iac-chat-k8s-upgrade"}

func TestGolden(t *testing.T) {
	for _, name := range goldenBriefs {
		t.Run(name, func(t *testing.T) {
			req := readBriefRequest(t, filepath.Join("testdata", "briefs", name+".yaml"))
			res, err := Generate(req)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", "golden", name+".sop.yaml")
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, res.YAML, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./internal/generate -run TestGolden -update to create it)", err)
			}
			if !bytes.Equal(res.YAML, want) {
				t.Errorf("the SOP for %s differs from %s; review the change and run with -update if it is right", name, path)
			}
		})
	}
}

// readBriefRequest reads the brief, policy, types and profile of a test
// brief file.
func readBriefRequest(t testing.TB, path string) Request {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Brief   string   `yaml:"brief"`
		Policy  string   `yaml:"policy"`
		Types   []string `yaml:"types"`
		Profile string   `yaml:"profile"`
	}
	if err := yaml.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	req := Request{Brief: f.Brief, Types: f.Types, Profile: lint.Profile(f.Profile)}
	if req.Profile == "" {
		req.Profile = lint.ProfileDefault
	}
	if f.Policy != "" {
		req.Policies = []string{f.Policy}
	}
	return req
}

// BenchmarkGenerate times built-in generation, lint included, over every
// test brief: the target is under 50 ms per brief.
func BenchmarkGenerate(b *testing.B) {
	paths, _ := filepath.Glob(filepath.Join("testdata", "briefs", "*.yaml"))
	var reqs []Request
	for _, p := range paths {
		reqs = append(reqs, readBriefRequest(b, p))
	}
	if len(reqs) == 0 {
		b.Fatal("no test briefs")
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Generate(reqs[i%len(reqs)]); err != nil {
			b.Fatal(err)
		}
	}
}
