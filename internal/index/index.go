// Package index answers the registry's listings, searches, facets and
// stats from memory: an inverted index of every entity's search words and
// bitmaps of its sectors, kind, ward and status, kept current from the
// change feed. Only the page's own entities are then read from the
// database, by id.
//
// A search of q in SQL must test every row's text (LIKE '%word%'), and
// common words occur in half the rows; here a word is looked up in the
// vocabulary (substrings of some thousands of words), and its documents are
// a compressed bitmap, so a search of 100,000 entities takes a millisecond
// or two rather than hundreds.
package index

import (
	"bytes"
	"cmp"
	"fmt"
	"hash/maphash"
	"slices"
	"sync"
	"unsafe"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/google/uuid"
	"github.com/maypok86/otter/v2"

	"github.com/hanoicreative/registry/internal/fold"
	"github.com/hanoicreative/registry/internal/registry"
	"github.com/hanoicreative/registry/internal/search"
)

// doc is what the index keeps of an entity to filter and order it. It
// holds no pointer (its name is in the index's text arena), so that the
// collector need not scan 100,000 of them on every cycle.
type doc struct {
	id      [16]byte // the UUID; its bytes sort as its text does
	created int64    // Unix microseconds (the precision stored)
	updated int64
	text    uint64 // hash of the search text: unchanged text is not re-indexed
	nameAt  uint32 // the folded name: names[nameAt:nameAt+nameLen]
	version int32
	// tokAt and tokLen place the document's tokens in the index's token
	// arena (see arena and tokens).
	tokAt, tokLen uint32
	nameLen       uint16 // a name is at most 200 characters, 800 bytes
	year          int16  // founded year (not after this one); hasYear false when there is none
	hasYear       bool
	// 64 bytes in all, of which 3 are padding: keep it so when adding.
}

// index is the in-memory state. It is not safe for concurrent use: Store
// guards it.
type index struct {
	docs  []doc // by document number
	byID  docIDs
	names []byte // the documents' folded names, end to end (appended to only)

	vocab *vocabulary
	lex   lexicon
	// posts lists the documents of each token in each field, under the
	// number token·search.Fields + field.
	posts *postings
	// arena holds every document's search text as tokens, field by
	// field (to find phrases; see tokens): a token's code per word (see
	// codes), a 0 after each segment (name, name_en, ward, street,
	// description). Appended to only, but for the rewriting at the end of
	// a build.
	arena arena
	codes codes
	pairs pairs

	all      *roaring.Bitmap // every document
	status   map[registry.Status]*roaring.Bitmap
	sectors  map[string]*roaring.Bitmap
	kinds    map[string]*roaring.Bitmap
	wards    map[string]*roaring.Bitmap // by ward code
	wardName map[string]string          // ward code → name, as entities give it
	noWard   *roaring.Bitmap
	located  *roaring.Bitmap

	// byName lists the documents by folded name then id, the order of
	// name and the second key of relevance; rank[d] is d's place in it
	// (unplaced while ^0).
	byName []uint32
	rank   []uint32

	// building defers ordering by name to the end of a build (sorting
	// once, not after every batch); unordered says it is still to do.
	building, unordered bool

	seq  int64  // the change sequence the index reflects
	gen  uint64 // moves with every change of a document
	seed maphash.Seed

	// ahead holds the documents read at a version newer than the last
	// change of theirs the index applied (written after the feed was
	// read): until their change is applied the index is not exactly the
	// database as of seq, and is not compared with it.
	ahead map[[16]byte]int32

	wordCache *otter.Cache[string, *wordHits]
	// scratch lends searches a key per document (see ranked), wordBits
	// their words by token (see tokenWords).
	scratch, wordBits sync.Pool
	tok               search.Tokenizer
}

func newIndex() *index {
	return &index{
		byID:  newDocIDs(),
		ahead: map[[16]byte]int32{},
		vocab: newVocabulary(), posts: newPostings(), pairs: newPairs(),
		all:       roaring.New(),
		status:    map[registry.Status]*roaring.Bitmap{},
		sectors:   map[string]*roaring.Bitmap{},
		kinds:     map[string]*roaring.Bitmap{},
		wards:     map[string]*roaring.Bitmap{},
		wardName:  map[string]string{},
		noWard:    roaring.New(),
		located:   roaring.New(),
		seed:      maphash.MakeSeed(),
		wordCache: newWordCache(),
	}
}

