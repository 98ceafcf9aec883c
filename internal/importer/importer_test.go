package importer

import (
	"testing"
)

func TestDetect(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      Format
	}{
		{"x.bpmn", "<?xml version=\"1.0\"?><definitions/>", BPMN},
		{"w.yml", "on: push\njobs:\n  a: {runs-on: x}\n", GitHubActions},
		{"w.yml", "\"on\": push\njobs:\n  a: {runs-on: x}\n", GitHubActions},
		{"ci.yml", "stages: [a]\n", GitLabCI},
		{"ci.yml", "build:\n  script: make\n", GitLabCI},
		{"ci.yml", "spec:\n  inputs: {}\n---\nbuild:\n  script: make\n", GitLabCI},
		{".gitlab-ci.yml", "x: 1\n", GitLabCI},
	} {
		got, err := Detect(tc.name, []byte(tc.src))
		if err != nil || got != tc.want {
			t.Errorf("Detect(%q, %q) = %q, %v; want %q", tc.name, tc.src, got, err, tc.want)
		}
	}
	if _, err := Detect("x.yml", []byte("a: 1\n")); err == nil {
		t.Error("a plain mapping was given a format")
	}
}

func TestSlugAndID(t *testing.T) {
	for in, want := range map[string]string{"Build & Test": "build-test", "review/$CI_COMMIT_REF_NAME": "review-ci_commit_ref_name", "---": "", "Déploiement": "d-ploiement"} {
		if got := Slug(in); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
	if got := ID("Task_1abc", "x"); got != "Task_1abc" {
		t.Errorf("a valid id was changed to %q", got)
	}
}
