package index

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/hanoicreative/registry/internal/registry"
	"github.com/hanoicreative/registry/internal/search"
)

// TestInvertedPairsFollowChanges: a pair of tokens most documents hold
// adjacent is kept inverted, a pair of one token twice too ("Hà Hà"), and
// documents indexed after the build join its documents exactly when they
// hold the pair: not when they hold its tokens apart, or the token once.
func TestInvertedPairsFollowChanges(t *testing.T) {
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	n := 0
	entity := func(name string) registry.Entity {
		n++
		return registry.Entity{ID: uuid.NewSHA1(uuid.NameSpaceOID, fmt.Append(nil, n)).String(), Name: name,
			Kind: "artisan", Status: registry.StatusActive, Version: 1, CreatedAt: at, UpdatedAt: at}
	}
	ix := newIndex()
	ix.building = true
	var es []registry.Entity
	for i := range 200 {
		es = append(es, entity(fmt.Sprintf("Hà Hà Gốm Sứ %d", i)))
	}
	es = append(es, entity("Gốm Hà Sứ"), entity("Hà Gốm"))
	if err := ix.put(es); err != nil {
		t.Fatal(err)
	}
	if err := ix.built(); err != nil {
		t.Fatal(err)
	}
	list := func(a, b string) []uint32 {
		t.Helper()
		ta, tb := ix.vocab.id(search.NewToken(a).Key()), ix.vocab.id(search.NewToken(b).Key())
		k := pairKey(ta, tb, search.FieldName)
		id, ok := ix.pairs.ids.get(k)
		if !ok {
			t.Fatalf("no pair %s %s", a, b)
		}
		if _, inverted := ix.pairs.apart[id]; !inverted {
			t.Fatalf("the pair %s %s is not kept inverted", a, b)
		}
		return ix.pairs.union(ix.posts, []pair{{k, id}}).ToArray()
	}
	doc := func(e registry.Entity) uint32 {
		t.Helper()
		if err := ix.put([]registry.Entity{e}); err != nil {
			t.Fatal(err)
		}
		d, _ := ix.docOf(uuid.MustParse(e.ID))
		return d
	}
	holds := func(l []uint32, d uint32) bool {
		for _, x := range l {
			if x == d {
				return true
			}
		}
		return false
	}
	once, apart, both := doc(entity("Hà Nội Gốm")), doc(entity("Gốm Hà Sứ Hà")), doc(entity("Xưởng Hà Hà Gốm Sứ"))
	for _, c := range []struct {
		a, b string
		d    uint32
		want bool
	}{
		{"Hà", "Hà", once, false}, {"Hà", "Hà", apart, false}, {"Hà", "Hà", both, true},
		{"Gốm", "Sứ", apart, false}, {"Gốm", "Sứ", both, true}, {"Hà", "Gốm", once, false}, {"Hà", "Gốm", both, true},
	} {
		if got := holds(list(c.a, c.b), c.d); got != c.want {
			t.Errorf("pair %s %s holds document %d: %v, want %v", c.a, c.b, c.d, got, c.want)
		}
	}
	// A document rewritten without the pair leaves it.
	e := entity("Hà Hà Gốm Sứ mới")
	d := doc(e)
	e.Name, e.Version = "Hà Gốm Hà Sứ", 2
	if doc(e) != d || holds(list("Hà", "Hà"), d) || holds(list("Gốm", "Sứ"), d) {
		t.Errorf("document %d still holds the pairs it no longer has", d)
	}
}
