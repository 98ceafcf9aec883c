package schema

import (
	"fmt"
	"strings"
	"time"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/suggest"
	"github.com/relsop/relsop/internal/syntax"
)

// Error codes of the shape check.
const (
	CodeUnknownField = "unknown-field"
	CodeWrongType    = "wrong-type"
	CodeMissingField = "missing-field"
	CodeInvalidValue = "invalid-value"
)

// isID reports whether s looks like an id: no spaces, so that it reads the
// same in YAML, URLs, BPMN and DOT. It is the JSON Schema's idRegex,
// written out: a regular expression took a tenth of the time of loading a
// template.
func isID(s string) bool {
	if s == "" || !isAlnum(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; !isAlnum(c) && c != '.' && c != '_' && c != '-' {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// isRef reports whether v is a valid reference: a string scalar holding
// an id, for which scalar and scalarValue report nothing.
func isRef(v *syntax.Node) bool {
	return v.Kind == syntax.Scalar && v.Type == syntax.String && len(v.Value) <= MaxIDLength && isID(v.Value)
}

// MaxIDLength bounds ids; names may be long, ids are handles.
const MaxIDLength = 100

// MaxErrors bounds the errors Check reports: it stops at one more, which
// tells the caller there are more. Past it, a file is not an SOP with
// mistakes but something else, and checking on would only cost time.
const MaxErrors = 500

// Check reports every place where the tree departs from the format: unknown
// fields, values of the wrong type, missing required fields and invalid
// values. It does not resolve references; that is compile's work.
func Check(root *syntax.Node) []relsop.Finding {
	c := &checker{}
	if root == nil || root.Kind != syntax.Mapping {
		pos := relsop.Pos{Line: 1, Col: 1}
		if root != nil {
			pos = root.Pos
		}
		c.add(pos, CodeWrongType, fmt.Sprintf("an SOP file must be a mapping of fields (id:, title:, roles:, steps:, ...), not %s", root.Describe()),
			"start from a template: relsop new --template saas-weekly")
		return c.out
	}
	c.object(root, SOPObj, func() string { return "the SOP" })
	return c.out
}

// CheckAgainst checks a mapping against any object description, for files
// other than SOPs (the lint config). what names the file for messages.
func CheckAgainst(root *syntax.Node, obj *Obj, what string) []relsop.Finding {
	c := &checker{}
	if root == nil || root.Kind != syntax.Mapping {
		c.add(relsop.Pos{Line: 1, Col: 1}, CodeWrongType, fmt.Sprintf("%s must be a mapping of fields, not %s", what, root.Describe()), "fields: "+strings.Join(obj.FieldNames(), ", "))
		return c.out
	}
	c.object(root, obj, func() string { return what })
	return c.out
}

type checker struct{ out []relsop.Finding }

// place names the mapping being checked, for messages: "the SOP",
// `step "deploy"`, `raci of step "deploy"`. It is called only for an
// error: a file has a place for every mapping in it, and few have errors.
type place func() string

// full reports whether more than MaxErrors errors have been found: the one
// past the limit tells the caller that there are more.
func (c *checker) full() bool { return len(c.out) > MaxErrors }

func (c *checker) add(pos relsop.Pos, code, msg, hint string) {
	if c.full() {
		return
	}
	c.out = append(c.out, relsop.Finding{Pos: pos, Severity: relsop.SeverityError, Code: code, Message: msg, Hint: hint})
}

// object checks a mapping against obj; where names the mapping.
func (c *checker) object(n *syntax.Node, obj *Obj, where place) {
	for _, p := range n.Pairs {
		if c.full() {
			return
		}
		f := obj.Field(p.Key.Value)
		if f == nil {
			hint := "remove it, or check the spelling; the fields of a " + obj.Name + " are: " + strings.Join(obj.FieldNames(), ", ")
			c.add(p.Key.Pos, CodeUnknownField, fmt.Sprintf("unknown field %q in %s%s", p.Key.Value, where(), suggest.Hint(p.Key.Value, obj.FieldNames())), hint)
			continue
		}
		c.value(p.Value, f, where)
	}
	for _, f := range obj.Fields {
		if !f.Required {
			continue
		}
		v := n.Get(f.Name)
		if v == nil {
			c.add(n.Pos, CodeMissingField, fmt.Sprintf("%s has no %s", where(), f.Name), fmt.Sprintf("add %s: %s", f.Name, f.Doc))
		} else if v.Kind == syntax.Null {
			c.add(v.Pos, CodeMissingField, fmt.Sprintf("%s has an empty %s", where(), f.Name), fmt.Sprintf("give %s a value: %s", f.Name, f.Doc))
		}
	}
}

// Describe names a list element for messages: `step "deploy-prod"` or
// `step 3` when it has no id yet.
func Describe(obj *Obj, n *syntax.Node, index int) string {
	key := "id"
	if obj == changeObj {
		key = "step"
	}
	if id := n.Get(key); id != nil && id.Kind == syntax.Scalar && id.Value != "" {
		return fmt.Sprintf("%s %q", obj.Name, id.Value)
	}
	return fmt.Sprintf("%s %d", obj.Name, index+1)
}

func (c *checker) value(v *syntax.Node, f *Field, where place) {
	if v.Kind == syntax.Null {
		return // an empty optional value is as good as an absent one
	}
	switch f.Type {
	case String, Text, ID, Ref, Enum, Date, Duration:
		if !c.scalar(v, f, where, syntax.String) {
			return
		}
		c.scalarValue(v, f, where)
	case Version:
		c.scalar(v, f, where, syntax.String, syntax.Int, syntax.Float)
	case Bool:
		c.scalar(v, f, where, syntax.Bool)
	case RefList, StringList:
		items := []*syntax.Node{v}
		if v.Kind == syntax.Sequence {
			items = v.Items
		}
		for _, it := range items {
			if c.scalar(it, f, where, syntax.String) && f.Type == RefList {
				c.scalarValue(it, f, where)
			}
		}
	case Object:
		if v.Kind != syntax.Mapping {
			c.wrongType(v, f, where, "a mapping of fields")
			return
		}
		c.object(v, f.Object, func() string { return f.Name + " of " + where() })
	case List:
		if v.Kind != syntax.Sequence {
			c.wrongType(v, f, where, "a list")
			return
		}
		for i, it := range v.Items {
			c.entry(it, i, f)
		}
	case ScalarMap:
		if v.Kind != syntax.Mapping {
			c.wrongType(v, f, where, "a mapping")
			return
		}
		for _, p := range v.Pairs {
			c.scalar(p.Value, &Field{Name: p.Key.Value}, where, syntax.String)
		}
	case Int:
		c.scalar(v, f, where, syntax.Int)
	case Outcomes:
		if v.Kind != syntax.Mapping {
			c.wrongType(v, f, where, "a mapping from outcome to step, such as go: deploy-prod")
			return
		}
		for _, p := range v.Pairs {
			if isRef(p.Value) {
				continue // the field below, named for messages, is made only for an error
			}
			if c.scalar(p.Value, &Field{Name: "outcome " + p.Key.Value, Type: Ref}, where, syntax.String) {
				c.scalarValue(p.Value, &Field{Name: "outcome " + p.Key.Value, Type: Ref}, where)
			}
		}
	}
}

// entry checks entry i of the list field f. It is a function of its own so
// that the place it makes stays on the stack: made in value's loop and
// passed on into the recursion, it would be moved to the heap.
func (c *checker) entry(it *syntax.Node, i int, f *Field) {
	if it.Kind != syntax.Mapping {
		c.add(it.Pos, CodeWrongType, fmt.Sprintf("each entry of %s must be a %s (a mapping of fields), not %s", f.Name, f.Object.Name, it.Describe()),
			"write the entry as fields, such as - id: ... on its own line")
		return
	}
	c.object(it, f.Object, func() string { return Describe(f.Object, it, i) })
}

// scalar checks v is a scalar of one of the wanted types.
func (c *checker) scalar(v *syntax.Node, f *Field, where place, want ...syntax.ScalarType) bool {
	if v.Kind == syntax.Scalar {
		for _, w := range want {
			if v.Type == w {
				return true
			}
		}
	}
	desc := want[0].String()
	hint := ""
	if v.Kind == syntax.Scalar && want[0] == syntax.String {
		hint = fmt.Sprintf("put the value in quotes: %s: %q", f.Name, v.Value)
	}
	if f.Type == RefList || f.Type == StringList {
		desc = "a string or a list of strings"
	}
	c.wrongTypeHint(v, f, where, desc, hint)
	return false
}

func (c *checker) wrongType(v *syntax.Node, f *Field, where place, want string) {
	c.wrongTypeHint(v, f, where, want, "")
}

func (c *checker) wrongTypeHint(v *syntax.Node, f *Field, where place, want, hint string) {
	if hint == "" {
		hint = fmt.Sprintf("%s: %s", f.Name, f.Doc)
	}
	c.add(v.Pos, CodeWrongType, fmt.Sprintf("%s of %s must be %s, not %s", f.Name, where(), want, v.Describe()), hint)
}

// scalarValue checks the text of a string scalar against its field type.
func (c *checker) scalarValue(v *syntax.Node, f *Field, where place) {
	s := v.Value
	switch f.Type {
	case String:
		if strings.ContainsAny(strings.TrimRight(s, "\n"), "\n") {
			c.add(v.Pos, CodeInvalidValue, fmt.Sprintf("%s of %s must be one line", f.Name, where()), "shorten it, and put the detail in description: or notes:")
		}
	case ID, Ref, RefList:
		switch {
		case s == "":
			c.add(v.Pos, CodeInvalidValue, fmt.Sprintf("%s of %s is empty", f.Name, where()), "give an id such as release-manager")
		case len(s) > MaxIDLength:
			c.add(v.Pos, CodeInvalidValue, fmt.Sprintf("%s of %s is longer than %d characters", f.Name, where(), MaxIDLength), "ids are short handles; put the words in name:")
		case !isID(s):
			c.add(v.Pos, CodeInvalidValue, fmt.Sprintf("%s of %s is %q: an id may hold only letters, digits, '-', '_' and '.'", f.Name, where(), s),
				fmt.Sprintf("write it as %s", slug(s)))
		}
	case Enum:
		for _, e := range f.Enum {
			if s == e {
				return
			}
		}
		c.add(v.Pos, CodeInvalidValue, fmt.Sprintf("%s of %s is %q%s", f.Name, where(), s, suggest.Hint(s, f.Enum)), "use one of: "+strings.Join(f.Enum, ", "))
	case Date:
		if _, err := time.Parse(time.DateOnly, s); err != nil {
			c.add(v.Pos, CodeInvalidValue, fmt.Sprintf("%s of %s is %q, not a date", f.Name, where(), s), "write the date as YYYY-MM-DD, such as 2026-03-31")
		}
	case Duration:
		if _, err := relsop.ParseDuration(s); err != nil {
			c.add(v.Pos, CodeInvalidValue, fmt.Sprintf("%s of %s: %v", f.Name, where(), err), "write a duration such as 30m, 4h, 2d or 1w (review cadences may also be weekly, monthly, quarterly or annually)")
		}
	}
}

// slug turns free text into an id, for hints.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	out := strings.TrimSuffix(b.String(), "-")
	if out == "" {
		return "step-1"
	}
	return out
}
