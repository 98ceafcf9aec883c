package svg

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// The functions below are num and esc as they were before the renderer
// wrote into one buffer: plain and obviously right, and slow. The tests
// hold the fast versions to their output, byte for byte.

func referenceNum(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "0"
	}
	r := math.Round(v*100) / 100
	if r == 0 {
		r = 0 // turns -0 into 0
	}
	return strconv.FormatFloat(r, 'f', -1, 64)
}

func referenceClean(s string) string {
	ok := true
	for _, r := range s {
		if !legalChar(r) || r == '\t' || r == '\n' || r == '\r' || r == utf8.RuneError {
			ok = false
			break
		}
	}
	if ok {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			b.WriteByte(' ')
		case legalChar(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

var referenceEscaper = strings.NewReplacer(
	"&", "&amp;",
	"<", "&lt;",
	">", "&gt;",
	`"`, "&quot;",
	"'", "&#39;",
)

func referenceEsc(s string) string { return referenceEscaper.Replace(referenceClean(s)) }

func checkNum(t *testing.T, v float64) {
	t.Helper()
	if got, want := num(v), referenceNum(v); got != want {
		t.Fatalf("num(%v) (bits %#x) = %q, want %q", v, math.Float64bits(v), got, want)
	}
}

func checkEsc(t *testing.T, s string) {
	t.Helper()
	want := "x" + referenceEsc(s)
	if got := string(appendEscaped([]byte("x"), s)); got != want {
		t.Fatalf("appendEscaped(%q) = %q, want %q", s, got[1:], want[1:])
	}
}

// TestNumMatchesReference tries the values layouts produce (hundredths,
// thousandths and the float noise of arithmetic on them), the halfway
// cases of rounding, the edges of appendNum's fast path, and random bit
// patterns.
func TestNumMatchesReference(t *testing.T) {
	for _, v := range []float64{
		0, math.Copysign(0, -1), math.NaN(), math.Inf(1), math.Inf(-1),
		math.MaxFloat64, -math.MaxFloat64, math.SmallestNonzeroFloat64,
		0.005, -0.005, 0.015, 1.005, 2.675, 1e13, 1e13 - 0.01, 1e13 + 0.01, -1e13,
		fastHundredths / 100, fastHundredths/100 - 0.01, math.Nextafter(fastHundredths/100, 0),
		1 << 53, 1 << 62, 1 << 63, 1 << 64, 0.1 + 0.2,
	} {
		checkNum(t, v)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 300_000 {
		k := rng.Int64N(2_000_000_000) - 1_000_000_000
		checkNum(t, float64(k)/100)
		checkNum(t, float64(k)/1000)
		checkNum(t, (float64(k)+0.5)/100)
		checkNum(t, float64(k)/100*3/3+0.1)
		checkNum(t, (rng.Float64()-0.5)*math.Pow(10, float64(rng.IntN(34)-8)))
		checkNum(t, math.Float64frombits(rng.Uint64()))
	}
}

// TestEscapeMatchesReference builds random strings from pieces that
// exercise every branch: plain text, the five XML characters, line breaks
// and other control characters, characters XML forbids, multi-byte
// characters and broken UTF-8.
func TestEscapeMatchesReference(t *testing.T) {
	pieces := []string{
		"a", "Deploy to prod", " ", "&", "<", ">", `"`, "'", "&amp;", "\t", "\n", "\r",
		"\x00", "\x1b", "\x7f", "·", "→", "发布", "🚀", "\ufffd", "\ufffe", "\uffff",
		"\xff", "\xe2\x80", "\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80", "]]>",
	}
	for _, s := range pieces {
		checkEsc(t, s)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 100_000 {
		var b strings.Builder
		for range rng.IntN(8) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		checkEsc(t, b.String())
	}
}

func FuzzNum(f *testing.F) {
	for _, v := range []float64{0, -0.005, 1.005, 2.675, 1260, -12.5, 1e13, 1e300, math.NaN()} {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v float64) { checkNum(t, v) })
}

func FuzzEscape(f *testing.F) {
	for _, s := range []string{"", "plain", `a<b & "c" 'd'>`, "tab\there\x1b\x00", "bad \xff\xe2\x80 utf8", "发布 → 🚀 ·"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkEsc(t, s) })
}
