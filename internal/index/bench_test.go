package index_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"strconv"
	"testing"

	"github.com/hanoicreative/registry/internal/index"
	"github.com/hanoicreative/registry/internal/registry"
	"github.com/hanoicreative/registry/internal/sample"
	"github.com/hanoicreative/registry/internal/store/storetest"
)

// benchSize is the number of synthetic entities the benchmarks load:
// BENCH_ENTITIES, else 20,000.
func benchSize(b *testing.B) int {
	if v := os.Getenv("BENCH_ENTITIES"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			b.Fatalf("BENCH_ENTITIES=%q is not a positive number", v)
		}
		return n
	}
	return 20000
}

// BenchmarkListings answers the same listings from SQL and from the
// index, on each engine: the ratio of the two is the index's gain,
// measured in one run.
func BenchmarkListings(b *testing.B) {
	storetest.EnginesB(b, pg, func(b *testing.B, dsn string) {
		db, w := storetest.Open(b, dsn)
		viaDB := registry.NewService(db, w)
		ctx := context.Background()
		var rows []registry.ImportRow
		for i, d := range sample.Synthetic(w, benchSize(b), 1) {
			rows = append(rows, registry.ImportRow{Row: i, Draft: d})
		}
		if _, err := viaDB.Import(ctx, "bench", rows, false, nil); err != nil {
			b.Fatal(err)
		}
		if err := db.Analyze(ctx); err != nil {
			b.Fatal(err)
		}
		idx := index.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err := idx.Build(ctx); err != nil {
			b.Fatal(err)
		}
		viaIx := registry.NewService(idx, w)
		searches := []string{"gom", "bat trang", "lua", "khong gian", "thiet ke", "hoan kiem", "studio", "tranh dan gian", "pho co", "lang nghe"}
		// Words of the search box, paired at random as in the load
		// benchmark's cold searches, and misspelt ones (typo matches).
		coldWords := []string{"gom", "bat", "trang", "lua", "khong", "gian", "thiet", "ke", "studio", "nha", "hat", "cheo",
			"phim", "sach", "lang", "nghe", "pho", "co", "di", "san", "thoi", "trang", "gallery", "sang", "tao", "ha", "dong"}
		typos := []string{"xuongg", "thiet kee", "khongg gian", "nghee", "galery", "sangtao", "studioo", "pottry", "lacqur", "trienlam"}
		words := func(q string) []string {
			ws, err := registry.ParseSearch(q)
			if err != nil {
				b.Fatal(err)
			}
			return ws
		}
		cases := []struct {
			name  string
			query func(i int) registry.ListQuery
		}{
			{"search", func(i int) registry.ListQuery {
				return registry.ListQuery{Filter: registry.Filter{Words: words(searches[i%len(searches)])}, Limit: 20}
			}},
			{"search-facets", func(i int) registry.ListQuery {
				return registry.ListQuery{Filter: registry.Filter{Words: words(searches[i%len(searches)])}, Limit: 20, Facets: registry.Facets}
			}},
			{"search-cold", func(i int) registry.ListQuery {
				a, c := coldWords[(i*7)%len(coldWords)], coldWords[(i*13+i/len(coldWords))%len(coldWords)]
				return registry.ListQuery{Filter: registry.Filter{Words: words(a + " " + c)}, Limit: 10 + i%21}
			}},
			{"search-typo", func(i int) registry.ListQuery {
				return registry.ListQuery{Filter: registry.Filter{Words: words(typos[i%len(typos)])}, Limit: 20}
			}},
			{"sector-page", func(i int) registry.ListQuery {
				return registry.ListQuery{Filter: registry.Filter{Sectors: []string{[]string{"design", "crafts", "film"}[i%3]}}, Limit: 50}
			}},
			{"facets", func(int) registry.ListQuery { return registry.ListQuery{Limit: 1, Facets: registry.Facets} }},
		}
		for _, c := range cases {
			for _, via := range []struct {
				name string
				svc  *registry.Service
			}{{"sql", viaDB}, {"index", viaIx}} {
				b.Run(c.name+"/"+via.name, func(b *testing.B) {
					i := 0
					for b.Loop() {
						if _, err := via.svc.Entities(ctx, c.query(i)); err != nil {
							b.Fatal(err)
						}
						i++
					}
				})
			}
		}
		// A periodic comparison with the database (INDEX_RECONCILE_INTERVAL).
		b.Run("reconcile", func(b *testing.B) {
			for b.Loop() {
				if why, err := index.Reconcile(idx, ctx); err != nil || why != "" {
					b.Fatal(why, err)
				}
			}
		})
		b.Run("build", func(b *testing.B) {
			for b.Loop() {
				if err := index.New(db, slog.New(slog.NewTextHandler(io.Discard, nil))).Build(ctx); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
}
