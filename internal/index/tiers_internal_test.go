package index

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/hanoicreative/registry/internal/registry"
	"github.com/hanoicreative/registry/internal/sample"
	"github.com/hanoicreative/registry/internal/search"
	"github.com/hanoicreative/registry/internal/wards"
)

// TestTieredAgreesWithRanked holds the tiered ranking and the full one to
// search.Rank's order of every entity (as the database's search ranks),
// page after page, for searches of one to four words, prefixes, typos,
// diacritics and a filter, over synthetic entities, once built and again
// after some have new texts.
func TestTieredAgreesWithRanked(t *testing.T) {
	x, err := wards.Load()
	if err != nil {
		t.Fatal(err)
	}
	ix := newIndex()
	ix.building = true
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var es []registry.Entity
	for i, d := range sample.Synthetic(x, 6000, 7) {
		es = append(es, registry.Entity{ID: uuid.NewSHA1(uuid.NameSpaceOID, fmt.Append(nil, i)).String(),
			Name: d.Name, NameEn: d.NameEn, Kind: d.Kind, Sectors: d.Sectors, Description: d.Description,
			Address: registry.Address{Ward: d.Ward, WardCode: d.Ward, Street: d.Street}, Status: registry.StatusActive,
			Version: 1, CreatedAt: at, UpdatedAt: at})
	}
	if err := ix.put(es); err != nil {
		t.Fatal(err)
	}
	if err := ix.built(); err != nil {
		t.Fatal(err)
	}
	if len(ix.pairs.apart) == 0 {
		t.Fatal("no list of pairs is kept inverted: the test would not hold them to the ranking")
	}
	queries := []string{"gom", "bat trang", "trien lam", "khong gian sang tao", "lang nghe", "ha", "ha noi", "nha hat",
		"thiet kee", "galery", "studioo", "pho co", "gốm bát", "Đồng", "dong da", "sang tao ha", "trienlam", "nghe lang",
		"di san", "gallery studio", "lua", "lụa", "a b", "hoan kiem", "co", "tranh dan gian",
		// Two words whose phrases come from the pair lists: prefixes, typos,
		// diacritics as typed.
		"trien la", "triien lam", "nha ha", "Nhà Hát", "lang ngh", "xuongg gom", "gom xuong"}
	// current is every entity as the index holds it, by document, and
	// its words.
	type held struct {
		e    registry.Entity
		segs []search.Segment[search.Token]
	}
	current := map[uint32]held{}
	hold := func(es []registry.Entity) {
		var tok search.Tokenizer
		for _, e := range es {
			d, _ := ix.docOf(uuid.MustParse(e.ID))
			current[d] = held{e, tok.Segments(registry.SearchFields(e))}
		}
	}
	hold(es)
	// brute ranks every entity with search.Rank, as the database's search
	// does: the oracle of both of the index's rankings.
	brute := func(q *search.Query, sectors []string) []position {
		var out []position
		for d, h := range current {
			if len(sectors) > 0 && !slices.Contains(h.e.Sectors, sectors[0]) {
				continue
			}
			if key, ok := q.Rank(h.segs); ok {
				out = append(out, position{doc: d, rel: int(key), name: ix.name(d), id: ix.docs[d].id})
			}
		}
		o := ordering{sort: registry.SortRelevance}
		slices.SortFunc(out, o.compare)
		return out
	}
	compare := func(t *testing.T) {
		t.Helper()
		for _, q := range queries {
			ws, err := registry.ParseSearch(q)
			if err != nil {
				t.Fatal(err)
			}
			for _, sectors := range [][]string{nil, {"crafts"}} {
				all := brute(search.NewQuery(ws), sectors)
				for _, limit := range []int{1, 7, 30} {
					f := registry.Filter{Words: ws, Sectors: sectors}
					var after *position
					for pageNo := 0; pageNo < 6; pageNo++ {
						want := all[min(pageNo*limit, len(all)):min(pageNo*limit+limit+1, len(all))]
						set, p := ix.match(f)
						ranked := ix.ranked(set, p, after, limit+1)
						set, p = ix.match(f)
						tiered, ok := ix.tiered(set, p, after, limit+1)
						if !ok {
							t.Logf("%q %v limit %d page %d: tiered gave up", q, sectors, limit, pageNo)
							tiered = ranked
						}
						for name, got := range map[string][]position{"ranked": ranked, "tiered": tiered} {
							if len(got) != len(want) {
								t.Fatalf("%s %q %v limit %d page %d: %d documents, want %d", name, q, sectors, limit, pageNo, len(got), len(want))
							}
							for i := range want {
								if got[i].doc != want[i].doc || got[i].rel != want[i].rel {
									t.Fatalf("%s %q %v limit %d page %d, #%d: doc %d rel %x, want doc %d rel %x", name, q, sectors, limit, pageNo, i,
										got[i].doc, got[i].rel, want[i].doc, want[i].rel)
								}
							}
						}
						if len(want) <= limit {
							break
						}
						last := want[limit-1]
						after = &last
					}
				}
			}
		}
	}
	compare(t)
	// After the build, rewritten texts: new pairs of words (numbered
	// fresh, looked up one by one) and the old ones' documents taken out
	// of their lists.
	var changed []registry.Entity
	for i := 0; i < 600; i += 2 {
		e := es[i]
		e.Description = es[i+1].Description + " Triển lãm gốm xưởng mới, nhà hát " + fmt.Sprint(i)
		e.Name = "Xưởng Gốm Nhà Hát " + fmt.Sprint(i)
		e.Version++
		changed = append(changed, e)
	}
	if err := ix.put(changed); err != nil {
		t.Fatal(err)
	}
	hold(changed)
	if len(ix.pairs.ids.fresh) == 0 {
		t.Fatal("no pair was numbered after the build")
	}
	compare(t)
}
