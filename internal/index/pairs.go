package index

import (
	"cmp"
	"slices"

	"github.com/RoaringBitmap/roaring/v2"

	"github.com/hanoicreative/registry/internal/search"
)

// pairs lists, for each pair of adjacent tokens within a segment and the
// segment's field, the documents that have it. For a query of two words
// the lists are the phrases themselves: the pairs of tokens the words
// match, by field, give each document's phrase key without reading it
// (phraseTiers). For longer queries they rule out every document that
// lacks a matching pair for some two adjacent query words before its
// tokens are read (hasPhrase). Most pairs of words are never adjacent
// anywhere, and then nothing is read at all.
//
// Most of their memory is in the lists of common pairs, and most
// documents holding both words of a common pair hold them as that pair
// ("không gian", "làng nghề"): such a pair's list is kept inverted, as
// the documents that hold both tokens in the field but never adjacent
// (apart), its documents being the two tokens' lists intersected less
// those. That halves the pairs' memory at 100,000 entities.
type pairs struct {
	ids   numbering[uint64] // pairKey → number in posts
	n     uint32            // pairs numbered
	posts *postings
	// apart holds the inverted lists, by pair number; their lists in
	// posts are empty. apartFrom has their keys by first token, to
	// keep them current as documents are indexed.
	apart     map[uint32]*roaring.Bitmap
	apartFrom map[uint32][]uint64
}

func newPairs() pairs {
	return pairs{ids: newNumbering(cmp.Compare[uint64]), posts: newPostings(),
		apart: map[uint32]*roaring.Bitmap{}, apartFrom: map[uint32][]uint64{}}
}

// pair is one list of a pair of tokens: its key and number.
type pair struct {
	key uint64
	id  uint32
}

// pairKey packs two token numbers and a field: the pairs beginning with a
// token are neighbours in keys. Token numbers are below 2³⁰ (a vocabulary
// of a billion words would take tens of GiB before it got there).
func pairKey(a, b uint32, f search.Field) uint64 {
	return uint64(a)<<34 | uint64(b)<<4 | uint64(f)
}

// unpack is pairKey's inverse.
func unpack(k uint64) (a, b uint32, f search.Field) {
	return uint32(k >> 34), uint32(k>>4) & (1<<30 - 1), search.Field(k & 0xf)
}

// add records the pairs of document d's segment of field f, whose tokens
// are ids. An inverted list needs nothing: d is not apart.
func (ps *pairs) add(d uint32, f search.Field, ids []uint32) {
	for j := 1; j < len(ids); j++ {
		k := pairKey(ids[j-1], ids[j], f)
		id, ok := ps.ids.get(k)
		if !ok {
			id = ps.n
			ps.n++
			ps.ids.set(k, id)
		}
		if _, inverted := ps.apart[id]; !inverted {
			ps.posts.add(id, d)
		}
	}
}

// noteApart records document d in the inverted lists of the pairs it
// holds both tokens of in a field without ever holding them adjacent
// there.
func (ix *index) noteApart(d uint32) {
	ps := &ix.pairs
	if len(ps.apart) == 0 {
		return
	}
	in := map[uint64]bool{}       // uint64(t)<<4 | f for a token t of field f
	adjacent := map[uint64]bool{} // pairKey(a, b, f) for a pair
	prev := uint32(0)             // the token before, plus one; 0 at a segment's start
	for r := ix.tokens(d); ; {
		t, f, ends, ok := r.next()
		if !ok {
			break
		}
		if ends {
			prev = 0
			continue
		}
		in[uint64(t)<<4|uint64(f)] = true
		if prev != 0 {
			adjacent[pairKey(prev-1, t, f)] = true
		}
		prev = t + 1
	}
	for k := range in {
		a, f := uint32(k>>4), search.Field(k&0xf)
		for _, pk := range ps.apartFrom[a] {
			_, pb, pf := unpack(pk)
			if pf == f && in[uint64(pb)<<4|uint64(f)] && !adjacent[pk] {
				id, _ := ps.ids.get(pk)
				ps.apart[id].Add(d)
			}
		}
	}
}

// remove takes the documents ds out of every list.
func (ps *pairs) remove(ds *roaring.Bitmap) {
	ps.posts.remove(ds)
	for _, b := range ps.apart {
		if b.Intersects(ds) {
			b.AndNot(ds)
		}
	}
}

// invert keeps inverted the lists that take more room than their inverse,
// given the tokens' lists by field in posts. It runs at the end of a
// build (the lists are then settled).
func (ps *pairs) invert(posts *postings) {
	for i, k := range ps.ids.keys {
		id := ps.ids.nums[i]
		list, ok := ps.posts.many[id]
		if !ok {
			continue
		}
		both := together(posts, k)
		both.AndNot(list)
		if both.RunOptimize(); both.GetSizeInBytes() >= list.GetSizeInBytes() {
			continue
		}
		ps.apart[id] = both.Clone() // And leaves room in its containers
		a, _, _ := unpack(k)
		ps.apartFrom[a] = append(ps.apartFrom[a], k)
		delete(ps.posts.many, id)
	}
}

