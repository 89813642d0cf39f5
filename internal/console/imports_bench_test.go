package console

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hanoicreative/registry/internal/accounts"
	"github.com/hanoicreative/registry/internal/auth"
	"github.com/hanoicreative/registry/internal/registry"
	"github.com/hanoicreative/registry/internal/sample"
	"github.com/hanoicreative/registry/internal/store/storetest"
)

// BenchmarkImportPreview uploads a CSV of 1,000 rows (half updates of
// stored entities, half new) to the import page over a registry of
// 10,000 entities (BENCH_ENTITIES), and reports the 95th percentile of
// the preview: reading the file, the dry run and the page.
func BenchmarkImportPreview(b *testing.B) {
	storetest.EnginesB(b, pg, func(b *testing.B, dsn string) {
		db, w := storetest.Open(b, dsn)
		ctx := context.Background()
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		n := benchEntities()
		drafts := sample.Synthetic(w, n+500, 1)
		var rows []registry.ImportRow
		for i, d := range drafts[:n] {
			rows = append(rows, registry.ImportRow{Row: i, Draft: d})
		}
		svc := registry.NewService(db, w)
		if _, err := svc.Import(ctx, "bench", rows, false, nil); err != nil {
			b.Fatal(err)
		}
		var file bytes.Buffer
		cw := csv.NewWriter(&file)
		cw.Write([]string{"name", "kind", "sectors", "ward", "description"})
		for _, d := range drafts[n-min(n, 500):] { // 500 stored, 500 new
			cw.Write([]string{d.Name, d.Kind, strings.Join(d.Sectors, ";"), d.Ward, d.Description + " (sửa)"})
		}
		cw.Flush()
		accts := accounts.NewService(db, accounts.Options{Logger: log, Hashing: testHashing})
		if _, err := accts.Create(ctx, accounts.NewAccount{Email: editorEmail, Name: "Lan", Role: auth.Editor, Password: password}); err != nil {
			b.Fatal(err)
		}
		_, token, err := accts.SignIn(ctx, editorEmail, password, "bench")
		if err != nil {
			b.Fatal(err)
		}
		c, err := New(Deps{Registry: svc, Accounts: accts}, log, Config{})
		if err != nil {
			b.Fatal(err)
		}
		csrf := (&staff{token: token}).csrfToken()
		times := make([]time.Duration, 0, b.N)
		for b.Loop() {
			var body bytes.Buffer
			mw := multipart.NewWriter(&body)
			mw.WriteField("csrf", csrf)
			fw, _ := mw.CreateFormFile("file", "ho-so.csv")
			fw.Write(file.Bytes())
			mw.Close()
			r := httptest.NewRequest("POST", "/console/imports", &body)
			r.Header.Set("Content-Type", mw.FormDataContentType())
			r.AddCookie(&http.Cookie{Name: sessionCookie, Value: token})
			rec := httptest.NewRecorder()
			start := time.Now()
			c.ServeHTTP(rec, r)
			times = append(times, time.Since(start))
			if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `name="import"`) {
				b.Fatalf("%d: %.2000s", rec.Code, rec.Body.String())
			}
		}
		slices.Sort(times)
		b.ReportMetric(float64(times[len(times)*95/100].Microseconds())/1000, "p95-ms")
		b.ReportMetric(float64(file.Len()), "file-bytes")
	})
}
