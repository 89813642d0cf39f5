package store_test

import (
	"strings"
	"testing"

	"github.com/hanoicreative/registry/internal/store/storetest"
)

// TestMigration0013DropsSearchText: a migrated database has no
// search_text column (nor, on PostgreSQL, its trigram index), which
// nothing reads since search ranks with internal/search.
func TestMigration0013DropsSearchText(t *testing.T) {
	storetest.Engines(t, pg, func(t *testing.T, dsn string) {
		db, _ := storetest.Open(t, dsn)
		if _, err := db.SQLDB().Exec("SELECT search_text FROM entities"); err == nil {
			t.Error("entities still has search_text")
		}
		if strings.HasPrefix(dsn, "postgres") {
			var n int
			if err := db.SQLDB().QueryRow("SELECT count(*) FROM pg_indexes WHERE indexname = 'entities_search_trgm'").Scan(&n); err != nil || n != 0 {
				t.Errorf("the trigram index: %d (%v)", n, err)
			}
		}
	})
}
