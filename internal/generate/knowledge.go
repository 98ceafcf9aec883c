package generate

import (
	"embed"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/goccy/go-yaml"
)

// The knowledge base is data, not code: knowledge/lexicon.yaml holds the
// words for domains, regimes, practices, roles and environments, and
// knowledge/practices.yaml the fragments of release practice with the
// conditions that call for them. The planner walks the fragments in order
// and keeps those whose conditions the brief meets.
//
//go:embed knowledge/*.yaml
var knowledgeFS embed.FS

type knowledge struct {
	lex       *lexicon
	fragments []*fragment
}

type lexicon struct {
	Domains      []domainDef         `yaml:"domains"`
	Regimes      []regimeDef         `yaml:"regimes"`
	Practices    map[string][]string `yaml:"practices"`
	Roles        []roleDef           `yaml:"roles"`
	Environments []envDef            `yaml:"environments"`
	Glossary     map[string]string   `yaml:"glossary"` // abbreviation -> the activity's full name

	practiceIDs []string // sorted, so practices are read in a fixed order
}

type domainDef struct {
	ID       string   `yaml:"id"`
	Name     string   `yaml:"name"`
	Title    string   `yaml:"title"`
	Start    string   `yaml:"start"`
	Deployer string   `yaml:"deployer"` // role slot that deploys to production
	Prod     string   `yaml:"prod"`     // the domain's word for production
	Envs     []envDef `yaml:"envs"`     // default pre-production environments
	Words    []string `yaml:"words"`
}

type regimeDef struct {
	ID    string   `yaml:"id"`
	Name  string   `yaml:"name"`
	Words []string `yaml:"words"`
}

type roleDef struct {
	Slot        string   `yaml:"slot"`
	Name        string   `yaml:"name"`
	Description string   `yaml:"description"`
	Words       []string `yaml:"words"`
}

type envDef struct {
	ID    string   `yaml:"id"`
	Name  string   `yaml:"name"`
	Words []string `yaml:"words"`
}

func (lx *lexicon) domain(id string) *domainDef {
	for i := range lx.Domains {
		if lx.Domains[i].ID == id {
			return &lx.Domains[i]
		}
	}
	return nil
}

func (lx *lexicon) regime(id string) *regimeDef {
	for i := range lx.Regimes {
		if lx.Regimes[i].ID == id {
			return &lx.Regimes[i]
		}
	}
	return nil
}

func (lx *lexicon) roleSlot(slot string) *roleDef {
	for i := range lx.Roles {
		if lx.Roles[i].Slot == slot {
			return &lx.Roles[i]
		}
	}
	return nil
}

var (
	kbOnce sync.Once
	kb     *knowledge
	kbErr  error
)

// loadKnowledge reads the embedded knowledge base once.
func loadKnowledge() (*knowledge, error) {
	kbOnce.Do(func() { kb, kbErr = readKnowledge() })
	return kb, kbErr
}

func readKnowledge() (*knowledge, error) {
	lx := &lexicon{}
	if err := decodeKnowledge("knowledge/lexicon.yaml", lx); err != nil {
		return nil, err
	}
	for id := range lx.Practices {
		lx.practiceIDs = append(lx.practiceIDs, id)
	}
	sort.Strings(lx.practiceIDs)
	if err := lx.check(); err != nil {
		return nil, fmt.Errorf("knowledge/lexicon.yaml: %w", err)
	}
	var frags []*fragment
	if err := decodeKnowledge("knowledge/practices.yaml", &frags); err != nil {
		return nil, err
	}
	for i, f := range frags {
		if err := f.compile(lx); err != nil {
			return nil, fmt.Errorf("knowledge/practices.yaml: fragment %d (%s): %w", i+1, f.ID, err)
		}
	}
	return &knowledge{lex: lx, fragments: frags}, nil
}

func decodeKnowledge(name string, v any) error {
	data, err := knowledgeFS.ReadFile(name)
	if err != nil {
		return err
	}
	if err := yaml.UnmarshalWithOptions(data, v, yaml.Strict()); err != nil {
		return fmt.Errorf("%s: %s", name, yaml.FormatError(err, false, true))
	}
	return nil
}

