package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/relsop/relsop/internal/compile"
	"github.com/relsop/relsop/internal/encode"
	"github.com/relsop/relsop/internal/generate/llm"
	"github.com/relsop/relsop/internal/generate/llm/llmtest"
)

func TestGenerateCommand(t *testing.T) {
	clearLLMEnv(t) // an LLM configured where the tests run must not be used
	dir := t.TempDir()
	out := filepath.Join(dir, "release.sop.yaml")
	code, _, errOut := run(t, "", "generate", "--brief", "Weekly SaaS releases with a 5% canary; we skip the CAB.", "--types", "major,emergency", "-o", out)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	code, lintOut, _ := run(t, "", "lint", out)
	if code != ExitOK {
		t.Errorf("generated SOP fails lint: %s", lintOut)
	}
	src, _ := os.ReadFile(out)
	if !strings.Contains(string(src), "deploy-canary") || strings.Contains(string(src), "cab-approval") {
		t.Errorf("generated SOP ignores the brief:\n%s", src)
	}

	brief := filepath.Join(dir, "brief.md")
	os.WriteFile(brief, []byte("- medical device software, IEC 62304\n- the ISSO approves security\n"), 0o644)
	code, js, errOut := run(t, "", "generate", "--brief-file", brief, "--profile", "regulated", "--format", "json", "--explain")
	if code != ExitOK {
		t.Fatalf("json: exit %d: %s", code, errOut)
	}
	var doc struct {
		SOP struct {
			Steps []struct{ ID string } `json:"steps"`
		} `json:"sop"`
		Reasons []struct{ Element, Why string } `json:"reasons"`
	}
	if err := json.Unmarshal([]byte(js), &doc); err != nil || len(doc.SOP.Steps) == 0 || len(doc.Reasons) == 0 {
		t.Errorf("json with explanation: %v, %d steps, %d reasons", err, len(doc.SOP.Steps), len(doc.Reasons))
	}

	// What Generate tells the user (here: statements of the brief no step
	// is about, past what the start step keeps) is in the JSON too.
	var long strings.Builder
	long.WriteString("Weekly SaaS release with a canary.\n")
	for i := 0; i < 120; i++ {
		fmt.Fprintf(&long, "Our office number %d has a view of the river.\n", i)
	}
	os.WriteFile(brief, []byte(long.String()), 0o644)
	code, js, errOut = run(t, "", "generate", "--brief-file", brief, "--format", "json", "--explain")
	var noted struct{ Notes []string }
	if code != ExitOK || json.Unmarshal([]byte(js), &noted) != nil || len(noted.Notes) == 0 || !strings.Contains(strings.Join(noted.Notes, " "), "left out") {
		t.Errorf("json explanation lacks the notes: exit %d, notes %q, stderr %s", code, noted.Notes, errOut)
	}

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"generate"}, "--brief TEXT or --brief-file FILE"},
		{[]string{"generate", "--brief", "x", "--brief-file", brief}, "one of them"},
		{[]string{"generate", "--brief", "  "}, "the brief is empty"},
		{[]string{"generate", "--brief", "x", "--types", "hotfix"}, `unknown release type "hotfix"`},
		{[]string{"generate", "--brief", "x", "--format", "xml"}, "--format must be yaml or json"},
		{[]string{"generate", "--brief", "x", "--profile", "strict"}, "--profile must be default or regulated"},
		{[]string{"generate", "--brief-file", filepath.Join(dir, "nope.md")}, "cannot read"},
	} {
		code, _, errOut := run(t, "", tc.args...)
		if code != ExitUsage || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, code, errOut, tc.want)
		}
	}
}

// clearLLMEnv unsets the LLM variables for the test.
func clearLLMEnv(t *testing.T) {
	t.Helper()
	for _, k := range []string{llm.EnvURL, llm.EnvModel, llm.EnvAPIKey, llm.EnvTimeout} {
		t.Setenv(k, "")
	}
}

const (
	cliLLMKey     = "sk-cli-test-key-4242"
	cliLLMModel   = "cli-model"
	cliRenamed    = "Confirm the release scope with every stakeholder"
	cliLLMBrief   = "Weekly SaaS releases with a 5% canary."
	cliLLMTimeout = 50 * time.Millisecond
)

