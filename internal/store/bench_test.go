package store_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/hanoicreative/registry/internal/fold"
	"github.com/hanoicreative/registry/internal/registry"
	"github.com/hanoicreative/registry/internal/sample"
	"github.com/hanoicreative/registry/internal/store/storetest"
)

// benchSize is the data set the read benchmarks run on: BENCH_ENTITIES,
// else 5,000.
func benchSize() int {
	if n, err := strconv.Atoi(os.Getenv("BENCH_ENTITIES")); err == nil && n > 0 {
		return n
	}
	return 5000
}

// seeded opens a database on the engine with benchSize synthetic entities.
func seeded(b *testing.B, dsn string) env { return seededTB(b, dsn) }

func seededTB(b testing.TB, dsn string) env {
	b.Helper()
	db, w := storetest.Open(b, dsn)
	e := env{db: db, svc: registry.NewService(db, w), ctx: context.Background()}
	rows := make([]registry.ImportRow, 0, benchSize())
	for i, d := range sample.Synthetic(w, benchSize(), 1) {
		rows = append(rows, registry.ImportRow{Row: i, Draft: d})
	}
	if _, err := e.svc.Import(e.ctx, "bench", rows, false, nil); err != nil {
		b.Fatal(err)
	}
	return e
}

func BenchmarkCreate(b *testing.B) {
	storetest.EnginesB(b, pg, func(b *testing.B, dsn string) {
		db, w := storetest.Open(b, dsn)
		svc := registry.NewService(db, w)
		var n atomic.Int64
		b.SetParallelism(4)
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				d := draft(fmt.Sprintf("Ghi %d", n.Add(1)), "design", "crafts")
				if _, err := svc.CreateEntity(context.Background(), "bench", d); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}

func BenchmarkEntityBySlug(b *testing.B) {
	storetest.EnginesB(b, pg, func(b *testing.B, dsn string) {
		e := seeded(b, dsn)
		page, _ := e.svc.Entities(e.ctx, registry.ListQuery{Limit: 100})
		b.ResetTimer()
		i := 0
		for b.Loop() {
			if _, err := e.db.Entity(e.ctx, page.Entities[i%len(page.Entities)].Slug); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}

func BenchmarkListSectorPage(b *testing.B) {
	storetest.EnginesB(b, pg, func(b *testing.B, dsn string) {
		e := seeded(b, dsn)
		sectors := []string{"design", "crafts", "visual-arts", "performing-arts", "film", "publishing", "software-games", "cultural-tourism"}
		b.ResetTimer()
		i := 0
		for b.Loop() {
			q := registry.ListQuery{Filter: registry.Filter{Sectors: []string{sectors[i%8]}}, Limit: 50}
			if _, err := e.db.Entities(e.ctx, q); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}

func BenchmarkSearch(b *testing.B) {
	storetest.EnginesB(b, pg, func(b *testing.B, dsn string) {
		e := seeded(b, dsn)
		queries := []string{"gom", "bat trang", "lua", "khong gian", "thiet ke", "hoan kiem", "studio", "tranh dan gian"}
		b.ResetTimer()
		i := 0
		for b.Loop() {
			q := registry.ListQuery{Filter: registry.Filter{Words: fold.Words(queries[i%len(queries)])}, Limit: 20}
			if _, err := e.db.Entities(e.ctx, q); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}

func BenchmarkFacets(b *testing.B) {
	storetest.EnginesB(b, pg, func(b *testing.B, dsn string) {
		e := seeded(b, dsn)
		b.ResetTimer()
		for b.Loop() {
			if _, err := e.db.Entities(e.ctx, registry.ListQuery{Limit: 1, Facets: registry.Facets}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
