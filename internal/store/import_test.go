package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hanoicreative/registry/internal/registry"
	"github.com/hanoicreative/registry/internal/store"
	"github.com/hanoicreative/registry/internal/store/storetest"
)

// importRows makes n rows: new entities, and the first `existing` rows
// naming entities created before (half of them changed).
func importRows(n, existing int, prefix string) []registry.ImportRow {
	rows := make([]registry.ImportRow, n)
	for i := range rows {
		d := draft(fmt.Sprintf("%s %05d", prefix, i), "design", "crafts")
		if i < existing && i%2 == 0 {
			d.Description = "đã sửa"
		}
		rows[i] = registry.ImportRow{Row: i, Draft: d}
	}
	return rows
}

// TestDryRunImportLocksNothing: while a dry run of a large import is under
// way, another client's write completes at once, on both engines; the dry
// run counts what it would do and writes nothing.
func TestDryRunImportLocksNothing(t *testing.T) {
	engines(t, func(t *testing.T, e env) {
		const n, existing = 2000, 40
		if _, err := e.svc.Import(e.ctx, "tester", importRows(existing, 0, "Có sẵn"), false, nil); err != nil {
			t.Fatal(err)
		}
		rows := importRows(n, existing, "Có sẵn")
		var writeTook time.Duration
		var writeErr error
		progress := func(done int) {
			if done != n/2 {
				return
			}
			// Halfway through the dry run, in its goroutine: if the dry run
			// held a lock, this write would wait for it for ever.
			ctx, cancel := context.WithTimeout(e.ctx, 20*time.Second)
			defer cancel()
			start := time.Now()
			_, writeErr = e.svc.CreateEntity(ctx, "other", draft("Người Khác Ghi"))
			writeTook = time.Since(start)
		}
		before, err := e.db.DataVersion(e.ctx)
		if err != nil {
			t.Fatal(err)
		}
		res, err := e.svc.Import(e.ctx, "tester", rows, true, progress)
		if err != nil {
			t.Fatal(err)
		}
		if writeErr != nil || writeTook == 0 {
			t.Fatalf("the write during the dry run: %v (took %v)", writeErr, writeTook)
		}
		if writeTook > 5*time.Second {
			t.Errorf("the write during the dry run took %v", writeTook)
		}
		if want := (registry.ImportResult{Created: n - existing, Updated: existing / 2, Unchanged: existing / 2}); res != want {
			t.Errorf("dry run: %+v, want %+v", res, want)
		}
		after, err := e.db.DataVersion(e.ctx)
		if err != nil || after.Seq != before.Seq+1 {
			t.Errorf("changes: %d before, %d after (%v); want only the other write's", before.Seq, after.Seq, err)
		}
		t.Logf("a write during a %d-row dry run took %v", n, writeTook)
	})
}

// TestImportDoesNotWaitForStatistics: on PostgreSQL, a bulk import that
// asks for fresh statistics returns once committed, even while VACUUM
// (ANALYZE) cannot start; closing the store stops that refresh.
func TestImportDoesNotWaitForStatistics(t *testing.T) {
	storetest.Engines(t, pg, func(t *testing.T, dsn string) {
		if !strings.HasPrefix(dsn, "postgres") {
			t.Skip("PostgreSQL: a lock that blocks VACUUM but not inserts")
		}
		w, err := storetest.Wards()
		if err != nil {
			t.Fatal(err)
		}
		storetest.Open(t, dsn) // migrated
		ctx := context.Background()
		db, err := store.Open(ctx, dsn, w, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		svc := registry.NewService(db, w)
		// SHARE UPDATE EXCLUSIVE lets rows be inserted but keeps VACUUM
		// and ANALYZE out until this transaction ends.
		blocker, err := sql.Open("pgx", dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer blocker.Close()
		tx, err := blocker.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		if _, err := tx.Exec("LOCK TABLE entities IN SHARE UPDATE EXCLUSIVE MODE"); err != nil {
			t.Fatal(err)
		}
		ictx, cancel := context.WithTimeout(ctx, 2*time.Minute)
		defer cancel()
		const n = 5000 // a bulk load: statistics are refreshed after it
		start := time.Now()
		res, err := svc.Import(ictx, "tester", importRows(n, 0, "Lô lớn"), false, nil)
		if err != nil || res.Created != n {
			t.Fatalf("import: %+v %v", res, err)
		}
		t.Logf("%d rows imported in %v while statistics could not be refreshed", n, time.Since(start))
		closed := make(chan error, 1)
		go func() { closed <- db.Close() }()
		select {
		case <-closed:
		case <-time.After(20 * time.Second):
			t.Fatal("closing the store waited for the statistics refresh")
		}
	})
}

// TestAnalyzeInBackground: requests for fresh statistics return at once,
// run one at a time, and can be waited for.
func TestAnalyzeInBackground(t *testing.T) {
	engines(t, func(t *testing.T, e env) {
		for range 3 {
			e.db.AnalyzeInBackground()
		}
		ctx, cancel := context.WithTimeout(e.ctx, 30*time.Second)
		defer cancel()
		if err := e.db.WaitAnalyzed(ctx); err != nil {
			t.Fatal(err)
		}
	})
}
