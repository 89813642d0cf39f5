package index

import (
	"github.com/RoaringBitmap/roaring/v2"

	"github.com/hanoicreative/registry/internal/registry"
	"github.com/hanoicreative/registry/internal/search"
)

// Ranking by tiers: a search's page costs what the page needs, not what
// the match count is. The documents whose words' best scores add up to
// the same lowest key (their tier) are a bitmap, made from the words'
// bitmaps by score, and tiers come in key order; within a tier the order
// is by name, which firstByName walks. A query of two words has its
// phrases as bitmaps too, from the lists of pairs of adjacent tokens
// (phraseTiers), by the phrase's key: merged takes the two kinds of tier
// in key order, each document from the first that holds it, and reads no
// document's tokens. For longer queries only the phrase criterion needs a
// document's tokens: the documents that may be phrases (every word in one
// field, every two adjacent words in a listed pair) come in tiers of their
// own, by the lowest key a phrase in that field can have, and are read in
// name order until the page is full; the phrases of a number of typos
// come before the other documents with as many. When a search would walk
// too much (many tiers, or many possible phrases that are not), ranked's
// full ranking answers it; all give the same page
// (TestTieredAgreesWithRanked).

// maxCombos and maxVisits bound a tiered ranking before it gives up for
// ranked.
const (
	maxCombos = 4096    // combinations of the words' scores made into tiers
	maxVisits = 1 << 15 // possible phrases read
)

// level is the documents whose best score for a word is score (nil until
// made, when the word's levels are lazy).
type level struct {
	score search.Key
	docs  *roaring.Bitmap
}

// lazyLevels makes a word's levels of a search as the tiers ask for them,
// lowest score first: most pages are full before the higher ones are
// needed, and each is a bitmap to allocate (8 KiB a container for the
// common words of 100,000 entities).
type lazyLevels struct {
	src  []*roaring.Bitmap // the documents of each level's score (never changed)
	set  *roaring.Bitmap   // the search's documents
	done *roaring.Bitmap   // the documents of the levels made: the first level's until a second is made
	made int
}

// make makes the levels up to x.
func (m *lazyLevels) make(levels []level, x int) {
	for ; m.made <= x; m.made++ {
		b := roaring.And(m.src[m.made], m.set)
		switch {
		case m.made == 0: // most searches need no second level: no copy
			m.done = b
		case m.made == 1:
			b.AndNot(m.done)
			m.done = roaring.Or(m.done, b)
		default:
			b.AndNot(m.done)
			m.done.Or(b)
		}
		levels[m.made].docs = b
	}
}

// tier is the documents whose words' best scores add up to lo. Its docs
// may be a level's or a combination's own: never change them.
type tier struct {
	lo   search.Key
	docs *roaring.Bitmap
}

// combo is a combination of one level per word, and its sum.
type combo struct {
	sum  search.Key
	at   [registry.MaxQueryWords]uint8
	from int // the last word whose level was raised: combos are made once
}

// tiers makes the tiers of a search, lowest first, as they are asked for.
type tiers struct {
	levels [][]level
	lazy   []*lazyLevels // by word: nil where the levels are made
	heap   queue[combo]  // lowest sum first
	made   int
	next   *tier // made, not yet taken
	// prefixes holds the documents of the first words' levels of the
	// combinations made (never changed): combinations share them, and
	// one that is empty rules out every combination that begins with it
	// (most of them, for three words or more).
	prefixes map[[registry.MaxQueryWords]uint8]*roaring.Bitmap
	empty    *roaring.Bitmap // the combinations' empty set (never changed)
}

func newTiers(levels [][]level, lazy []*lazyLevels) *tiers {
	t := &tiers{levels: levels, lazy: lazy, prefixes: map[[registry.MaxQueryWords]uint8]*roaring.Bitmap{}}
	var c combo
	for _, l := range levels {
		c.sum += l[0].score
	}
	t.heap = queue[combo]{items: []combo{c}, less: func(a, b combo) bool { return a.sum < b.sum }}
	return t
}

