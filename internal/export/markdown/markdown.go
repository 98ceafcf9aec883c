// Package markdown writes an SOP as a readable document in Markdown: the
// document package's blocks (metadata, roles, every step by phase with
// all it says, summaries, RACI matrix, release types, departures), with
// the flow as a Mermaid diagram, which GitHub, GitLab and many wikis
// draw. It is what new hires and auditors read in a repository.
//
// All text from the SOP is escaped (text.go): a name can never become
// markup, a link or HTML.
package markdown

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/relsop/relsop"
	"github.com/relsop/relsop/internal/document"
	"github.com/relsop/relsop/internal/export/mermaid"
)

// LargeSteps is the size from which the document leaves out the Mermaid
// diagram: Mermaid's layout often gives up from there (see the export
// package), and a reader is better served by relsop's own drawing.
const LargeSteps = 50

// Export returns the Markdown document of flow, the flow of one release
// type (or the base flow) resolved from sop. The document of the base flow
// also says how each of sop's release types differs from it.
func Export(sop, flow *relsop.SOP) []byte {
	return Write(document.Build(sop, flow, nil))
}

// ExportControlled is Export with a document-control section: the
// revision shown, the approval it is under, and the revision history.
func ExportControlled(sop, flow *relsop.SOP, ctl *document.Control) []byte {
	return Write(document.Build(sop, flow, ctl))
}

// Write returns doc as Markdown.
func Write(doc *document.Document) []byte {
	w := &writer{doc: doc}
	for i, bl := range doc.Blocks {
		if i > 0 {
			w.line("") // a blank line between blocks
		}
		switch bl := bl.(type) {
		case document.Heading:
			w.line(strings.Repeat("#", bl.Level) + " " + text(bl.Text))
		case document.Paragraph:
			if bl.Aside {
				w.line("*" + text(bl.Text) + "*")
			} else {
				w.line(lineStart(text(bl.Text)))
			}
		case document.List:
			w.list(bl)
		case document.Table:
			w.table(bl)
		case document.Flow:
			w.flow()
		case document.Rule:
			w.line("---")
		}
	}
	return w.b.Bytes()
}

// writer is the Markdown being written.
type writer struct {
	b   bytes.Buffer
	doc *document.Document
}

func (w *writer) line(s string) {
	w.b.WriteString(s)
	w.b.WriteByte('\n')
}

func (w *writer) list(l document.List) {
	for i, it := range l.Items {
		marker := "- "
		if l.Ordered {
			marker = strconv.Itoa(i+1) + ". "
		}
		switch {
		case it.Label == "":
			w.line(marker + lineStart(text(it.Text)))
		case len(it.Text) == 0:
			w.line(marker + "**" + it.Label + ":**")
		default:
			w.line(marker + "**" + it.Label + ":** " + text(it.Text))
		}
		indent := strings.Repeat(" ", len(marker))
		for _, sub := range it.Sub {
			w.line(indent + "- " + lineStart(text(sub)))
		}
	}
}

// table writes a GitHub-flavoured table.
func (w *writer) table(t document.Table) {
	row := func(cells []document.Text) {
		out := make([]string, len(cells))
		for i, c := range cells {
			if out[i] = text(c); out[i] == "" {
				out[i] = " "
			}
		}
		w.line("| " + strings.Join(out, " | ") + " |")
	}
	row(t.Head)
	w.line(strings.Repeat("|---", len(t.Head)) + "|")
	for _, r := range t.Rows {
		row(r)
	}
}

// flow writes the flow as a Mermaid diagram in a code block, or a note
// where Mermaid's layout would give up.
func (w *writer) flow() {
	sop := w.doc.SOP
	if len(sop.Steps) >= LargeSteps {
		w.line(fmt.Sprintf("The SOP has %d steps, more than Mermaid's layout draws reliably; draw it with `relsop render`.", len(sop.Steps)))
		return
	}
	body := string(mermaid.Export(sop))
	f := fence(body)
	w.line(f + "mermaid")
	w.b.WriteString(body)
	w.line(f)
}
