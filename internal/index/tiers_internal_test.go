package index

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/hanoicreative/registry/internal/registry"
	"github.com/hanoicreative/registry/internal/sample"
	"github.com/hanoicreative/registry/internal/wards"
)

// TestTieredAgreesWithRanked holds the tiered ranking to the full one,
// page after page, for searches of one to three words, typos, and a
// filter, over synthetic entities.
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
	queries := []string{"gom", "bat trang", "trien lam", "khong gian sang tao", "lang nghe", "ha", "ha noi", "nha hat",
		"thiet kee", "galery", "studioo", "pho co", "gốm bát", "Đồng", "dong da", "sang tao ha", "trienlam", "nghe lang",
		"di san", "gallery studio", "lua", "lụa", "a b", "hoan kiem", "co", "tranh dan gian",
		// Two words whose phrases come from the pair lists: prefixes, typos,
		// diacritics as typed.
		"trien la", "triien lam", "nha ha", "Nhà Hát", "lang ngh", "xuongg gom", "gom xuong"}
	for _, q := range queries {
		for _, sectors := range [][]string{nil, {"crafts"}} {
			for _, limit := range []int{1, 7, 30} {
				ws, err := registry.ParseSearch(q)
				if err != nil {
					t.Fatal(err)
				}
				f := registry.Filter{Words: ws, Sectors: sectors}
				var after *position
				for pageNo := 0; pageNo < 6; pageNo++ {
					set, p := ix.match(f)
					want := ix.ranked(set, p, after, limit+1)
					set, p = ix.match(f)
					got, ok := ix.tiered(set, p, after, limit+1)
					if !ok {
						t.Logf("%q %v limit %d page %d: tiered gave up", q, sectors, limit, pageNo)
						break
					}
					if len(got) != len(want) {
						t.Fatalf("%q %v limit %d page %d: %d documents, want %d", q, sectors, limit, pageNo, len(got), len(want))
					}
					for i := range want {
						if got[i].doc != want[i].doc || got[i].rel != want[i].rel {
							t.Fatalf("%q %v limit %d page %d, #%d: doc %d rel %x, want doc %d rel %x", q, sectors, limit, pageNo, i,
								got[i].doc, got[i].rel, want[i].doc, want[i].rel)
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
