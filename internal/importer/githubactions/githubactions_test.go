package githubactions

import (
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/importer"
	"github.com/relsop/relsop/internal/importer/importertest"
)

func TestImportRelease(t *testing.T) {
	src, err := os.ReadFile("testdata/release.yml")
	if err != nil {
		t.Fatal(err)
	}
	res, err := Import("testdata/release.yml", src)
	if err != nil {
		t.Fatal(err)
	}
	importertest.Validate(t, res)
	s := res.SOP
	for _, tc := range []struct {
		step  string
		kind  relsop.StepKind
		owner string
	}{
		{"start", relsop.KindStart, roleMaintainer},
		{"test", relsop.KindAutomated, rolePipeline},
		{"deploy-staging", relsop.KindDeploy, rolePipeline},
		{"approve-deploy-production", relsop.KindGate, roleApprover},
		{"deploy-production", relsop.KindDeploy, rolePipeline},
		{"rollback", relsop.KindRollback, rolePipeline},
		{"docs", relsop.KindAutomated, rolePipeline},
	} {
		st := s.Step(tc.step)
		if st == nil {
			t.Errorf("no step %q", tc.step)
			continue
		}
		if st.Kind != tc.kind || st.Owner != tc.owner {
			t.Errorf("step %q is a %s owned by %q, want a %s owned by %q", tc.step, st.Kind, st.Owner, tc.kind, tc.owner)
		}
	}
	if s.Step("approve-deploy-staging") != nil {
		t.Error("staging got an approval gate; only protected-looking environments should")
	}
	if got := s.Step("deploy-production").OnFailure; got != "rollback" {
		t.Errorf("production deploy's on_failure is %q, want rollback", got)
	}
	if got := s.Step("deploy-staging").Next; len(got) != 1 || got[0] != "approve-deploy-production" {
		t.Errorf("staging leads to %v, want the production approval gate", got)
	}
	if d := s.Step("start").Description; !strings.Contains(d, "tag matching v*") || !strings.Contains(d, "workflow_dispatch") {
		t.Errorf("start conditions miss the tag or the manual run:\n%s", d)
	}
	if n := s.Step("test").Notes; !strings.Contains(n, "matrix over os (2) x go (2), 4 combinations") {
		t.Errorf("matrix note: %q", n)
	}
	if l := s.Step("docs").Links; len(l) != 1 || l[0].URL != "./.github/workflows/docs.yml" {
		t.Errorf("reusable workflow link: %v", l)
	}
	if s.Step("build").SLA.String() != "30m" {
		t.Errorf("timeout-minutes gives the SLA %s, want 30m", s.Step("build").SLA)
	}
	if len(res.Assumptions) == 0 {
		t.Error("no assumptions listed")
	}
	// permissions:, secrets: and the reusable workflow are reported.
	var msgs []string
	for _, w := range res.Warnings {
		msgs = append(msgs, w.Pos.String()+" "+w.Message)
	}
	all := strings.Join(msgs, "\n")
	for _, want := range []string{"6:1 workflow key permissions:", "job key secrets:", "reusable workflow ./.github/workflows/docs.yml"} {
		if !strings.Contains(all, want) {
			t.Errorf("no warning %q in:\n%s", want, all)
		}
	}
}

func TestBadInput(t *testing.T) {
	for _, tc := range []struct {
		name, src, pos, msg string
	}{
		{"cycle", "on: push\njobs:\n  a:\n    needs: b\n  b:\n    needs: [c]\n  c:\n    needs: a\n", "", "needs: form a cycle"},
		// The cycle is the redefined job's own; the first a: is not on it.
		{"cycle of a job defined twice", "on: push\njobs:\n  a:\n    needs: b\n  b:\n    needs: a\n  a:\n    needs: a\n", "8:12", "needs: form a cycle: a -> a"},
		{"malformed", "on: push\njobs:\n  a: [\n", "", "YAML"},
		{"no jobs", "on: push\njobs: {}\n", "2:7", "no jobs"},
		{"not a mapping", "- a\n- b\n", "1:1", "must be a mapping"},
		{"empty", "\n\n", "1:1", "empty"},
		{"huge", "on: push\njobs:\n  a:\n    x: \"" + strings.Repeat("a", 5<<20) + "\"\n", "1:1", "larger than"},
		{"deep", "on: push\njobs: " + strings.Repeat("[", 10000) + "\n", "", "nested"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Import("w.yml", []byte(tc.src))
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
			if !ie.Finding.Pos.IsValid() {
				t.Error("no position")
			}
		})
	}
}

// TestAliasBomb: nested aliases (the YAML billion laughs) are shared, not
// expanded, so the import stays fast and small.
func TestAliasBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
	for i := 1; i < 30; i++ {
		b.WriteString("x" + itoa(i) + ": &a" + itoa(i) + " [")
		for k := 0; k < 9; k++ {
			if k > 0 {
				b.WriteString(", ")
			}
			b.WriteString("*a" + itoa(i-1))
		}
		b.WriteString("]\n")
	}
	b.WriteString("on: push\njobs:\n  a:\n    runs-on: *a29\n    steps: *a29\n")
	res, err := Import("bomb.yml", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	importertest.Validate(t, res)
}

func itoa(i int) string { return strconv.Itoa(i) }

func FuzzImport(f *testing.F) {
	for _, p := range []string{"testdata/release.yml"} {
		if src, err := os.ReadFile(p); err == nil {
			f.Add(src)
		}
	}
	f.Add([]byte("on: push\njobs:\n  a:\n    needs: a\n"))
	f.Add([]byte("on: [push]\njobs:\n  a: {environment: prod, if: failure(), needs: [b]}\n  b: {uses: o/r/.github/workflows/x.yml@v1}\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		res, err := Import("fuzz.yml", src)
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
