package pdf

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/relsop/relsop/internal/render/fallback"
	"github.com/relsop/relsop/internal/render/rendertest"
	"github.com/relsop/relsop/internal/textmeasure"
)

// TestFallbackTextExtractable draws a step line with a character the Go
// fonts lack and DejaVu Sans has (✓) and one neither has (部).
func TestFallbackTextExtractable(t *testing.T) {
	fb := rendertest.Fallback(t)
	const line = "Checks ✓ done 部"
	for _, page := range Pages() {
		t.Run(page, func(t *testing.T) {
			d := fixture()
			d.Nodes[1].Lines[0].Text = line
			without := render(t, d, Options{Page: page})
			with := render(t, d, Options{Page: page, Fallback: fb})

			text := pdfText(t, with)
			if !strings.Contains(text, "✓") {
				t.Errorf("✓ drawn with the fallback font is not extractable; pdftotext gave:\n%s", text)
			}
			if !strings.Contains(text, "done ?") {
				t.Errorf("部, which DejaVu lacks too, is not '?'; pdftotext gave:\n%s", text)
			}
			if strings.Contains(pdfText(t, without), "✓") {
				t.Error("✓ was drawn without a fallback font")
			}
			if n, m := bytes.Count(with, []byte("/FontFile2")), bytes.Count(without, []byte("/FontFile2")); n != m+1 {
				t.Errorf("%d embedded fonts with the fallback, %d without; want one more", n, m)
			}

			again := render(t, d, Options{Page: page, Fallback: fb})
			if !bytes.Equal(with, again) {
				t.Error("two renders with the same fallback font differ")
			}
		})
	}
}

// TestFallbackUnused checks that a fallback font no character needs is not
// embedded: the document is the same as without one.
func TestFallbackUnused(t *testing.T) {
	fb := rendertest.Fallback(t)
	for _, page := range Pages() {
		if !bytes.Equal(render(t, fixture(), Options{Page: page, Fallback: fb}), render(t, fixture(), Options{Page: page})) {
			t.Errorf("page %s: an unneeded fallback font changed the PDF", page)
		}
	}
}

// TestFallbackRuns checks where each piece of a line goes: a fallback
// glyph centred in the em the layout reserved, the Go-font text around it
// where the layout measured it, with letter-spacing after every character.
func TestFallbackRuns(t *testing.T) {
	fb, err := fallback.Parse(rendertest.Fallback(t))
	if err != nil {
		t.Fatal(err)
	}
	const size, spacing = 10.0, 0.5
	em, ok := fb.Advance('✓')
	if !ok {
		t.Fatal("DejaVu Sans lacks ✓")
	}
	a := textmeasure.Width("A", size, false)
	q := textmeasure.Width("?", size, false)
	got := runs("A✓B部", size, false, fb, spacing)
	want := []run{
		{text: "A", x: 0},
		{text: "✓", x: a + spacing + (size-em*size)/2, fallback: true},
		{text: "B", x: a + spacing + size + spacing},
		{text: "?", x: a + spacing + size + spacing + textmeasure.Width("B", size, false) + spacing + (size-q)/2},
	}
	if len(got) != len(want) {
		t.Fatalf("runs = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i].text != want[i].text || got[i].fallback != want[i].fallback || math.Abs(got[i].x-want[i].x) > 1e-9 {
			t.Errorf("run %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestBadFallback(t *testing.T) {
	_, err := Render(fixture(), Options{Fallback: []byte("not a font")})
	if err == nil || !strings.Contains(err.Error(), "fallback font") {
		t.Errorf("err = %v, want one about the fallback font", err)
	}
}
