package index

// arena holds every document's search text as token numbers (see
// index.tokens) in chunks of a fixed size, so that growing it never
// copies what it holds: one slice of 15 MiB at 100,000 entities, grown by
// appending, was copied whole each time it grew, old and new both live,
// which made the peak of a build.
type arena struct {
	chunks [][]byte
}

// arenaChunk is the size of a chunk; a document's tokens (its text is at
// most some 10,000 characters) always fit in one.
const arenaChunk = 1 << 20

// add appends a document's token bytes and returns where they are.
func (a *arena) add(b []byte) (at uint32) {
	n := len(a.chunks)
	if n == 0 || len(a.chunks[n-1])+len(b) > arenaChunk {
		a.chunks = append(a.chunks, make([]byte, 0, max(arenaChunk, len(b))))
		n++
	}
	c := &a.chunks[n-1]
	at = uint32(n-1)<<20 | uint32(len(*c))
	*c = append(*c, b...)
	return at
}

// bytes returns the n bytes at at (a slice of the arena: never change it).
func (a *arena) bytes(at, n uint32) []byte {
	c := a.chunks[at>>20]
	off := at & (arenaChunk - 1)
	return c[off : off+n : off+n]
}

// size is the number of bytes it takes.
func (a *arena) size() uint64 {
	var n uint64
	for _, c := range a.chunks {
		n += uint64(cap(c))
	}
	return n
}
