package api_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hanoicreative/registry/api"
	"github.com/hanoicreative/registry/docs"
	"github.com/hanoicreative/registry/internal/auth"
	"github.com/hanoicreative/registry/internal/registry"
	"github.com/hanoicreative/registry/internal/sample"
	"github.com/hanoicreative/registry/internal/store"
	"github.com/hanoicreative/registry/internal/store/storetest"
)

// benchEntities is the size of the benchmark data set (BENCH_ENTITIES,
// default 100,000).
func benchEntities() int {
	if n, err := strconv.Atoi(os.Getenv("BENCH_ENTITIES")); err == nil && n > 0 {
		return n
	}
	return 100_000
}

// seededServer opens PostgreSQL (else SQLite), loads n synthetic entities
// and serves the API over it.
func seededServer(b *testing.B, n int) http.Handler {
	b.Helper()
	dsn := "sqlite:" + filepath.Join(b.TempDir(), "bench.db")
	if pg != nil {
		dsn = pg.NewDatabase(b)
	}
	db, w := storetest.Open(b, dsn)
	svc := registry.NewService(db, w)
	ctx := context.Background()
	var rows []registry.ImportRow
	start := time.Now()
	err := sample.SyntheticEach(w, n, 1, func(i int, d registry.EntityDraft) error {
		rows = append(rows, registry.ImportRow{Row: i, Draft: d})
		if len(rows) == 2000 || i == n-1 {
			if _, err := svc.Import(ctx, "bench", rows, false, nil); err != nil {
				return err
			}
			rows = rows[:0]
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("seeded %d entities on %s in %s", n, db.Engine(), time.Since(start).Round(time.Second))
	return api.New(api.Deps{Registry: svc, Auth: auth.NewService(db), Idempotency: db},
		slog.New(slog.NewTextHandler(io.Discard, nil)), api.Config{OpenAPI: docs.OpenAPI3})
}

var _ = store.Postgres

// BenchmarkExportCSV measures a full CSV export: its size, and the peak
// of the live heap while it streams, which must stay far below the size of
// the export (the export is never held in memory).
func BenchmarkExportCSV(b *testing.B) {
	n := benchEntities()
	h := seededServer(b, n)
	runtime.GC()
	base := heapLive()
	b.ResetTimer()
	for b.Loop() {
		var peak atomic.Uint64
		stop := make(chan struct{})
		done := make(chan struct{})
		go func() {
			defer close(done)
			for {
				if v := heapLive(); v > peak.Load() {
					peak.Store(v)
				}
				select {
				case <-stop:
					return
				case <-time.After(2 * time.Millisecond):
				}
			}
		}()
		req := httptest.NewRequest("GET", "/v1/entities?format=csv", nil)
		rec := &countingWriter{header: http.Header{}}
		h.ServeHTTP(rec, req)
		close(stop)
		<-done
		if rec.status != http.StatusOK {
			b.Fatalf("status %d", rec.status)
		}
		b.ReportMetric(float64(rec.bytes)/(1<<20), "export-MiB")
		b.ReportMetric(float64(peak.Load()-min(base, peak.Load()))/(1<<20), "peak-heap-MiB")
		b.ReportMetric(float64(peak.Load()-min(base, peak.Load()))/float64(rec.bytes), "peak/export")
		b.ReportMetric(float64(rec.rows), "rows")
	}
}

// heapLive is the bytes of live and not yet swept heap objects.
func heapLive() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// countingWriter counts what an answer writes without keeping it.
type countingWriter struct {
	header http.Header
	status int
	bytes  int64
	rows   int64
}

func (w *countingWriter) Header() http.Header { return w.header }
func (w *countingWriter) WriteHeader(s int)   { w.status = s }
func (w *countingWriter) Flush()              {}
func (w *countingWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	w.bytes += int64(len(p))
	for _, c := range p {
		if c == '\n' {
			w.rows++
		}
	}
	return len(p), nil
}
