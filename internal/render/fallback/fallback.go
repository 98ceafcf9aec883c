// Package fallback finds and reads the font the PNG and PDF renderers draw
// with where the embedded Go fonts have no glyph (CJK, Hebrew, Arabic, many
// symbols). The layout reserved one em for each such character, so a
// fallback glyph is centred in that em and nothing else moves. SVG needs
// none of this: browsers fall back on their own.
package fallback

import (
	"fmt"
	"os"
	"sync"
)

// EnvVar names a TrueType file to use instead of searching Candidates.
const EnvVar = "RELSOP_FALLBACK_FONT"

// Candidates are well-known places of broad-coverage TrueType fonts on
// Debian and Ubuntu, Fedora, Arch, macOS and Windows, in order of
// preference. Collections (.ttc) and CFF-based OpenType fonts are left
// out: the PDF library embeds plain TrueType only.
var Candidates = []string{
	"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
	"/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
	"/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf",
	"/usr/share/fonts/TTF/DejaVuSans.ttf",
	"/System/Library/Fonts/Supplemental/Arial Unicode.ttf",
	"/Library/Fonts/Arial Unicode.ttf",
	`C:\Windows\Fonts\arialuni.ttf`,
}

// File is a fallback font file that Parse accepts.
type File struct {
	Path string
	TTF  []byte
}

var cache struct {
	sync.Mutex
	done bool
	env  string
	file File
	err  error
}

// Find returns the fallback font of this machine: the file named by
// RELSOP_FALLBACK_FONT, else the first of Candidates that Parse accepts.
// It returns a zero File when there is none, and an error only when
// RELSOP_FALLBACK_FONT names a file that cannot be read or parsed. The
// result is cached for as long as the variable keeps its value.
func Find() (File, error) {
	env := os.Getenv(EnvVar)
	cache.Lock()
	defer cache.Unlock()
	if !cache.done || cache.env != env {
		cache.file, cache.err = Lookup(func(string) string { return env }, Candidates)
		cache.done, cache.env = true, env
	}
	return cache.file, cache.err
}

// Lookup is Find with the environment and the candidate paths given, for
// tests. Unreadable and unparseable candidates are skipped.
func Lookup(getenv func(string) string, candidates []string) (File, error) {
	if path := getenv(EnvVar); path != "" {
		ttf, err := os.ReadFile(path)
		if err != nil {
			return File{}, fmt.Errorf("%s: %w", EnvVar, err)
		}
		if _, err := Parse(ttf); err != nil {
			return File{}, fmt.Errorf("%s: %s: %w", EnvVar, path, err)
		}
		return File{Path: path, TTF: ttf}, nil
	}
	for _, path := range candidates {
		ttf, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		if _, err := Parse(ttf); err == nil {
			return File{Path: path, TTF: ttf}, nil
		}
	}
	return File{}, nil
}
