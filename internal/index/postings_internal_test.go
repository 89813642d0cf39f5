package index

import (
	"bytes"
	"cmp"
	"hash/maphash"
	"slices"
	"testing"

	"github.com/RoaringBitmap/roaring/v2"
)

// TestVocabularyHashCollision: a word whose hash another word already has
// gets a number of its own and is found again.
func TestVocabularyHashCollision(t *testing.T) {
	v := newVocabulary()
	gom := v.id("gom")
	// Pretend "lua" hashes as "gom" does.
	delete(v.byHash.fresh, maphash.String(v.seed, "gom"))
	v.byHash.set(maphash.String(v.seed, "lua"), gom)
	lua := v.id("lua")
	if lua == gom || v.id("lua") != lua || string(v.word(lua)) != "lua" {
		t.Fatalf("gom %d, lua %d (%q)", gom, lua, v.word(lua))
	}
	// And once the numbers are sorted in.
	v.compact()
	if v.id("lua") != lua || v.id("lụa") == lua {
		t.Fatalf("after compact: lua %d, lụa %d", v.id("lua"), v.id("lụa"))
	}
}

// TestPostingsGrowAndShrink: a list goes from one document to a slice to
// a bitmap as it grows, and removing documents works in every form.
func TestPostingsGrowAndShrink(t *testing.T) {
	p := newPostings()
	var want []uint32
	for d := uint32(0); d < 3*maxFew; d += 2 {
		p.add(7, d)
		p.add(7, d) // twice: no duplicate
		want = append(want, d)
		if got := p.union([]uint32{7}).ToArray(); !slices.Equal(got, want) {
			t.Fatalf("after adding %d: %v", d, got)
		}
	}
	gone := roaring.BitmapOf(0, 4, 8)
	p.remove(gone)
	want = slices.DeleteFunc(want, gone.Contains)
	if got := p.union([]uint32{7}).ToArray(); !slices.Equal(got, want) {
		t.Fatalf("after removing: %v, want %v", got, want)
	}
	p.add(9, 5)
	p.remove(roaring.BitmapOf(5))
	if !p.union([]uint32{9}).IsEmpty() {
		t.Fatal("a removed single document is still listed")
	}
	p.add(9, 7)
	if got := p.union([]uint32{9, 7}).GetCardinality(); got != uint64(len(want)+1) {
		t.Fatalf("union of two words: %d documents", got)
	}
}

// TestNumberingKeepsNumbers: keys keep their numbers as they move from
// the map into the sorted slices, whether settled by force or when the
// fresh ones grow many, and unknown keys have none.
func TestNumberingKeepsNumbers(t *testing.T) {
	n := newNumbering(cmp.Compare[uint64])
	want := map[uint64]uint32{}
	for i := range uint32(3000) {
		k := uint64(i)*2654435761 + 7
		n.set(k, i)
		want[k] = i
		n.settle(false)
		if i == 1500 {
			n.settle(true)
		}
	}
	if len(n.keys) == 0 || len(n.fresh) > maxFreshKeys {
		t.Fatalf("%d sorted, %d fresh", len(n.keys), len(n.fresh))
	}
	for k, v := range want {
		if got, ok := n.get(k); !ok || got != v {
			t.Fatalf("key %d: %d %v, want %d", k, got, ok, v)
		}
	}
	if _, ok := n.get(1); ok {
		t.Fatal("a key never set has a number")
	}
}

// TestArenaChunks: documents' bytes come back as added, across chunks.
func TestArenaChunks(t *testing.T) {
	var a arena
	var at []uint32
	var docs [][]byte
	for i := range 3000 {
		b := bytes.Repeat([]byte{byte(i)}, 1+i%900)
		docs = append(docs, b)
		at = append(at, a.add(b))
	}
	if len(a.chunks) < 2 {
		t.Fatalf("%d chunks", len(a.chunks))
	}
	for i, b := range docs {
		if got := a.bytes(at[i], uint32(len(b))); !bytes.Equal(got, b) {
			t.Fatalf("document %d: %d bytes differ", i, len(b))
		}
	}
}
