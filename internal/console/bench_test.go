package console

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/hanoicreative/registry/internal/accounts"
	"github.com/hanoicreative/registry/internal/auth"
	"github.com/hanoicreative/registry/internal/index"
	"github.com/hanoicreative/registry/internal/registry"
	"github.com/hanoicreative/registry/internal/sample"
	"github.com/hanoicreative/registry/internal/store/storetest"
)

// benchEntities is the registry's size in the benchmark: the contract's
// 10,000 unless BENCH_ENTITIES says otherwise (make bench-smoke's 300).
func benchEntities() int {
	if n, err := strconv.Atoi(os.Getenv("BENCH_ENTITIES")); err == nil && n > 0 {
		return n
	}
	return 10_000
}

// BenchmarkPages renders console pages over 10,000 entities, listings from
// the in-memory index as in production, through the console's handler
// with a signed-in session, and reports the 95th percentile (the target
// is 50 ms a page).
func BenchmarkPages(b *testing.B) {
	storetest.EnginesB(b, pg, func(b *testing.B, dsn string) {
		db, w := storetest.Open(b, dsn)
		ctx := context.Background()
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		var rows []registry.ImportRow
		for i, d := range sample.Synthetic(w, benchEntities(), 1) {
			rows = append(rows, registry.ImportRow{Row: i, Draft: d})
		}
		if _, err := registry.NewService(db, w).Import(ctx, "bench", rows, false, nil); err != nil {
			b.Fatal(err)
		}
		listings := index.New(db, log)
		if err := listings.Build(ctx); err != nil {
			b.Fatal(err)
		}
		accts := accounts.NewService(db, accounts.Options{Logger: log, Hashing: testHashing})
		if _, err := accts.Create(ctx, accounts.NewAccount{Email: editorEmail, Name: "Lan", Role: auth.Editor, Password: password}); err != nil {
			b.Fatal(err)
		}
		_, token, err := accts.SignIn(ctx, editorEmail, password, "bench")
		if err != nil {
			b.Fatal(err)
		}
		c, err := New(Deps{Registry: registry.NewService(listings, w), Accounts: accts}, log, Config{})
		if err != nil {
			b.Fatal(err)
		}
		some, err := c.svc.Entities(ctx, registry.ListQuery{Limit: 1})
		if err != nil || len(some.Entities) == 0 {
			b.Fatal("no entity to edit", err)
		}
		for _, page := range []struct{ name, path string }{
			{"list", "/console/entities"},
			{"list-search", "/console/entities?q=g%E1%BB%91m+h%C3%A0+n%E1%BB%99i"},
			{"list-filtered", "/console/entities?sector=design&sector=crafts&match=any&kind=artisan&sort=-updated_at"},
			{"overview", "/console/"},
			{"form-new", "/console/entities/new"},
			{"form-edit", "/console/entities/" + some.Entities[0].Slug + "/edit"},
			{"record-history", "/console/entities/" + some.Entities[0].Slug},
			{"past-version", "/console/entities/" + some.Entities[0].Slug + "/versions/1"},
			{"restore-confirm", "/console/entities/" + some.Entities[0].Slug + "/versions/1/restore"},
		} {
			b.Run(page.name, func(b *testing.B) {
				times, size := make([]time.Duration, 0, b.N), 0
				for b.Loop() {
					r := httptest.NewRequest("GET", page.path, nil)
					r.AddCookie(&http.Cookie{Name: sessionCookie, Value: token})
					w := httptest.NewRecorder()
					start := time.Now()
					c.ServeHTTP(w, r)
					times = append(times, time.Since(start))
					if w.Code != http.StatusOK {
						b.Fatalf("%s: %d", page.path, w.Code)
					}
					size = w.Body.Len()
				}
				slices.Sort(times)
				b.ReportMetric(float64(times[len(times)*95/100].Microseconds())/1000, "p95-ms")
				b.ReportMetric(float64(size), "html-bytes")
			})
		}
	})
}
