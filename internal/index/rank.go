package index

import (
	"cmp"
	"slices"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"

	"github.com/hanoicreative/registry/internal/registry"
	"github.com/hanoicreative/registry/internal/search"
)

// plan is a search's query and, by word, the documents it matches.
type plan struct {
	q    *search.Query
	hits []*wordHits
	// words has, by token, bit i set when the token matches query word i
	// (made when a phrase is to be looked for); pairs are the documents
	// that may hold the words as a phrase (nil: any).
	words []uint16
	pairs *roaring.Bitmap
	lent  *[]uint16 // words' room, from ix.wordBits
}

// tokenWords makes p.words from a slice lent by the pool (a slice of the
// vocabulary's size, some 150 KB at 100,000 entities, was made by every
// search looking for a phrase); give it back with releaseWords.
func (ix *index) tokenWords(p *plan) {
	if p.words != nil {
		return
	}
	lent, _ := ix.wordBits.Get().(*[]uint16)
	if lent == nil || cap(*lent) < len(ix.vocab.starts) {
		lent = new([]uint16)
		*lent = make([]uint16, len(ix.vocab.starts))
	}
	p.lent, p.words = lent, (*lent)[:len(ix.vocab.starts)]
	for i, h := range p.hits {
		for id := range h.match {
			p.words[id] |= 1 << i
		}
	}
}

// releaseWords clears the bits tokenWords set and lends the slice again.
func (ix *index) releaseWords(p *plan) {
	if p == nil || p.lent == nil {
		return
	}
	for _, h := range p.hits {
		for id := range h.match {
			p.words[id] = 0
		}
	}
	ix.wordBits.Put(p.lent)
	p.lent, p.words = nil, nil
}

// wordHits are the documents a query word matches, as of a generation of
// the index: all of them, by field, and by score (search.Score: how and
// where it matches; a document is under every score it has).
type wordHits struct {
	gen    uint64
	all    *roaring.Bitmap // never changed once made: shared by readers
	scores []scoreDocs     // lowest score first
	match  map[uint32]search.Match
	weight uint32
	// fields are the documents by field, made from scores when first
	// asked for (only searches of three words or more ask).
	fields     [search.Fields]*roaring.Bitmap
	fieldsOnce sync.Once
}

// field returns the documents the word matches in field f.
func (h *wordHits) field(f int) *roaring.Bitmap {
	h.fieldsOnce.Do(func() {
		var by [search.Fields][]*roaring.Bitmap
		for _, s := range h.scores {
			by[search.FieldOf(s.score)] = append(by[search.FieldOf(s.score)], s.docs)
		}
		for f := range h.fields {
			h.fields[f] = roaring.FastOr(by[f]...)
		}
	})
	return h.fields[f]
}

type scoreDocs struct {
	score search.Key
	docs  *roaring.Bitmap
}

// hits returns the documents query word i matches (with typos when q says
// so), from the cache while no document changed since they were found.
// Searches repeat their words ("gom", "lang"...) far more than they repeat
// whole queries; a word's union over the vocabulary is the costly part.
func (ix *index) hits(q *search.Query, i int) *wordHits {
	w := q.Words[i]
	key := w.Key()
	if h, ok := ix.wordCache.GetIfPresent(key); ok && h.gen == ix.gen {
		return h
	}
	ids := ix.beginning(w.Folded)
	if q.Typos[i] {
		if dfa, err := q.DFA(i); err == nil {
			ids = append(ids, ix.near(dfa)...)
		}
	}
	h := &wordHits{gen: ix.gen, match: make(map[uint32]search.Match, len(ids))}
	lists := map[search.Key][]uint32{}
	for _, id := range ids {
		m, ok := q.MatchToken(i, search.ParseKey(string(ix.vocab.word(id))))
		if !ok {
			continue
		}
		h.match[id] = m
		for f := range search.Field(search.Fields) {
			s := search.Score(m, f)
			lists[s] = append(lists[s], id*search.Fields+uint32(f))
		}
	}
	var all []*roaring.Bitmap
	for s, l := range lists {
		// A score of one token in one field is that token's list: shared,
		// not copied (scores are never changed, and the hits are not used
		// once a change moves gen), so that a cached word takes little more
		// than its union; else the lists' union.
		b, shared := ix.posts.many[l[0]]
		if len(l) > 1 || !shared {
			b, shared = ix.posts.union(l), false
		}
		if b.IsEmpty() {
			continue
		}
		h.scores = append(h.scores, scoreDocs{s, b})
		all = append(all, b)
		// Counted twice: the fields, if made, take about as much.
		if h.weight += uint32(b.GetSizeInBytes()); !shared {
			h.weight += uint32(b.GetSizeInBytes())
		}
	}
	slices.SortFunc(h.scores, func(a, b scoreDocs) int { return int(a.score) - int(b.score) })
	h.all = roaring.FastOr(all...)
	h.weight += uint32(h.all.GetSizeInBytes()) + uint32(16*len(h.match)) + uint32(len(key)) + 64
	ix.wordCache.Set(key, h)
	return h
}

