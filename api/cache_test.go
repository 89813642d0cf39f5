package api_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"sync"
	"testing"

	"github.com/hanoicreative/registry/api"
	"github.com/hanoicreative/registry/docs"
	"github.com/hanoicreative/registry/internal/store/storetest"
)

// TestTwoInstancesNeverServeStale: two servers (two caches) over one
// database; a write through one is seen by the next read through the
// other, for entities, listings, sectors and stats alike.
func TestTwoInstancesNeverServeStale(t *testing.T) {
	storetest.Engines(t, pg, func(t *testing.T, dsn string) {
		cfg := api.Config{OpenAPI: docs.OpenAPI3, CacheBytes: 4 << 20}
		dbA, _ := storetest.Open(t, dsn)
		dbB, _ := storetest.Open(t, dsn)
		a, b := serve(t, dbA, cfg), serve(t, dbB, cfg)
		e := a.create(valid("Hai Máy"))
		for i := 1; i <= 20; i++ {
			// Warm B's cache, then write through A.
			b.do("GET", "/v1/entities/"+e.Slug, nil).want(200)
			b.do("GET", "/v1/entities?q=hai", nil).want(200)
			b.do("GET", "/v1/stats?group_by=sector", nil).want(200)
			desc := fmt.Sprintf("lần %d", i)
			a.do("PATCH", "/v1/entities/"+e.ID, fmt.Sprintf(`{"description":%q}`, desc), "If-Match", fmt.Sprintf(`"%d"`, i)).want(200)
			got := b.do("GET", "/v1/entities/"+e.Slug, nil).want(200).entity()
			if got.Version != i+1 || *got.Description != desc {
				t.Fatalf("B served version %d (%v) after A wrote %d", got.Version, got.Description, i+1)
			}
			var list api.EntityList
			b.do("GET", "/v1/entities?q=hai", nil).want(200).decode(&list)
			if list.Data[0].Version != i+1 {
				t.Fatalf("B listed version %d after A wrote %d", list.Data[0].Version, i+1)
			}
			b.do("GET", "/v1/entities/"+e.Slug, nil, "If-None-Match", fmt.Sprintf(`"%d"`, i)).want(200)
			b.do("GET", "/v1/entities/"+e.Slug, nil, "If-None-Match", fmt.Sprintf(`"%d"`, i+1)).want(http.StatusNotModified)
		}
		// A new sector through A shows in B's cached sector list and stats.
		b.do("GET", "/v1/sectors", nil).want(200)
		a.do("POST", "/v1/sectors", `{"slug":"fashion","name":"Thời trang","name_en":"Fashion"}`, "Authorization", "Bearer "+a.admin).want(201)
		var sectors api.SectorList
		b.do("GET", "/v1/sectors", nil).want(200).decode(&sectors)
		if len(sectors.Data) != 9 {
			t.Fatalf("B lists %d sectors after A added one", len(sectors.Data))
		}
		body := valid("Áo Dài")
		body["sectors"] = []string{"fashion"}
		a.create(body)
		var stats struct{ Data []map[string]any }
		b.do("GET", "/v1/stats?group_by=sector", nil).want(200).decode(&stats)
		found := false
		for _, r := range stats.Data {
			found = found || r["sector"] == "fashion"
		}
		if !found {
			t.Fatalf("B's stats miss A's new entity: %v", stats.Data)
		}
	})
}

// TestCacheUnderConcurrentWrites: readers hammer one entity while a
// writer changes it; a reader never sees a version older than one whose
// write had been acknowledged before the read began.
func TestCacheUnderConcurrentWrites(t *testing.T) {
	engines(t, func(t *testing.T, c *client) {
		e := c.create(valid("Nóng"))
		var mu sync.Mutex
		acked := 1 // the highest version acknowledged so far
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for range 6 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					select {
					case <-stop:
						return
					default:
					}
					mu.Lock()
					floor := acked
					mu.Unlock()
					got := c.do("GET", "/v1/entities/"+e.ID, nil).want(200).entity()
					if got.Version < floor {
						t.Errorf("read version %d after version %d was acknowledged", got.Version, floor)
						return
					}
				}
			}()
		}
		for v := 1; v <= 30; v++ {
			c.do("PATCH", "/v1/entities/"+e.ID, fmt.Sprintf(`{"founded_year":%d}`, 1990+v), "If-Match", fmt.Sprintf(`"%d"`, v)).want(200)
			mu.Lock()
			acked = v + 1
			mu.Unlock()
		}
		close(stop)
		wg.Wait()
	})
}

// TestCachedAnswersAreTheComputedOnes: an answer is kept once asked for
// twice, and comes back from the cache (kept compressed) byte for byte as
// a server without a cache computes it, headers included, for pages large
// and small.
func TestCachedAnswersAreTheComputedOnes(t *testing.T) {
	storetest.Engines(t, pg, func(t *testing.T, dsn string) {
		db, _ := storetest.Open(t, dsn)
		cached := serve(t, db, api.Config{OpenAPI: docs.OpenAPI3, CacheBytes: 4 << 20})
		plain := serve(t, db, api.Config{OpenAPI: docs.OpenAPI3})
		var slug string
		for i := range 40 {
			slug = cached.create(valid(fmt.Sprintf("Xưởng Gốm Số %d", i))).Slug
		}
		for _, path := range []string{"/v1/entities?limit=100", "/v1/entities?q=gom&limit=5", "/v1/entities/" + slug,
			"/v1/entities?facets=sector,kind,ward&limit=1", "/v1/sectors"} {
			before := cached.cacheAnswers()
			cached.do("GET", path, nil).want(200) // computed: asked once so far
			if got := cached.cacheAnswers().minus(before); got != (cacheAnswers{passed: 1}) {
				t.Fatalf("GET %s asked once: %+v, want it computed and not kept", path, got)
			}
			cached.do("GET", path, nil).want(200) // asked twice: computed, and kept
			hit := cached.do("GET", path, nil).want(200)
			if got := cached.cacheAnswers().minus(before); got != (cacheAnswers{passed: 1, kept: 1, hits: 1}) {
				t.Fatalf("GET %s asked three times: %+v, want computed, kept, then served from the cache", path, got)
			}
			want := plain.do("GET", path, nil).want(200)
			if string(hit.body) != string(want.body) {
				t.Fatalf("GET %s from the cache:\n%s\nwant\n%s", path, hit.body, want.body)
			}
			for _, h := range []string{"Content-Type", "ETag", "Link"} {
				if hit.header.Get(h) != want.header.Get(h) {
					t.Errorf("GET %s from the cache: %s %q, want %q", path, h, hit.header.Get(h), want.header.Get(h))
				}
			}
		}
	})
}

// cacheAnswers are the response cache's answers by outcome, as the metrics
// count them.
type cacheAnswers struct{ hits, kept, passed int }

func (a cacheAnswers) minus(b cacheAnswers) cacheAnswers {
	return cacheAnswers{a.hits - b.hits, a.kept - b.kept, a.passed - b.passed}
}

func (c *client) cacheAnswers() cacheAnswers {
	c.t.Helper()
	metrics := c.scrape()
	count := func(outcome string) int {
		m := regexp.MustCompile(`(?m)^registry_response_cache_answers_total\{outcome="` + outcome + `"\} (\d+)$`).FindStringSubmatch(metrics)
		if m == nil {
			c.t.Fatalf("no registry_response_cache_answers_total{outcome=%q} in the metrics", outcome)
		}
		n, _ := strconv.Atoi(m[1])
		return n
	}
	return cacheAnswers{hits: count("hit"), kept: count("kept"), passed: count("passed")}
}
