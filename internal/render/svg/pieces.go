package svg

// Titles and labels such as "Deploy to prod · Task · Role: SRE" join user
// strings with fixed separators. Concatenating them first would allocate a
// string per node and per edge only to copy it into the document, so they
// are written in pieces, each escaped as it is appended.
//
// Escaping works one character at a time, so escaping the pieces one by one
// gives the bytes escaping their concatenation would, as long as no
// character straddles two pieces. Callers make sure of that by never
// putting two user strings side by side: between any two there is a fixed
// separator that begins and ends with an ASCII byte, and an ASCII byte is
// always a character of its own, even right after a broken UTF-8 sequence
// (the decoder never takes it as a continuation byte). So each user string
// decodes exactly as it would inside the concatenation.

// contentOf is content for text given as pieces, which must follow the rule
// above.
func (w *writer) contentOf(name string, pieces ...string) {
	b := append(w.startTag(name), '>')
	b = appendEscapedPieces(b, pieces)
	b = append(b, "</"...)
	b = append(b, name...)
	w.b = append(b, ">\n"...)
}

// openLabelled is open with an aria-label after the attributes in kv, its
// text given as pieces, which must follow the rule above. Unlike an empty
// value in kv, an empty label is still written: callers' labels always
// hold a separator.
func (w *writer) openLabelled(name string, label []string, kv ...string) {
	b := appendAttrs(w.startTag(name), kv)
	b = append(b, ` aria-label="`...)
	b = appendEscapedPieces(b, label)
	w.b = append(b, "\">\n"...)
	w.depth++
}

// appendEscapedPieces appends the concatenation of pieces as appendEscaped
// would, without building it.
func appendEscapedPieces(b []byte, pieces []string) []byte {
	for _, p := range pieces {
		b = appendEscaped(b, p)
	}
	return b
}
