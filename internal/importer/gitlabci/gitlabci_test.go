package gitlabci

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/importer"
	"github.com/relsop/relsop/internal/importer/importertest"
)

func importFile(t *testing.T, path string) *importer.Result {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Import(path, src, Options{})
	if err != nil {
		t.Fatal(err)
	}
	importertest.Validate(t, res)
	return res
}

func TestImportPipeline(t *testing.T) {
	res := importFile(t, "testdata/pipeline.gitlab-ci.yml")
	s := res.SOP
	for _, tc := range []struct {
		step  string
		kind  relsop.StepKind
		phase string
	}{
		{"build", relsop.KindAutomated, "build"},
		{"unit", relsop.KindAutomated, "test"},
		{"deploy-staging", relsop.KindDeploy, "deploy"},
		{"approve-deploy-production", relsop.KindGate, "deploy"},
		{"deploy-production", relsop.KindDeploy, "deploy"},
		{"approve-canary", relsop.KindGate, "deploy"},
		{"rollback-production", relsop.KindRollback, "cleanup"},
		{"stop-staging", relsop.KindAutomated, "cleanup"},
	} {
		st := s.Step(tc.step)
		if st == nil {
			t.Errorf("no step %q", tc.step)
			continue
		}
		if st.Kind != tc.kind || st.Phase != tc.phase {
			t.Errorf("step %q is a %s in phase %q, want a %s in %q", tc.step, st.Kind, st.Phase, tc.kind, tc.phase)
		}
	}
	// The blocking manual job stops the release on no-go; the optional one
	// skips to what follows the job.
	if o := s.Step("approve-deploy-production").Outcome("no-go"); o == nil || o.To != "release-stopped" {
		t.Errorf("blocking gate's no-go: %+v", o)
	}
	if o := s.Step("approve-canary").Outcome("no-go"); o == nil || o.To == "release-stopped" {
		t.Errorf("optional gate's no-go should skip the job, got %+v", o)
	}
	if got := s.Step("deploy-production").OnFailure; got != "rollback-production" {
		t.Errorf("production deploy's on_failure is %q, want rollback-production", got)
	}
	if !s.Environment("production").Production {
		t.Error("production is not marked production")
	}
	// The local include gave extends: its template; !reference its script.
	if d := s.Step("deploy-staging").Description; !strings.Contains(d, `./deploy "$ENV"`) {
		t.Errorf("extends: from the include not applied: %q", d)
	}
	if d := s.Step("build").Description; !strings.Contains(d, "echo setup") {
		t.Errorf("!reference not resolved: %q", d)
	}
	if n := s.Step("start").Notes; !strings.Contains(n, "region (default eu-west-1)") {
		t.Errorf("spec inputs not noted: %q", n)
	}
	if d := s.Step("start").Description; !strings.Contains(d, "if: $CI_COMMIT_TAG") {
		t.Errorf("workflow rules not in the start conditions: %q", d)
	}
	if !strings.Contains(s.Notes, "remote include https://example.com/ci/security.yml") || !strings.Contains(s.Notes, "project include group/shared") {
		t.Errorf("unresolved includes not listed in the notes:\n%s", s.Notes)
	}
	var msgs []string
	for _, w := range res.Warnings {
		msgs = append(msgs, w.File+":"+w.Pos.String()+" "+w.Message)
	}
	all := strings.Join(msgs, "\n")
	for _, want := range []string{":24:3 job keyword artifacts:", "remote include", "ci/templates.yml:2:3 job keyword image:"} {
		if !strings.Contains(all, want) {
			t.Errorf("no warning %q in:\n%s", want, all)
		}
	}
}

func TestBadInput(t *testing.T) {
	for _, tc := range []struct {
		name, src, pos, msg string
	}{
		{"needs cycle", "a:\n  script: x\n  needs: [b]\nb:\n  script: x\n  needs: [a]\n", "6:11", "needs: form a cycle: a -> b -> a"},
		{"extends cycle", "a:\n  extends: .b\n  script: x\n.b:\n  extends: a\n", "", "extends: form a cycle"},
		{"malformed", "a:\n  script: [x\n", "", "YAML"},
		{"include escapes", "include: ../../etc/passwd\na:\n  script: x\n", "1:10", "leaves the directory"},
		{"not a mapping", "just text\n", "1:1", "must be a mapping"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Import("testdata/x.gitlab-ci.yml", []byte(tc.src), Options{})
			var ie *importer.Error
			if !errors.As(err, &ie) {
				t.Fatalf("got %v, want an import error", err)
			}
			if !strings.Contains(ie.Finding.Message, tc.msg) {
				t.Errorf("message %q does not say %q", ie.Finding.Message, tc.msg)
			}
			if tc.pos != "" && ie.Finding.Pos.String() != tc.pos {
				t.Errorf("position %s, want %s", ie.Finding.Pos, tc.pos)
			}
		})
	}
}

func TestStageBarrier(t *testing.T) {
	var b strings.Builder
	b.WriteString("stages: [build, test]\n")
	for i := 0; i < 6; i++ {
		b.WriteString("b" + string(rune('0'+i)) + ":\n  stage: build\n  script: x\n")
		b.WriteString("t" + string(rune('0'+i)) + ":\n  stage: test\n  script: x\n")
	}
	res, err := Import("p.yml", []byte(b.String()), Options{})
	if err != nil {
		t.Fatal(err)
	}
	importertest.Validate(t, res)
	bar := res.SOP.Step("stage-build-done")
	if bar == nil || len(bar.Next) != 6 {
		t.Fatalf("want a barrier step leading to the 6 test jobs, got %+v", bar)
	}
}

func FuzzImport(f *testing.F) {
	for _, p := range []string{"testdata/pipeline.gitlab-ci.yml", "testdata/ci/templates.yml"} {
		if src, err := os.ReadFile(p); err == nil {
			f.Add(src)
		}
	}
	f.Add([]byte("a:\n  script: x\n  needs: [a]\n"))
	f.Add([]byte("a:\n  script: !reference [a, script]\n  when: manual\n  environment: {name: prod, action: stop}\n"))
	files := map[string][]byte{}
	f.Fuzz(func(t *testing.T, src []byte) {
		opts := Options{Dir: "fuzz", ReadFile: func(p string) ([]byte, error) {
			if b, ok := files[p]; ok {
				return b, nil
			}
			return src, nil // includes read the input itself
		}}
		res, err := Import("fuzz/.gitlab-ci.yml", src, opts)
		if err != nil {
			var ie *importer.Error
			if !errors.As(err, &ie) || !ie.Finding.Pos.IsValid() {
				t.Fatalf("error without a position: %v", err)
			}
			return
		}
		importertest.Validate(t, res)
	})
}