// searchWords returns the documents of all the filters' sets (none: every
// document) that every word of q matches. None of the sets is changed.
func (ix *index) searchWords(q *search.Query, filters []*roaring.Bitmap) (*roaring.Bitmap, *plan) {
	p := &plan{q: q}
	in := slices.Clip(filters)
	for i := range q.Words {
		h := ix.hits(q, i)
		p.hits = append(p.hits, h)
		in = append(in, h.all)
	}
	// Smallest first, so that the first intersection, the one allocated,
	// is as small as it can be.
	slices.SortFunc(in, func(a, b *roaring.Bitmap) int { return cmp.Compare(a.GetCardinality(), b.GetCardinality()) })
	return roaring.FastAnd(in...), p
}

// candidate is a document of a ranked search: its key (the relevance in
// the high 32 bits, its place by name below), exact when final, else the
// lowest it can be (it may be a phrase, which its tokens will tell).
type candidate struct {
	key   uint64
	doc   uint32
	lo    search.Key // the words' best scores added up (not as a phrase)
	final bool
}

// ranked returns the first k documents of set, a search's matches, by
// relevance then name, after the cursor's position.
//
// Every matching document's key but the phrase is added up from the
// words' bitmaps by score; only documents whose fields hold every word in
// one field may be phrases, and only those that come up among the first
// are read token by token to know. It costs what the match count is:
// tiered answers first, and this only when that would walk too much.
func (ix *index) ranked(set *roaring.Bitmap, p *plan, after *position, k int) []position {
	n := len(p.q.Words)
	keys := ix.keyScratch()
	defer ix.scratch.Put(&keys)
	notPhrase := search.NotPhrase(n)
	// inField[f]: the documents with every word in field f (where a phrase
	// may be); byField[f][d] adds up the words' best scores in f, the
	// lowest key a phrase in f can have.
	var inField [search.Fields]*roaring.Bitmap
	var byField [search.Fields][]search.Key
	phrases := roaring.New()
	if notPhrase != 0 {
		p.pairs = ix.pairDocs(p, true) // who lacks a pair is no phrase
		for f := range search.Fields {
			in := make([]*roaring.Bitmap, n+1, n+2)
			for i, h := range p.hits {
				in[i] = h.field(f)
			}
			in[n] = set
			if p.pairs != nil {
				in = append(in, p.pairs)
			}
			inField[f] = roaring.FastAnd(in...)
			if !inField[f].IsEmpty() {
				byField[f] = ix.keyScratch()
				defer ix.scratch.Put(&byField[f])
				phrases.Or(inField[f])
			}
		}
	}
	for _, h := range p.hits {
		done := roaring.New()
		var doneIn [search.Fields]*roaring.Bitmap
		for _, s := range h.scores {
			b := roaring.And(s.docs, set)
			if f := search.FieldOf(s.score); byField[f] != nil {
				if doneIn[f] == nil {
					doneIn[f] = roaring.New()
				}
				bf := roaring.And(b, inField[f])
				bf.AndNot(doneIn[f])
				bf.Iterate(func(d uint32) bool {
					byField[f][d] += s.score
					return true
				})
				doneIn[f].Or(bf)
			}
			b.AndNot(done)
			b.Iterate(func(d uint32) bool {
				keys[d] += s.score
				return true
			})
			done.Or(b)
		}
	}
	if !phrases.IsEmpty() {
		ix.tokenWords(p)
	}
	var cursor uint64
	if after != nil {
		cursor = uint64(after.rel)<<32 | uint64(ix.placeAfter(after.name, after.id))
	}
	// The documents that cannot be phrases have their keys; those that
	// may be wait, lowest possible key first, and are settled only while
	// they may still come among the first k.
	top := newTopK(k)
	maybe := queue[candidate]{less: byKey}
	set.Iterate(func(d uint32) bool {
		lo := keys[d]
		keys[d] = 0
		key := uint64(lo+notPhrase)<<32 | uint64(ix.rank[d])
		if after != nil && key < cursor {
			return true // before the cursor even if not a phrase
		}
		if notPhrase != 0 && phrases.Contains(d) {
			// The lowest a phrase can be, by field; no lower than lo.
			bound := lo + notPhrase
			for f := range byField {
				if byField[f] != nil && inField[f].Contains(d) {
					bound = min(bound, byField[f][d])
				}
			}
			if bound < lo+notPhrase && (p.pairs == nil || p.pairs.Contains(d)) {
				maybe.items = append(maybe.items, candidate{key: uint64(bound)<<32 | uint64(ix.rank[d]), doc: d, lo: lo})
				return true
			}
		}
		top.offer(candidate{key: key, doc: d, final: true})
		return true
	})
	for f, keys := range byField { // zeroed for the next search
		if keys != nil {
			inField[f].Iterate(func(d uint32) bool {
				keys[d] = 0
				return true
			})
		}
	}
	maybe.order()
	for maybe.Len() > 0 && !(top.full() && maybe.first().key >= top.worst()) {
		c := maybe.pop()
		ix.settle(p, &c, notPhrase)
		if after == nil || c.key >= cursor {
			top.offer(c)
		}
	}
	sorted := top.sorted()
	out := make([]position, len(sorted))
	for i, c := range sorted {
		out[i] = position{doc: c.doc, rel: int(c.key >> 32), name: ix.name(c.doc), id: ix.docs[c.doc].id}
	}
	return out
}

