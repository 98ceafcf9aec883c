package edit

import (
	"regexp"
	"sync"
)

// lazyRegexp is a regular expression compiled the first time it is used.
// Every relsop command starts this package, and compiling its patterns up
// front cost each of them (render and lint too) about a millisecond.
type lazyRegexp struct{ re func() *regexp.Regexp }

func lazyRE(expr string) lazyRegexp {
	return lazyRegexp{sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })}
}

func (l lazyRegexp) FindStringSubmatch(s string) []string { return l.re().FindStringSubmatch(s) }
func (l lazyRegexp) MatchString(s string) bool            { return l.re().MatchString(s) }
func (l lazyRegexp) FindString(s string) string           { return l.re().FindString(s) }
func (l lazyRegexp) ReplaceAllString(s, repl string) string {
	return l.re().ReplaceAllString(s, repl)
}
func (l lazyRegexp) ReplaceAllStringFunc(s string, repl func(string) string) string {
	return l.re().ReplaceAllStringFunc(s, repl)
}
func (l lazyRegexp) Split(s string, n int) []string { return l.re().Split(s, n) }