// together returns the documents holding both tokens of pair key k in
// its field, adjacent or not (a new bitmap), given the tokens' lists by
// field in posts.
func together(posts *postings, k uint64) *roaring.Bitmap {
	a, b, f := unpack(k)
	return roaring.And(posts.get(a*search.Fields+uint32(f)), posts.get(b*search.Fields+uint32(f)))
}

// union returns the documents of any of the lists, given the tokens'
// lists by field in posts.
func (ps *pairs) union(posts *postings, lists []pair) *roaring.Bitmap {
	var plain []uint32
	var inverted []*roaring.Bitmap
	for _, l := range lists {
		apart, ok := ps.apart[l.id]
		if !ok {
			plain = append(plain, l.id)
			continue
		}
		docs := together(posts, l.key)
		docs.AndNot(apart)
		inverted = append(inverted, docs)
	}
	out := ps.posts.union(plain)
	if len(inverted) > 0 {
		out.Or(roaring.FastOr(inverted...))
	}
	return out
}

func (ps *pairs) size() uint64 {
	n := ps.posts.size() + ps.ids.size(8)
	for _, b := range ps.apart {
		n += b.GetSizeInBytes() + 48
	}
	return n + uint64(len(ps.apart))*8
}

// maxPairLookups bounds the pairs of tokens looked at for two adjacent
// query words: two one-letter words, which match hundreds of tokens each,
// then test nothing.
const maxPairLookups = 1 << 15

// matchedPairs calls fn with the number of each list of a pair of tokens
// that query words i and i+1 match (without typos unless withTypos), with
// the pair's key as a phrase; ok is false when they match too many tokens
// to look their pairs up. The pairs are found either by looking up every
// two tokens the words match, or by reading the pairs that begin with
// each token the first word matches: whichever reads less.
func (ix *index) matchedPairs(p *plan, i int, withTypos bool, fn func(list pair, key search.Key)) (ok bool) {
	a, b := p.hits[i].match, p.hits[i+1].match
	usable := func(m search.Match) bool { return m.Edits == 0 || withTypos }
	ps := &ix.pairs.ids
	type span struct {
		m      search.Match
		lo, hi int
	}
	var spans []span
	scan := len(ps.fresh)
	for ta, ma := range a {
		if usable(ma) {
			lo, _ := slices.BinarySearch(ps.keys, uint64(ta)<<34)
			hi, _ := slices.BinarySearch(ps.keys, uint64(ta+1)<<34)
			spans = append(spans, span{ma, lo, hi})
			scan += hi - lo
		}
	}
	emit := func(k uint64, id uint32, ma search.Match) {
		_, tb, f := unpack(k)
		if mb, ok := b[tb]; ok && usable(mb) {
			fn(pair{k, id}, search.Score(ma, f)+search.Score(mb, f))
		}
	}
	lookups := len(spans) * len(b) * search.Fields
	if min(lookups, scan) > maxPairLookups {
		return false
	}
	if lookups < scan {
		for ta, ma := range a {
			if !usable(ma) {
				continue
			}
			for tb, mb := range b {
				if !usable(mb) {
					continue
				}
				for f := range search.Field(search.Fields) {
					k := pairKey(ta, tb, f)
					if id, ok := ps.get(k); ok {
						fn(pair{k, id}, search.Score(ma, f)+search.Score(mb, f))
					}
				}
			}
		}
		return true
	}
	for _, s := range spans {
		for j := s.lo; j < s.hi; j++ {
			emit(ps.keys[j], ps.nums[j], s.m)
		}
	}
	for k, id := range ps.fresh {
		ta, _, _ := unpack(k)
		if ma, ok := a[ta]; ok && usable(ma) {
			emit(k, id, ma)
		}
	}
	return true
}

// pairDocs returns the documents that may hold q's words as a phrase: for
// every two adjacent words, a pair of tokens they match (nil when no two
// words test anything); withTypos: with the words' matches with typos
// too, else only those without.
func (ix *index) pairDocs(p *plan, withTypos bool) *roaring.Bitmap {
	var in []*roaring.Bitmap
	for i := 0; i+1 < len(p.hits); i++ {
		var lists []pair
		if !ix.matchedPairs(p, i, withTypos, func(list pair, _ search.Key) { lists = append(lists, list) }) {
			continue
		}
		if len(lists) == 0 {
			return roaring.New()
		}
		in = append(in, ix.pairs.union(ix.posts, lists))
	}
	if len(in) == 0 {
		return nil
	}
	return roaring.FastAnd(in...)
}

// phraseTiers returns, for a query of two words, the documents of set
// holding them as a phrase, by the phrase's key (lowest first, each
// document under every key it has); ok is false when the words match too
// many tokens to look their pairs up.
func (ix *index) phraseTiers(set *roaring.Bitmap, p *plan) (out []tier, ok bool) {
	byKey := map[search.Key][]pair{}
	if !ix.matchedPairs(p, 0, true, func(list pair, key search.Key) { byKey[key] = append(byKey[key], list) }) {
		return nil, false
	}
	for key, lists := range byKey {
		docs := ix.pairs.union(ix.posts, lists)
		if docs.And(set); !docs.IsEmpty() {
			out = append(out, tier{lo: key, docs: docs})
		}
	}
	slices.SortFunc(out, func(a, b tier) int { return int(a.lo) - int(b.lo) })
	return out, true
}
