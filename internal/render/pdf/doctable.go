package pdf

import (
	"strings"

	"github.com/relsop/relsop/internal/diagram"
	"github.com/relsop/relsop/internal/document"
	"github.com/relsop/relsop/internal/textmeasure"
)

// Tables are set across the text column in the largest of these sizes at
// which every column can hold its longest word; at the smallest, words
// that still do not fit are cut.
var tableSizes = []float64{8.5, 7.5, 6.5}

const cellPad = 4.0 // points inside a cell, on every side

// table sets a table: a shaded header row, repeated on every page the
// table runs onto, and rows ruled off below. A row taller than a page is
// continued on the next.
func (w *typesetter) table(t document.Table) {
	n := len(t.Head)
	if n == 0 {
		return
	}
	rows := make([][]document.Text, len(t.Rows))
	for i, r := range t.Rows {
		rows[i] = make([]document.Text, n)
		copy(rows[i], r) // a short row gets empty cells; a row never has more cells than the header
	}
	size, widths := columns(t.Head, rows, w.width)
	leading := size * 1.3
	set := func(cells []document.Text, bold bool) [][][]frag {
		out := make([][][]frag, n)
		for i, c := range cells {
			out[i] = setLines("", c, size, widths[i]-2*cellPad, bold)
		}
		return out
	}
	head := set(t.Head, true)
	w.room(rowHeight(head, leading) + leading + 2*cellPad)
	w.row(head, widths, size, leading, true)
	for _, r := range rows {
		cells := set(r, false)
		if h := rowHeight(cells, leading); w.y+h > w.bottom && h <= w.bottom-w.y0() {
			w.newPage()
			w.row(head, widths, size, leading, true)
		}
		w.rowSplit(cells, head, widths, size, leading)
	}
	w.y += paraSpace + 2
}

func rowHeight(cells [][][]frag, leading float64) float64 {
	most := 1
	for _, c := range cells {
		most = max(most, len(c))
	}
	return float64(most)*leading + 2*cellPad
}

// rowSplit sets a row, as many of its lines as fit on each page, with
// the header row again at the top of every page it continues on.
func (w *typesetter) rowSplit(cells, head [][][]frag, widths []float64, size, leading float64) {
	from := 0
	most := 0
	for _, c := range cells {
		most = max(most, len(c))
	}
	for {
		fit := max(int((w.bottom-w.y-2*cellPad)/leading), 1)
		part := make([][][]frag, len(cells))
		for i, c := range cells {
			part[i] = c[min(from, len(c)):min(from+fit, len(c))]
		}
		w.row(part, widths, size, leading, false)
		from += fit
		if from >= most {
			return
		}
		w.newPage()
		w.row(head, widths, size, leading, true)
	}
}

// row draws one row (or a part of one) at the current position.
func (w *typesetter) row(cells [][][]frag, widths []float64, size, leading float64, header bool) {
	h := rowHeight(cells, leading)
	total := 0.0
	for _, cw := range widths {
		total += cw
	}
	if header {
		w.c.rect(diagram.Rect{X: docMargin, Y: w.y, W: total, H: h}, 0, paint{fill: headColour})
	}
	x := docMargin
	for i, c := range cells {
		for j, line := range c {
			w.drawLine(line, x+cellPad, w.y+cellPad+size+float64(j)*leading, size, inkColour)
		}
		x += widths[i]
	}
	w.y += h
	w.c.line(docMargin, w.y, docMargin+total, w.y, paint{stroke: ruleColour, width: 0.5})
	w.top = false
}

// columns chooses the type size and column widths of a table that spans
// width: the largest size at which every column holds its longest word,
// then room shared out by how much more each column's longest cell needs.
func columns(head []document.Text, rows [][]document.Text, width float64) (size float64, widths []float64) {
	n := len(head)
	for _, size = range tableSizes {
		natural, least := make([]float64, n), make([]float64, n)
		measure := func(cells []document.Text, bold bool) {
			for i, c := range cells {
				s := c.String()
				natural[i] = max(natural[i], textmeasure.Width(s, size, bold)+2*cellPad)
				for _, word := range strings.Fields(s) {
					least[i] = max(least[i], textmeasure.Width(word, size, bold)+2*cellPad)
				}
				least[i] = max(least[i], 2*cellPad+size)
			}
		}
		measure(head, true)
		for _, r := range rows {
			measure(r, false)
		}
		sumN, sumL := sum(natural), sum(least)
		widths = make([]float64, n)
		switch {
		case sumN <= width:
			for i := range widths {
				widths[i] = natural[i] + (width-sumN)*natural[i]/sumN
			}
		case sumL <= width:
			for i := range widths {
				widths[i] = least[i] + (width-sumL)*(natural[i]-least[i])/(sumN-sumL)
			}
		case size == tableSizes[len(tableSizes)-1]:
			for i := range widths {
				widths[i] = width * least[i] / sumL
			}
		default:
			continue
		}
		return size, widths
	}
	return size, widths
}

func sum(vs []float64) float64 {
	t := 0.0
	for _, v := range vs {
		t += v
	}
	return t
}
