package generate

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/compile"
	"github.com/relsop/relsop/internal/encode"
	"github.com/relsop/relsop/internal/generate/llm"
	"github.com/relsop/relsop/internal/generate/llm/llmtest"
	"github.com/relsop/relsop/internal/lint"
	"github.com/relsop/relsop/internal/schema"
)

const (
	llmTestModel = "test-model"
	llmTestKey   = "sk-test-0123456789-secret"
	renamedStep  = "Confirm the release scope with every stakeholder"
)

var llmTestReq = Request{
	Brief: "Weekly SaaS releases with a 5% canary and a security review.",
	Types: []string{"emergency"},
}

// chatServer is an in-process OpenAI-compatible chat-completions endpoint.
// It checks each request against the protocol (path, headers, body, the SOP
// schema in non-strict json_schema mode), records it, and lets the test
// answer.
type chatServer struct {
	t      *testing.T
	key    string
	answer func(w http.ResponseWriter, r *http.Request, n int, req chatRequest)

	mu   sync.Mutex
	reqs []chatRequest
	srv  *httptest.Server
}

type chatRequest struct {
	Model       string        `json:"model"`
	Messages    []llm.Message `json:"messages"`
	Temperature *float64      `json:"temperature"`
	Format      *struct {
		Type       string `json:"type"`
		JSONSchema struct {
			Name   string          `json:"name"`
			Schema json.RawMessage `json:"schema"`
			Strict bool            `json:"strict"`
		} `json:"json_schema"`
	} `json:"response_format"`
}

func newChatServer(t *testing.T, key string, answer func(w http.ResponseWriter, r *http.Request, n int, req chatRequest)) *chatServer {
	t.Helper()
	s := &chatServer{t: t, key: key, answer: answer}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *chatServer) serve(w http.ResponseWriter, r *http.Request) {
	t := s.t
	if r.Method != http.MethodPost || r.URL.Path != "/v1/chat/completions" {
		t.Errorf("request %s %s, want POST /v1/chat/completions", r.Method, r.URL.Path)
		http.NotFound(w, r)
		return
	}
	if got := r.Header.Get("Content-Type"); got != "application/json" {
		t.Errorf("Content-Type = %q", got)
	}
	if got, want := r.Header.Get("Authorization"), "Bearer "+s.key; s.key != "" && got != want {
		t.Errorf("Authorization = %q, want the bearer key", got)
	}
	body, _ := io.ReadAll(r.Body)
	var req chatRequest
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		t.Errorf("not a chat-completions request: %v", err)
		http.Error(w, `{"error":{"message":"bad request"}}`, http.StatusBadRequest)
		return
	}
	if req.Model != llmTestModel {
		t.Errorf("model = %q", req.Model)
	}
	if req.Temperature == nil || *req.Temperature != 0 {
		t.Errorf("temperature = %v, want an explicit 0", req.Temperature)
	}
	if f := req.Format; f == nil || f.Type != "json_schema" || f.JSONSchema.Strict || f.JSONSchema.Name == "" {
		t.Errorf("response_format = %+v, want a named json_schema, not strict", f)
	} else if !jsonSame(f.JSONSchema.Schema, schema.JSONSchema()) {
		t.Errorf("response_format schema is not the SOP schema")
	}
	if len(req.Messages) < 2 || req.Messages[0].Role != "system" || req.Messages[1].Role != "user" {
		t.Errorf("conversation does not start with system, user: %+v", req.Messages)
	}
	s.mu.Lock()
	s.reqs = append(s.reqs, req)
	n := len(s.reqs)
	s.mu.Unlock()
	s.answer(w, r, n, req)
}

func (s *chatServer) calls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.reqs)
}

func (s *chatServer) request(i int) chatRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.reqs[i]
}

func (s *chatServer) client(timeout time.Duration, retries int) *llm.Client {
	return llm.New(llm.Config{URL: s.srv.URL + "/v1", Model: llmTestModel, APIKey: s.key, Timeout: timeout, Retries: retries}, nil)
}