// check compiles every pattern, so a bad regular expression fails at load
// rather than when a brief happens to reach it.
func (lx *lexicon) check() error {
	var all []string
	for _, d := range lx.Domains {
		if d.ID == "" || d.Title == "" || d.Start == "" || lx.roleSlot(d.Deployer) == nil {
			return fmt.Errorf("domain %q needs an id, a title, a start and a known deployer role", d.ID)
		}
		all = append(all, d.Words...)
	}
	for _, r := range lx.Regimes {
		all = append(all, r.Words...)
	}
	for _, ws := range lx.Practices {
		all = append(all, ws...)
	}
	for _, r := range lx.Roles {
		all = append(all, r.Words...)
	}
	for _, e := range lx.Environments {
		all = append(all, e.Words...)
	}
	for _, w := range all {
		if _, err := compileWordRE(w); err != nil {
			return fmt.Errorf("pattern %q: %v", w, err)
		}
	}
	return nil
}

// mustKnowledge is for the places that run after Generate has already
// loaded the knowledge base successfully.
func mustKnowledge() *knowledge {
	k, err := loadKnowledge()
	if err != nil {
		panic("generate: knowledge base: " + err.Error())
	}
	return k
}

// alt is one alternative of a text: used when its condition holds.
type alt struct {
	If   string `yaml:"if"`
	Text string `yaml:"text"`
	cond cond
}

// texts is a text written either as a plain string or as a list of
// alternatives with conditions:
//
//	name: Build the release artefacts
//	name:
//	  - {if: asks:signing, text: Build and sign the release artefacts}
//	  - Build the release artefacts
type texts []alt

func (t *texts) UnmarshalYAML(data []byte) error {
	var v any
	if err := yaml.Unmarshal(data, &v); err != nil {
		return err
	}
	switch v := v.(type) {
	case nil:
		*t = nil
	case string:
		*t = texts{{Text: v}}
	case []any:
		for _, e := range v {
			switch e := e.(type) {
			case string:
				*t = append(*t, alt{Text: e})
			case map[string]any:
				a := alt{}
				for k, val := range e {
					s, ok := val.(string)
					if !ok {
						return fmt.Errorf("%s: a string is expected", k)
					}
					switch k {
					case "if":
						a.If = s
					case "text":
						a.Text = s
					default:
						return fmt.Errorf("unknown key %q: use if and text", k)
					}
				}
				*t = append(*t, a)
			default:
				return fmt.Errorf("an alternative is a string or {if, text}, not %T", e)
			}
		}
	default:
		return fmt.Errorf("a text is a string or a list of alternatives, not %T", v)
	}
	return nil
}

func (t texts) compile(lx *lexicon) error {
	for i := range t {
		c, err := parseCond(t[i].If, lx)
		if err != nil {
			return err
		}
		t[i].cond = c
	}
	return nil
}

// first is the first alternative whose condition holds, expanded.
func (t texts) first(p *plan, v vars) string {
	for _, a := range t {
		if a.cond(p) {
			return v.expand(a.Text)
		}
	}
	return ""
}

// all is every alternative whose condition holds, expanded.
func (t texts) all(p *plan, v vars) []string {
	var out []string
	for _, a := range t {
		if a.cond(p) {
			if s := v.expand(a.Text); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

// vars are the values placeholders ({prod}, {pct}, {env.name}) stand for.
type vars func(name string) (string, bool)

// expand replaces each {name} in s.
func (v vars) expand(s string) string {
	if !strings.Contains(s, "{") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 {
			break
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			break
		}
		b.WriteString(s[:i])
		if val, ok := v(s[i+1 : i+j]); ok {
			b.WriteString(val)
		} else {
			b.WriteString(s[i : i+j+1])
		}
		s = s[i+j+1:]
	}
	b.WriteString(s)
	return b.String()
}
