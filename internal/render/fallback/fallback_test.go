package fallback

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
)

// write puts b in a file of dir and returns its path.
func write(t *testing.T, dir, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestLookup(t *testing.T) {
	dir := t.TempDir()
	regular := write(t, dir, "regular.ttf", goregular.TTF)
	bold := write(t, dir, "bold.ttf", gobold.TTF)
	junk := write(t, dir, "junk.ttf", []byte("not a font at all"))
	collection := write(t, dir, "fonts.ttc", append([]byte("ttcf"), goregular.TTF[4:]...))
	missing := filepath.Join(dir, "missing.ttf")

	for _, tc := range []struct {
		name       string
		env        string
		candidates []string
		want       string // the path found; "" for none
	}{
		{"env wins over candidates", bold, []string{regular}, bold},
		{"first candidate", "", []string{regular, bold}, regular},
		{"missing candidates skipped", "", []string{missing, filepath.Join(dir, "no", "such.ttf"), bold}, bold},
		{"unparseable candidates skipped", "", []string{junk, collection, regular, bold}, regular},
		{"none found", "", []string{missing, junk}, ""},
		{"no candidates", "", nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Lookup(env(map[string]string{EnvVar: tc.env}), tc.candidates)
			if err != nil {
				t.Fatalf("Lookup: %v", err)
			}
			if got.Path != tc.want {
				t.Errorf("path %q, want %q", got.Path, tc.want)
			}
			want, _ := os.ReadFile(tc.want)
			if tc.want == "" {
				want = nil
			}
			if !bytes.Equal(got.TTF, want) {
				t.Errorf("got %d bytes, want the %d bytes of %q", len(got.TTF), len(want), tc.want)
			}
		})
	}
}

func TestLookupBadEnvPath(t *testing.T) {
	dir := t.TempDir()
	regular := write(t, dir, "regular.ttf", goregular.TTF)
	for name, path := range map[string]string{
		"missing":    filepath.Join(dir, "missing.ttf"),
		"junk":       write(t, dir, "junk.ttf", []byte("not a font at all")),
		"collection": write(t, dir, "fonts.ttc", append([]byte("ttcf"), goregular.TTF[4:]...)),
		"cff":        write(t, dir, "cff.otf", append([]byte("OTTO"), goregular.TTF[4:]...)),
		"directory":  dir,
	} {
		t.Run(name, func(t *testing.T) {
			got, err := Lookup(env(map[string]string{EnvVar: path}), []string{regular})
			if err == nil {
				t.Fatalf("no error; found %q", got.Path)
			}
			if !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), EnvVar) {
				t.Errorf("error %q does not name %s and %s", err, EnvVar, path)
			}
			if got.TTF != nil {
				t.Errorf("an error came with %d bytes of font", len(got.TTF))
			}
		})
	}
}

func TestFindFollowsEnv(t *testing.T) {
	dir := t.TempDir()
	bold := write(t, dir, "bold.ttf", gobold.TTF)
	t.Setenv(EnvVar, bold)
	if got, err := Find(); err != nil || got.Path != bold {
		t.Fatalf("Find() = %q, %v; want %q", got.Path, err, bold)
	}
	missing := filepath.Join(dir, "missing.ttf")
	t.Setenv(EnvVar, missing)
	if _, err := Find(); err == nil || !strings.Contains(err.Error(), missing) {
		t.Fatalf("Find() after changing %s: error %v, want one naming %s", EnvVar, err, missing)
	}
}

func TestAdvance(t *testing.T) {
	f, err := Parse(goregular.TTF)
	if err != nil {
		t.Fatal(err)
	}
	m, ok := f.Advance('m')
	if !ok || m <= 0.5 || m >= 1.2 {
		t.Errorf("Advance('m') = %v, %v; want a width near one em", m, ok)
	}
	if i, _ := f.Advance('i'); i >= m {
		t.Errorf("'i' (%v em) is not narrower than 'm' (%v em)", i, m)
	}
	if a, ok := f.Advance('部'); ok {
		t.Errorf("Advance('部') = %v, true; Go Regular has no CJK", a)
	}
}

func TestParseRejects(t *testing.T) {
	for name, b := range map[string][]byte{
		"empty":      nil,
		"short":      {0, 1},
		"collection": append([]byte("ttcf"), goregular.TTF[4:]...),
		"cff":        append([]byte("OTTO"), goregular.TTF[4:]...),
		"truncated":  goregular.TTF[:64],
	} {
		if _, err := Parse(b); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
