package png

import (
	"bytes"
	"hash/adler32"
	"image"
	"image/color"
	stdpng "image/png"
	"math/rand/v2"
	"runtime"
	"testing"
)

// TestEncodeRoundTrip encodes images with flat areas, repeated rows,
// noise and sizes that do not fill the last band, and reads them back
// with image/png: every pixel comes back, and the bytes do not depend on
// the number of cores.
func TestEncodeRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, size := range []image.Point{{1, 1}, {7, 3}, {300, bandRows}, {257, 2*bandRows + 5}, {1000, 40}} {
		img := image.NewRGBA(image.Rect(0, 0, size.X, size.Y))
		for y := range size.Y {
			for x := range size.X {
				c := color.RGBA{200, 210, 220, 255} // a flat background
				switch {
				case y%17 < 3: // repeated noisy rows
					c = color.RGBA{uint8(rng.IntN(256)), uint8(x), uint8(y), 255}
				case x%29 < 2: // vertical lines
					c = color.RGBA{20, 30, 40, 255}
				}
				img.SetRGBA(x, y, c)
			}
		}
		var one, many bytes.Buffer
		prev := runtime.GOMAXPROCS(1)
		err1 := encode(&one, img)
		runtime.GOMAXPROCS(4)
		err2 := encode(&many, img)
		runtime.GOMAXPROCS(prev)
		if err1 != nil || err2 != nil {
			t.Fatalf("%v: %v %v", size, err1, err2)
		}
		if !bytes.Equal(one.Bytes(), many.Bytes()) {
			t.Errorf("%v: the bytes depend on the number of cores", size)
		}
		back, err := stdpng.Decode(&one)
		if err != nil {
			t.Fatalf("%v: image/png cannot read it: %v", size, err)
		}
		if back.Bounds() != img.Bounds() {
			t.Fatalf("%v: read back as %v", size, back.Bounds())
		}
		for y := range size.Y {
			for x := range size.X {
				r1, g1, b1, a1 := back.At(x, y).RGBA()
				r2, g2, b2, a2 := img.At(x, y).RGBA()
				if r1 != r2 || g1 != g2 || b1 != b2 || a1 != a2 {
					t.Fatalf("%v: pixel (%d,%d) reads %v, was %v", size, x, y, back.At(x, y), img.At(x, y))
				}
			}
		}
	}
}

// TestEncodeTranslucent leaves an image with alpha to image/png, which
// keeps it.
func TestEncodeTranslucent(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 4, 4))
	img.SetRGBA(1, 1, color.RGBA{10, 20, 30, 128})
	var buf bytes.Buffer
	if err := encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	back, err := stdpng.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, _, a := back.At(1, 1).RGBA(); a>>8 != 128 {
		t.Errorf("alpha %d, want 128", a>>8)
	}
}

// TestAdler32Combine agrees with the sum of the joined bytes.
func TestAdler32Combine(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for range 200 {
		a := make([]byte, rng.IntN(70000))
		b := make([]byte, rng.IntN(70000))
		for i := range a {
			a[i] = byte(rng.IntN(256))
		}
		for i := range b {
			b[i] = 0xff // the largest bytes stress the sums' overflow
		}
		want := adler32.Checksum(append(append([]byte(nil), a...), b...))
		if got := adler32Combine(adler32.Checksum(a), adler32.Checksum(b), int64(len(b))); got != want {
			t.Fatalf("combine of %d and %d bytes: %08x, want %08x", len(a), len(b), got, want)
		}
	}
}
