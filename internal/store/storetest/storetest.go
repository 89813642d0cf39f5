// Package storetest opens migrated test databases on both engines, for the
// store suite and the HTTP tests alike.
package storetest

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/hanoicreative/registry/internal/pgtest"
	"github.com/hanoicreative/registry/internal/store"
	"github.com/hanoicreative/registry/internal/wards"
)

// Wards parses the ward data once per test binary (it takes a tenth of a
// second, and every test needs the same immutable index).
var Wards = sync.OnceValues(wards.Load)

// Engines runs fn once per database engine, each with the DSN of a fresh
// database: a temporary SQLite file, and a new database on pg (skipped, or
// failed under CI, when there is no PostgreSQL).
func Engines(t *testing.T, pg *pgtest.Server, fn func(t *testing.T, dsn string)) {
	t.Helper()
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			if engine == store.SQLite {
				fn(t, "sqlite:"+filepath.Join(t.TempDir(), "registry.db"))
				return
			}
			pgtest.Require(t, pg)
			fn(t, pg.NewDatabase(t))
		})
	}
}

// EnginesB is Engines for benchmarks.
func EnginesB(b *testing.B, pg *pgtest.Server, fn func(b *testing.B, dsn string)) {
	b.Helper()
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		b.Run(string(engine), func(b *testing.B) {
			if engine == store.SQLite {
				fn(b, "sqlite:"+filepath.Join(b.TempDir(), "registry.db"))
				return
			}
			pgtest.Require(b, pg)
			fn(b, pg.NewDatabase(b))
		})
	}
}

// Open opens and migrates the database at dsn; it is closed when the test ends.
func Open(t testing.TB, dsn string) (*store.DB, *wards.Index) {
	t.Helper()
	w, err := Wards()
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
	return db, w
}

// StoppableCluster starts a PostgreSQL cluster of the test's own, which it
// may stop and start (DATABASE_URL's server cannot be), and opens it. It
// skips the test when no server binaries are installed, unless under CI.
func StoppableCluster(t *testing.T) (*pgtest.Server, *store.DB, *wards.Index) {
	t.Helper()
	srv, err := pgtest.Start(context.Background())
	if err != nil {
		if os.Getenv("CI") == "" {
			t.Skipf("no PostgreSQL server binaries to start a cluster to stop: %v", err)
		}
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	db, w := Open(t, srv.URL())
	return srv, db, w
}

// Replicated starts a throwaway PostgreSQL cluster and a streaming replica
// of it, and opens a store that reads from the replica and writes to the
// primary. Like StoppableCluster, it skips without server binaries unless
// CI is set.
func Replicated(t *testing.T) (replica *pgtest.Server, db *store.DB, w *wards.Index) {
	t.Helper()
	primary, _, w := StoppableCluster(t)
	ctx := context.Background()
	replica, err := primary.StartReplica(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { replica.Close() })
	db, err = store.Open(ctx, primary.URL(), w, store.Options{ReadDSN: replica.URL()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if !db.HasReplica() {
		t.Fatal("the store has no replica")
	}
	return replica, db, w
}