func (s *chatServer) host() string { return strings.TrimPrefix(s.srv.URL, "http://") }

func jsonSame(a, b []byte) bool {
	var x, y any
	return json.Unmarshal(a, &x) == nil && json.Unmarshal(b, &y) == nil && reflect.DeepEqual(x, y)
}

// chatReply writes a standard chat-completions response.
func chatReply(w http.ResponseWriter, content string) { llmtest.Reply(w, llmTestModel, content) }

func chatError(w http.ResponseWriter, code int, msg string) { llmtest.Error(w, code, msg) }

// draftFrom is the built-in draft the prompt carried, loaded.
func draftFrom(t *testing.T, req chatRequest) *relsop.SOP {
	t.Helper()
	user := req.Messages[1].Content
	_, rest, ok := strings.Cut(user, "```yaml\n")
	src, _, ok2 := strings.Cut(rest, "```")
	if !ok || !ok2 {
		t.Fatalf("the prompt holds no YAML draft:\n%s", user)
	}
	res := compile.Load([]byte(src))
	if len(res.Errors) > 0 {
		t.Fatalf("the draft in the prompt does not load: %v", res.Errors[0])
	}
	return res.SOP
}

// improved is what the good model returns: the draft with its second step
// renamed and its release types dropped.
func improved(t *testing.T, req chatRequest) string {
	sop := draftFrom(t, req)
	sop.Steps[1].Name = renamedStep
	sop.ReleaseTypes = nil
	return sopJSON(t, sop)
}

// broken is the draft with a gate that has no approvers: it loads, but
// breaks the error-level rule gate-approver.
func broken(t *testing.T, req chatRequest) string {
	sop := draftFrom(t, req)
	for i := range sop.Steps {
		if sop.Steps[i].Kind == relsop.KindGate {
			sop.Steps[i].Approvers = nil
			return sopJSON(t, sop)
		}
	}
	t.Fatal("the draft has no gate")
	return ""
}

func sopJSON(t *testing.T, sop *relsop.SOP) string {
	t.Helper()
	js, err := encode.JSON(sop)
	if err != nil {
		t.Fatal(err)
	}
	return string(js)
}

