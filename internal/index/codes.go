package index

import (
	"cmp"
	"encoding/binary"
	"slices"

	"github.com/hanoicreative/registry/internal/search"
)

// codes are the numbers the token arena writes for tokens: by frequency
// once a build ends, so that the 240 most common tokens (nine in ten of
// the words of 100,000 entities) take a byte and the next 3,840 two,
// where token numbers, given in the order tokens were first seen, take
// two bytes for half the words. Code 0 ends a segment. Tokens first seen
// after a build get the next codes.
type codes struct {
	byCode []uint32 // code-1 → token number
	ofTok  []uint32 // token number → code (0: none yet)
}

const (
	oneByteCodes = 0xf0                       // codes below are one byte
	twoByteCodes = oneByteCodes + 0x0f*(1<<8) // codes below are two bytes: a prefix 0xf0..0xfe, then a byte
)

// of returns token t's code, giving it the next one if it has none.
func (c *codes) of(t uint32) uint32 {
	for int(t) >= len(c.ofTok) {
		c.ofTok = append(c.ofTok, 0)
	}
	if c.ofTok[t] == 0 {
		c.byCode = append(c.byCode, t)
		c.ofTok[t] = uint32(len(c.byCode))
	}
	return c.ofTok[t]
}

// token returns the token of code v (not 0).
func (c *codes) token(v uint32) uint32 { return c.byCode[v-1] }

// appendCode appends code v to b.
func appendCode(b []byte, v uint32) []byte {
	switch {
	case v < oneByteCodes:
		return append(b, byte(v))
	case v < twoByteCodes:
		v -= oneByteCodes
		return append(b, oneByteCodes+byte(v>>8), byte(v))
	default:
		return binary.AppendUvarint(append(b, 0xff), uint64(v-twoByteCodes))
	}
}

// readCode returns the code b begins with and its length in bytes.
func readCode(b []byte) (v uint32, n int) {
	switch c := b[0]; {
	case c < oneByteCodes:
		return uint32(c), 1
	case c < 0xff:
		return oneByteCodes + (uint32(c-oneByteCodes)<<8 | uint32(b[1])), 2
	default:
		u, k := binary.Uvarint(b[1:])
		return twoByteCodes + uint32(u), 1 + k
	}
}

// tokenReader reads a document's tokens as the arena holds them.
type tokenReader struct {
	b     []byte
	codes *codes
	seg   int // the segment of the token read last (see segmentFields)
}

// tokens returns a reader of document d's tokens.
func (ix *index) tokens(d uint32) tokenReader {
	x := &ix.docs[d]
	return tokenReader{b: ix.arena.bytes(x.tokAt, x.tokLen), codes: &ix.codes}
}

// next returns the next token and its field; ends is true, and t
// meaningless, where a segment ends; ok is false after the last.
func (r *tokenReader) next() (t uint32, f search.Field, ends, ok bool) {
	if len(r.b) == 0 {
		return 0, 0, false, false
	}
	v, n := readCode(r.b)
	r.b = r.b[n:]
	if v == 0 {
		r.seg++
		return 0, 0, true, true
	}
	return r.codes.token(v), segmentFields[r.seg%len(segmentFields)], false, true
}

// recode gives the tokens codes by their frequency in the arena and
// rewrites it with them, one chunk of the old arena freed as soon as its
// documents are rewritten, so that it takes little more than itself.
func (ix *index) recode() {
	freq := make([]uint32, len(ix.codes.byCode)+1)
	for _, c := range ix.arena.chunks {
		for b := c; len(b) > 0; {
			v, n := readCode(b)
			freq[v]++
			b = b[n:]
		}
	}
	old := ix.codes.byCode
	order := make([]uint32, len(old)) // codes, most frequent first
	for i := range order {
		order[i] = uint32(i + 1)
	}
	slices.SortStableFunc(order, func(a, b uint32) int { return cmp.Compare(freq[b], freq[a]) })
	next := make([]uint32, len(old)+1) // old code → new
	ix.codes.byCode = make([]uint32, len(old))
	for i, v := range order {
		next[v] = uint32(i + 1)
		ix.codes.byCode[i] = old[v-1]
		ix.codes.ofTok[old[v-1]] = uint32(i + 1)
	}
	docs := make([]uint32, len(ix.docs)) // by place in the arena
	for d := range docs {
		docs[d] = uint32(d)
	}
	slices.SortFunc(docs, func(a, b uint32) int { return cmp.Compare(ix.docs[a].tokAt, ix.docs[b].tokAt) })
	var fresh arena
	var text []byte
	for _, d := range docs {
		x := &ix.docs[d]
		text = text[:0]
		for b := ix.arena.bytes(x.tokAt, x.tokLen); len(b) > 0; {
			v, n := readCode(b)
			text = appendCode(text, next[v])
			b = b[n:]
		}
		chunk := x.tokAt >> 20
		x.tokAt, x.tokLen = fresh.add(text), uint32(len(text))
		for i := range chunk {
			ix.arena.chunks[i] = nil // every document there is rewritten
		}
	}
	if n := len(fresh.chunks); n > 0 {
		fresh.chunks[n-1] = slices.Clip(fresh.chunks[n-1])
	}
	ix.arena = fresh
}
