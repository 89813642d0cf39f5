package api_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/hanoicreative/registry/api"
	"github.com/hanoicreative/registry/docs"
	"github.com/hanoicreative/registry/internal/auth"
	"github.com/hanoicreative/registry/internal/index"
	"github.com/hanoicreative/registry/internal/registry"
	"github.com/hanoicreative/registry/internal/sample"
	"github.com/hanoicreative/registry/internal/store/storetest"
)

// benchHandler serves 2,000 (or BENCH_ENTITIES if fewer) synthetic entities on the engine, with the
// cache as configured, and the slugs of some of them.
func benchHandler(b *testing.B, dsn string, cacheBytes uint64) (http.Handler, []string) {
	b.Helper()
	db, w := storetest.Open(b, dsn)
	svc := registry.NewService(db, w)
	var rows []registry.ImportRow
	for i, d := range sample.Synthetic(w, min(benchEntities(), 2000), 1) {
		rows = append(rows, registry.ImportRow{Row: i, Draft: d})
	}
	if _, err := svc.Import(context.Background(), "bench", rows, false, nil); err != nil {
		b.Fatal(err)
	}
	listings := index.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err := listings.Build(context.Background()); err != nil {
		b.Fatal(err)
	}
	svc = registry.NewService(listings, w)
	page, _ := svc.Entities(context.Background(), registry.ListQuery{Limit: 100})
	slugs := make([]string, len(page.Entities))
	for i, e := range page.Entities {
		slugs[i] = e.Slug
	}
	h := api.New(api.Deps{Registry: svc, Auth: auth.NewService(db), Idempotency: db},
		slog.New(slog.NewTextHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelWarn})),
		api.Config{OpenAPI: docs.OpenAPI3, CacheBytes: cacheBytes, BenchCeiling: true})
	return h, slugs
}

func serveBench(b *testing.B, h http.Handler, paths []string) {
	b.Helper()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", paths[i%len(paths)], nil))
		if rec.Code != http.StatusOK {
			b.Fatalf("%s: %d %s", paths[i%len(paths)], rec.Code, rec.Body)
		}
		i++
	}
}

// BenchmarkHTTP compares, on each engine, the ceiling (a fixed 50-entity
// page encoded per request), a sector's first page, an entity and
// searches, with the cache off and on (listings from the index, as in
// production).
func BenchmarkHTTP(b *testing.B) {
	storetest.EnginesB(b, pg, func(b *testing.B, dsn string) {
		for _, cache := range []struct {
			name  string
			bytes uint64
		}{{"nocache", 0}, {"cache", 16 << 20}} {
			h, slugs := benchHandler(b, dsn, cache.bytes)
			entityPaths := make([]string, len(slugs))
			for i, s := range slugs {
				entityPaths[i] = "/v1/entities/" + s
			}
			b.Run(cache.name+"/ceiling", func(b *testing.B) { serveBench(b, h, []string{"/bench/ceiling"}) })
			b.Run(cache.name+"/list", func(b *testing.B) {
				serveBench(b, h, []string{"/v1/entities?sector=design&limit=50", "/v1/entities?sector=crafts&limit=50", "/v1/entities?sector=film&limit=50"})
			})
			b.Run(cache.name+"/entity", func(b *testing.B) { serveBench(b, h, entityPaths) })
			b.Run(cache.name+"/search", func(b *testing.B) {
				serveBench(b, h, []string{"/v1/entities?q=gom", "/v1/entities?q=khong+gian", "/v1/entities?q=lang+nghe&facets=sector,kind,ward"})
			})
		}
	})
}
