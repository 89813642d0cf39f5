package api_test

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hanoicreative/registry/api"
	"github.com/hanoicreative/registry/docs"
	"github.com/hanoicreative/registry/internal/store/storetest"
)

// bothEngines starts the real router over a fresh database of each engine
// at once, both loaded with the relevance data set, so that their answers
// can be compared request by request. Without PostgreSQL the test is
// skipped, as engines does.
func bothEngines(t *testing.T) (sqlite, postgres *client) {
	t.Helper()
	cfg := api.Config{OpenAPI: docs.OpenAPI3, Version: "test", CacheBytes: 8 << 20}
	dsn := pg.NewDatabase(t)
	pgDB, _ := storetest.Open(t, dsn)
	liteDB, _ := storetest.Open(t, "sqlite:"+filepath.Join(t.TempDir(), "registry.db"))
	sqlite, postgres = serve(t, liteDB, cfg), serve(t, pgDB, cfg)
	loadRelevanceData(t, sqlite)
	loadRelevanceData(t, postgres)
	return sqlite, postgres
}

// listFilter is a combination of the listing's filters and what it keeps.
type listFilter struct {
	params string
	keep   func(e api.Entity) bool
	// editor: the filter needs an editor's key (status=archived|all).
	editor bool
}

func active(e api.Entity) bool { return e.Status == "active" }

func hasSector(e api.Entity, sectors ...string) bool {
	return slices.ContainsFunc(sectors, func(s string) bool { return slices.Contains(e.Sectors, s) })
}

func foundedIn(e api.Entity, from, to int) bool {
	return e.FoundedYear != nil && from <= *e.FoundedYear && *e.FoundedYear <= to
}

func inWard(e api.Entity, ward string) bool { return e.Address.Ward != nil && *e.Address.Ward == ward }

var listFilters = []listFilter{
	{params: "", keep: active},
	{params: "sector=crafts", keep: func(e api.Entity) bool { return active(e) && hasSector(e, "crafts") }},
	{params: "sector=crafts,design", keep: func(e api.Entity) bool { return active(e) && hasSector(e, "crafts", "design") }},
	{params: "sector=crafts&sector=design&match=all", keep: func(e api.Entity) bool {
		return active(e) && hasSector(e, "crafts") && hasSector(e, "design")
	}},
	{params: "kind=artisan&kind=business", keep: func(e api.Entity) bool { return active(e) && (e.Kind == "artisan" || e.Kind == "business") }},
	{params: "ward=hoan+kiem", keep: func(e api.Entity) bool { return active(e) && inWard(e, "Hoàn Kiếm") }},
	{params: "ward=" + url.QueryEscape("Bát Tràng") + "&sector=crafts", keep: func(e api.Entity) bool {
		return active(e) && inWard(e, "Bát Tràng") && hasSector(e, "crafts")
	}},
	{params: "founded_from=1950&founded_to=2010", keep: func(e api.Entity) bool { return active(e) && foundedIn(e, 1950, 2010) }},
	{params: "sector=visual-arts,performing-arts&kind=organization&founded_from=1990", keep: func(e api.Entity) bool {
		return active(e) && hasSector(e, "visual-arts", "performing-arts") && e.Kind == "organization" && foundedIn(e, 1990, 9999)
	}},
	{params: "status=archived", editor: true, keep: func(e api.Entity) bool { return e.Status == "archived" }},
	{params: "status=all&sector=film,publishing", editor: true, keep: func(e api.Entity) bool { return hasSector(e, "film", "publishing") }},
	{params: "sort=-founded_year", keep: active},
	{params: "sort=name&kind=organization", keep: func(e api.Entity) bool { return active(e) && e.Kind == "organization" }},
}

// consistencyQueries are searched under every filter; "" lists without q.
var consistencyQueries = []string{"", "gom", "ha noi", "lụa", "trang", "thang long", "heritge", "studio", "art", "dong da", "viet nam", "ca phe", "hòa lạc", "nhà hát"}

