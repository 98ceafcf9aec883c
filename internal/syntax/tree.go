// Package syntax reads the bytes of a *.sop.yaml file into a small tree of
// mappings, sequences and scalars that keeps the position of every node and
// the comments around it. It is the only package that knows the YAML parser;
// everything later (schema checks, compile, fmt) works on this tree.
package syntax

import "github.com/relsop/relsop"

// Kind is the shape of a node. It is a byte, like ScalarType, so that
// both fit beside a node's two flags in one word: a template's tree has
// over a thousand nodes, and their bytes are most of what loading it
// allocates.
type Kind uint8

// The shapes a node can have.
const (
	Null Kind = iota
	Scalar
	Mapping
	Sequence
)

func (k Kind) String() string {
	switch k {
	case Scalar:
		return "a scalar"
	case Mapping:
		return "a mapping"
	case Sequence:
		return "a list"
	}
	return "nothing"
}

// ScalarType is how YAML typed a plain scalar.
type ScalarType uint8

// The scalar types YAML distinguishes.
const (
	String ScalarType = iota
	Int
	Float
	Bool
)

func (t ScalarType) String() string {
	switch t {
	case Int:
		return "a number"
	case Float:
		return "a number"
	case Bool:
		return "true or false"
	}
	return "a string"
}

// Node is one value in the tree.
type Node struct {
	// The small fields come first, together, so that they share a word.
	Kind  Kind
	Type  ScalarType // for scalars
	Block bool       // for scalars: written as a | or > block
	Flow  bool       // for mappings and sequences: written inline with [] or {}
	Value string     // for scalars: the decoded text (numbers and booleans as written)
	Pos   relsop.Pos

	Pairs []*Pair // for mappings, in file order
	Items []*Node // for sequences

	// Comments: Head are whole-line comments just above the node (for list
	// items); comments above a mapping entry are kept on its key.
	Head []string
	Line string // a comment after the node on its line
}

// Pair is one key: value entry of a mapping.
type Pair struct {
	Key   *Node
	Value *Node
}

// File is a parsed document.
type File struct {
	Root *Node    // nil for an empty document
	Foot []string // comments after the last node
}

// Get returns the value of key in a mapping node, or nil.
func (n *Node) Get(key string) *Node {
	if n == nil || n.Kind != Mapping {
		return nil
	}
	for _, p := range n.Pairs {
		if p.Key.Value == key {
			return p.Value
		}
	}
	return nil
}

// Pair returns the entry for key in a mapping node, or nil.
func (n *Node) Pair(key string) *Pair {
	if n == nil || n.Kind != Mapping {
		return nil
	}
	for _, p := range n.Pairs {
		if p.Key.Value == key {
			return p
		}
	}
	return nil
}

// Describe says what a node is, for error messages: "a list", "a number".
func (n *Node) Describe() string {
	if n == nil || n.Kind == Null {
		return "nothing"
	}
	if n.Kind == Scalar {
		return n.Type.String()
	}
	return n.Kind.String()
}
