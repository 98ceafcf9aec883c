package png

import (
	"bytes"
	"image/color"
	"math"

	"golang.org/x/image/math/fixed"
)

// Lane stripes, header cells, the background and the frame are large
// axis-aligned rectangles. Through the vector rasterizer each costs a
// float32 coverage buffer as large as its bounding box (about 160 MB for
// a template's background at 2x, and as much again for the frame's thin
// outline, whose box is the whole grid) and a pass over every pixel in
// it. A rectangle's coverage of a pixel is the product of its overlaps
// with the pixel's column and row, so these are painted here directly,
// row by row, with the rasterizer's own compositing formula: the result
// differs from the rasterizer's by rounding only.

// fillRect paints the rectangle (x, y, w, h), in diagram units, in col.
func (c *canvas) fillRect(x, y, w, h float64, col color.Color) {
	if col == nil || !finite(x, y, w, h) || !(w > 0) || !(h > 0) {
		return
	}
	c.paint(c.px(x), c.px(y), c.px(x+w), c.px(y+h), col)
}

// strokeRect outlines the rectangle (x, y, w, h) with a line of width sw
// centred on its edges, as four filled bands; the corners are square
// where the rasterizer's round joins would round them by half a line.
func (c *canvas) strokeRect(x, y, w, h, sw float64, col color.Color) {
	if col == nil || !finite(x, y, w, h, sw) || !(sw > 0) || !(w > 0) || !(h > 0) {
		return
	}
	half := sw / 2
	x0, y0, x1, y1 := c.px(x-half), c.px(y-half), c.px(x+w+half), c.px(y+h+half)
	ix0, iy0, ix1, iy1 := c.px(x+half), c.px(y+half), c.px(x+w-half), c.px(y+h-half)
	if ix0 >= ix1 || iy0 >= iy1 { // thinner than the line: all of it is line
		c.paint(x0, y0, x1, y1, col)
		return
	}
	c.paint(x0, y0, x1, iy0, col)   // top
	c.paint(x0, iy1, x1, y1, col)   // bottom
	c.paint(x0, iy0, ix0, iy1, col) // left
	c.paint(ix1, iy0, x1, iy1, col) // right
}

// px scales a coordinate to pixels, rounded to the rasterizer's 1/64 of a
// pixel as the paths' points are.
func (c *canvas) px(v float64) float64 {
	return float64(fixed.Int26_6(limit(v*c.s)*64)) / 64
}

// paint composites col over the pixels under [x0, x1) × [y0, y1), in
// pixels, each weighted by how much of it the rectangle covers.
func (c *canvas) paint(x0, y0, x1, y1 float64, col color.Color) {
	b := c.img.Bounds()
	cx0, cx1 := max(int(math.Floor(x0)), b.Min.X), min(int(math.Ceil(x1)), b.Max.X)
	cy0, cy1 := max(int(math.Floor(y0)), b.Min.Y), min(int(math.Ceil(y1)), b.Max.Y)
	if cx0 >= cx1 || cy0 >= cy1 {
		return
	}
	sr, sg, sb, sa := col.RGBA()
	// The coverage of each column, and its mask value for a whole row.
	cover := make([]float32, cx1-cx0)
	full := make([]uint32, cx1-cx0)
	for i := range cover {
		cover[i] = float32(overlap(x0, x1, cx0+i))
		full[i] = mask(cover[i])
	}
	opaque := [4]byte{uint8(sr >> 8), uint8(sg >> 8), uint8(sb >> 8), uint8(sa >> 8)}
	// An opaque colour over the fully covered columns of a fully covered
	// row is that colour, whatever was there: those spans are copied from
	// one row of it.
	lo, hi := len(full), 0
	if sa == 0xffff {
		for i, m := range full {
			if m == 0xffff {
				lo, hi = min(lo, i), i+1
			}
		}
	}
	var solidRow []byte
	if lo < hi {
		solidRow = bytes.Repeat(opaque[:], hi-lo)
	}
	for py := cy0; py < cy1; py++ {
		fy := float32(overlap(y0, y1, py))
		row := c.img.Pix[c.img.PixOffset(cx0, py):]
		blendRange := func(from, to int) {
			for i := from; i < to; i++ {
				ma := full[i]
				if fy < 1 {
					ma = mask(cover[i] * fy)
				}
				blend(row[4*i:4*i+4:4*i+4], ma, sr, sg, sb, sa)
			}
		}
		if fy == 1 && lo < hi {
			blendRange(0, lo)
			copy(row[4*lo:4*hi], solidRow)
			blendRange(hi, len(cover))
			continue
		}
		blendRange(0, len(cover))
	}
}

// blend composites a uniform colour over the pixel p with mask value ma,
// by rasterizeDstRGBASrcUniformOpOver's formula (x/image/vector).
func blend(p []byte, ma, sr, sg, sb, sa uint32) {
	a := 0xffff - (sa * ma / 0xffff)
	p[0] = uint8(((uint32(p[0])*0x101*a + sr*ma) / 0xffff) >> 8)
	p[1] = uint8(((uint32(p[1])*0x101*a + sg*ma) / 0xffff) >> 8)
	p[2] = uint8(((uint32(p[2])*0x101*a + sb*ma) / 0xffff) >> 8)
	p[3] = uint8(((uint32(p[3])*0x101*a + sa*ma) / 0xffff) >> 8)
}

// overlap is the length of [lo, hi) inside the pixel [p, p+1).
func overlap(lo, hi float64, p int) float64 {
	return max(0, min(hi, float64(p+1))-max(lo, float64(p)))
}

// mask turns a coverage in [0, 1] into a mask value as the rasterizer
// does (almost65536 in x/image/vector).
func mask(a float32) uint32 {
	const almost65536 = float32(0x1p16 - 0x1p-8)
	return uint32(almost65536 * min(max(a, 0), 1))
}
