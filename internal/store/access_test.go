package store_test

import (
	"testing"
	"time"

	"github.com/hanoicreative/registry/internal/auth"
	"github.com/hanoicreative/registry/internal/idempotency"
	"github.com/hanoicreative/registry/internal/registry"
)

func TestKeys(t *testing.T) {
	engines(t, func(t *testing.T, e env) {
		keys := auth.NewService(e.db)
		k, token, err := keys.Create(e.ctx, "biên tập", auth.Editor)
		if err != nil {
			t.Fatal(err)
		}
		got, err := keys.Authenticate(e.ctx, token)
		if err != nil || got.ID != k.ID || got.Role != auth.Editor {
			t.Fatalf("authenticate: %+v %v", got, err)
		}
		if _, _, err := keys.Create(e.ctx, "biên tập", auth.Admin); registry.ErrorCode(err) != registry.ECONFLICT {
			t.Errorf("duplicate name: %v", err)
		}
		// A token with the right id and a wrong secret is refused.
		forged := token[:len(token)-4] + "AAAA"
		if forged == token {
			forged = token[:len(token)-4] + "BBBB"
		}
		if _, err := keys.Authenticate(e.ctx, forged); registry.ErrorCode(err) != registry.EUNAUTHORIZED {
			t.Errorf("forged token: %v", err)
		}
		// Authenticating only reads; the use is written when flushed.
		if list, _ := keys.Keys(e.ctx); len(list) != 1 || list[0].LastUsedAt != nil {
			t.Errorf("keys before the flush %+v", list)
		}
		if err := keys.FlushUses(e.ctx); err != nil {
			t.Fatal(err)
		}
		list, _ := keys.Keys(e.ctx)
		if len(list) != 1 || list[0].LastUsedAt == nil {
			t.Fatalf("keys %+v", list)
		}
		// A use within the minute is not recorded again.
		if _, err := keys.Authenticate(e.ctx, token); err != nil {
			t.Fatal(err)
		}
		if err := keys.FlushUses(e.ctx); err != nil {
			t.Fatal(err)
		}
		if again, _ := keys.Keys(e.ctx); !again[0].LastUsedAt.Equal(*list[0].LastUsedAt) {
			t.Errorf("last use moved within the minute: %v, then %v", list[0].LastUsedAt, again[0].LastUsedAt)
		}
		// A use recorded over a minute ago is stale: the next use moves it.
		stale := time.Now().UTC().Add(-2 * time.Minute)
		if err := e.db.Gorm().Exec("UPDATE api_keys SET last_used_at = ?", stale).Error; err != nil {
			t.Fatal(err)
		}
		if _, err := keys.Authenticate(e.ctx, token); err != nil {
			t.Fatal(err)
		}
		if err := keys.FlushUses(e.ctx); err != nil {
			t.Fatal(err)
		}
		if moved, _ := keys.Keys(e.ctx); !moved[0].LastUsedAt.After(stale.Add(time.Minute)) {
			t.Errorf("a stale last use did not advance: %v", moved[0].LastUsedAt)
		}
		revoked, err := keys.Revoke(e.ctx, k.ID)
		if err != nil || revoked.RevokedAt == nil {
			t.Fatalf("revoke: %+v %v", revoked, err)
		}
		again, _ := keys.Revoke(e.ctx, k.ID)
		if !again.RevokedAt.Equal(*revoked.RevokedAt) {
			t.Error("revoking twice moved the date")
		}
		if _, err := keys.Authenticate(e.ctx, token); registry.ErrorCode(err) != registry.EUNAUTHORIZED {
			t.Errorf("revoked token: %v", err)
		}
	})
}

func TestIdempotencyRecords(t *testing.T) {
	engines(t, func(t *testing.T, e env) {
		k, _, err := auth.NewService(e.db).Create(e.ctx, "editor", auth.Editor)
		if err != nil {
			t.Fatal(err)
		}
		now := time.Now().UTC().Truncate(time.Microsecond)
		rec := idempotency.Record{APIKeyID: k.ID, Key: "k1", RequestHash: "h1"}
		got, reserved, err := e.db.Reserve(e.ctx, rec, now)
		if err != nil || !reserved || got.State != idempotency.Running {
			t.Fatalf("first reserve: %+v %v %v", got, reserved, err)
		}
		got, reserved, _ = e.db.Reserve(e.ctx, rec, now)
		if reserved || got.State != idempotency.Running || got.RequestHash != "h1" {
			t.Fatalf("second reserve: %+v %v", got, reserved)
		}
		rec.Status, rec.Body, rec.Headers = 201, []byte(`{"a":1}`), map[string]string{"ETag": `"1"`}
		if err := e.db.Complete(e.ctx, rec); err != nil {
			t.Fatal(err)
		}
		got, reserved, _ = e.db.Reserve(e.ctx, rec, now.Add(time.Hour))
		if reserved || got.State != idempotency.Done || got.Status != 201 || string(got.Body) != `{"a":1}` || got.Headers["ETag"] != `"1"` {
			t.Fatalf("done record: %+v", got)
		}
		// After 24 h the key is free again.
		if _, reserved, _ := e.db.Reserve(e.ctx, rec, now.Add(idempotency.TTL+time.Minute)); !reserved {
			t.Error("an expired key was not freed")
		}
		// A running record past its lease is taken over; a released one is free.
		r2 := idempotency.Record{APIKeyID: k.ID, Key: "k2", RequestHash: "h"}
		e.db.Reserve(e.ctx, r2, now)
		if _, reserved, _ := e.db.Reserve(e.ctx, r2, now.Add(idempotency.Lease+time.Second)); !reserved {
			t.Error("a stale running record was not taken over")
		}
		if err := e.db.Release(e.ctx, k.ID, "k2"); err != nil {
			t.Fatal(err)
		}
		if _, reserved, _ := e.db.Reserve(e.ctx, r2, now); !reserved {
			t.Error("a released key was not free")
		}
		n, err := e.db.PurgeExpired(e.ctx, now.Add(idempotency.TTL*3))
		if err != nil || n != 2 {
			t.Errorf("purged %d, %v; want 2", n, err)
		}
	})
}
