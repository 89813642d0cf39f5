package index

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/hanoicreative/registry/internal/registry"
	"github.com/hanoicreative/registry/internal/sample"
	"github.com/hanoicreative/registry/internal/wards"
)

// TestResultsCacheServesPrefixes: the first page of a plain search, asked
// for with page sizes small and large, is what ranking it afresh gives,
// comes from the results cache when a larger page was ranked before, and
// is ranked again once the index changes (a renamed entity moves).
func TestResultsCacheServesPrefixes(t *testing.T) {
	x, err := wards.Load()
	if err != nil {
		t.Fatal(err)
	}
	ix := newIndex()
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var es []registry.Entity
	for i, d := range sample.Synthetic(x, 2000, 3) {
		es = append(es, registry.Entity{ID: uuid.NewSHA1(uuid.NameSpaceOID, fmt.Append(nil, i)).String(),
			Name: d.Name, NameEn: d.NameEn, Kind: d.Kind, Sectors: d.Sectors, Description: d.Description,
			Address: registry.Address{Ward: d.Ward, WardCode: d.Ward, Street: d.Street}, Status: registry.StatusActive,
			Version: 1, CreatedAt: at, UpdatedAt: at})
	}
	if err := ix.put(es); err != nil {
		t.Fatal(err)
	}
	search := func(q string, limit int) registry.ListQuery {
		ws, err := registry.ParseSearch(q)
		if err != nil {
			t.Fatal(err)
		}
		return registry.ListQuery{Filter: registry.Filter{Words: ws}, Limit: limit}
	}
	// fresh ranks q without the results cache.
	fresh := func(q registry.ListQuery) []uint32 {
		set, p := ix.match(q.Filter)
		defer ix.releaseWords(p)
		docs, ok := ix.tiered(set, p, nil, q.Limit+1)
		if !ok {
			docs = ix.ranked(set, p, nil, q.Limit+1)
		}
		return docsOf(docs)
	}
	listed := func(q registry.ListQuery) []uint32 {
		pg, err := ix.list(q)
		if err != nil {
			t.Fatal(err)
		}
		return docsOf(pg.docs)
	}
	for _, words := range []string{"gom", "khong gian sang tao", "lang nghe ha noi", "xuongg gom"} {
		for _, limit := range []int{30, 5, 1, 12, 40, 3} {
			q := search(words, limit)
			if got, want := listed(q), fresh(q); !slices.Equal(got, want) {
				t.Fatalf("%q, limit %d: %v, ranked afresh %v", words, limit, got, want)
			}
		}
		key, _ := resultsKey(search(words, 1), nil)
		if _, ok := ix.results.GetIfPresent(key); !ok {
			t.Fatalf("%q: no first page in the results cache", words)
		}
	}
	// A filter besides the words is not cached, and still ranks right.
	q := search("gom", 10)
	q.Filter.Kinds = []string{"artisan"}
	if _, ok := resultsKey(q, nil); ok {
		t.Fatal("a search with a kind has a key in the results cache")
	}
	// The first entity of "gom" renamed so that it no longer matches: the
	// next page of "gom" is ranked again, without it.
	q = search("gom", 10)
	first := listed(q)[0]
	var renamed registry.Entity
	for _, e := range es {
		if d, ok := ix.docOf([16]byte(uuid.MustParse(e.ID))); ok && d == first {
			renamed = e
		}
	}
	renamed.Name, renamed.Description, renamed.Version = "Nhà Hát Chèo Mới", "", 2
	if err := ix.put([]registry.Entity{renamed}); err != nil {
		t.Fatal(err)
	}
	got := listed(q)
	if slices.Contains(got, first) || !slices.Equal(got, fresh(q)) {
		t.Fatalf("after a rename, %v (ranked afresh %v, renamed %d)", got, fresh(q), first)
	}
}

func docsOf(ps []position) []uint32 {
	out := make([]uint32, len(ps))
	for i, p := range ps {
		out[i] = p.doc
	}
	return out
}