func builtIn(t *testing.T) *Result {
	t.Helper()
	res, err := Generate(llmTestReq)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func hasNote(res *Result, parts ...string) bool {
	for _, n := range res.Notes {
		ok := true
		for _, p := range parts {
			ok = ok && strings.Contains(n, p)
		}
		if ok {
			return true
		}
	}
	return false
}

// assertFallback checks res is the built-in planner's SOP with a note
// holding want.
func assertFallback(t *testing.T, res *Result, want ...string) {
	t.Helper()
	if !bytes.Equal(res.YAML, builtIn(t).YAML) {
		t.Errorf("fallback YAML differs from the built-in planner's")
	}
	if !hasNote(res, append(want, "using the built-in planner's SOP")...) {
		t.Errorf("notes = %q, want one with %q and the fallback", res.Notes, want)
	}
	assertNoKey(t, res)
}

func assertNoKey(t *testing.T, res *Result) {
	t.Helper()
	for _, n := range res.Notes {
		if strings.Contains(n, llmTestKey) || strings.Contains(n, "0123456789-secret") {
			t.Errorf("note leaks the API key: %q", n)
		}
	}
}

func TestGenerateLLMGoodModel(t *testing.T) {
	s := newChatServer(t, llmTestKey, func(w http.ResponseWriter, r *http.Request, n int, req chatRequest) {
		chatReply(w, improved(t, req))
	})
	res, err := GenerateLLM(context.Background(), llmTestReq, s.client(5*time.Second, 0))
	if err != nil {
		t.Fatal(err)
	}
	if s.calls() != 1 {
		t.Errorf("calls = %d, want 1", s.calls())
	}
	if got := res.SOP.Steps[1].Name; got != renamedStep {
		t.Errorf("step 2 is named %q, want the model's %q", got, renamedStep)
	}
	if !strings.Contains(string(res.YAML), "name: "+renamedStep) {
		t.Errorf("YAML lacks the model's change:\n%s", res.YAML)
	}
	if len(res.SOP.ReleaseTypes) != 0 {
		t.Errorf("release types = %d, want the model's 0", len(res.SOP.ReleaseTypes))
	}
	// Canonical YAML, reloadable, with the findings computed on it.
	if again := compile.Load(res.YAML); len(again.Errors) > 0 || !bytes.Equal(encode.YAML(again.SOP), res.YAML) {
		t.Errorf("YAML is not canonical or does not load: %v", again.Errors)
	}
	if !reflect.DeepEqual(res.Findings, lint.Run(res.SOP, lint.Config{})) {
		t.Errorf("findings are not the lint findings of the model's SOP")
	}
	// Reasons only for elements that are still there.
	base := builtIn(t)
	var hadType bool
	for _, r := range base.Reasons {
		hadType = hadType || r.Element == "type:emergency"
	}
	if !hadType {
		t.Fatal("the built-in plan has no reason for type:emergency; the test needs one")
	}
	for _, r := range res.Reasons {
		if r.Element == "type:emergency" {
			t.Errorf("reason kept for a release type the model removed")
		}
	}
	if len(res.Reasons) != len(base.Reasons)-1 {
		t.Errorf("%d reasons, want the built-in %d less the removed type", len(res.Reasons), len(base.Reasons))
	}
	if !hasNote(res, "drafted by "+llmTestModel+" at "+s.host()+" in 1 round") {
		t.Errorf("notes = %q, want the model, host and rounds", res.Notes)
	}
	assertNoKey(t, res)

	// The prompt carried the brief and the built-in draft.
	req := s.request(0)
	if !strings.Contains(req.Messages[1].Content, llmTestReq.Brief) {
		t.Errorf("the prompt lacks the brief")
	}
	if got := draftFrom(t, req); !bytes.Equal(encode.YAML(got), base.YAML) {
		t.Errorf("the prompt's draft is not the built-in planner's SOP")
	}
}

func TestGenerateLLMProse(t *testing.T) {
	s := newChatServer(t, llmTestKey, func(w http.ResponseWriter, r *http.Request, n int, req chatRequest) {
		chatReply(w, "Sure! A good weekly release has a plan, a build, tests, a canary and a rollback. Let me know if you want more detail.")
	})
	res, err := GenerateLLM(context.Background(), llmTestReq, s.client(5*time.Second, 0))
	if err != nil {
		t.Fatal(err)
	}
	assertFallback(t, res, llmTestModel+" at "+s.host()+" answered in prose", "asked 3 times", "Sure! A good weekly release")
	if s.calls() != LLMRounds {
		t.Errorf("calls = %d, want %d", s.calls(), LLMRounds)
	}
}

func TestGenerateLLMTimeout(t *testing.T) {
	s := newChatServer(t, llmTestKey, func(w http.ResponseWriter, r *http.Request, n int, req chatRequest) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	start := time.Now()
	res, err := GenerateLLM(context.Background(), llmTestReq, s.client(100*time.Millisecond, -1))
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("took %s; the timeout was not applied", d)
	}
	assertFallback(t, res, "the LLM at "+s.host()+" timed out after 100ms")
	if s.calls() != 1 {
		t.Errorf("calls = %d, want 1 (no retries configured, no repair round after a timeout)", s.calls())
	}
}

func TestGenerateLLMInvalidEveryRound(t *testing.T) {
	s := newChatServer(t, llmTestKey, func(w http.ResponseWriter, r *http.Request, n int, req chatRequest) {
		chatReply(w, broken(t, req))
	})
	res, err := GenerateLLM(context.Background(), llmTestReq, s.client(5*time.Second, 0))
	if err != nil {
		t.Fatal(err)
	}
	assertFallback(t, res, "still invalid after 3 rounds", "gate-approver")
	if s.calls() != LLMRounds {
		t.Fatalf("calls = %d, want the bound %d", s.calls(), LLMRounds)
	}
	for i := 1; i < LLMRounds; i++ {
		msgs := s.request(i).Messages
		if len(msgs) != 2+2*i {
			t.Errorf("request %d has %d messages, want the conversation so far (%d)", i+1, len(msgs), 2+2*i)
		}
		last := msgs[len(msgs)-1].Content
		for _, want := range []string{"has no approvers", "[gate-approver]", "fix: add approvers:"} {
			if !strings.Contains(last, want) {
				t.Errorf("repair prompt %d lacks %q:\n%s", i+1, want, last)
			}
		}
		// The position points into the model's own reply, at the gate.
		m := regexp.MustCompile(`at (\d+):\d+: gate "([^"]+)" has no approvers`).FindStringSubmatch(last)
		if m == nil {
			t.Errorf("repair prompt %d has no positioned finding:\n%s", i+1, last)
			continue
		}
		line, _ := strconv.Atoi(m[1])
		replyLines := strings.Split(msgs[len(msgs)-2].Content, "\n")
		if line < 1 || line > len(replyLines) || !strings.Contains(replyLines[line-1], m[2]) {
			t.Errorf("repair prompt %d: position line %d is not the gate %q in the reply", i+1, line, m[2])
		}
	}
}

func TestGenerateLLMUnloadableSOP(t *testing.T) {
	// A reply that is JSON but not an SOP the loader accepts: the load
	// errors, with positions, go back to the model.
	s := newChatServer(t, "", func(w http.ResponseWriter, r *http.Request, n int, req chatRequest) {
		if n == 1 {
			chatReply(w, `{"id":"x","title":"Release","roles":[],"steps":[{"id":"a","name":"Build it","owner":"nobody"}]}`)
			return
		}
		chatReply(w, improved(t, req))
	})
	res, err := GenerateLLM(context.Background(), llmTestReq, s.client(5*time.Second, 0))
	if err != nil {
		t.Fatal(err)
	}
	if res.SOP.Steps[1].Name != renamedStep || !hasNote(res, "in 2 rounds") {
		t.Errorf("not the repaired SOP: step 2 %q, notes %q", res.SOP.Steps[1].Name, res.Notes)
	}
	repair := s.request(1).Messages[3].Content
	if !strings.Contains(repair, `at 1:`) || !strings.Contains(repair, `"nobody", which is not a defined role`) {
		t.Errorf("repair prompt lacks the positioned load error:\n%s", repair)
	}
}

func TestGenerateLLMRepaired(t *testing.T) {
	s := newChatServer(t, llmTestKey, func(w http.ResponseWriter, r *http.Request, n int, req chatRequest) {
		last := req.Messages[len(req.Messages)-1].Content
		if strings.Contains(last, "[gate-approver]") {
			chatReply(w, "Here is the corrected SOP:\n```json\n"+improved(t, req)+"\n```")
			return
		}
		chatReply(w, broken(t, req))
	})
	res, err := GenerateLLM(context.Background(), llmTestReq, s.client(5*time.Second, 0))
	if err != nil {
		t.Fatal(err)
	}
	if s.calls() != 2 {
		t.Errorf("calls = %d, want 2", s.calls())
	}
	if res.SOP.Steps[1].Name != renamedStep {
		t.Errorf("step 2 = %q, want the repaired SOP's", res.SOP.Steps[1].Name)
	}
	if !hasNote(res, "drafted by "+llmTestModel, "in 2 rounds") || hasNote(res, "using the built-in planner's SOP") {
		t.Errorf("notes = %q", res.Notes)
	}
	for _, f := range res.Findings {
		if f.Severity == relsop.SeverityError {
			t.Errorf("error-level finding in the result: %s %s", f.Code, f.Message)
		}
	}
}

func TestGenerateLLMRetriesServerError(t *testing.T) {
	s := newChatServer(t, llmTestKey, func(w http.ResponseWriter, r *http.Request, n int, req chatRequest) {
		if n == 1 {
			chatError(w, http.StatusInternalServerError, "The server had an error while processing your request.")
			return
		}
		chatReply(w, improved(t, req))
	})
	res, err := GenerateLLM(context.Background(), llmTestReq, s.client(5*time.Second, 1))
	if err != nil {
		t.Fatal(err)
	}
	if s.calls() != 2 {
		t.Errorf("calls = %d, want 2 (one retry)", s.calls())
	}
	if res.SOP.Steps[1].Name != renamedStep || !hasNote(res, "in 1 round") {
		t.Errorf("not the model's SOP after the retry: %q, notes %q", res.SOP.Steps[1].Name, res.Notes)
	}
}

func TestGenerateLLMHTTPError(t *testing.T) {
	// The endpoint echoes the key, as OpenAI does for a wrong one; the
	// note names the status but never the key.
	s := newChatServer(t, llmTestKey, func(w http.ResponseWriter, r *http.Request, n int, req chatRequest) {
		chatError(w, http.StatusUnauthorized, "Incorrect API key provided: "+llmTestKey+". You can find your API key at https://platform.openai.com/account/api-keys.")
	})
	res, err := GenerateLLM(context.Background(), llmTestReq, s.client(5*time.Second, 2))
	if err != nil {
		t.Fatal(err)
	}
	assertFallback(t, res, "the LLM at "+s.host()+" answered with an error: HTTP 401 Unauthorized", "Incorrect API key provided")
	if s.calls() != 1 {
		t.Errorf("calls = %d, want 1: a 401 is not retried", s.calls())
	}
}

func TestGenerateLLMKeyNeverInNotes(t *testing.T) {
	// A model that repeats the key in prose: it comes back in the note's
	// snippet of the reply, redacted.
	s := newChatServer(t, llmTestKey, func(w http.ResponseWriter, r *http.Request, n int, req chatRequest) {
		chatReply(w, "Your key "+llmTestKey+" works, but I cannot write SOPs.")
	})
	res, err := GenerateLLM(context.Background(), llmTestReq, s.client(5*time.Second, 0))
	if err != nil {
		t.Fatal(err)
	}
	assertFallback(t, res, "answered in prose", "[redacted]")
}

func TestGenerateLLMNotConfigured(t *testing.T) {
	for name, c := range map[string]*llm.Client{
		"nil":      nil,
		"no model": llm.New(llm.Config{URL: "http://127.0.0.1:1/v1"}, nil),
	} {
		t.Run(name, func(t *testing.T) {
			res, err := GenerateLLM(context.Background(), llmTestReq, c)
			if err != nil {
				t.Fatal(err)
			}
			assertFallback(t, res, "no LLM is configured", llm.EnvURL)
		})
	}
}

func TestGenerateLLMUnreachable(t *testing.T) {
	s := newChatServer(t, "", nil)
	c := s.client(time.Second, -1)
	s.srv.Close() // nothing listens there any more
	res, err := GenerateLLM(context.Background(), llmTestReq, c)
	if err != nil {
		t.Fatal(err)
	}
	assertFallback(t, res, "the request to the LLM at "+s.host()+" failed")
}

func TestGenerateLLMBadRequest(t *testing.T) {
	// A bad request is an error, as from Generate; the LLM is not asked.
	s := newChatServer(t, "", func(w http.ResponseWriter, r *http.Request, n int, req chatRequest) {
		chatReply(w, "{}")
	})
	if _, err := GenerateLLM(context.Background(), Request{Brief: "  "}, s.client(time.Second, 0)); err != ErrEmptyBrief {
		t.Errorf("err = %v, want ErrEmptyBrief", err)
	}
	if s.calls() != 0 {
		t.Errorf("calls = %d, want 0", s.calls())
	}
}