// keyScratch returns a zeroed key per document, from the index's pool:
// a search adds its words' scores up in it (and zeroes what it used).
func (ix *index) keyScratch() []search.Key {
	if v, ok := ix.scratch.Get().(*[]search.Key); ok && len(*v) >= len(ix.docs) {
		return *v
	}
	return make([]search.Key, len(ix.docs)+len(ix.docs)/8)
}

// topK keeps the k lowest candidates offered: a heap whose first is the
// highest kept.
type topK struct {
	k     int
	items queue[candidate]
}

func newTopK(k int) *topK {
	return &topK{k: k, items: queue[candidate]{less: func(a, b candidate) bool { return a.key > b.key }}}
}

func (t *topK) full() bool    { return t.items.Len() >= t.k }
func (t *topK) worst() uint64 { return t.items.first().key }

func (t *topK) offer(c candidate) {
	switch {
	case t.k <= 0:
	case t.items.Len() < t.k:
		t.items.push(c)
	case c.key < t.items.first().key:
		t.items.replaceFirst(c)
	}
}

// sorted returns the candidates kept, lowest first.
func (t *topK) sorted() []candidate {
	out := slices.Clone(t.items.items)
	slices.SortFunc(out, func(a, b candidate) int { return cmp.Compare(a.key, b.key) })
	return out
}

// settle makes a candidate's key exact: one whose words are nowhere a
// phrase has its lowest key and the phrase bit; one where they are is read
// token by token.
func (ix *index) settle(p *plan, c *candidate, notPhrase search.Key) {
	c.final = true
	if !ix.hasPhrase(p, c.doc) {
		c.key = uint64(c.lo+notPhrase)<<32 | uint64(ix.rank[c.doc])
		return
	}
	c.key = ix.exact(p, c.doc)
}

// hasPhrase reports whether document d holds the query's words adjacent
// and in order in one segment. It is a shift-and over its token numbers:
// bit i of run says that the tokens ending here match words 0..i.
func (ix *index) hasPhrase(p *plan, d uint32) bool {
	last := uint16(1) << (len(p.q.Words) - 1)
	var run uint16
	for r := ix.tokens(d); ; {
		t, _, ends, ok := r.next()
		if !ok {
			return false
		}
		if ends {
			run = 0
			continue
		}
		if run = (run<<1 | 1) & p.words[t]; run&last != 0 {
			return true
		}
	}
}

// exact returns document d's key, reading its tokens: search.Rank's
// computation (TestListingsAgreeWithSQL holds them to the same answers),
// over the token numbers as they are stored, without allocating.
func (ix *index) exact(p *plan, d uint32) uint64 {
	const none = ^search.Key(0)
	n := len(p.q.Words)
	var best [registry.MaxQueryWords]search.Key
	var window [registry.MaxQueryWords][registry.MaxQueryWords]search.Key // [slot][word]: the last n tokens' scores
	for i := range n {
		best[i] = none
	}
	phrase := none
	count := 0 // how many of the segment's tokens were read
	for r := ix.tokens(d); ; {
		id, f, ends, ok := r.next()
		if !ok {
			break
		}
		if ends {
			count = 0
			continue
		}
		slot := &window[count%n]
		bits := p.words[id]
		for i := range n {
			slot[i] = none
			if bits&(1<<i) != 0 {
				if m, ok := p.hits[i].match[id]; ok {
					slot[i] = search.Score(m, f)
					best[i] = min(best[i], slot[i])
				}
			}
		}
		count++
		if n > 1 && count >= n {
			var sum search.Key
			for j := range n {
				sc := window[(count-n+j)%n][j]
				if sc == none {
					sum = none
					break
				}
				sum += sc
			}
			phrase = min(phrase, sum)
		}
	}
	var sum search.Key
	for i := range n {
		sum += best[i]
	}
	return uint64(min(sum+search.NotPhrase(n), phrase))<<32 | uint64(ix.rank[d])
}