// TestSearchSameOnBothEngines checks, for every query and filter
// combination: both engines return the same entities in the same order;
// walking the pages of any size gives the sequence of one big page, each
// entity once; total and facets count exactly the matching set; and the
// set is the one the filters and API.md's matching rule describe.
func TestSearchSameOnBothEngines(t *testing.T) {
	lite, postgres := bothEngines(t)
	universe := lite.walk("status=all", 100, "Authorization", "Bearer "+lite.editor).entities
	for _, q := range consistencyQueries {
		for _, f := range listFilters {
			params := f.params
			if q != "" {
				params = strings.TrimPrefix(params+"&q="+url.QueryEscape(q), "&")
			}
			var results [2][]string
			for i, c := range []*client{lite, postgres} {
				var headers []string
				if f.editor {
					headers = []string{"Authorization", "Bearer " + c.editor}
				}
				name := fmt.Sprintf("%s engine %d", params, i)
				big := c.walk(params+"&facets=sector,kind,ward", 100, headers...)
				results[i] = slugsOf(big.entities)
				checkWholeSet(t, name, big, f, q, universe)
				c.checkExportAndStats(name, params, big, headers...)
				for _, limit := range []int{3, 7} {
					paged := c.walk(params+"&facets=sector,kind,ward", limit, headers...)
					if got := slugsOf(paged.entities); !slices.Equal(got, results[i]) {
						t.Errorf("%s: pages of %d give %s, one page %s", name, limit, shortList(got, 12), shortList(results[i], 12))
					}
					if paged.total != big.total || !equalFacets(paged.facets, big.facets) {
						t.Errorf("%s: pages of %d count total %d, facets %v; one page %d, %v", name, limit, paged.total, paged.facets, big.total, big.facets)
					}
				}
			}
			if !slices.Equal(results[0], results[1]) {
				t.Errorf("?%s: SQLite returns %s, PostgreSQL %s", params, shortList(results[0], 12), shortList(results[1], 12))
			}
		}
	}
}

// checkWholeSet checks one walked listing: no entity twice, each kept by
// the filter, and none missing that the filter and q's matching rule
// require; total and facets count exactly the entities; an explicit sort
// orders them.
func checkWholeSet(t *testing.T, name string, w walked, f listFilter, q string, universe []api.Entity) {
	t.Helper()
	seen := map[string]bool{}
	var unmatched []string
	for _, e := range w.entities {
		if seen[e.Slug] {
			t.Errorf("%s: %s twice", name, e.Slug)
		}
		seen[e.Slug] = true
		if !f.keep(e) {
			t.Errorf("%s: %s does not pass the filters", name, e.Slug)
		}
		if q != "" && classify(q, e) == noMatch {
			unmatched = append(unmatched, e.Slug)
		}
	}
	if len(unmatched) > 0 {
		t.Errorf("%s: %d entities found that API.md's matching rule does not match: %s", name, len(unmatched), shortList(unmatched, 8))
	}
	var missing []string
	for _, e := range universe {
		if !f.keep(e) || seen[e.Slug] {
			continue
		}
		if c := classify(q, e); q == "" || c == exactMatch || c == typoMatch {
			missing = append(missing, e.Slug)
		}
	}
	if len(missing) > 0 {
		t.Errorf("%s: %d entities missing that the filters and API.md's matching rule keep (typo matches included): %s", name, len(missing), shortList(missing, 8))
	}
	if w.total != len(w.entities) {
		t.Errorf("%s: total %d, %d entities", name, w.total, len(w.entities))
	}
	if want := countFacets(w.entities); !equalFacets(w.facets, want) {
		t.Errorf("%s: facets %v, counted %v", name, w.facets, want)
	}
	switch {
	case strings.Contains(f.params, "sort=-founded_year"):
		if !slices.IsSortedFunc(w.entities, func(a, b api.Entity) int {
			return cmp.Or(cmpFoundedDesc(a, b), cmp.Compare(a.ID, b.ID))
		}) {
			t.Errorf("%s: not in -founded_year order: %s", name, shortList(slugsOf(w.entities), 12))
		}
	case strings.Contains(f.params, "sort=name"):
		if !slices.IsSortedFunc(w.entities, func(a, b api.Entity) int {
			return cmp.Or(cmp.Compare(foldForTest(a.Name), foldForTest(b.Name)), cmp.Compare(a.ID, b.ID))
		}) {
			t.Errorf("%s: not in name order: %s", name, shortList(slugsOf(w.entities), 12))
		}
	}
}

// checkExportAndStats checks that the CSV export holds the listing's
// entities, and that stats by kind count them as the facets do: the same
// q and filters select the same set whichever way it is read.
func (c *client) checkExportAndStats(name, params string, big walked, headers ...string) {
	c.t.Helper()
	res := c.do("GET", "/v1/entities?format=csv&"+params, nil, headers...).want(http.StatusOK)
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(res.body, []byte("\uFEFF")))).ReadAll()
	if err != nil || len(rows) == 0 || len(rows[0]) < 2 || rows[0][1] != "slug" {
		c.t.Fatalf("%s: CSV export %v: %.200s", name, err, res.body)
	}
	var exported []string
	for _, row := range rows[1:] {
		exported = append(exported, row[1])
	}
	listed := slugsOf(big.entities)
	slices.Sort(exported)
	slices.Sort(listed)
	if !slices.Equal(exported, listed) {
		c.t.Errorf("%s: the CSV export holds %d entities %s, the listing %d", name, len(exported), shortList(exported, 8), len(listed))
	}
	if strings.Contains(params, "sort=") {
		return // stats take the filters, not a sort
	}
	var stats struct{ Data []map[string]any }
	c.do("GET", "/v1/stats?group_by=kind&"+params, nil, headers...).want(http.StatusOK).decode(&stats)
	byKind := map[string]map[string]int{"kind": {}}
	for _, row := range stats.Data {
		kind, _ := row["kind"].(string)
		n, _ := row["count"].(float64)
		byKind["kind"][kind] = int(n)
	}
	if !equalFacets(byKind, map[string]map[string]int{"kind": big.facets["kind"]}) {
		c.t.Errorf("%s: stats by kind %v, facets %v", name, byKind["kind"], big.facets["kind"])
	}
}