// peek returns the next tier without taking it; ok is false when there is
// none, over is true when making it took too many combinations.
func (t *tiers) peek() (tr *tier, over bool) {
	if t.next != nil {
		return t.next, false
	}
	var docs *roaring.Bitmap // a combination's own (never change it) until owned
	var lo search.Key
	owned := false
	for t.heap.Len() > 0 && (docs == nil || t.heap.first().sum == lo) {
		c := t.heap.pop()
		if t.made++; t.made > maxCombos {
			return nil, true
		}
		for j := c.from; j < len(t.levels); j++ {
			if int(c.at[j])+1 < len(t.levels[j]) {
				d := c
				d.at[j]++
				d.from = j
				d.sum += t.levels[j][d.at[j]].score - t.levels[j][c.at[j]].score
				t.heap.push(d)
			}
		}
		b := t.docs(c)
		if b.IsEmpty() {
			continue
		}
		switch {
		case docs == nil: // most tiers are one combination's: no copy
			docs, lo = b, c.sum
		case !owned:
			docs, owned = roaring.Or(docs, b), true
		default:
			docs.Or(b)
		}
	}
	if docs == nil {
		return nil, false
	}
	t.next = &tier{lo: lo, docs: docs}
	return t.next, false
}

func (t *tiers) take() { t.next = nil }

// docs returns the documents of combination c: the intersection of its
// levels, made word by word from the longest prefix already made. Never
// change it.
func (t *tiers) docs(c combo) *roaring.Bitmap {
	b := t.level(0, c.at[0])
	var key [registry.MaxQueryWords]uint8
	for i := range key {
		key[i] = 0xff
	}
	key[0] = c.at[0]
	for j := 1; j < len(t.levels); j++ {
		key[j] = c.at[j]
		if j == len(t.levels)-1 {
			return t.and(b, t.level(j, c.at[j]))
		}
		if p, ok := t.prefixes[key]; ok {
			b = p
		} else {
			b = t.and(b, t.level(j, c.at[j]))
			t.prefixes[key] = b
		}
		if b.IsEmpty() {
			return b
		}
	}
	return b
}

// and returns the documents in both a and b, t's one empty set when
// none: most combinations of three words' levels are empty, and
// roaring.And makes a result as large as its smaller operand before it
// knows.
func (t *tiers) and(a, b *roaring.Bitmap) *roaring.Bitmap {
	if a.Intersects(b) {
		return roaring.And(a, b)
	}
	if t.empty == nil {
		t.empty = roaring.New()
	}
	return t.empty
}

// level returns the documents of word j's level x.
func (t *tiers) level(j int, x uint8) *roaring.Bitmap {
	if t.levels[j][x].docs == nil {
		t.lazy[j].make(t.levels[j], int(x))
	}
	return t.levels[j][x].docs
}

