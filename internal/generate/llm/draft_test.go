package llm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/relsop/relsop/internal/schema"
)

const (
	validDoc   = `{"name":"Release","phases":[{"id":"build","note":"use {braces} and \"quotes\""}]}`
	invalidDoc = `{"name":"Release","phases":[]}`
)

// checkPhases accepts a document with at least one phase.
func checkPhases(doc []byte) []string {
	var v struct {
		Phases []json.RawMessage `json:"phases"`
	}
	if err := json.Unmarshal(doc, &v); err != nil {
		return []string{"not JSON: " + err.Error()}
	}
	if len(v.Phases) == 0 {
		return []string{"phases: at least one phase is required"}
	}
	return nil
}

func TestDraftAcceptsDocument(t *testing.T) {
	sch := json.RawMessage(schema.JSONSchema())
	for _, key := range []string{"", "sk-test-123"} {
		t.Run(fmt.Sprintf("key=%q", key), func(t *testing.T) {
			f := newFake(t, key, sch, func(w http.ResponseWriter, r *http.Request, n int, req wireRequest) {
				reply(w, validDoc)
			})
			c, _ := testClient(f, time.Second, 0)
			doc, err := c.Draft(context.Background(), "You write release SOPs.", "A weekly release.", sch, checkPhases, 2)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := string(doc), validDoc; got != want {
				t.Errorf("doc = %s, want %s", got, want)
			}
			if got := f.calls(); got != 1 {
				t.Errorf("calls = %d, want 1", got)
			}
			want := []Message{
				{Role: "system", Content: "You write release SOPs."},
				{Role: "user", Content: "A weekly release."},
			}
			if diff := cmp.Diff(f.request(0).Messages, want); diff != "" {
				t.Errorf("messages (-got +want):\n%s", diff)
			}
		})
	}
}

func TestDraftExtractsFromProse(t *testing.T) {
	tests := []struct {
		name, reply string
	}{
		{"fenced", "Here is the SOP:\n```json\n" + validDoc + "\n```\nLet me know!"},
		{"embedded", "Sure {as requested}. The document is " + validDoc + " and that is all."},
		{"padded", "\n  " + validDoc + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t, "", nil, func(w http.ResponseWriter, r *http.Request, n int, req wireRequest) {
				reply(w, tt.reply)
			})
			c, _ := testClient(f, time.Second, 0)
			doc, err := c.Draft(context.Background(), "", "A weekly release.", nil, checkPhases, 0)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := string(doc), validDoc; got != want {
				t.Errorf("doc = %s, want %s", got, want)
			}
		})
	}
}

func TestDraftNoJSON(t *testing.T) {
	const prose = "I'd be happy to help! A release usually has a build phase, a test phase and a rollout."
	for _, rounds := range []int{0, 2} {
		t.Run(fmt.Sprintf("rounds=%d", rounds), func(t *testing.T) {
			f := newFake(t, "", json.RawMessage(`{"type":"object"}`), func(w http.ResponseWriter, r *http.Request, n int, req wireRequest) {
				reply(w, prose)
			})
			c, _ := testClient(f, time.Second, 0)
			_, err := c.Draft(context.Background(), "", "A weekly release.", json.RawMessage(`{"type":"object"}`), checkPhases, rounds)
			if !errors.Is(err, ErrNoJSON) {
				t.Fatalf("err = %v, want ErrNoJSON", err)
			}
			if got, want := f.calls(), rounds+1; got != want {
				t.Errorf("calls = %d, want %d", got, want)
			}
			if rounds > 0 {
				msgs := f.request(1).Messages
				if last := msgs[len(msgs)-1]; !strings.Contains(last.Content, "no JSON object") {
					t.Errorf("follow-up = %q, want it to say the reply held no JSON", last.Content)
				}
			}
		})
	}
}

