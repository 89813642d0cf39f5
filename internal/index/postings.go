package index

import (
	"cmp"
	"hash/maphash"
	"slices"
	"strings"

	"github.com/RoaringBitmap/roaring/v2"
)

// vocabulary numbers the distinct tokens of the indexed text (by their
// search.Token Key, folded word first), and keeps them end to end in one
// byte string, every one preceded by a NUL.
type vocabulary struct {
	text   []byte   // "\x00key\x00key..."
	starts []uint32 // offset in text of each key's first byte
	// byHash numbers the words by a hash of them, a map the collector
	// need not scan (100,000 string keys it would); the rare word whose
	// hash another word has is in collided.
	byHash   numbering[uint64]
	collided map[string]uint32
	seed     maphash.Seed
}

func newVocabulary() *vocabulary {
	return &vocabulary{byHash: newNumbering(cmp.Compare[uint64]), collided: map[string]uint32{}, seed: maphash.MakeSeed()}
}

// word returns word id's text (a slice of text: never change it).
func (v *vocabulary) word(id uint32) []byte {
	end := len(v.text)
	if int(id)+1 < len(v.starts) {
		end = int(v.starts[id+1]) - 1 // before the next word's NUL
	}
	return v.text[v.starts[id]:end:end]
}

// id returns w's number, numbering it if it is new.
func (v *vocabulary) id(w string) uint32 {
	h := maphash.String(v.seed, w)
	first, hashed := v.byHash.get(h)
	if hashed && string(v.word(first)) == w {
		return first
	}
	if id, ok := v.collided[w]; ok {
		return id
	}
	id := uint32(len(v.starts))
	if hashed {
		v.collided[strings.Clone(w)] = id
	} else {
		v.byHash.set(h, id)
	}
	v.text = append(v.text, 0)
	v.starts = append(v.starts, uint32(len(v.text)))
	v.text = append(v.text, w...)
	return id
}

func (v *vocabulary) compact() {
	v.text = slices.Clone(v.text)
	v.starts = slices.Clone(v.starts)
	v.byHash.settle(true)
}

func (v *vocabulary) size() uint64 {
	return uint64(cap(v.text)+4*cap(v.starts)+64*len(v.collided)) + v.byHash.size(8)
}

// postings are the documents holding each word of the vocabulary, in one
// field. Most words are rare (names, numbers): a word's list is a single
// document, then a short sorted slice, and a compressed bitmap only once it
// holds more than maxFew documents.
type postings struct {
	single []uint32 // by word id: 1 + the document when it is the only one; else 0
	few    map[uint32][]uint32
	many   map[uint32]*roaring.Bitmap
}

// maxFew is the longest list kept as a slice.
const maxFew = 32

func newPostings() *postings {
	return &postings{few: map[uint32][]uint32{}, many: map[uint32]*roaring.Bitmap{}}
}

// add records that document d holds word id.
func (p *postings) add(id, d uint32) {
	for int(id) >= len(p.single) {
		p.single = append(p.single, 0)
	}
	if b, ok := p.many[id]; ok {
		b.Add(d)
		return
	}
	if l, ok := p.few[id]; ok {
		i, found := slices.BinarySearch(l, d)
		switch {
		case found:
		case len(l) < maxFew:
			p.few[id] = slices.Insert(l, i, d)
		default:
			b := roaring.BitmapOf(l...)
			b.Add(d)
			p.many[id] = b
			delete(p.few, id)
		}
		return
	}
	switch one := p.single[id]; {
	case one == 0:
		p.single[id] = d + 1
	case one-1 != d:
		p.few[id] = []uint32{min(one-1, d), max(one-1, d)}
		p.single[id] = 0
	}
}

// remove takes the documents ds out of every list. A list that shrinks
// keeps its form; an emptied one matches nothing.
func (p *postings) remove(ds *roaring.Bitmap) {
	for id, one := range p.single {
		if one != 0 && ds.Contains(one-1) {
			p.single[id] = 0
		}
	}
	for id, l := range p.few {
		p.few[id] = slices.DeleteFunc(l, ds.Contains)
	}
	for _, b := range p.many {
		if b.Intersects(ds) {
			b.AndNot(ds)
		}
	}
}

// get returns the documents holding word id: the list itself when it is a
// bitmap (never change it), else a new bitmap.
func (p *postings) get(id uint32) *roaring.Bitmap {
	if b, ok := p.many[id]; ok {
		return b
	}
	return p.union([]uint32{id})
}

// union returns the documents holding any of the words ids.
func (p *postings) union(ids []uint32) *roaring.Bitmap {
	var bitmaps []*roaring.Bitmap
	var docs []uint32
	for _, id := range ids {
		if int(id) >= len(p.single) {
			continue
		}
		if one := p.single[id]; one != 0 {
			docs = append(docs, one-1)
		} else if l, ok := p.few[id]; ok {
			docs = append(docs, l...)
		} else if b, ok := p.many[id]; ok {
			bitmaps = append(bitmaps, b)
		}
	}
	out := roaring.New()
	if len(bitmaps) > 0 {
		out = roaring.FastOr(bitmaps...)
	}
	out.AddMany(docs)
	return out
}

// compact gives back the room that growing the lists left: a list grown
// by adding to it has up to a quarter more than it holds (most of the
// index's memory is in these lists). One list is copied at a time, so the
// copying holds little more than the largest twice.
func (p *postings) compact() {
	p.single = slices.Clone(p.single)
	for id, l := range p.few {
		p.few[id] = slices.Clone(l)
	}
	for id, b := range p.many {
		p.many[id] = b.Clone()
	}
}

// size is the number of bytes the postings take, roughly.
func (p *postings) size() uint64 {
	n := uint64(4 * cap(p.single))
	for _, l := range p.few {
		n += uint64(4*cap(l) + 48)
	}
	for _, b := range p.many {
		n += b.GetSizeInBytes() + 48
	}
	return n
}
