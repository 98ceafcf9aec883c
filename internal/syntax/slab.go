package syntax

// slab hands out values of T from a few large allocations instead of one
// allocation each: a template's tree has about a thousand nodes, and
// allocating them one by one was most of the fast path's time (in malloc
// and in the garbage collector). A value handed out keeps its whole slab
// alive, which matters little: a tree is mostly kept or dropped whole.
//
// A slab is not safe for concurrent use; each parse has its own.
type slab[T any] struct {
	free []T
	size int // values per allocation
}

// newSlab returns a slab that allocates room for size values at a time,
// within bounds: a large file that the fast path gives up on early should
// not cost it much memory.
func newSlab[T any](size int) slab[T] {
	return slab[T]{size: min(max(size, 16), maxSlab)}
}

// maxSlab bounds the values of one allocation.
const maxSlab = 4096

// one returns a pointer to a new zero T.
func (s *slab[T]) one() *T {
	if len(s.free) == 0 {
		s.free = make([]T, s.size)
	}
	v := &s.free[0]
	s.free = s.free[1:]
	return v
}

// copyOf returns a copy of vs whose capacity is its length, so that an
// append by a later user of the tree reallocates instead of writing over
// the values handed out after it. It returns nil for no values, as append
// would.
func (s *slab[T]) copyOf(vs []T) []T {
	if len(vs) == 0 {
		return nil
	}
	if len(s.free) < len(vs) {
		s.free = make([]T, max(s.size, len(vs)))
	}
	out := s.free[:len(vs):len(vs)]
	copy(out, vs)
	s.free = s.free[len(vs):]
	return out
}
