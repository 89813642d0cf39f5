package console

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/hanoicreative/registry/internal/accounts"
	"github.com/hanoicreative/registry/internal/auth"
	"github.com/hanoicreative/registry/internal/index"
	"github.com/hanoicreative/registry/internal/registry"
	"github.com/hanoicreative/registry/internal/sample"
	"github.com/hanoicreative/registry/internal/store/storetest"
)

// flushCounter is a response that counts what reaches the client before
// the end: an export that streams flushes after every batch.
type flushCounter struct {
	*httptest.ResponseRecorder
	flushes int
	atFirst int // bytes written when first flushed
}

func (f *flushCounter) Flush() {
	if f.flushes++; f.flushes == 1 {
		f.atFirst = f.Body.Len()
	}
}

// BenchmarkExport writes the console's exports of every entity of a
// registry of 10,000 (BENCH_ENTITIES), listings from the in-memory index
// as in production, and reports the file's size and how often it was
// flushed on the way (a file held whole would be flushed never).
func BenchmarkExport(b *testing.B) {
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
		for _, file := range []struct{ name, path string }{
			{"csv", "/console/entities/export.csv?status=all"},
			{"geojson", "/console/entities/export.geojson?status=all"},
		} {
			b.Run(file.name, func(b *testing.B) {
				var out *flushCounter
				for b.Loop() {
					r := httptest.NewRequest("GET", file.path, nil)
					r.AddCookie(&http.Cookie{Name: sessionCookie, Value: token})
					out = &flushCounter{ResponseRecorder: httptest.NewRecorder()}
					c.ServeHTTP(out, r)
					if out.Code != http.StatusOK {
						b.Fatalf("%s: %d", file.path, out.Code)
					}
				}
				b.ReportMetric(float64(out.Body.Len()), "file-bytes")
				b.ReportMetric(float64(out.flushes), "flushes")
				b.ReportMetric(float64(out.atFirst), "bytes-at-first-flush")
			})
		}
	})
}
