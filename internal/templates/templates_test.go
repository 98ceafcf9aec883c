package templates

import (
	"slices"
	"strings"
	"testing"

	"github.com/relsop/relsop/internal/compile"
)

func TestTemplatesLoad(t *testing.T) {
	all := All()
	if len(all) != 4 {
		t.Fatalf("got %d templates, want 4: %v", len(all), Names())
	}
	for _, tpl := range all {
		t.Run(tpl.Name, func(t *testing.T) {
			res := compile.Load(tpl.Source)
			for _, e := range res.Errors {
				t.Errorf("%s:%s: %s [%s]", tpl.Name, e.Pos, e.Message, e.Code)
			}
			if res.SOP == nil {
				t.Fatal("no SOP loaded")
			}
			if res.SOP.Title != tpl.Title {
				t.Errorf("Title = %q, the file says %q", tpl.Title, res.SOP.Title)
			}
			for _, id := range []string{"major", "minor", "emergency"} {
				rt := res.SOP.ReleaseType(id)
				if rt == nil {
					t.Errorf("no release type %q", id)
					continue
				}
				if _, err := res.SOP.Resolve(id); err != nil {
					t.Errorf("resolve %s: %v", id, err)
				}
			}
			if rt := res.SOP.ReleaseType("emergency"); rt != nil && !rt.Emergency {
				t.Error("release type emergency is not marked emergency: true")
			}
		})
	}
}

func TestTemplateMetadata(t *testing.T) {
	for _, tpl := range All() {
		if tpl.Name == "" || tpl.Title == "" || tpl.Description == "" {
			t.Errorf("template %+v lacks a name, title or description", tpl.Name)
		}
		if strings.Contains(tpl.Description, "\n") || len(tpl.Description) > 90 {
			t.Errorf("%s: description is not one short line: %q", tpl.Name, tpl.Description)
		}
		if _, ok := meta[tpl.Name]; !ok {
			t.Errorf("%s: no entry in the description table", tpl.Name)
		}
		if tpl.Profile != ProfileDefault && tpl.Profile != ProfileRegulated {
			t.Errorf("%s: profile %q", tpl.Name, tpl.Profile)
		}
		if !strings.HasPrefix(string(tpl.Source), "# yaml-language-server: $schema=") {
			t.Errorf("%s: does not start with the yaml-language-server schema line", tpl.Name)
		}
	}
	for name := range meta {
		if _, ok := Get(name); !ok {
			t.Errorf("description table names %q, which has no file", name)
		}
	}
	if got, want := Names(), []string{"devops-cicd", "enterprise-cab", "regulated-healthcare", "saas-weekly"}; !slices.Equal(got, want) {
		t.Errorf("Names() = %v, want %v", got, want)
	}
	if tpl, _ := Get("regulated-healthcare"); tpl.Profile != ProfileRegulated {
		t.Errorf("regulated-healthcare profile = %q", tpl.Profile)
	}
}

func TestGetUnknown(t *testing.T) {
	for _, name := range []string{"", "nope", "saas", "saas-weekly.sop.yaml"} {
		if _, ok := Get(name); ok {
			t.Errorf("Get(%q) found a template", name)
		}
	}
}
