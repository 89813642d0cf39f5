package index_test

import (
	"maps"
	"slices"
	"testing"

	"github.com/hanoicreative/registry/internal/registry"
)

// searchCorpus is a small registry for the contract's examples of q.
var searchCorpus = []registry.EntityDraft{
	{Name: "Xưởng Gốm Bát Tràng", Kind: "artisan", Sectors: []string{"crafts"}, Ward: "Bát Tràng", Description: "Gốm men lam"},
	{Name: "Smart Living", Kind: "design-brand", Sectors: []string{"design"}},
	{Name: "Artisan Lab", Kind: "creative-space", Sectors: []string{"design"}, Ward: "Hoàn Kiếm"},
	{Name: "Heritage House", NameEn: "Heritage House", Kind: "organization", Sectors: []string{"cultural-tourism"}},
	{Name: "Lửa Hồng", Kind: "artisan", Sectors: []string{"crafts"}, Description: "gốm nung bằng lửa"},
	{Name: "Lụa Vạn Phúc", Kind: "artisan", Sectors: []string{"crafts"}, Ward: "Hà Đông"},
	{Name: "Chợ Quà Đồng Dao", Kind: "business", Sectors: []string{"crafts"}, Ward: "Hoàn Kiếm"},
	{Name: "Nhà Hát Kịch", Kind: "organization", Sectors: []string{"performing-arts"}, Ward: "Đống Đa", Street: "Số 8 Đặng Văn Ngữ"},
	{Name: "Hanoi Creative City", Kind: "creative-space", Sectors: []string{"design"}, Ward: "Hai Bà Trưng"},
	{Name: "Studio Nội Thất Hạ Long", Kind: "designer", Sectors: []string{"design"}, Ward: "Ba Đình"},
	{Name: "Bảo tàng Hà Nội", Kind: "organization", Sectors: []string{"cultural-tourism"}, Ward: "Từ Liêm"},
	{Name: "Heritage Walks", Kind: "business", Sectors: []string{"cultural-tourism"}},
	{Name: "Heritagi Tours", Kind: "business", Sectors: []string{"cultural-tourism"}}, // one edit from "heritage"
}

// TestSearchContract: the examples of API.md's q, through the index and
// through SQL on both engines, with the same entities in the same order.
func TestSearchContract(t *testing.T) {
	engines(t, func(t *testing.T, e env) {
		for _, d := range searchCorpus {
			if _, err := e.viaDB.CreateEntity(e.ctx, "tester", d); err != nil {
				t.Fatalf("%s: %v", d.Name, err)
			}
		}
		e.build(t)
		cases := []struct {
			q     string
			want  []string // the whole answer, in order (nil: nothing)
			first []string // or only these, first
		}{
			{q: "gom", want: []string{"Xưởng Gốm Bát Tràng", "Lửa Hồng"}},
			{q: "GỐM", want: []string{"Xưởng Gốm Bát Tràng", "Lửa Hồng"}},
			{q: "art", want: []string{"Artisan Lab"}},
			{q: "hoan kiem", want: []string{"Artisan Lab", "Chợ Quà Đồng Dao"}},
			{q: "Ho\u0300an Kie\u0302\u0301m", want: []string{"Artisan Lab", "Chợ Quà Đồng Dao"}},
			// Typo matches come after every exact one.
			{q: "heritage", want: []string{"Heritage House", "Heritage Walks", "Heritagi Tours"}},
			{q: "heritge", want: []string{"Heritage House", "Heritage Walks"}},
			{q: "heritagx", want: []string{"Heritage House", "Heritage Walks", "Heritagi Tours"}},
			{q: "lụa", want: []string{"Lụa Vạn Phúc", "Lửa Hồng"}},
			{q: "dong da", want: []string{"Nhà Hát Kịch", "Chợ Quà Đồng Dao"}},
			{q: "ha noi", want: []string{"Bảo tàng Hà Nội", "Studio Nội Thất Hạ Long"}},
			{q: "hanoi", want: []string{"Hanoi Creative City"}},
			{q: "dang van ngu", want: []string{"Nhà Hát Kịch"}}, // the street
		}
		for _, c := range cases {
			words, err := registry.ParseSearch(c.q)
			if err != nil {
				t.Fatal(err)
			}
			q := registry.ListQuery{Filter: registry.Filter{Words: words}, Limit: 2, Facets: registry.Facets}
			got := walk(t, e, q, func(int) *registry.Service { return e.viaIx })
			if !slices.Equal(names(got), c.want) {
				t.Errorf("q=%q: %q, want %q", c.q, names(got), c.want)
			}
			e.agree(t, q)
		}
	})
}

// TestSearchCountsAreExact: a search's total and facets count exactly the
// entities its pages list, page after page.
func TestSearchCountsAreExact(t *testing.T) {
	engines(t, func(t *testing.T, e env) {
		e.seed(t)
		e.build(t)
		for _, text := range []string{"gom", "lang nghe", "ha", "thiet kee", "khong gian sang tao", "studio"} {
			words, _ := registry.ParseSearch(text)
			q := registry.ListQuery{Filter: registry.Filter{Words: words}, Limit: 9, Facets: registry.Facets}
			first, err := e.viaIx.Entities(e.ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			all := walk(t, e, q, func(int) *registry.Service { return e.viaIx })
			if len(all) != first.Total || len(all) == 0 && text != "thiet kee" {
				t.Fatalf("q=%q: %d listed, total %d", text, len(all), first.Total)
			}
			kinds := map[string]int{}
			for _, x := range all {
				kinds[x.Kind]++
			}
			if !maps.Equal(kinds, first.Facets[registry.FacetKind]) {
				t.Fatalf("q=%q: kinds listed %v, facets %v", text, kinds, first.Facets[registry.FacetKind])
			}
			seen := map[string]bool{}
			for _, x := range all {
				if seen[x.ID] {
					t.Fatalf("q=%q: %s listed twice", text, x.Name)
				}
				seen[x.ID] = true
			}
		}
	})
}
