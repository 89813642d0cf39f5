package store_test

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/hanoicreative/registry/internal/fold"
	"github.com/hanoicreative/registry/internal/registry"
)

// seedVaried creates n entities spread over sectors, kinds, wards and
// years (some without a year), with names that tie when folded.
func seedVaried(t *testing.T, e env, n int) []registry.Entity {
	t.Helper()
	sectors := []string{"design", "crafts", "visual-arts", "performing-arts", "film", "publishing", "software-games", "cultural-tourism"}
	kinds := []string{"creative-space", "designer", "artisan", "design-brand"}
	wardNames := []string{"Hoàn Kiếm", "Ba Đình", "Tây Hồ", ""}
	names := []string{"Đình", "Dinh", "Ánh", "anh", "Bút", "Zen", "Gốm", "Lụa"}
	var out []registry.Entity
	for i := range n {
		d := registry.EntityDraft{
			Name:    fmt.Sprintf("%s %d", names[i%len(names)], i/len(names)),
			Slug:    fmt.Sprintf("e-%03d", i),
			Kind:    kinds[i%len(kinds)],
			Sectors: []string{sectors[i%len(sectors)]},
			Ward:    wardNames[i%len(wardNames)],
		}
		if i%3 == 0 {
			d.Sectors = append(d.Sectors, sectors[(i+3)%len(sectors)])
		}
		if i%5 != 0 {
			d.FoundedYear = intp(1990 + i%7)
		}
		out = append(out, e.create(t, d))
	}
	return out
}

// walk reads every page of q and returns the entities in order.
func walk(t *testing.T, e env, q registry.ListQuery) []registry.Entity {
	t.Helper()
	var all []registry.Entity
	for pages := 0; ; pages++ {
		page, err := e.svc.Entities(e.ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, page.Entities...)
		if page.Next == nil {
			return all
		}
		if pages > 1000 {
			t.Fatal("endless paging")
		}
		q.After = page.Next
	}
}

