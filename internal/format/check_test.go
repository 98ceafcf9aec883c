package format

import (
	"fmt"
	"strings"

	"github.com/relsop/relsop/internal/syntax"
)

// checkFormat formats src and returns a description of every way the
// result breaks the formatter's promises, or "" when it keeps them all:
// the output parses to the same values, keeps every comment, is tidy, and
// formats to itself. Inputs that do not parse are not checked.
func checkFormat(src []byte) string {
	f, perr := syntax.Parse(src)
	if perr != nil || hasDuplicateKeys(f.Root) {
		return ""
	}
	out := Format(f)
	var problems []string
	fail := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	g, perr := syntax.Parse(out)
	if perr != nil {
		return fmt.Sprintf("output does not parse: %s at %s\n--- output:\n%s", perr.Message, perr.Pos, out)
	}
	if d := diffNodes("", f.Root, g.Root); d != "" {
		fail("values changed: %s", d)
	}
	all := strings.Join(comments(g), "\n")
	for _, c := range comments(f) {
		// Trailing space is not kept: merged comments can end in one.
		if c = strings.TrimSpace(c); !strings.Contains(all, c) {
			fail("comment %q lost", c)
		}
	}
	if again := Format(g); string(again) != string(out) {
		fail("not idempotent; second pass:\n%s", again)
	}
	if !strings.HasSuffix(string(out), "\n") || strings.HasSuffix(string(out), "\n\n") {
		fail("output does not end with exactly one newline")
	}
	for i, l := range strings.Split(string(out), "\n") {
		if strings.TrimRight(l, " \t") != l {
			fail("line %d has trailing space: %q", i+1, l)
		}
	}
	if len(problems) == 0 {
		return ""
	}
	return strings.Join(problems, "\n") + "\n--- output:\n" + string(out)
}

// hasDuplicateKeys reports whether a mapping in the tree repeats a key.
// The YAML parser rejects that in block mappings but not in flow mappings
// ({a: 1, a: 2}); such a tree has no block form, so fmt refuses it.
func hasDuplicateKeys(n *syntax.Node) bool {
	if n == nil {
		return false
	}
	seen := map[string]bool{}
	for _, p := range n.Pairs {
		if seen[p.Key.Value] || hasDuplicateKeys(p.Value) {
			return true
		}
		seen[p.Key.Value] = true
	}
	for _, it := range n.Items {
		if hasDuplicateKeys(it) {
			return true
		}
	}
	return false
}

// diffNodes describes the first difference in value between two trees:
// kinds, scalar types and text, list items in order, and mapping entries
// by key whatever their order. Positions, styles and comments are ignored.
func diffNodes(path string, a, b *syntax.Node) string {
	if (a == nil) != (b == nil) {
		return fmt.Sprintf("%s: %v vs %v", path, a == nil, b == nil)
	}
	if a == nil {
		return ""
	}
	if a.Kind != b.Kind {
		return fmt.Sprintf("%s: %s became %s", path, a.Describe(), b.Describe())
	}
	switch a.Kind {
	case syntax.Scalar:
		if a.Type != b.Type || a.Value != b.Value {
			return fmt.Sprintf("%s: %s %q became %s %q", path, a.Describe(), a.Value, b.Describe(), b.Value)
		}
	case syntax.Sequence:
		if len(a.Items) != len(b.Items) {
			return fmt.Sprintf("%s: %d items became %d", path, len(a.Items), len(b.Items))
		}
		for i := range a.Items {
			if d := diffNodes(fmt.Sprintf("%s[%d]", path, i), a.Items[i], b.Items[i]); d != "" {
				return d
			}
		}
	case syntax.Mapping:
		if len(a.Pairs) != len(b.Pairs) {
			return fmt.Sprintf("%s: %d keys became %d", path, len(a.Pairs), len(b.Pairs))
		}
		for _, p := range a.Pairs {
			q := b.Pair(p.Key.Value)
			if q == nil || q.Key.Type != p.Key.Type {
				return fmt.Sprintf("%s: key %q lost", path, p.Key.Value)
			}
			if d := diffNodes(path+"."+p.Key.Value, p.Value, q.Value); d != "" {
				return d
			}
		}
	}
	return ""
}

// comments lists every comment of a file.
func comments(f *syntax.File) []string {
	out := append([]string(nil), f.Foot...)
	var walk func(n *syntax.Node)
	walk = func(n *syntax.Node) {
		if n == nil {
			return
		}
		out = append(out, n.Head...)
		if n.Line != "" {
			out = append(out, n.Line)
		}
		for _, p := range n.Pairs {
			walk(p.Key)
			walk(p.Value)
		}
		for _, it := range n.Items {
			walk(it)
		}
	}
	walk(f.Root)
	return out
}