// llmServer is an in-process chat-completions endpoint; answer gets the
// request body and returns the reply's content ("" for no reply: hang
// until the client gives up).
func llmServer(t *testing.T, answer func(t *testing.T, body map[string]any) string) (url string, calls *atomic.Int32) {
	t.Helper()
	calls = new(atomic.Int32)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		if r.Method != http.MethodPost || r.URL.Path != "/v1/chat/completions" {
			t.Errorf("request %s %s", r.Method, r.URL.Path)
		}
		if got := r.Header.Get("Authorization"); got != "Bearer "+cliLLMKey {
			t.Errorf("Authorization = %q, want the key from %s", got, llm.EnvAPIKey)
		}
		raw, _ := io.ReadAll(r.Body)
		var body map[string]any
		if err := json.Unmarshal(raw, &body); err != nil || body["model"] != cliLLMModel || body["response_format"] == nil {
			t.Errorf("not the expected chat-completions request (%v): %.200s", err, raw)
		}
		content := answer(t, body)
		if content == "" {
			select {
			case <-r.Context().Done():
			case <-time.After(5 * time.Second):
			}
			return
		}
		llmtest.Reply(w, cliLLMModel, content)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/v1", calls
}

// renamingModel returns the draft it was sent as JSON, with step 2 renamed.
func renamingModel(t *testing.T, body map[string]any) string {
	msgs, _ := body["messages"].([]any)
	if len(msgs) < 2 {
		t.Errorf("messages = %v", msgs)
		return "no"
	}
	user, _ := msgs[1].(map[string]any)["content"].(string)
	_, rest, _ := strings.Cut(user, "```yaml\n")
	src, _, _ := strings.Cut(rest, "```")
	res := compile.Load([]byte(src))
	if len(res.Errors) > 0 || len(res.SOP.Steps) < 2 {
		t.Errorf("the prompt's draft does not load: %v", res.Errors)
		return "no"
	}
	res.SOP.Steps[1].Name = cliRenamed
	js, err := encode.JSON(res.SOP)
	if err != nil {
		t.Error(err)
	}
	return string(js)
}

func builtInSOP(t *testing.T) string {
	t.Helper()
	clearLLMEnv(t)
	code, out, errOut := run(t, "", "generate", "--brief", cliLLMBrief)
	if code != ExitOK {
		t.Fatalf("built-in: exit %d: %s", code, errOut)
	}
	return out
}

func TestGenerateLLMFromEnv(t *testing.T) {
	builtIn := builtInSOP(t)
	url, calls := llmServer(t, renamingModel)
	t.Setenv(llm.EnvURL, url)
	t.Setenv(llm.EnvModel, cliLLMModel)
	t.Setenv(llm.EnvAPIKey, cliLLMKey)
	code, out, errOut := run(t, "", "generate", "--brief", cliLLMBrief)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if calls.Load() != 1 || !strings.Contains(out, "name: "+cliRenamed) || out == builtIn {
		t.Errorf("%d calls; output lacks the model's change:\n%s", calls.Load(), out)
	}
	host := strings.TrimSuffix(strings.TrimPrefix(url, "http://"), "/v1")
	if want := "note: drafted by " + cliLLMModel + " at " + host + " in 1 round"; !strings.Contains(errOut, want) {
		t.Errorf("stderr = %q, want %q", errOut, want)
	}
	if strings.Contains(errOut, cliLLMKey) || strings.Contains(out, cliLLMKey) {
		t.Errorf("the API key leaked into the output")
	}

	// --no-llm: the built-in planner, and the endpoint is not asked.
	code, out, errOut = run(t, "", "generate", "--brief", cliLLMBrief, "--no-llm")
	if code != ExitOK || out != builtIn || calls.Load() != 1 || strings.Contains(errOut, "note:") {
		t.Errorf("--no-llm: exit %d, %d calls, same as built-in %v, stderr %q", code, calls.Load(), out == builtIn, errOut)
	}
}

func TestGenerateLLMFlags(t *testing.T) {
	clearLLMEnv(t)
	t.Setenv(llm.EnvAPIKey, cliLLMKey)
	t.Setenv(llm.EnvURL, "http://127.0.0.1:1/v1") // overridden by --llm-url
	url, calls := llmServer(t, renamingModel)
	code, out, errOut := run(t, "", "generate", "--brief", cliLLMBrief, "--llm", "--llm-url", url, "--llm-model", cliLLMModel, "--format", "json")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if calls.Load() != 1 || !strings.Contains(out, `"name": "`+cliRenamed+`"`) {
		t.Errorf("%d calls; JSON output lacks the model's change:\n%.400s", calls.Load(), out)
	}
}

