package bpmn

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/importer"
	"github.com/relsop/relsop/internal/importer/importertest"
)

func TestImportLanes(t *testing.T) {
	src, err := os.ReadFile("testdata/lanes.bpmn")
	if err != nil {
		t.Fatal(err)
	}
	res, err := Import("testdata/lanes.bpmn", src)
	if err != nil {
		t.Fatal(err)
	}
	importertest.Validate(t, res)
	s := res.SOP
	if got := len(s.Roles); got != 3 {
		t.Errorf("%d roles, want one per lane", got)
	}
	for id, kind := range map[string]relsop.StepKind{"s": relsop.KindStart, "fix": relsop.KindTask, "build": relsop.KindAutomated,
		"mail": relsop.KindNotify, "g": relsop.KindGate, "e": relsop.KindEnd} {
		if st := s.Step(id); st == nil || st.Kind != kind {
			t.Errorf("step %s: %+v, want kind %s", id, st, kind)
		}
	}
	if s.Step("j") != nil {
		t.Error("the parallel gateway became a step; flows should run through it")
	}
	if n := s.Step("fix").Next; len(n) != 1 || n[0] != "build" {
		t.Errorf("fix leads to %v, want build (through the gateway)", n)
	}
	if o := s.Step("g").Outcome("no"); o == nil || o.To != "fix" {
		t.Errorf("gate outcome no: %+v", o)
	}
	if s.Step("fix").Owner != "developer" || s.Step("g").Owner != "release-manager" {
		t.Error("lanes did not become owners")
	}
	found := false
	for _, w := range res.Warnings {
		found = found || strings.Contains(w.Message, "<textAnnotation>")
	}
	if !found {
		t.Errorf("the text annotation is dropped silently: %v", res.Warnings)
	}
}

func TestBadXML(t *testing.T) {
	const head = `<?xml version="1.0"?>` + "\n"
	for _, tc := range []struct {
		name, src, pos, msg string
	}{
		{"billion laughs", head + `<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>` + "\n<definitions>&lol2;</definitions>", "2:1", "DOCTYPE declaration is refused"},
		{"external entity", head + `<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><definitions>&xxe;</definitions>`, "2:1", "DOCTYPE"},
		{"undeclared entity", head + "<definitions>\n  <process name=\"&x;\"/></definitions>", "3:", "malformed XML"},
		{"unclosed", head + "<definitions>\n  <process>\n</definitions>", "4:", "malformed XML"},
		{"not bpmn", head + "<html/>", "2:1", "not a BPMN"},
		{"empty", "", "1:1", "no XML element"},
		{"huge", head + "<definitions>" + strings.Repeat(" ", MaxFileSize) + "</definitions>", "1:1", "larger than"},
		{"deep", head + strings.Repeat("<a>", 200), "", "nested more than"},
		{"charset", `<?xml version="1.0" encoding="EBCDIC"?><definitions/>`, "", "encoding"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Import("x.bpmn", []byte(tc.src))
			var ie *importer.Error
			if !errors.As(err, &ie) {
				t.Fatalf("got %v, want an import error", err)
			}
			if !strings.Contains(ie.Finding.Message, tc.msg) {
				t.Errorf("message %q does not say %q", ie.Finding.Message, tc.msg)
			}
			if !strings.HasPrefix(ie.Finding.Pos.String(), tc.pos) || !ie.Finding.Pos.IsValid() {
				t.Errorf("position %s, want %s", ie.Finding.Pos, tc.pos)
			}
		})
	}
}

func FuzzImport(f *testing.F) {
	for _, p := range []string{"testdata/lanes.bpmn"} {
		if src, err := os.ReadFile(p); err == nil {
			f.Add(src)
		}
	}
	f.Add([]byte(`<definitions><process id="p"><exclusiveGateway id="g"/><sequenceFlow id="f" sourceRef="g" targetRef="g"/></process></definitions>`))
	f.Add([]byte(`<definitions><process id="p"><parallelGateway id="a"/><parallelGateway id="b"/><sequenceFlow sourceRef="a" targetRef="b"/><sequenceFlow sourceRef="b" targetRef="a"/></process></definitions>`))
	f.Fuzz(func(t *testing.T, src []byte) {
		res, err := Import("fuzz.bpmn", src)
		if err != nil {
			var ie *importer.Error
			if !errors.As(err, &ie) || !ie.Finding.Pos.IsValid() {
				t.Fatalf("error without a position: %v", err)
			}
			return
		}
		importertest.Validate(t, res)
	})
}
