package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hanoicreative/registry/internal/store/storetest"
)

// TestMigration0011StartsLastUseFromSessions: upgrading a database of the
// release before staff accounts recorded their last use gives each
// account the latest use of its live sessions, and none to an account
// without sessions.
func TestMigration0011StartsLastUseFromSessions(t *testing.T) {
	storetest.Engines(t, pg, func(t *testing.T, dsn string) {
		if strings.HasPrefix(dsn, "sqlite:") {
			dsn += ".0011"
		} else {
			dsn = pg.NewDatabase(t)
		}
		db, _ := openUnmigrated(t, dsn)
		ctx := context.Background()
		if err := db.MigrateTo(ctx, "0008_staff_accounts"); err != nil {
			t.Fatal(err)
		}
		g := db.Gorm()
		at := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
		for _, id := range []string{"0193b0c4-0000-7000-8000-000000000001", "0193b0c4-0000-7000-8000-000000000002"} {
			err := g.Exec("INSERT INTO staff_accounts (id, email, email_key, name, role, created_at) VALUES (?, ?, ?, ?, 'editor', ?)",
				id, id+"@example.vn", id+"@example.vn", "Lan", at).Error
			if err != nil {
				t.Fatal(err)
			}
		}
		for i, seen := range []time.Time{at.Add(time.Hour), at.Add(3 * time.Hour)} {
			err := g.Table("staff_sessions").Create(map[string]any{"id_hash": []byte{byte(i + 1)},
				"account_id": "0193b0c4-0000-7000-8000-000000000001", "created_at": at, "last_seen_at": seen}).Error
			if err != nil {
				t.Fatal(err)
			}
		}
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		list, err := db.Accounts(ctx)
		if err != nil || len(list) != 2 {
			t.Fatalf("accounts %+v %v", list, err)
		}
		if got := list[0].LastUsedAt; got == nil || !got.Equal(at.Add(3*time.Hour)) {
			t.Errorf("the account with sessions was last used %v, want %v", got, at.Add(3*time.Hour))
		}
		if got := list[1].LastUsedAt; got != nil {
			t.Errorf("the account without sessions was last used %v, want never", got)
		}
	})
}
