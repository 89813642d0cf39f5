package store_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hanoicreative/registry/internal/auth"
	"github.com/hanoicreative/registry/internal/store"
	"github.com/hanoicreative/registry/internal/store/storetest"
)

// lockedBuffer is a log destination that goroutines may share.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestSlowQueryLogHasNoValues: with every query counted as slow, the log
// shows SQL with placeholders and never a value: not a key's id, name or
// secret hash.
func TestSlowQueryLogHasNoValues(t *testing.T) {
	storetest.Engines(t, pg, func(t *testing.T, dsn string) {
		storetest.Open(t, dsn) // migrated, with its own quiet logger
		w, err := storetest.Wards()
		if err != nil {
			t.Fatal(err)
		}
		var logs lockedBuffer
		ctx := context.Background()
		db, err := store.Open(ctx, dsn, w, store.Options{
			Logger:    slog.New(slog.NewTextHandler(&logs, nil)),
			SlowQuery: time.Nanosecond,
		})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		keys := auth.NewService(db)
		k, token, err := keys.Create(ctx, "khoá-bí-mật-nhật-ký", auth.Editor)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := keys.Authenticate(ctx, token); err != nil {
			t.Fatal(err)
		}
		_, stored, err := db.Key(ctx, k.ID)
		if err != nil {
			t.Fatal(err)
		}
		out := logs.String()
		if !strings.Contains(out, "api_keys") {
			t.Fatalf("no slow query of api_keys was logged:\n%s", out)
		}
		// The token is hcr_<id without dashes>_<secret>; the secret itself may
		// hold "_" (base64url), so it is everything after the id's part.
		idPart := "hcr_" + strings.ReplaceAll(k.ID, "-", "") + "_"
		if !strings.HasPrefix(token, idPart) {
			t.Fatalf("token %q does not start with %q", token, idPart)
		}
		secret := strings.TrimPrefix(token, idPart)
		for _, value := range []string{k.ID, k.Name, hex.EncodeToString(stored), string(stored), secret} {
			if strings.Contains(out, value) {
				t.Errorf("the log holds the value %q:\n%s", value, out)
			}
		}
	})
}
