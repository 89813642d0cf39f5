package store_test

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/hanoicreative/registry/internal/pgtest"
	"github.com/hanoicreative/registry/internal/registry"
	"github.com/hanoicreative/registry/internal/store"
	"github.com/hanoicreative/registry/internal/store/storetest"
)

var pg *pgtest.Server

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m, &pg)) }

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
	storetest.Engines(t, pg, func(t *testing.T, dsn string) {
		db, w := storetest.Open(t, dsn)
		fn(t, env{db: db, svc: registry.NewService(db, w), ctx: context.Background()})
	})
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