// tiered returns what ranked returns, or ok false when it would walk too
// much to find it.
func (ix *index) tiered(set *roaring.Bitmap, p *plan, after *position, k int) (out []position, ok bool) {
	n := len(p.q.Words)
	notPhrase := search.NotPhrase(n)
	levels, lazy := make([][]level, n), make([]*lazyLevels, n)
	for i, h := range p.hits {
		lazy[i] = &lazyLevels{set: set}
		for _, s := range h.scores {
			// A level that only holds documents of lower ones is empty
			// once made: its tiers are then empty too.
			if s.docs.Intersects(set) {
				levels[i] = append(levels[i], level{score: s.score})
				lazy[i].src = append(lazy[i].src, s.docs)
			}
		}
		if len(levels[i]) == 0 || len(levels[i]) > 255 {
			return nil, len(levels[i]) == 0
		}
	}
	if n == 2 {
		if phrases, ok := ix.phraseTiers(set, p); ok {
			return ix.merged(newTiers(levels, lazy), phrases, after, k)
		}
	}
	// Where a phrase may be: every word in one field. A phrase in field f
	// is no lower than the words' best scores in f added up (its bound):
	// the possible phrases come by bound, lowest first, each field's
	// tiers made as the words' are.
	phraseable := roaring.New()
	var bounds []*tiers
	var exactPairs *roaring.Bitmap // a phrase without typos begins its words as typed
	if notPhrase != 0 {
		// Only the documents with a listed pair for every two adjacent
		// words may be phrases: the others are left out of the bounds'
		// tiers, which then cost what the possible phrases are.
		p.pairs = ix.pairDocs(p, true)
		if p.pairs != nil {
			exactPairs = ix.pairDocs(p, false)
		}
		for f := range search.Fields {
			in := make([]*roaring.Bitmap, n+1, n+2)
			for i, h := range p.hits {
				in[i] = h.field(f)
			}
			in[n] = set
			if p.pairs != nil {
				in = append(in, p.pairs)
			}
			inField := roaring.FastAnd(in...)
			if inField.IsEmpty() {
				continue
			}
			phraseable.Or(inField)
			byWord := make([][]level, n)
			for i, h := range p.hits {
				done := roaring.New()
				for _, s := range h.scores {
					if search.FieldOf(s.score) != search.Field(f) {
						continue
					}
					b := roaring.And(s.docs, inField)
					b.AndNot(done)
					if b.IsEmpty() {
						continue
					}
					done.Or(b)
					byWord[i] = append(byWord[i], level{s.score, b})
				}
				if len(byWord[i]) > 255 {
					return nil, false
				}
			}
			bounds = append(bounds, newTiers(byWord, nil))
		}
	}
	var cursor uint64
	start := 0
	if after != nil {
		start = ix.placeAfter(after.name, after.id)
		cursor = uint64(after.rel)<<32 | uint64(start)
	}
	var found []candidate
	emit := func(c candidate) (full bool) {
		if after == nil || c.key >= cursor {
			found = append(found, c)
		}
		return len(found) >= k
	}
	pending := queue[candidate]{less: byKey} // phrases read, not yet due
	flush := func(below uint64) (full bool) {
		for pending.Len() > 0 && pending.first().key < below {
			if emit(pending.pop()) {
				return true
			}
		}
		return false
	}
	result := func() ([]position, bool) {
		out := make([]position, len(found))
		for i, c := range found {
			out[i] = position{doc: c.doc, rel: int(c.key >> 32), name: ix.name(c.doc), id: ix.docs[c.doc].id}
		}
		return out, true
	}
	visits := 0
	phrases := roaring.New() // documents whose key is a phrase's
	visited := roaring.New() // possible phrases whose key is known
	ts := newTiers(levels, lazy)
	for k > 0 {
		// The tiers of one number of edits: first the phrases among them,
		// then the rest.
		first, over := ts.peek()
		if over {
			return nil, false
		}
		if first == nil {
			break
		}
		edits := first.lo.Edits()
		var group []*tier
		for {
			t, over := ts.peek()
			if over {
				return nil, false
			}
			if t == nil || t.lo.Edits() != edits {
				break
			}
			group = append(group, t)
			ts.take()
		}
		if after != nil && search.Key(after.rel).Edits() > edits {
			continue // all before the cursor
		}
		if notPhrase != 0 && !phraseable.IsEmpty() {
			// The possible phrases whose bound has at most this group's
			// edits, by bound then name: a phrase is emitted when its key
			// is its bound (none of those not yet read can come before
			// it), else kept until its key is due.
			for {
				b, over := nextBound(bounds)
				if over {
					return nil, false
				}
				if b == nil || b.lo.Edits() > edits {
					break
				}
				takeBound(bounds, b.lo)
				if flush(uint64(b.lo) << 32) {
					return result()
				}
				// A phrase counts only with its words' fewest typos: none
				// when its bound has none, and then its words begin as
				// typed.
				maybe := b.docs.Clone()
				maybe.AndNot(visited)
				visited.Or(b.docs)
				if pairs := p.pairs; b.lo.Edits() == 0 && exactPairs != nil {
					maybe.And(exactPairs)
				} else if pairs != nil {
					maybe.And(pairs)
				}
				if !maybe.IsEmpty() {
					// The words by token, to read documents' tokens: made
					// only when some are to be read.
					ix.tokenWords(p)
				}
				full, over := false, false
				ix.walkByName(maybe, k, func(d uint32) bool {
					if visits++; visits > maxVisits {
						over = true
						return false
					}
					if !ix.hasPhrase(p, d) {
						return true
					}
					key := ix.exact(p, d)
					if search.Key(key>>32)&notPhrase != 0 {
						return true // a phrase only with more typos
					}
					phrases.Add(d)
					c := candidate{key: key, doc: d, final: true}
					if search.Key(key>>32) != b.lo {
						pending.push(c)
						return true
					}
					full = flush(key) || emit(c)
					return !full
				})
				if over {
					return nil, false
				}
				if full {
					return result()
				}
			}
			if flush(uint64(search.WithEdits(edits+1)) << 32) {
				return result()
			}
		}
		for _, t := range group {
			rel := t.lo + notPhrase
			from := 0
			if after != nil {
				if rel < search.Key(after.rel) {
					continue
				}
				if rel == search.Key(after.rel) {
					from = start
				}
			}
			var except *roaring.Bitmap
			if !phrases.IsEmpty() {
				except = roaring.And(t.docs, phrases)
				if except.IsEmpty() {
					except = nil
				}
			}
			for _, d := range ix.firstByName(t.docs, except, from, k-len(found)) {
				if emit(candidate{key: uint64(rel)<<32 | uint64(ix.rank[d]), doc: d, final: true}) {
					return result()
				}
			}
		}
	}
	return result()
}

