package generate

import (
	"regexp"
	"sync"
)

// lazyRegexp is a regular expression compiled the first time it is used.
// Every relsop command links this package; compiling its patterns up
// front cost each command (render and lint too) about two milliseconds.
type lazyRegexp struct{ re func() *regexp.Regexp }

func lazyRE(expr string) lazyRegexp {
	return lazyRegexp{sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })}
}

// lazySet returns the set of the words of s, built on the first call. The
// planner's word lists cost every command about 0.2 ms at start-up when
// they were built in package initialisation.
func lazySet(s string) func() map[string]bool {
	return sync.OnceValue(func() map[string]bool { return toSet(s) })
}

func (l lazyRegexp) MatchString(s string) bool              { return l.re().MatchString(s) }
func (l lazyRegexp) FindString(s string) string             { return l.re().FindString(s) }
func (l lazyRegexp) FindStringIndex(s string) []int         { return l.re().FindStringIndex(s) }
func (l lazyRegexp) FindStringSubmatch(s string) []string   { return l.re().FindStringSubmatch(s) }
func (l lazyRegexp) FindStringSubmatchIndex(s string) []int { return l.re().FindStringSubmatchIndex(s) }
func (l lazyRegexp) FindAllString(s string, n int) []string { return l.re().FindAllString(s, n) }
func (l lazyRegexp) FindAllStringIndex(s string, n int) [][]int {
	return l.re().FindAllStringIndex(s, n)
}
func (l lazyRegexp) FindAllStringSubmatch(s string, n int) [][]string {
	return l.re().FindAllStringSubmatch(s, n)
}
func (l lazyRegexp) FindAllStringSubmatchIndex(s string, n int) [][]int {
	return l.re().FindAllStringSubmatchIndex(s, n)
}
func (l lazyRegexp) ReplaceAllString(s, repl string) string { return l.re().ReplaceAllString(s, repl) }
func (l lazyRegexp) Split(s string, n int) []string         { return l.re().Split(s, n) }