func TestDraftRejected(t *testing.T) {
	var problems []string
	for i := range 12 {
		problems = append(problems, fmt.Sprintf("steps[%d].role: unknown role \"qa%d\"", i, i))
	}
	const rounds = 2
	f := newFake(t, "", nil, func(w http.ResponseWriter, r *http.Request, n int, req wireRequest) {
		reply(w, invalidDoc)
	})
	c, _ := testClient(f, time.Second, 0)
	_, err := c.Draft(context.Background(), "sys", "A weekly release.", nil,
		func([]byte) []string { return problems }, rounds)
	if !errors.Is(err, ErrRejected) {
		t.Fatalf("err = %v, want ErrRejected", err)
	}
	if got, want := f.calls(), rounds+1; got != want {
		t.Errorf("calls = %d, want %d", got, want)
	}
	for i := 1; i < f.calls(); i++ {
		msgs := f.request(i).Messages
		if got, want := len(msgs), 2+2*i; got != want {
			t.Errorf("call %d: %d messages, want %d", i+1, got, want)
		}
		last := msgs[len(msgs)-1]
		if last.Role != "user" || !strings.HasPrefix(last.Content, "The SOP you returned has these problems:") ||
			!strings.HasSuffix(last.Content, "Return the corrected complete JSON document only.") {
			t.Errorf("call %d: repair message = %q", i+1, last.Content)
		}
		for _, p := range problems {
			if !strings.Contains(last.Content, p) {
				t.Errorf("call %d: repair message lacks %q", i+1, p)
			}
		}
	}
	msg := err.Error()
	for i, p := range problems {
		if got, want := strings.Contains(msg, p), i < 10; got != want {
			t.Errorf("error lists %q: %v, want %v", p, got, want)
		}
	}
	if !strings.Contains(msg, "(and 2 more)") {
		t.Errorf("error = %q, want it to count the problems left out", msg)
	}
}

func TestDraftRepairs(t *testing.T) {
	const problem = "phases: at least one phase is required"
	f := newFake(t, "", nil, func(w http.ResponseWriter, r *http.Request, n int, req wireRequest) {
		last := req.Messages[len(req.Messages)-1].Content
		if strings.Contains(last, problem) {
			reply(w, "```json\n"+validDoc+"\n```")
			return
		}
		reply(w, invalidDoc)
	})
	c, _ := testClient(f, time.Second, 0)
	doc, err := c.Draft(context.Background(), "sys", "A weekly release.", nil, checkPhases, 3)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(doc), validDoc; got != want {
		t.Errorf("doc = %s, want %s", got, want)
	}
	if got := f.calls(); got != 2 {
		t.Fatalf("calls = %d, want 2", got)
	}
	want := []Message{
		{Role: "system", Content: "sys"},
		{Role: "user", Content: "A weekly release."},
		{Role: "assistant", Content: invalidDoc},
		{Role: "user", Content: "The SOP you returned has these problems:\n- " + problem + "\nReturn the corrected complete JSON document only."},
	}
	if diff := cmp.Diff(f.request(1).Messages, want); diff != "" {
		t.Errorf("second conversation (-got +want):\n%s", diff)
	}
}

func TestDraftNotConfigured(t *testing.T) {
	c := New(Config{URL: "http://127.0.0.1:1/v1"}, nil)
	if _, err := c.Draft(context.Background(), "", "x", nil, nil, 1); !errors.Is(err, ErrNotConfigured) {
		t.Errorf("err = %v, want ErrNotConfigured", err)
	}
}

func TestExtractJSON(t *testing.T) {
	tests := []struct {
		name, reply string
		want        string // "" means none
	}{
		{"bare", `{"a":1}`, `{"a":1}`},
		{"fenced", "```json\n{\"a\": {\"b\": [1, 2]}}\n```", `{"a": {"b": [1, 2]}}`},
		{"fence without language", "```\n{\"a\":1}\n```", `{"a":1}`},
		{"prose around", `Here you go: {"a":1}. Hope it helps {x}.`, `{"a":1}`},
		{"braces in strings", `{"a":"}{\"}"}`, `{"a":"}{\"}"}`},
		{"non-JSON braces first", `Use {placeholders} like {name}; result: {"a":1}`, `{"a":1}`},
		{"first of two", `{"a":1} or {"b":2}`, `{"a":1}`},
		{"none", "No JSON here.", ""},
		{"array only", `[1,2,3]`, ""},
		{"truncated", `{"a":{"b":1}, "c":`, ""},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := extractJSON(tt.reply)
			if ok != (tt.want != "") || string(got) != tt.want {
				t.Errorf("extractJSON(%q) = %q, %v; want %q", tt.reply, got, ok, tt.want)
			}
		})
	}
}

func FuzzExtractJSON(f *testing.F) {
	f.Add(`Here: {"a":"}"} done`)
	f.Add("```json\n{}\n```")
	f.Add(`{{{"`)
	f.Fuzz(func(t *testing.T, s string) {
		doc, ok := extractJSON(s)
		if ok && (!json.Valid(doc) || doc[0] != '{' || !strings.Contains(s, string(doc))) {
			t.Errorf("extractJSON(%q) = %q: not a JSON object from the input", s, doc)
		}
	})
}
