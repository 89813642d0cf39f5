package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hanoicreative/registry/internal/pgtest"
)

// cluster is the PostgreSQL server the benchmark's databases live on: a
// throwaway cluster of internal/pgtest, or the server of --database-url.
type cluster struct {
	adminURL string
	pg       *pgtest.Server // nil for --database-url's server
	created  []string       // databases to drop on close (--database-url only)
	Version  string         // SHOW server_version
}

// openCluster starts a throwaway cluster, or checks that databaseURL's
// server answers.
func openCluster(ctx context.Context, databaseURL string) (*cluster, error) {
	c := &cluster{adminURL: databaseURL}
	if databaseURL == "" {
		srv, err := pgtest.Start(ctx)
		if err != nil {
			return nil, err
		}
		c.pg, c.adminURL = srv, srv.URL()
	} else if !strings.HasPrefix(databaseURL, "postgres://") && !strings.HasPrefix(databaseURL, "postgresql://") {
		return nil, fmt.Errorf("--database-url must be a postgres:// URL")
	}
	err := c.withConn(ctx, func(conn *pgx.Conn) error {
		return conn.QueryRow(ctx, "SHOW server_version").Scan(&c.Version)
	})
	if err != nil {
		c.close()
		return nil, fmt.Errorf("PostgreSQL server: %w", err)
	}
	return c, nil
}

// Throwaway reports whether the cluster was started here (with durability
// off: fsync, synchronous_commit and full_page_writes).
func (c *cluster) Throwaway() bool { return c.pg != nil }

// newDatabase creates an empty database and returns its URL.
func (c *cluster) newDatabase(ctx context.Context, name string) (string, error) {
	dsn, err := withDatabase(c.adminURL, name)
	if err != nil {
		return "", err
	}
	err = c.withConn(ctx, func(conn *pgx.Conn) error {
		// template0 is empty whatever template1 holds; C collation gives the
		// same results on every server.
		_, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()+
			" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'")
		return err
	})
	if err != nil {
		return "", fmt.Errorf("create database %s: %w", name, err)
	}
	c.created = append(c.created, name)
	return dsn, nil
}

// countEntities counts the rows of the entities table of a database.
func countEntities(ctx context.Context, dsn string) (int, error) {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return 0, err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	var n int
	err = conn.QueryRow(ctx, "SELECT count(*) FROM entities").Scan(&n)
	return n, err
}

// close removes what the benchmark made: the throwaway cluster, or the
// databases it created on --database-url's server.
func (c *cluster) close() error {
	if c.pg != nil {
		return c.pg.Close()
	}
	// The context of the run may be cancelled already (Ctrl-C).
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var errs []error
	for _, name := range c.created {
		err := c.withConn(ctx, func(conn *pgx.Conn) error {
			_, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
			return err
		})
		if err != nil {
			errs = append(errs, fmt.Errorf("drop database %s: %w", name, err))
		}
	}
	c.created = nil
	return errors.Join(errs...)
}

func (c *cluster) withConn(ctx context.Context, fn func(*pgx.Conn) error) error {
	conn, err := pgx.Connect(ctx, c.adminURL)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	return fn(conn)
}

// withDatabase returns dsn with its database replaced by name.
func withDatabase(dsn, name string) (string, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return "", fmt.Errorf("parse database URL: %w", err)
	}
	u.Path, u.RawPath = "/"+name, ""
	return u.String(), nil
}