// put adds entities or replaces what the index holds of them. Replacing
// a text means taking the document out of every word list, so those are
// swept once for the whole batch. An entity whose id is not a UUID (none
// the service makes) cannot be indexed: put then fails, and leaves the
// index as it was only in part, so the caller must stop using it.
func (ix *index) put(es []registry.Entity) error {
	if len(es) == 0 {
		return nil
	}
	ix.gen++
	stale := roaring.New()
	type pending struct {
		d    uint32
		segs []search.Segment[search.Token]
	}
	var reindex []pending
	var moved []uint32 // new documents and new names: their place by name changes
	for _, e := range es {
		id, err := uuid.Parse(e.ID)
		if err != nil || id.String() != e.ID {
			return fmt.Errorf("index: entity id %q is not a UUID in canonical form", e.ID)
		}
		text := registry.SearchFields(e)
		hash := maphash.Comparable(ix.seed, text)
		d, known := ix.docOf(id)
		if !known {
			d = uint32(len(ix.docs))
			ix.docs = append(ix.docs, doc{})
			ix.byID.fresh[id] = d
			ix.all.Add(d)
		} else {
			ix.untag(d)
		}
		old := ix.docs[d]
		name := fold.String(e.Name)
		next := newDoc(id, e, hash)
		if known && string(ix.name(d)) == name {
			next.nameAt, next.nameLen = old.nameAt, old.nameLen
		} else {
			next.nameAt, next.nameLen = uint32(len(ix.names)), uint16(len(name))
			ix.names = append(ix.names, name...)
			moved = append(moved, d)
		}
		if !known || old.text != hash {
			if known {
				stale.Add(d)
			}
			reindex = append(reindex, pending{d, ix.tok.Segments(text)})
		}
		ix.docs[d] = next
		ix.tag(d, e)
	}
	ix.reorder(moved)
	if !stale.IsEmpty() {
		ix.posts.remove(stale)
		ix.pairs.remove(stale)
	}
	var ids []uint32 // a segment's token numbers
	var text []byte  // a document's, as the arena holds them
	for _, p := range reindex {
		text = text[:0]
		for _, s := range p.segs {
			ids = ids[:0]
			for _, t := range s.Tokens {
				id := ix.vocab.id(t.Key())
				ix.posts.add(id*search.Fields+uint32(s.Field), p.d)
				text = appendCode(text, ix.codes.of(id))
				ids = append(ids, id)
			}
			text = append(text, 0)
			ix.pairs.add(p.d, s.Field, ids)
		}
		ix.docs[p.d].tokAt, ix.docs[p.d].tokLen = ix.arena.add(text), uint32(len(text))
		ix.noteApart(p.d)
	}
	if !ix.building {
		ix.pairs.ids.settle(false)
		ix.settleIDs(false)
		ix.vocab.byHash.settle(false)
		return ix.refresh(false)
	}
	return nil
}

// segmentFields are the fields of a document's segments, in the order
// of the token arena.
var segmentFields = [...]search.Field{search.FieldName, search.FieldNameEn, search.FieldPlace, search.FieldPlace, search.FieldDescription}

// name returns document d's folded name (a slice of the arena: never
// change it).
func (ix *index) name(d uint32) []byte {
	x := &ix.docs[d]
	end := x.nameAt + uint32(x.nameLen)
	return ix.names[x.nameAt:end:end]
}

func newDoc(id [16]byte, e registry.Entity, text uint64) doc {
	d := doc{id: id, version: int32(e.Version), text: text,
		created: e.CreatedAt.UnixMicro(), updated: e.UpdatedAt.UnixMicro()}
	if e.FoundedYear != nil {
		d.year, d.hasYear = int16(*e.FoundedYear), true
	}
	return d
}

// unplaced marks a document not yet in byName.
const unplaced = ^uint32(0)

