package lint

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/relsop/relsop/internal/compile"
)

// BenchmarkLoadAndLint measures the whole check of a template-sized SOP:
// parse, shape check, compile with references and variants, then every
// rule on the base flow and each release type.
func BenchmarkLoadAndLint(b *testing.B) {
	for _, name := range []string{"saas-weekly", "regulated-healthcare"} {
		src, err := os.ReadFile("../templates/" + name + ".sop.yaml")
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				res := compile.Load(src)
				if len(res.Errors) > 0 {
					b.Fatal(res.Errors)
				}
				Run(res.SOP, Config{Profile: ProfileRegulated, Today: today})
			}
		})
	}
}

// BenchmarkLoadAndLintLarge checks a generated 1,000-step SOP, to see that
// the structural rules stay near-linear.
func BenchmarkLoadAndLintLarge(b *testing.B) {
	src := []byte(chainSOP(1000))
	b.ReportAllocs()
	for b.Loop() {
		res := compile.Load(src)
		if len(res.Errors) > 0 {
			b.Fatal(res.Errors[0])
		}
		Run(res.SOP, Config{Today: today})
	}
}

// chainSOP writes an SOP of n steps in a chain across four roles.
func chainSOP(n int) string {
	var b strings.Builder
	b.WriteString("id: big\ntitle: Big\nroles:\n")
	for r := 0; r < 4; r++ {
		fmt.Fprintf(&b, "  - id: r%d\n    name: Role %d\n", r, r)
	}
	b.WriteString("steps:\n  - id: s0\n    name: Start\n    kind: start\n    owner: r0\n    next: s1\n")
	for i := 1; i < n-1; i++ {
		fmt.Fprintf(&b, "  - id: s%d\n    name: Run task %d\n    owner: r%d\n    next: s%d\n", i, i, i%4, i+1)
	}
	fmt.Fprintf(&b, "  - id: s%d\n    name: Done\n    kind: end\n    owner: r0\n", n-1)
	return b.String()
}
