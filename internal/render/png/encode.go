package png

import (
	"bytes"
	"compress/flate"
	"encoding/binary"
	"hash/adler32"
	"hash/crc32"
	"image"
	"image/png"
	"io"
	"runtime"
	"sync"
)

// A diagram at 2x is tens of millions of pixels, and image/png spends most
// of a render choosing each row's filter and compressing, on one core.
// encode writes the same kind of file (8-bit RGB, one zlib stream) faster:
// rows identical to the one above (most rows of flat lane and box
// interiors) take the Up filter without trying the others, and bands of
// rows are filtered and compressed on every core, each band's deflate
// data ending on a sync flush so that the bands join into one stream, as
// pigz does. Bands are a fixed number of rows, so the bytes do not depend
// on the number of cores.

// bandRows is the number of rows compressed together.
const bandRows = 128

// encode writes img as a PNG. An image that is not opaque (which the
// renderer never makes: the background is painted first) is left to
// image/png, which handles alpha.
func encode(w io.Writer, img *image.RGBA) error {
	if !img.Opaque() {
		return (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(w, img)
	}
	width, height := img.Bounds().Dx(), img.Bounds().Dy()
	bands := (height + bandRows - 1) / bandRows
	out := make([]band, bands)
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), bands) {
		wg.Go(func() {
			zw, _ := flate.NewWriter(nil, flate.BestSpeed) // the level is valid; one compressor a worker
			for i := range next {
				out[i] = compressBand(zw, img, i*bandRows, min((i+1)*bandRows, height), i == bands-1)
			}
		})
	}
	for i := range bands {
		next <- i
	}
	close(next)
	wg.Wait()

	var ihdr [13]byte
	binary.BigEndian.PutUint32(ihdr[0:], uint32(width))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(height))
	ihdr[8], ihdr[9] = 8, 2 // 8 bits a sample, RGB; compression, filter and interlace methods 0
	ew := &errWriter{w: w}
	ew.write([]byte("\x89PNG\r\n\x1a\n"))
	ew.chunk("IHDR", ihdr[:])
	// zlib: a header for deflate with the fastest level, the bands' data,
	// and the Adler-32 of everything before compression.
	ew.chunk("IDAT", []byte{0x78, 0x01})
	sum := uint32(1)
	for _, b := range out {
		ew.chunk("IDAT", b.data)
		sum = adler32Combine(sum, b.adler, b.length)
	}
	ew.chunk("IDAT", binary.BigEndian.AppendUint32(nil, sum))
	ew.chunk("IEND", nil)
	return ew.err
}

// band is a run of rows, filtered and compressed.
type band struct {
	data   []byte // raw deflate data, ending on a sync flush or, for the last band, the final block
	adler  uint32 // Adler-32 of the filtered rows
	length int64  // their length in bytes
}

// compressBand filters the rows [y0, y1) and compresses them with zw.
func compressBand(zw *flate.Writer, img *image.RGBA, y0, y1 int, last bool) band {
	width := img.Bounds().Dx()
	var buf bytes.Buffer
	zw.Reset(&buf)
	sum := adler32.New()
	cur, prev := make([]byte, 3*width), make([]byte, 3*width)
	if y0 > 0 {
		rgbRow(img, y0-1, prev)
	}
	filtered, scratch := make([]byte, 1+3*width), make([]byte, 3*width)
	for y := y0; y < y1; y++ {
		rgbRow(img, y, cur)
		filterRow(filtered, scratch, cur, prev, y == 0)
		zw.Write(filtered)
		sum.Write(filtered)
		cur, prev = prev, cur
	}
	if last {
		zw.Close()
	} else {
		zw.Flush()
	}
	return band{data: buf.Bytes(), adler: sum.Sum32(), length: int64(y1-y0) * int64(len(filtered))}
}

