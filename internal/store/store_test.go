package store_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/hanoicreative/registry/internal/pgtest"
	"github.com/hanoicreative/registry/internal/registry"
	"github.com/hanoicreative/registry/internal/store"
	"github.com/hanoicreative/registry/internal/wards"
)

var pg *pgtest.Server

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m, &pg)) }

// loadWards parses the ward data once for the whole test binary.
var loadWards = sync.OnceValues(wards.Load)

// env is one engine's fresh, migrated database with a service over it.
type env struct {
	db  *store.DB
	svc *registry.Service
	ctx context.Context
}

// engines runs fn once per database engine, each on a fresh database:
// the store suite must pass on both.
func engines(t *testing.T, fn func(t *testing.T, e env)) {
	t.Helper()
	for _, name := range []string{"sqlite", "postgres"} {
		t.Run(name, func(t *testing.T) {
			var dsn string
			if name == "sqlite" {
				dsn = "sqlite:" + filepath.Join(t.TempDir(), "registry.db")
			} else {
				pgtest.Require(t, pg)
				dsn = pg.NewDatabase(t)
			}
			fn(t, open(t, dsn))
		})
	}
}

func open(t *testing.T, dsn string) env {
	t.Helper()
	w, err := loadWards()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	db, err := store.Open(ctx, dsn, w, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return env{db: db, svc: registry.NewService(db, w), ctx: ctx}
}

// draft is a valid draft to start from.
func draft(name string, sectors ...string) registry.EntityDraft {
	if len(sectors) == 0 {
		sectors = []string{"design"}
	}
	return registry.EntityDraft{Name: name, Kind: "creative-space", Sectors: sectors}
}

func (e env) create(t *testing.T, d registry.EntityDraft) registry.Entity {
	t.Helper()
	ent, err := e.svc.CreateEntity(e.ctx, "tester", d)
	if err != nil {
		t.Fatalf("create %q: %v", d.Name, err)
	}
	return ent
}

func wantCode(t *testing.T, err error, code registry.Code) {
	t.Helper()
	if got := registry.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}

func intp(n int) *int { return &n }

func names(es []registry.Entity) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.Name
	}
	return out
}

func fmtList(es []registry.Entity) string { return fmt.Sprint(names(es)) }