// nextBound returns the lowest next tier of the fields' possible phrases,
// the union of those equal; nil when there is none.
func nextBound(bounds []*tiers) (*tier, bool) {
	var out *tier
	for _, ts := range bounds {
		t, over := ts.peek()
		switch {
		case over:
			return nil, true
		case t == nil:
		case out == nil || t.lo < out.lo:
			out = &tier{lo: t.lo, docs: t.docs.Clone()}
		case t.lo == out.lo:
			out.docs.Or(t.docs)
		}
	}
	return out, false
}

// takeBound takes the fields' next tiers whose bound is lo.
func takeBound(bounds []*tiers, lo search.Key) {
	for _, ts := range bounds {
		if t, _ := ts.peek(); t != nil && t.lo == lo {
			ts.take()
		}
	}
}

// walkByName calls fn with the documents of set in name order until it
// returns false; k is about how many it is expected to take.
func (ix *index) walkByName(set *roaring.Bitmap, k int, fn func(d uint32) bool) {
	from, chunk := 0, max(k, 32)
	for {
		docs := ix.firstByName(set, nil, from, chunk)
		for _, d := range docs {
			if !fn(d) {
				return
			}
		}
		if len(docs) < chunk {
			return
		}
		from = int(ix.rank[docs[len(docs)-1]]) + 1
		chunk *= 2
	}
}

// merged ranks a search of two words from its words' tiers and its
// phrases' (phraseTiers), both lowest first: a document's key is the
// lower of its phrase's and its words' (with the phrase bit), so it is
// taken from the first tier, of either kind, that holds it, and left out
// of every later one.
func (ix *index) merged(ts *tiers, phrases []tier, after *position, k int) ([]position, bool) {
	notPhrase := search.NotPhrase(2)
	start := 0
	if after != nil {
		start = ix.placeAfter(after.name, after.id)
	}
	seen := roaring.New() // the documents of the tiers taken: their keys are lower
	var out []position
	for len(out) < k {
		words, over := ts.peek()
		if over {
			return nil, false
		}
		var t *tier
		var rel search.Key
		switch {
		case len(phrases) > 0 && (words == nil || phrases[0].lo < words.lo+notPhrase):
			t, rel, phrases = &phrases[0], phrases[0].lo, phrases[1:]
		case words != nil:
			t, rel = words, words.lo+notPhrase
			ts.take()
		default:
			return out, true
		}
		from := 0
		if after != nil {
			if int(rel) < after.rel {
				seen.Or(t.docs)
				continue
			}
			if int(rel) == after.rel {
				from = start
			}
		}
		var except *roaring.Bitmap
		if seen.Intersects(t.docs) {
			except = roaring.And(t.docs, seen)
		}
		for _, d := range ix.firstByName(t.docs, except, from, k-len(out)) {
			out = append(out, position{doc: d, rel: int(rel), name: ix.name(d), id: ix.docs[d].id})
		}
		if len(out) < k { // else no later tier is read
			seen.Or(t.docs)
		}
	}
	return out, true
}
