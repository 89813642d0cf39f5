// Package pgtest gives tests a real PostgreSQL server: the one DATABASE_URL names, or else a
// throwaway cluster started from the PostgreSQL server binaries and removed afterwards.
//
// A package whose tests need PostgreSQL runs them through Main:
//
//	var srv *pgtest.Server
//
//	func TestMain(m *testing.M) { os.Exit(pgtest.Main(m, &srv)) }
//
//	func TestSomething(t *testing.T) {
//		pgtest.Require(t, srv)
//		url := srv.NewDatabase(t) // fresh and empty, dropped when the test ends
//		...
//	}
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Server is a PostgreSQL server that tests may use: the URL of an admin (superuser)
// connection, and, for a throwaway cluster, what it takes to stop, start and remove it.
type Server struct {
	url string

	// The rest is set for throwaway clusters only (see cluster.go).
	tools  *tools  // the server binaries and the OS user to run them as
	dir    string  // temp dir holding data/ and server.log; Close removes it
	port   int     // loopback TCP port, kept across Stop and Start
	reaper *reaper // removes the cluster if this process dies without Close

	mu     sync.Mutex // serializes Stop, Start and Close
	closed bool
}

var errNotThrowaway = errors.New("pgtest: not a throwaway cluster (the server is DATABASE_URL's)")

// unavailable is why Main could not provide a server; Require reports it.
var unavailable = "pgtest.Main did not provide a server"

// URL returns a postgres:// URL of an admin connection to the server's "postgres" database
// (for DATABASE_URL, that URL as given).
func (s *Server) URL() string { return s.url }

// Throwaway reports whether the server is a cluster started by this package, which
// Stop, Start and Close act on, rather than DATABASE_URL's.
func (s *Server) Throwaway() bool { return s != nil && s.dir != "" }

// Require skips the test, saying why, when there is no server (srv is nil).
func Require(t testing.TB, srv *Server) {
	t.Helper()
	if srv == nil {
		t.Skipf("no PostgreSQL server: %s", unavailable)
	}
}

// NewDatabase creates a fresh, empty database with a random name on the server and returns
// a connection string for it. The database is dropped in t.Cleanup, after terminating any
// connection the test left open; cleanups run last-registered first, so connections and pools
// a test registers for closing after calling NewDatabase are closed before the drop.
// On a nil server it skips the test, as Require does.
func (s *Server) NewDatabase(t testing.TB) string {
	t.Helper()
	Require(t, s)
	name := "pgtest_" + randomHex(8)
	dsn, err := withDatabase(s.url, name)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	// template0 is empty whatever was added to template1, and C collation and UTF8 give the
	// same results on every server, whatever its own default locale.
	err = s.exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()+
		" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'")
	if err != nil {
		t.Fatalf("pgtest: create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		if err := s.dropDatabase(name); err != nil {
			t.Errorf("pgtest: drop database %s: %v", name, err)
		}
	})
	return dsn
}

func (s *Server) dropDatabase(name string) error {
	// The test's context is already cancelled when cleanups run.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, s.url)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	var version int
	if err := conn.QueryRow(ctx, "SELECT current_setting('server_version_num')::int").Scan(&version); err != nil {
		return err
	}
	drop := "DROP DATABASE IF EXISTS " + pgx.Identifier{name}.Sanitize()
	if version >= 130000 {
		// FORCE terminates the connections left open, atomically with the drop.
		_, err = conn.Exec(ctx, drop+" WITH (FORCE)")
		return err
	}
	_, err = conn.Exec(ctx, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", name)
	if err == nil {
		_, err = conn.Exec(ctx, drop)
	}
	return err
}

// exec runs one statement on an admin connection of its own.
func (s *Server) exec(ctx context.Context, sql string) error {
	conn, err := pgx.Connect(ctx, s.url)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, sql)
	return err
}

// ping connects once and checks the server answers.
func ping(ctx context.Context, dsn string) error {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	return conn.Ping(ctx)
}

// withDatabase returns dsn with its database replaced by name. DATABASE_URL may also be in
// keyword/value form ("host=... user=..."), where the last dbname given wins.
func withDatabase(dsn, name string) (string, error) {
	if !strings.HasPrefix(dsn, "postgres://") && !strings.HasPrefix(dsn, "postgresql://") {
		return dsn + " dbname=" + name, nil
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "", fmt.Errorf("parse server URL: %w", err)
	}
	u.Path, u.RawPath = "/"+name, ""
	return u.String(), nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b) // never fails (crypto/rand panics rather than return an error)
	return hex.EncodeToString(b)
}
