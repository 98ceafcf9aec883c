package png

import (
	"github.com/relsop/relsop/internal/diagram"
	"github.com/relsop/relsop/internal/render/rendertest"
)

// fixture is the diagram every renderer is tested with.
func fixture() *diagram.Diagram { return rendertest.Fixture() }
