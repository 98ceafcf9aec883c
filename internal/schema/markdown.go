package schema

import (
	"fmt"
	"strings"
)

// Markdown returns a reference of the format: one table of fields per
// object, in canonical order. docs/format.md embeds it; a test keeps the
// two in sync.
func Markdown() string {
	var b strings.Builder
	seen := map[*Obj]bool{}
	var write func(o *Obj)
	write = func(o *Obj) {
		if seen[o] {
			return
		}
		seen[o] = true
		fmt.Fprintf(&b, "### %s\n\n%s\n\n| field | type | required | meaning |\n|---|---|---|---|\n", o.Name, o.Doc)
		var nested []*Obj
		for _, f := range o.Fields {
			req := ""
			if f.Required {
				req = "yes"
			}
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", f.Name, typeName(f), req, strings.ReplaceAll(f.Doc, "|", "\\|"))
			if f.Object != nil {
				nested = append(nested, f.Object)
			}
		}
		b.WriteString("\n")
		for _, n := range nested {
			write(n)
		}
	}
	write(SOPObj)
	return b.String()
}

func typeName(f *Field) string {
	switch f.Type {
	case String:
		return "string"
	case Text:
		return "text"
	case Version:
		return "version"
	case Bool:
		return "true/false"
	case Date:
		return "date"
	case Duration:
		return "duration"
	case ID:
		return "id"
	case Ref:
		return f.RefKind + " id"
	case RefList:
		return f.RefKind + " id(s)"
	case StringList:
		return "string(s)"
	case Enum:
		return strings.Join(f.Enum, " \\| ")
	case Object:
		return f.Object.Name
	case List:
		return "list of " + f.Object.Name
	case Outcomes:
		return "outcome: step id"
	case ScalarMap:
		return "mapping"
	case Int:
		return "number"
	}
	return "?"
}
