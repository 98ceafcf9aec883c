package sopdiff

import (
	"strconv"
	"strings"
	"unicode"
)

// Text writes the diff for people, one line per metadata field and per
// element, "" when there is no difference:
//
//	title: "Weekly release" → "Weekly SaaS release"
//	+ step deploy-canary "Deploy canary" (sre, deploy)
//	- gate cab "CAB approval" (cab, approve)
//	~ step build "Build": name "Build" → "Build and sign"; owner ci → release-manager
//	+ flow build → deploy-canary
//
// Free text is quoted, ids are not; a value not set reads (none).
func (d Diff) Text() string {
	var b strings.Builder
	for _, f := range d.Metadata {
		b.WriteString(f.Field + ": " + fieldText(f) + "\n")
	}
	for _, c := range d.Changes {
		b.WriteString(changeText(c) + "\n")
	}
	return b.String()
}

var opSigns = map[Op]string{Added: "+", Removed: "-", Changed: "~"}

// kindWords are the kinds as Text names them.
var kindWords = map[Kind]string{KindReleaseType: "release type"}

func changeText(c Change) string {
	kind := kindWords[c.Kind]
	if kind == "" {
		kind = string(c.Kind)
	}
	parts := []string{opSigns[c.Op], kind}
	if f := c.Flow; f != nil {
		parts = append(parts, safe(f.From), "→", safe(f.To))
		switch {
		case f.Kind == "rollback":
			parts = append(parts, "(on failure)")
		case f.Kind == "escalation":
			parts = append(parts, "(escalation)")
		case f.Label != "":
			parts = append(parts, "("+safe(f.Label)+")")
		}
	} else {
		parts = append(parts, safe(c.ID))
		if c.Name != "" {
			parts = append(parts, strconv.Quote(c.Name))
		}
		if c.Op != Changed {
			var ctx []string
			for _, s := range []string{c.Owner, c.Phase} {
				if s != "" {
					ctx = append(ctx, safe(s))
				}
			}
			if len(ctx) > 0 {
				parts = append(parts, "("+strings.Join(ctx, ", ")+")")
			}
		}
	}
	line := strings.Join(parts, " ")
	if len(c.Fields) > 0 {
		fs := make([]string, len(c.Fields))
		for i, f := range c.Fields {
			fs[i] = f.Field + " " + fieldText(f)
		}
		line += ": " + strings.Join(fs, "; ")
	}
	return line
}

// fieldText writes a field's change as "old → new".
func fieldText(f FieldChange) string {
	return value(f.Field, f.Old) + " → " + value(f.Field, f.New)
}

func value(field, v string) string {
	switch {
	case v == "":
		return "(none)"
	case isText(field):
		return strconv.Quote(v)
	}
	return safe(v)
}

// safe quotes a bare value that holds characters a terminal could take for
// control sequences.
func safe(s string) string {
	for _, r := range s {
		if !unicode.IsPrint(r) {
			return strconv.Quote(s)
		}
	}
	return s
}