// reorder puts moved documents in their place in byName. A few are moved
// one by one; many at once, by sorting everything again.
func (ix *index) reorder(moved []uint32) {
	for len(ix.rank) < len(ix.docs) {
		ix.rank = append(ix.rank, unplaced)
	}
	if len(moved) == 0 && !ix.unordered || ix.building {
		return
	}
	if len(moved) > 32 || ix.unordered {
		ix.unordered = false
		ix.byName = ix.byName[:0]
		for d := range ix.docs {
			ix.byName = append(ix.byName, uint32(d))
		}
		slices.SortFunc(ix.byName, ix.byNameOrder)
		ix.rerank(0)
		return
	}
	for _, d := range moved {
		if r := ix.rank[d]; r != unplaced {
			ix.byName = slices.Delete(ix.byName, int(r), int(r)+1)
			ix.rerank(int(r))
		}
		at, _ := slices.BinarySearchFunc(ix.byName, d, ix.byNameOrder)
		ix.byName = slices.Insert(ix.byName, at, d)
		ix.rerank(at)
	}
}

// rerank renumbers byName from place i on.
func (ix *index) rerank(i int) {
	for ; i < len(ix.byName); i++ {
		ix.rank[ix.byName[i]] = uint32(i)
	}
}

func (ix *index) byNameOrder(a, b uint32) int {
	return cmp.Or(bytes.Compare(ix.name(a), ix.name(b)), bytes.Compare(ix.docs[a].id[:], ix.docs[b].id[:]))
}

// built ends a build: it orders the documents by name, makes the sorted
// vocabulary and gives back the memory that growing the index left unused.
func (ix *index) built() error {
	ix.building, ix.unordered = false, true
	ix.reorder(nil)
	ix.compact()
	return ix.refresh(true)
}

func (ix *index) compact() {
	ix.recode()
	ix.docs = slices.Clone(ix.docs)
	ix.names = slices.Clone(ix.names)
	ix.byName = slices.Clone(ix.byName)
	ix.rank = slices.Clone(ix.rank)
	ix.vocab.compact()
	ix.posts.compact()
	ix.pairs.ids.settle(true)
	ix.settleIDs(true)
	ix.pairs.posts.compact()
	ix.pairs.invert(ix.posts)
	ix.tok = search.Tokenizer{}
}

// tag adds d to the bitmaps of e's status, sectors, kind, ward and location.
func (ix *index) tag(d uint32, e registry.Entity) {
	bitmap(ix.status, e.Status).Add(d)
	for _, s := range e.Sectors {
		bitmap(ix.sectors, s).Add(d)
	}
	bitmap(ix.kinds, e.Kind).Add(d)
	if code := e.Address.WardCode; code != "" {
		bitmap(ix.wards, code).Add(d)
		name := e.Address.Ward
		if name == "" {
			name = code
		}
		ix.wardName[code] = name
	} else {
		ix.noWard.Add(d)
	}
	if e.Location != nil {
		ix.located.Add(d)
	}
}

// untag takes d out of every bitmap tag put it in.
func (ix *index) untag(d uint32) {
	for _, b := range ix.status {
		b.Remove(d)
	}
	for _, m := range []map[string]*roaring.Bitmap{ix.sectors, ix.kinds, ix.wards} {
		for _, b := range m {
			b.Remove(d)
		}
	}
	ix.noWard.Remove(d)
	ix.located.Remove(d)
}

// bitmap returns m[k], making it if needed.
func bitmap[K comparable](m map[K]*roaring.Bitmap, k K) *roaring.Bitmap {
	b, ok := m[k]
	if !ok {
		b = roaring.New()
		m[k] = b
	}
	return b
}

// size is the number of bytes the index takes, roughly.
func (ix *index) size() uint64 {
	n := ix.vocab.size() + ix.posts.size() + uint64(ix.lex.bytes) + ix.arena.size() + ix.pairs.size()
	n += uint64(cap(ix.docs))*uint64(unsafe.Sizeof(doc{})) + uint64(cap(ix.names)) + 8*uint64(cap(ix.byName))
	n += ix.byID.size() + 4*uint64(cap(ix.codes.byCode)+cap(ix.codes.ofTok))
	return n
}