// expectedOrder sorts entities the way the contract says: by the key,
// ties by id, entities without a founded_year last either way.
func expectedOrder(es []registry.Entity, s registry.Sort) []registry.Entity {
	out := slices.Clone(es)
	year := func(e registry.Entity) (bool, int) {
		if e.FoundedYear == nil {
			return true, 0
		}
		return false, *e.FoundedYear
	}
	slices.SortFunc(out, func(a, b registry.Entity) int {
		var c int
		switch s {
		case registry.SortName:
			c = cmp.Compare(fold.String(a.Name), fold.String(b.Name))
		case registry.SortNameDesc:
			c = -cmp.Compare(fold.String(a.Name), fold.String(b.Name))
		case registry.SortCreatedAt:
			c = a.CreatedAt.Compare(b.CreatedAt)
		case registry.SortCreatedAtDesc:
			c = -a.CreatedAt.Compare(b.CreatedAt)
		case registry.SortUpdatedAt:
			c = a.UpdatedAt.Compare(b.UpdatedAt)
		case registry.SortUpdatedAtDesc:
			c = -a.UpdatedAt.Compare(b.UpdatedAt)
		case registry.SortFoundedYear, registry.SortFoundedYearDesc:
			na, ya := year(a)
			nb, yb := year(b)
			if c = boolCompare(na, nb); c == 0 {
				c = cmp.Compare(ya, yb)
				if s == registry.SortFoundedYearDesc {
					c = -c
				}
			}
		}
		if c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out
}

func boolCompare(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

func ids(es []registry.Entity) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.ID
	}
	return out
}

func TestSortOrdersAndKeysetPaging(t *testing.T) {
	engines(t, func(t *testing.T, e env) {
		all := seedVaried(t, e, 37)
		// Touch some entities so updated_at differs from created_at order.
		for _, ent := range all[5:9] {
			_, err := e.svc.UpdateEntity(e.ctx, "t", ent.ID, registry.Precondition{}, func(cur registry.Entity) (registry.EntityDraft, []registry.FieldError) {
				d := cur.Draft()
				d.Description = "touched"
				return d, nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		current := walk(t, e, registry.ListQuery{Limit: 100})
		for _, s := range append([]registry.Sort{""}, registry.Sorts...) {
			want := expectedOrder(current, cmp.Or(s, registry.SortName))
			for _, limit := range []int{1, 4, 100} {
				got := walk(t, e, registry.ListQuery{Sort: s, Limit: limit})
				if !slices.Equal(ids(got), ids(want)) {
					t.Fatalf("sort %q limit %d:\n got %s\nwant %s", s, limit, fmtList(got), fmtList(want))
				}
			}
		}
	})
}

func TestFiltersTotalsAndFacets(t *testing.T) {
	engines(t, func(t *testing.T, e env) {
		all := seedVaried(t, e, 40)
		archived := all[1]
		if _, err := e.svc.ArchiveEntity(e.ctx, "t", archived.ID, registry.Precondition{}); err != nil {
			t.Fatal(err)
		}
		active := slices.DeleteFunc(slices.Clone(all), func(x registry.Entity) bool { return x.ID == archived.ID })
		since := all[30].CreatedAt

		cases := []struct {
			name   string
			filter registry.Filter
			match  func(registry.Entity) bool
		}{
			{"everything", registry.Filter{}, func(registry.Entity) bool { return true }},
			{"sector any", registry.Filter{Sectors: []string{"crafts", "film"}},
				func(x registry.Entity) bool {
					return slices.Contains(x.Sectors, "crafts") || slices.Contains(x.Sectors, "film")
				}},
			{"sector all", registry.Filter{Sectors: []string{"design", "performing-arts"}, MatchAll: true},
				func(x registry.Entity) bool {
					return slices.Contains(x.Sectors, "design") && slices.Contains(x.Sectors, "performing-arts")
				}},
			{"kind", registry.Filter{Kinds: []string{"artisan", "designer"}},
				func(x registry.Entity) bool { return x.Kind == "artisan" || x.Kind == "designer" }},
			{"ward", registry.Filter{WardCodes: []string{"00070"}},
				func(x registry.Entity) bool { return x.Address.WardCode == "00070" }},
			{"founded range", registry.Filter{FoundedFrom: intp(1992), FoundedTo: intp(1994)},
				func(x registry.Entity) bool {
					return x.FoundedYear != nil && *x.FoundedYear >= 1992 && *x.FoundedYear <= 1994
				}},
			{"updated since", registry.Filter{UpdatedSince: &since},
				func(x registry.Entity) bool { return !x.UpdatedAt.Before(since) }},
			{"combined", registry.Filter{Sectors: []string{"design"}, Kinds: []string{"creative-space"}, FoundedFrom: intp(1991)},
				func(x registry.Entity) bool {
					return slices.Contains(x.Sectors, "design") && x.Kind == "creative-space" && x.FoundedYear != nil && *x.FoundedYear >= 1991
				}},
		}
		for _, c := range cases {
			var want []registry.Entity
			for _, x := range active {
				if c.match(x) {
					want = append(want, x)
				}
			}
			if len(want) == 0 {
				t.Fatalf("%s: the fixture selects nothing; the case proves nothing", c.name)
			}
			q := registry.ListQuery{Filter: c.filter, Limit: 7, Facets: registry.Facets}
			page, err := e.svc.Entities(e.ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			if page.Total != len(want) {
				t.Errorf("%s: total %d, want %d", c.name, page.Total, len(want))
			}
			got := walk(t, e, q)
			if !slices.Equal(ids(got), ids(expectedOrder(want, registry.SortName))) {
				t.Errorf("%s: got %s, want %s", c.name, fmtList(got), fmtList(want))
			}
			// Facets count the whole filtered set, not the page.
			sectorCounts, kindCounts, wardCounts := map[string]int{}, map[string]int{}, map[string]int{}
			for _, x := range want {
				for _, s := range x.Sectors {
					sectorCounts[s]++
				}
				kindCounts[x.Kind]++
				if x.Address.Ward != "" {
					wardCounts[x.Address.Ward]++
				}
			}
			for dim, wantCounts := range map[string]map[string]int{"sector": sectorCounts, "kind": kindCounts, "ward": wardCounts} {
				if fmt.Sprint(page.Facets[dim]) != fmt.Sprint(wantCounts) {
					t.Errorf("%s: facet %s = %v, want %v", c.name, dim, page.Facets[dim], wantCounts)
				}
			}
		}

		// Status: archived entities only when asked for.
		for status, want := range map[registry.StatusFilter]int{
			registry.StatusFilterActive: len(active), registry.StatusFilterArchived: 1, registry.StatusFilterAll: len(all),
		} {
			page, err := e.svc.Entities(e.ctx, registry.ListQuery{Filter: registry.Filter{Status: status}, Limit: 100})
			if err != nil || page.Total != want || len(page.Entities) != want {
				t.Errorf("status %s: total %d len %d (%v), want %d", status, page.Total, len(page.Entities), err, want)
			}
		}

		// Sector counts count active entities only.
		sectors, err := e.svc.Sectors(e.ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range sectors {
			n := 0
			for _, x := range active {
				if slices.Contains(x.Sectors, s.Slug) {
					n++
				}
			}
			if s.EntityCount != n {
				t.Errorf("sector %s: entity_count %d, want %d", s.Slug, s.EntityCount, n)
			}
		}

		// Unknown sectors and kinds are the client's error, not an empty page.
		_, err = e.svc.Entities(e.ctx, registry.ListQuery{Filter: registry.Filter{Sectors: []string{"cooking"}}, Limit: 5})
		wantCode(t, err, registry.EMALFORMED)
		_, err = e.svc.Entities(e.ctx, registry.ListQuery{Filter: registry.Filter{Kinds: []string{"robot"}}, Limit: 5})
		wantCode(t, err, registry.EMALFORMED)
	})
}

// TestPagingWhileInserting walks every page while another writer inserts
// entities all over the order: every entity that existed before the walk
// is seen exactly once, and nothing is seen twice.
func TestPagingWhileInserting(t *testing.T) {
	engines(t, func(t *testing.T, e env) {
		before := seedVaried(t, e, 60)
		for _, s := range []registry.Sort{registry.SortName, registry.SortCreatedAtDesc, registry.SortFoundedYear} {
			stop := make(chan struct{})
			var wg sync.WaitGroup
			wg.Add(1)
			go func() {
				defer wg.Done()
				rng := rand.New(rand.NewPCG(1, 2))
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					d := draft(fmt.Sprintf("%c chen %s %d", 'A'+rng.IntN(26), s, i))
					d.FoundedYear = intp(1985 + rng.IntN(15))
					if _, err := e.svc.CreateEntity(e.ctx, "t", d); err != nil {
						t.Error(err)
						return
					}
					time.Sleep(time.Millisecond)
				}
			}()
			seen := map[string]int{}
			q := registry.ListQuery{Sort: s, Limit: 5}
			for {
				page, err := e.svc.Entities(e.ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				for _, x := range page.Entities {
					seen[x.ID]++
				}
				if page.Next == nil {
					break
				}
				q.After = page.Next
				time.Sleep(2 * time.Millisecond) // let the writer interleave
			}
			close(stop)
			wg.Wait()
			for id, n := range seen {
				if n > 1 {
					t.Errorf("sort %s: %s seen %d times", s, id, n)
				}
			}
			for _, x := range before {
				if seen[x.ID] != 1 {
					t.Errorf("sort %s: %s (%s) seen %d times, want once", s, x.Name, x.ID, seen[x.ID])
				}
			}
			if len(seen) <= len(before) {
				t.Logf("sort %s: the writer's rows all fell before the cursor", s)
			}
		}
	})
}
