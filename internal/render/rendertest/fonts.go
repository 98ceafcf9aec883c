package rendertest

import (
	"os"
	"testing"

	"github.com/relsop/relsop/internal/testenv"
)

// DejaVuSans is where Debian's fonts-dejavu-core puts DejaVu Sans, which
// has glyphs the Go fonts lack (Hebrew, Arabic, ✓, ⚠) but no CJK.
const DejaVuSans = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

// Fallback returns DejaVu Sans for tests of the fallback font, skipping
// the test when it is not installed (failing with RELSOP_REQUIRE_TOOLS=1).
func Fallback(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile(DejaVuSans)
	if err != nil {
		testenv.Missing(t, "the font "+DejaVuSans+" (Debian package fonts-dejavu-core)")
	}
	return b
}