func TestGenerateLLMFallback(t *testing.T) {
	builtIn := builtInSOP(t)
	for _, tc := range []struct {
		name   string
		answer func(*testing.T, map[string]any) string
		want   string
	}{
		{"prose", func(*testing.T, map[string]any) string { return "A release should be planned carefully." }, "answered in prose"},
		{"timeout", func(*testing.T, map[string]any) string { return "" }, "timed out after " + cliLLMTimeout.String()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			url, calls := llmServer(t, tc.answer)
			t.Setenv(llm.EnvURL, url)
			t.Setenv(llm.EnvModel, cliLLMModel)
			t.Setenv(llm.EnvAPIKey, cliLLMKey)
			code, out, errOut := run(t, "", "generate", "--brief", cliLLMBrief, "--llm-timeout", cliLLMTimeout.String())
			if code != ExitOK {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			if out != builtIn {
				t.Errorf("the fallback is not the built-in planner's SOP")
			}
			if calls.Load() == 0 || !strings.Contains(errOut, "note: ") || !strings.Contains(errOut, tc.want) ||
				!strings.Contains(errOut, "using the built-in planner's SOP") {
				t.Errorf("%d calls, stderr %q; want a note with %q and the fallback", calls.Load(), errOut, tc.want)
			}
			if strings.Contains(errOut, cliLLMKey) {
				t.Errorf("the API key leaked: %q", errOut)
			}
		})
	}
}

func TestGenerateLLMUsage(t *testing.T) {
	clearLLMEnv(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--llm"}, "the LLM needs an endpoint and a model"},
		{[]string{"--llm-model", "m"}, "the LLM needs an endpoint and a model"},
		{[]string{"--llm", "--no-llm"}, "contradict"},
		{[]string{"--llm-url", "ftp://example.com", "--llm-model", "m"}, `--llm-url "ftp://example.com" is not an http or https URL`},
		{[]string{"--llm-timeout", "-1s"}, "--llm-timeout must be a positive duration"},
		{[]string{"--llm-api-key", "k"}, "unknown flag"},
	} {
		args := append([]string{"generate", "--brief", cliLLMBrief}, tc.args...)
		code, _, errOut := run(t, "", args...)
		if code != ExitUsage || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, code, errOut, tc.want)
		}
	}

	// A broken environment without LLM flags: a note, and the built-in planner.
	t.Setenv(llm.EnvURL, "not a url")
	t.Setenv(llm.EnvModel, "m")
	code, out, errOut := run(t, "", "generate", "--brief", cliLLMBrief)
	if code != ExitOK || !strings.Contains(out, "steps:") || !strings.Contains(errOut, "note: "+llm.EnvURL) {
		t.Errorf("broken env: exit %d, stderr %q; want the built-in SOP and a note", code, errOut)
	}
}

func TestGenerateStructuredInputs(t *testing.T) {
	clearLLMEnv(t)
	dir := filepath.Join("..", "generate", "testdata", "inputs")
	code, out, stderr := run(t, "", "generate", "--brief", "weekly SaaS releases with a canary",
		"--raci", filepath.Join(dir, "raci_excel.csv"), "--calendar", filepath.Join(dir, "releases.ics"),
		"--checklist", filepath.Join(dir, "go-no-go.md"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	// The matrix's own role names and the calendar reach the SOP.
	for _, want := range []string{"Ops Lead", "kind: raci", "kind: calendar", "kind: checklist"} {
		if !strings.Contains(out, want) {
			t.Errorf("the SOP lacks %q", want)
		}
	}

	bad := filepath.Join(dir, "bad.csv")
	code, _, stderr = run(t, "", "generate", "--brief", "weekly SaaS releases", "--raci", bad)
	if code == 0 {
		t.Fatal("a bad RACI file was accepted")
	}
	if !strings.Contains(stderr, bad+":") || !regexp.MustCompile(`bad\.csv:\d+:\d+`).MatchString(stderr) {
		t.Errorf("the error does not name the file, line and column:\n%s", stderr)
	}
	code, _, stderr = run(t, "", "generate", "--brief", "weekly SaaS releases", "--calendar", filepath.Join(dir, "missing.ics"))
	if code == 0 || !strings.Contains(stderr, "missing.ics") {
		t.Errorf("a missing calendar: exit %d, %s", code, stderr)
	}
}

// TestGenerateFormatFromExtension: -o release.json writes JSON unless
// --format says otherwise; any other name writes YAML.
func TestGenerateFormatFromExtension(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		args  []string
		start string
	}{
		{[]string{"-o", filepath.Join(dir, "a.json")}, "{"},
		{[]string{"-o", filepath.Join(dir, "b.sop.yaml")}, "id: "},
		{[]string{"-o", filepath.Join(dir, "c.json"), "--format", "yaml"}, "id: "},
	} {
		args := append([]string{"generate", "--brief", "weekly SaaS release with a canary", "--no-llm"}, tc.args...)
		if code, _, errOut := run(t, "", args...); code != ExitOK {
			t.Fatalf("%v: exit %d: %s", tc.args, code, errOut)
		}
		data, err := os.ReadFile(tc.args[1])
		if err != nil || !strings.HasPrefix(string(data), tc.start) {
			t.Errorf("%v wrote %.20q, want it to start %q", tc.args, data, tc.start)
		}
	}
}