// rgbRow copies row y of img into dst as RGB bytes (an opaque RGBA pixel's
// colour is its stored colour: premultiplying by 1 changes nothing).
func rgbRow(img *image.RGBA, y int, dst []byte) {
	row := img.Pix[img.PixOffset(img.Bounds().Min.X, img.Bounds().Min.Y+y):]
	for x := 0; x < len(dst)/3; x++ {
		copy(dst[3*x:3*x+3], row[4*x:4*x+3])
	}
}

// filterRow writes the filter type and the filtered bytes of cur into
// out. A row like the one above is all zeros under Up; otherwise the
// filter with the smallest sum of absolute differences is taken among
// Sub, Up and Paeth (the heuristic the PNG specification suggests, over
// the filters that suit drawings). scratch has room for one row.
func filterRow(out, scratch, cur, prev []byte, first bool) {
	const sub, up, paeth = 1, 2, 4
	if !first && bytes.Equal(cur, prev) {
		out[0] = up
		clear(out[1:])
		return
	}
	n := len(cur)
	best, bestRow := byte(sub), out[1:]
	bestSum := filterSub(bestRow, cur)
	if first {
		out[0] = best // Up and Paeth are Sub or None on the first row
		return
	}
	alt := scratch[:n]
	if s := filterUp(alt, cur, prev); s < bestSum {
		best, bestSum = up, s
		copy(bestRow, alt)
	}
	if s := filterPaeth(alt, cur, prev); s < bestSum {
		best = paeth
		copy(bestRow, alt)
	}
	out[0] = best
}

func filterSub(dst, cur []byte) int {
	s := 0
	for i := range cur {
		v := cur[i]
		if i >= 3 {
			v -= cur[i-3]
		}
		dst[i] = v
		s += absDiff(v)
	}
	return s
}

func filterUp(dst, cur, prev []byte) int {
	s := 0
	for i := range cur {
		v := cur[i] - prev[i]
		dst[i] = v
		s += absDiff(v)
	}
	return s
}

func filterPaeth(dst, cur, prev []byte) int {
	s := 0
	for i := range cur {
		var left, corner byte
		if i >= 3 {
			left, corner = cur[i-3], prev[i-3]
		}
		v := cur[i] - paethPredictor(left, prev[i], corner)
		dst[i] = v
		s += absDiff(v)
	}
	return s
}

// absDiff is the size of a filtered byte read as a signed difference.
func absDiff(b byte) int {
	v := int(int8(b))
	return max(v, -v)
}

// paethPredictor is the PNG specification's Paeth predictor.
func paethPredictor(a, b, c byte) byte {
	p := int(a) + int(b) - int(c)
	pa, pb, pc := p-int(a), p-int(b), p-int(c)
	pa, pb, pc = max(pa, -pa), max(pb, -pb), max(pc, -pc)
	switch {
	case pa <= pb && pa <= pc:
		return a
	case pb <= pc:
		return b
	}
	return c
}

// adler32Combine is the Adler-32 of two byte runs one after the other,
// from each one's sum and the second one's length (zlib's
// adler32_combine).
func adler32Combine(a1, a2 uint32, len2 int64) uint32 {
	const base = 65521
	rem := uint32(len2 % base)
	sum1 := a1 & 0xffff
	sum2 := rem * sum1 % base
	sum1 += a2&0xffff + base - 1
	sum2 += a1>>16 + a2>>16 + base - rem
	for sum1 >= base {
		sum1 -= base
	}
	for sum2 >= base {
		sum2 -= base
	}
	return sum1 | sum2<<16
}

// errWriter writes PNG chunks and keeps the first error.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) write(b []byte) {
	if e.err == nil {
		_, e.err = e.w.Write(b)
	}
}

// chunk writes a PNG chunk: length, type, data and the CRC of type and data.
func (e *errWriter) chunk(typ string, data []byte) {
	var head [8]byte
	binary.BigEndian.PutUint32(head[:4], uint32(len(data)))
	copy(head[4:], typ)
	crc := crc32.NewIEEE()
	crc.Write(head[4:])
	crc.Write(data)
	e.write(head[:])
	e.write(data)
	e.write(binary.BigEndian.AppendUint32(nil, crc.Sum32()))
}
