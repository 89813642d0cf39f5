package api_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hanoicreative/registry/api"
	"github.com/hanoicreative/registry/docs"
	"github.com/hanoicreative/registry/internal/auth"
	"github.com/hanoicreative/registry/internal/index"
	"github.com/hanoicreative/registry/internal/registry"
	"github.com/hanoicreative/registry/internal/store/storetest"
)

// TestIndexRepairsDriftBehindTheFeedsBack: a row changed by hand in SQL
// (the change feed knows nothing of it) is found by the index's periodic
// comparison with the database; the index is rebuilt in the background,
// the metrics count the drift and the rebuild, /readyz is ready again and
// listings show the row as the database has it.
func TestIndexRepairsDriftBehindTheFeedsBack(t *testing.T) {
	storetest.Engines(t, pg, func(t *testing.T, dsn string) {
		db, w := storetest.Open(t, dsn)
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		listings := index.NewWith(db, log, index.Options{ReconcileInterval: 50 * time.Millisecond})
		ctx, cancel := context.WithCancel(context.Background())
		t.Cleanup(cancel)
		listings.Start(ctx)
		keys := auth.NewService(db)
		h := api.New(api.Deps{Registry: registry.NewService(listings, w), Auth: keys, Idempotency: db,
			SQLDB: db.SQLDB(), Replication: db, Index: listings}, log, api.Config{OpenAPI: docs.OpenAPI3, CacheBytes: 4 << 20})
		srv, metrics := httptest.NewServer(h), httptest.NewServer(h.Metrics())
		t.Cleanup(srv.Close)
		t.Cleanup(metrics.Close)
		suffix := strconv.FormatInt(time.Now().UnixNano(), 36)
		c := &client{t: t, url: srv.URL, db: db, keys: keys, suffix: suffix, metricsURL: metrics.URL}
		c.editor = c.newKey("editor-"+suffix, auth.Editor)
		c.admin = c.newKey("admin-"+suffix, auth.Admin)

		deadline := time.Now().Add(20 * time.Second)
		for c.do("GET", "/readyz", nil).status != http.StatusOK {
			if time.Now().After(deadline) {
				t.Fatal("not ready within 20 s")
			}
			time.Sleep(20 * time.Millisecond)
		}
		e := c.create(valid("Xưởng Sơn Mài Qqhttp"))
		if err := db.Gorm().Exec("UPDATE entities SET version = version + 1, name = ? WHERE id = ?", "Sơn Mài Sửa Tay Qqsql", e.ID).Error; err != nil {
			t.Fatal(err)
		}
		for {
			m := c.scrape()
			if strings.Contains(m, "registry_index_drift_detected_total 1") &&
				strings.Contains(m, `registry_index_rebuilds_total{reason="drift"} 1`) &&
				strings.Contains(m, `registry_index_rebuilds_total{reason="failure"} 0`) &&
				strings.Contains(m, "registry_index_ready 1") {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("no drift found and repaired within 20 s:\n%s", m)
			}
			time.Sleep(20 * time.Millisecond)
		}
		c.do("GET", "/readyz", nil).want(http.StatusOK)
		var page struct{ Data []api.Entity }
		c.do("GET", "/v1/entities?q="+url.QueryEscape("qqsql"), nil).want(http.StatusOK).decode(&page)
		if len(page.Data) != 1 || page.Data[0].ID != e.ID || page.Data[0].Version != 2 {
			t.Fatalf("after the repair, a search of the name set by hand gives %+v", page.Data)
		}
	})
}