// cmpFoundedDesc orders by founded_year, latest first, entities without
// one last.
func cmpFoundedDesc(a, b api.Entity) int {
	switch {
	case a.FoundedYear == nil && b.FoundedYear == nil:
		return 0
	case a.FoundedYear == nil:
		return 1
	case b.FoundedYear == nil:
		return -1
	}
	return cmp.Compare(*b.FoundedYear, *a.FoundedYear)
}

// countFacets counts entities by sector, kind and ward, as facets do.
func countFacets(entities []api.Entity) map[string]map[string]int {
	out := map[string]map[string]int{"sector": {}, "kind": {}, "ward": {}}
	for _, e := range entities {
		for _, s := range e.Sectors {
			out["sector"][s]++
		}
		out["kind"][e.Kind]++
		if e.Address.Ward != nil {
			out["ward"][*e.Address.Ward]++
		}
	}
	return out
}

// equalFacets compares facets, a missing value counting as zero.
func equalFacets(a, b map[string]map[string]int) bool {
	for _, dim := range []string{"sector", "kind", "ward"} {
		for k, n := range a[dim] {
			if b[dim][k] != n {
				return false
			}
		}
		for k, n := range b[dim] {
			if a[dim][k] != n {
				return false
			}
		}
	}
	return true
}

// TestSearchCursorAcrossWrites walks a search's pages while entities are
// created and changed between them: no entity comes twice, none of those
// there all along is skipped, and one created after the cursor's place is
// found once.
func TestSearchCursorAcrossWrites(t *testing.T) {
	engines(t, func(t *testing.T, c *client) {
		loadRelevanceData(t, c)
		for i, params := range []string{"q=gom", "q=" + url.QueryEscape("nhà hát"), "sector=crafts"} {
			before := slugsOf(c.walk(params, 100).entities)
			// Ranks after every name holding the words, so after the
			// cursor of the second page.
			late := fmt.Sprintf("late-%d", i)
			var got []string
			cursor := ""
			for page := 0; ; page++ {
				path := "/v1/entities?limit=3&" + params
				if cursor != "" {
					path += "&cursor=" + url.QueryEscape(cursor)
				}
				var l api.EntityList
				c.do("GET", path, nil).want(http.StatusOK).decode(&l)
				got = append(got, slugsOf(l.Data)...)
				if page == 1 {
					c.writeBetweenPages(fmt.Sprintf("early-%d", i), "Gốm Nhà Hát Ánh Dương", late, before[len(got)])
				}
				if l.Page.NextCursor == nil {
					break
				}
				cursor = *l.Page.NextCursor
			}
			seen := map[string]int{}
			for _, s := range got {
				seen[s]++
				if seen[s] == 2 {
					t.Errorf("?%s: %s twice across pages", params, s)
				}
			}
			for _, s := range before {
				if seen[s] == 0 {
					t.Errorf("?%s: %s, there all along, skipped", params, s)
				}
			}
			if seen[late] != 1 {
				t.Errorf("?%s: %s, created after the cursor's place, found %d times", params, late, seen[late])
			}
			// Out of the next walk's way.
			for _, s := range []string{fmt.Sprintf("early-%d", i), late} {
				c.do("DELETE", "/v1/entities/"+s, nil, "If-Match", `"1"`).want(http.StatusNoContent)
			}
		}
	})
}

// writeBetweenPages creates an entity that ranks among the first of the
// walks (slug early, before the cursor: it may or may not be seen), one
// that ranks after the names of every walk (slug late), and changes the
// founded year of one not yet seen (slug next) without moving it.
func (c *client) writeBetweenPages(early, earlyName, late, next string) {
	c.t.Helper()
	e := valid(earlyName)
	e["slug"], e["sectors"] = early, []string{"crafts"}
	c.create(e)
	l := valid("Xưởng Gốm Nhà Hát Zen")
	l["slug"], l["sectors"] = late, []string{"crafts"}
	c.create(l)
	etag := c.do("GET", "/v1/entities/"+next, nil).want(http.StatusOK).header.Get("ETag")
	c.do("PATCH", "/v1/entities/"+next, map[string]any{"founded_year": 2001}, "If-Match", etag).want(http.StatusOK)
}
