package llm

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
)

const (
	// schemaName is the response_format name Draft sends; OpenAI allows
	// only [a-zA-Z0-9_-] here.
	schemaName = "document"
	// maxRepairProblems bounds the problems sent back in one repair turn,
	// so a badly wrong draft does not blow up the conversation.
	maxRepairProblems = 50
	// maxErrorProblems bounds the problems listed in an ErrRejected error.
	maxErrorProblems = 10
)

// Draft asks for one JSON document conforming to schema and returns it once
// check accepts it. The conversation is system (if not empty), then user.
//
// The document is taken from the reply as a bare JSON object, one inside a
// ```json fence, or the first balanced {...} in prose that is valid JSON.
// check returns the problems it finds, one human-readable line each; none
// means accepted, and a nil check accepts any JSON object. When there are
// problems (or the reply held no JSON) and repair rounds remain, the reply
// and the problems go back as the next two turns of the same conversation.
// So the model is asked at most rounds+1 times.
//
// Errors wrap ErrNoJSON (the last reply held no JSON object), ErrRejected
// (the last document still had problems; they are listed, at most 10), or
// any error of Complete.
func (c *Client) Draft(ctx context.Context, system, user string, schema json.RawMessage, check func(doc []byte) []string, rounds int) ([]byte, error) {
	rounds = max(rounds, 0)
	var msgs []Message
	if system != "" {
		msgs = append(msgs, Message{Role: "system", Content: system})
	}
	msgs = append(msgs, Message{Role: "user", Content: user})

	for round := 0; ; round++ {
		reply, err := c.Complete(ctx, msgs, schemaName, schema)
		if err != nil {
			return nil, err
		}
		doc, ok := extractJSON(reply)
		var problems []string
		if ok && check != nil {
			problems = check(doc)
		}
		if ok && len(problems) == 0 {
			return doc, nil
		}
		if round >= rounds {
			if !ok {
				return nil, fmt.Errorf("%w (asked %d times); the last reply began: %s", ErrNoJSON, round+1, snippet(reply))
			}
			return nil, rejected(problems, round)
		}
		next := "Your reply held no JSON object. Return the complete JSON document only."
		if ok {
			next = repairPrompt(problems)
		}
		msgs = append(msgs,
			Message{Role: "assistant", Content: reply},
			Message{Role: "user", Content: next})
	}
}

// repairPrompt is the user turn that sends problems back to the model.
func repairPrompt(problems []string) string {
	var b strings.Builder
	b.WriteString("The SOP you returned has these problems:\n")
	writeList(&b, problems, maxRepairProblems)
	b.WriteString("Return the corrected complete JSON document only.")
	return b.String()
}

func rejected(problems []string, rounds int) error {
	var b strings.Builder
	writeList(&b, problems, maxErrorProblems)
	return fmt.Errorf("%w after %s, %s left:\n%s",
		ErrRejected, plural(rounds, "repair round"), plural(len(problems), "problem"), strings.TrimRight(b.String(), "\n"))
}

// writeList writes up to limit items as "- item" lines, then a count of
// the rest.
func writeList(b *strings.Builder, items []string, limit int) {
	for i, it := range items {
		if i == limit {
			fmt.Fprintf(b, "- (and %d more)\n", len(items)-limit)
			break
		}
		b.WriteString("- " + it + "\n")
	}
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// snippet is the start of s on one line, for error messages.
func snippet(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return "(empty)"
	}
	if r := []rune(s); len(r) > 80 {
		return fmt.Sprintf("%q...", string(r[:80]))
	}
	return fmt.Sprintf("%q", s)
}

// extractJSON finds the JSON object in a model's reply: the reply itself, a
// ```json fenced block, or the first balanced top-level {...} in prose that
// is valid JSON. Braces inside JSON strings are not counted. It reports
// false when there is none.
func extractJSON(reply string) ([]byte, bool) {
	s := []byte(reply)
	for start := 0; start < len(s); {
		i := bytes.IndexByte(s[start:], '{')
		if i < 0 {
			return nil, false
		}
		i += start
		end := objectEnd(s, i)
		if end < 0 {
			return nil, false // unbalanced to the end: truncated
		}
		if cand := s[i:end]; json.Valid(cand) {
			return cand, true
		}
		start = end // "{like this} in prose": skip it whole
	}
	return nil, false
}

// objectEnd returns the index just past the '}' that closes the '{' at
// s[open], or -1.
func objectEnd(s []byte, open int) int {
	depth, inString, escaped := 0, false, false
	for i := open; i < len(s); i++ {
		ch := s[i]
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case ch == '\\':
				escaped = true
			case ch == '"':
				inString = false
			}
		case ch == '"':
			inString = true
		case ch == '{':
			depth++
		case ch == '}':
			depth--
			if depth == 0 {
				return i + 1
			}
		}
	}
	return -1
}
