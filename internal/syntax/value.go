package syntax

import (
	"math"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml/token"
)

// ToValue converts a tree into the plain values encoding/json produces, so
// that a parsed file can be checked against a JSON Schema or marshalled as
// JSON: a mapping becomes a map[string]any keyed by the keys' text, a list
// a []any, a scalar a string, int64, float64 or bool according to its Type,
// and Null (or a nil node) nil. An integer too large for int64 becomes a
// float64, and a number the YAML parser typed but Go cannot read stays a
// string, so that no value is lost.
func ToValue(n *Node) any {
	if n == nil {
		return nil
	}
	switch n.Kind {
	case Mapping:
		m := make(map[string]any, len(n.Pairs))
		for _, p := range n.Pairs {
			m[p.Key.Value] = ToValue(p.Value)
		}
		return m
	case Sequence:
		items := make([]any, len(n.Items))
		for i, it := range n.Items {
			items[i] = ToValue(it)
		}
		return items
	case Scalar:
		switch n.Type {
		case Bool:
			return strings.EqualFold(n.Value, "true")
		case Int, Float:
			return number(n.Value)
		}
		return n.Value
	}
	return nil
}

// number reads a YAML 1.2 number: decimal, 0x, 0o and 0b integers, "_"
// separators, floats with exponents, and .inf and .nan.
func number(s string) any {
	if num := token.ToNumber(s); num != nil {
		switch v := num.Value.(type) {
		case int64:
			return v
		case uint64:
			if v <= math.MaxInt64 {
				return int64(v)
			}
			return float64(v)
		case float64:
			return v
		}
	}
	switch strings.ToLower(strings.TrimLeft(s, "+-")) {
	case ".inf":
		if strings.HasPrefix(s, "-") {
			return math.Inf(-1)
		}
		return math.Inf(1)
	case ".nan":
		return math.NaN()
	}
	if f, err := strconv.ParseFloat(strings.ReplaceAll(s, "_", ""), 64); err == nil || isRange(err) {
		return f
	}
	return s
}

// isRange reports whether err is strconv's out-of-range error, for which
// ParseFloat still returns the nearest value (±Inf).
func isRange(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}
