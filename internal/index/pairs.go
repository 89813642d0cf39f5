package index

import (
	"hash/maphash"

	"github.com/hanoicreative/registry/internal/search"
)

// pairSet is a Bloom filter, per document, of its pairs of adjacent words
// within a segment, each word cut to its first two folded bytes: a cheap
// test that rules out most documents that hold a query's words in one
// field but not as a phrase, before their tokens are read (hasPhrase).
// A document holds a phrase of words of two letters or more only if every
// pair of its adjacent words' beginnings is in its set; a word of one
// letter, or matched with typos (which may change its beginning), tests
// nothing. 512 bits and two bits a pair: a description of 100 words lets
// about one phrase in eleven through that it does not hold.
type pairSet [8]uint64

func (s *pairSet) add(seed maphash.Seed, a, b string) {
	h := maphash.String(seed, a[:2]+"\x00"+b[:2])
	for _, bit := range [2]uint64{h % 512, (h >> 32) % 512} {
		s[bit/64] |= 1 << (bit % 64)
	}
}

func (s *pairSet) holds(want *pairSet) bool {
	for i, w := range want {
		if s[i]&w != w {
			return false
		}
	}
	return true
}

// pairsOf returns the pair set of a document's segments.
func (ix *index) pairsOf(segs []search.Segment[search.Token]) pairSet {
	var s pairSet
	for _, seg := range segs {
		for j := 1; j < len(seg.Tokens); j++ {
			a, b := seg.Tokens[j-1].Folded, seg.Tokens[j].Folded
			if len(a) >= 2 && len(b) >= 2 {
				s.add(ix.seed, a, b)
			}
		}
	}
	return s
}

// pairBits returns the bits a document's pair set must have to hold q's
// words as a phrase; withTypos: a phrase whose words may be matched with
// typos (a word that may be tests nothing), else one matched without.
func (ix *index) pairBits(q *search.Query, withTypos bool) pairSet {
	var s pairSet
	for i := 1; i < len(q.Words); i++ {
		a, b := q.Words[i-1], q.Words[i]
		if len(a.Folded) >= 2 && len(b.Folded) >= 2 && !(withTypos && (q.Typos[i-1] || q.Typos[i])) {
			s.add(ix.seed, a.Folded, b.Folded)
		}
	}
	return s
}
