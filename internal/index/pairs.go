package index

import (
	"github.com/RoaringBitmap/roaring/v2"

	"github.com/hanoicreative/registry/internal/search"
)

// pairs lists, for each pair of adjacent words within a segment, each
// word cut to its first two folded bytes, the documents that have one: a
// cheap test that rules out most documents that hold a query's words in
// one field but not as a phrase, before their tokens are read (hasPhrase),
// and, being lists, one that a search intersects rather than asks
// document by document. A document holds a phrase of words of two letters
// or more only if it has every pair of its adjacent words' beginnings; a
// word of one letter, or matched with typos (which may change its
// beginning), tests nothing. About 10 MiB at 100,000 entities.
type pairs struct {
	ids   map[uint32]uint32 // pair key → number in posts
	posts *postings
}

func newPairs() pairs { return pairs{ids: map[uint32]uint32{}, posts: newPostings()} }

// pairKey packs the beginnings of two adjacent words (of two bytes or
// more).
func pairKey(a, b string) uint32 {
	return uint32(a[0])<<24 | uint32(a[1])<<16 | uint32(b[0])<<8 | uint32(b[1])
}

// add records the pairs of document d's segments.
func (ps *pairs) add(d uint32, segs []search.Segment[search.Token]) {
	for _, seg := range segs {
		for j := 1; j < len(seg.Tokens); j++ {
			a, b := seg.Tokens[j-1].Folded, seg.Tokens[j].Folded
			if len(a) < 2 || len(b) < 2 {
				continue
			}
			k := pairKey(a, b)
			id, ok := ps.ids[k]
			if !ok {
				id = uint32(len(ps.ids))
				ps.ids[k] = id
			}
			ps.posts.add(id, d)
		}
	}
}

func (ps *pairs) size() uint64 { return ps.posts.size() + 16*uint64(len(ps.ids)) }

// pairDocs returns the documents that have every pair of q's adjacent
// words' beginnings, nil when no pair tests anything; withTypos: a phrase
// whose words may be matched with typos (a word that may be tests
// nothing), else one matched without.
func (ix *index) pairDocs(q *search.Query, withTypos bool) *roaring.Bitmap {
	var in []*roaring.Bitmap
	for i := 1; i < len(q.Words); i++ {
		a, b := q.Words[i-1], q.Words[i]
		if len(a.Folded) < 2 || len(b.Folded) < 2 || withTypos && (q.Typos[i-1] || q.Typos[i]) {
			continue
		}
		id, ok := ix.pairs.ids[pairKey(a.Folded, b.Folded)]
		if !ok {
			return roaring.New()
		}
		in = append(in, ix.pairs.posts.union([]uint32{id}))
	}
	if len(in) == 0 {
		return nil
	}
	return roaring.FastAnd(in...)
}
