package png

import th "github.com/relsop/relsop/internal/render/theme"

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
