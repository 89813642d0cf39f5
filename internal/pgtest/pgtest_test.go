package pgtest_test

import (
	"context"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hanoicreative/registry/internal/pgtest"
)

var srv *pgtest.Server

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m, &srv)) }

// connect opens a connection that is closed when the test ends.
func connect(t *testing.T, dsn string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

func ping(dsn string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	return conn.Ping(ctx)
}

func TestNewDatabase(t *testing.T) {
	pgtest.Require(t, srv)
	ctx := t.Context()
	a, b := srv.NewDatabase(t), srv.NewDatabase(t)
	if a == b {
		t.Fatalf("two databases with the same URL %s", a)
	}
	names := map[string]bool{}
	for _, dsn := range []string{a, b} {
		conn := connect(t, dsn)
		var name string
		if err := conn.QueryRow(ctx, "SELECT current_database()").Scan(&name); err != nil {
			t.Fatal(err)
		}
		names[name] = true
		// The same table in both: creating it in the second fails if they are one database.
		if _, err := conn.Exec(ctx, "CREATE TABLE item (id int PRIMARY KEY, name text NOT NULL)"); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, err := conn.Exec(ctx, "INSERT INTO item VALUES (1, $1)", name); err != nil {
			t.Fatal(err)
		}
		var got string
		if err := conn.QueryRow(ctx, "SELECT name FROM item WHERE id = 1").Scan(&got); err != nil || got != name {
			t.Fatalf("%s: read back %q, %v", name, got, err)
		}
	}
	if len(names) != 2 {
		t.Fatalf("databases %v, want two distinct", names)
	}
}

func TestNewDatabaseIsDropped(t *testing.T) {
	pgtest.Require(t, srv)
	var name string
	t.Run("use", func(sub *testing.T) {
		dsn := srv.NewDatabase(sub)
		// Left open past the subtest, whose cleanup drops the database: the drop must
		// terminate it rather than fail.
		conn, err := pgx.Connect(sub.Context(), dsn)
		if err != nil {
			sub.Fatal(err)
		}
		t.Cleanup(func() { conn.Close(context.Background()) })
		if err := conn.QueryRow(sub.Context(), "SELECT current_database()").Scan(&name); err != nil {
			sub.Fatal(err)
		}
	})
	admin := connect(t, srv.URL())
	var n int
	if err := admin.QueryRow(t.Context(), "SELECT count(*) FROM pg_database WHERE datname = $1", name).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if name == "" || n != 0 {
		t.Fatalf("database %q: %d left after its test, want 0", name, n)
	}
}

func TestStopStart(t *testing.T) {
	pgtest.Require(t, srv)
	if !srv.Throwaway() {
		if srv.Stop() == nil || srv.Start() == nil {
			t.Error("Stop and Start of DATABASE_URL's server: want errors")
		}
		t.Skip("outage test needs a throwaway cluster, and DATABASE_URL is set")
	}
	if err := ping(srv.URL()); err != nil {
		t.Fatalf("before Stop: %v", err)
	}
	if err := srv.Stop(); err != nil {
		t.Fatal(err)
	}
	if err := ping(srv.URL()); err == nil {
		t.Error("ping after Stop succeeded")
	}
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	if err := ping(srv.URL()); err != nil {
		t.Fatalf("after Start: %v", err)
	}
}

func TestReplica(t *testing.T) {
	pgtest.Require(t, srv)
	if !srv.Throwaway() {
		t.Skip("replica needs a throwaway cluster, and DATABASE_URL is set")
	}
	ctx := t.Context()
	replica, err := srv.StartReplica(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := replica.Close(); err != nil {
			t.Error(err)
		}
	})

	dsn := srv.NewDatabase(t)
	primary := connect(t, dsn)
	if _, err := primary.Exec(ctx, "CREATE TABLE t (x int); INSERT INTO t VALUES (42)"); err != nil {
		t.Fatal(err)
	}

	// The same database on the replica's port.
	u, _ := url.Parse(dsn)
	r, _ := url.Parse(replica.URL())
	u.Host = r.Host
	var x int
	deadline := time.Now().Add(15 * time.Second)
	for {
		conn, err := pgx.Connect(ctx, u.String())
		if err == nil {
			err = conn.QueryRow(ctx, "SELECT x FROM t").Scan(&x)
			conn.Close(ctx)
		}
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("row not replicated: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if x != 42 {
		t.Fatalf("replica has x = %d, want 42", x)
	}
	rconn := connect(t, u.String())
	if _, err := rconn.Exec(ctx, "INSERT INTO t VALUES (1)"); err == nil {
		t.Error("write to the replica succeeded, want read-only")
	}
}
