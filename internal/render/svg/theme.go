package svg

import (
	"strings"

	th "github.com/relsop/relsop/internal/render/theme"
)

// The colours and strokes come from the shared theme package, so that SVG,
// PNG and PDF look alike by construction.
type (
	theme     = th.Theme
	nodeStyle = th.NodeStyle
)

// Themes returns the names Options.Theme accepts.
func Themes() []string { return th.Names() }

// themeFor returns the named theme, or light for an unknown or empty name.
func themeFor(name string) *theme { return th.For(name) }

// dashArray writes dash lengths as an SVG stroke-dasharray; "" for solid.
func dashArray(d []float64) string {
	parts := make([]string, len(d))
	for i, v := range d {
		parts[i] = num(v)
	}
	return strings.Join(parts, " ")
}

// lineCap is the stroke-linecap of an edge style: round turns very short
// dashes into dots.
func lineCap(round bool) string {
	if round {
		return "round"
	}
	return ""
}
