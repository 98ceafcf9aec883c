// Package textdiff computes line diffs and writes them in the unified
// format of diff -u, for relsop fmt --diff. It uses Myers' O(ND) algorithm
// in linear space, so that a small change to a file of thousands of lines
// costs little, and a total rewrite still finishes quickly.
package textdiff

import (
	"fmt"
	"strings"
)

// Unified returns the unified diff that turns a into b, with headers naming
// oldName and newName and context lines around each change; "" when a and
// b are equal. A last line without a newline is marked as diff marks it.
func Unified(oldName, newName string, a, b []byte, context int) string {
	if string(a) == string(b) {
		return ""
	}
	if context < 0 {
		context = 0
	}
	al, bl := splitLines(string(a)), splitLines(string(b))
	ops := script(al, bl)
	var out strings.Builder
	fmt.Fprintf(&out, "--- %s\n+++ %s\n", oldName, newName)
	for _, h := range hunks(ops, context) {
		writeHunk(&out, h, al, bl)
	}
	return out.String()
}

// splitLines splits s into lines that keep their "\n", so that a last line
// without one differs from the same text with one, as it does for diff.
func splitLines(s string) []string {
	lines := strings.SplitAfter(s, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// opKind says what an edit does with a line.
type opKind byte

const (
	opEqual  opKind = ' '
	opDelete opKind = '-'
	opInsert opKind = '+'
)

// op is one line of an edit script: a line kept (a[i] == b[j]), deleted
// from a (a[i]) or inserted from b (b[j]).
type op struct {
	kind opKind
	i, j int
}

// script returns the shortest edit script from a to b, deletions before
// insertions within each change. Lines found on one side only cannot be
// kept, so they are set aside before the search: that removes most of the
// work when a file is largely rewritten.
func script(a, b []string) []op {
	inA, inB := set(a), set(b)
	deleted, inserted := make([]bool, len(a)), make([]bool, len(b))
	var as, bs []string // the lines both sides have
	var ai, bi []int    // their indexes in a and b
	for i, l := range a {
		if inB[l] {
			as, ai = append(as, l), append(ai, i)
		} else {
			deleted[i] = true
		}
	}
	for j, l := range b {
		if inA[l] {
			bs, bi = append(bs, l), append(bi, j)
		} else {
			inserted[j] = true
		}
	}
	d := newDiffer(as, bs)
	d.compare(0, len(d.a), 0, len(d.b))
	for k, del := range d.deleted {
		deleted[ai[k]] = del
	}
	for k, ins := range d.inserted {
		inserted[bi[k]] = ins
	}

	var ops []op
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && deleted[i]:
			ops = append(ops, op{opDelete, i, j})
			i++
		case j < len(b) && inserted[j]:
			ops = append(ops, op{opInsert, i, j})
			j++
		default:
			ops = append(ops, op{opEqual, i, j})
			i++
			j++
		}
	}
	return ops
}

func set(lines []string) map[string]bool {
	s := make(map[string]bool, len(lines))
	for _, l := range lines {
		s[l] = true
	}
	return s
}

// hunk is a run of ops: changes and the context around them.
type hunk []op

// hunks groups the changes of an edit script with up to context equal
// lines around each; changes closer than twice that share a hunk.
func hunks(ops []op, context int) []hunk {
	var out []hunk
	start, end := -1, -1 // the current hunk is ops[start:end]
	for i, o := range ops {
		if o.kind == opEqual {
			continue
		}
		if start >= 0 && i-end > 2*context {
			out = append(out, ops[start:min(end+context, len(ops))])
			start = -1
		}
		if start < 0 {
			start = max(0, i-context)
		}
		end = i + 1
	}
	if start >= 0 {
		out = append(out, ops[start:min(end+context, len(ops))])
	}
	return out
}

// writeHunk writes a hunk's header and lines.
func writeHunk(w *strings.Builder, h hunk, a, b []string) {
	var na, nb int
	for _, o := range h {
		if o.kind != opInsert {
			na++
		}
		if o.kind != opDelete {
			nb++
		}
	}
	fmt.Fprintf(w, "@@ -%s +%s @@\n", hunkRange(h[0].i, na), hunkRange(h[0].j, nb))
	for _, o := range h {
		line := ""
		if o.kind == opInsert {
			line = b[o.j]
		} else {
			line = a[o.i]
		}
		w.WriteByte(byte(o.kind))
		w.WriteString(line)
		if !strings.HasSuffix(line, "\n") {
			w.WriteString("\n\\ No newline at end of file\n")
		}
	}
}

// hunkRange writes a hunk's line range as diff does: "start,count" from
// line 1, with ",1" left out, and an empty range named by the line before.
func hunkRange(first, count int) string {
	switch count {
	case 0:
		return fmt.Sprintf("%d,0", first)
	case 1:
		return fmt.Sprint(first + 1)
	}
	return fmt.Sprintf("%d,%d", first+1, count)
}
