// Package store keeps the registry in a SQL database through GORM: PostgreSQL
// in production, an embedded pure-Go SQLite file by default. One set of
// queries serves both engines; the few differences (types, collations,
// indexes) live in the migrations.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/glebarez/sqlite"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/hanoicreative/registry/internal/registry"
	"github.com/hanoicreative/registry/internal/wards"
)

// Engine names the database behind a DB.
type Engine string

const (
	Postgres Engine = "postgres"
	SQLite   Engine = "sqlite"
)

// DB is the registry's store over a GORM connection pool, and optionally
// a second one to a read replica.
type DB struct {
	gorm *gorm.DB // the primary: writes, and reads that must be current
	read *gorm.DB // reads: the replica when there is one, else the primary
	// version is a pool of its own for the data-version reads that every
	// cached answer waits on, so that slow queries holding the main pool
	// never hold up answers that are already in the cache.
	version *sql.DB
	engine  Engine
	wards   *wards.Index
	// redacted is the DSN without its password, for logs.
	redacted string
	// analyzer refreshes statistics in the background.
	analyzer *analyzer
}

var _ registry.Store = (*DB)(nil)

// Options tune Open.
type Options struct {
	Logger *slog.Logger
	// SlowQuery is the duration above which a query is logged as slow.
	SlowQuery time.Duration
	// MaxOpenConns caps the pool (PostgreSQL); 0 means a default.
	MaxOpenConns int
	// ReadDSN, when set, names a PostgreSQL read replica: reads go there,
	// writes (and reads that must see a client's own writes) to the primary.
	ReadDSN string
}

// Open connects to the database named by dsn: "sqlite:PATH" (relative or
// absolute) or "postgres://..." / "postgresql://...". It does not migrate.
func Open(ctx context.Context, dsn string, w *wards.Index, opts Options) (*DB, error) {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.SlowQuery == 0 {
		opts.SlowQuery = 200 * time.Millisecond
	}
	engine, g, redacted, err := openPool(ctx, dsn, opts)
	if err != nil {
		return nil, err
	}
	db := &DB{gorm: g, read: g, engine: engine, wards: w, redacted: redacted, analyzer: newAnalyzer(opts.Logger)}
	if opts.ReadDSN != "" {
		if engine != Postgres || !strings.HasPrefix(opts.ReadDSN, "postgres") {
			db.Close()
			return nil, fmt.Errorf("a read replica (DATABASE_READ_URL) needs PostgreSQL for both databases")
		}
		_, read, readRedacted, err := openPool(ctx, opts.ReadDSN, opts)
		if err != nil {
			db.Close()
			return nil, err
		}
		db.read = read
		db.redacted += " (reads: " + readRedacted + ")"
	}
	if engine == Postgres {
		readDSN := dsn
		if opts.ReadDSN != "" {
			readDSN = opts.ReadDSN
		}
		_, dialector, _, _ := dialectorFor(readDSN) // parsed above already
		vg, err := gorm.Open(dialector, &gorm.Config{Logger: logger.Discard})
		if err == nil {
			db.version, err = vg.DB()
		}
		if err != nil {
			db.Close()
			return nil, err
		}
		db.version.SetMaxOpenConns(2)
		db.version.SetMaxIdleConns(2)
	}
	return db, nil
}

// openPool opens and pings one connection pool.
func openPool(ctx context.Context, dsn string, opts Options) (Engine, *gorm.DB, string, error) {
	engine, dialector, redacted, err := dialectorFor(dsn)
	if err != nil {
		return "", nil, "", err
	}
	g, err := gorm.Open(dialector, &gorm.Config{
		// Parameterised logging keeps values (such as key hashes) out of logs.
		Logger: quietErrors{logger.NewSlogLogger(opts.Logger, logger.Config{
			SlowThreshold: opts.SlowQuery, LogLevel: logger.Warn,
			IgnoreRecordNotFoundError: true, ParameterizedQueries: true,
		})},
		TranslateError:         true,
		SkipDefaultTransaction: true, // we open transactions where writes need them
		NowFunc:                func() time.Time { return time.Now().UTC() },
	})
	if err != nil {
		return "", nil, "", fmt.Errorf("open %s: %w", redacted, err)
	}
	sqlDB, err := g.DB()
	if err != nil {
		return "", nil, "", err
	}
	switch engine {
	case SQLite:
		// One writer at a time is SQLite's model; WAL lets readers go on
		// meanwhile. A small pool keeps file handles few.
		sqlDB.SetMaxOpenConns(4)
		sqlDB.SetMaxIdleConns(4)
	case Postgres:
		n := opts.MaxOpenConns
		if n == 0 {
			n = 20
		}
		sqlDB.SetMaxOpenConns(n)
		sqlDB.SetMaxIdleConns(n)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := sqlDB.PingContext(pingCtx); err != nil {
		sqlDB.Close()
		return "", nil, "", fmt.Errorf("connect to %s: %w", redacted, err)
	}
	return engine, g, redacted, nil
}

// reader is the pool reads use: the replica, unless the request must see
// the primary (registry.PrimaryOnly).
func (db *DB) reader(ctx context.Context) *gorm.DB {
	if registry.PrimaryOnly(ctx) {
		return db.gorm.WithContext(ctx)
	}
	return db.read.WithContext(ctx)
}

// HasReplica reports whether reads go to a replica.
func (db *DB) HasReplica() bool { return db.read != db.gorm }

// dialectorFor chooses the engine from the DSN's scheme.
func dialectorFor(dsn string) (Engine, gorm.Dialector, string, error) {
	switch {
	case strings.HasPrefix(dsn, "sqlite:"):
		path := strings.TrimPrefix(dsn, "sqlite:")
		if path == "" {
			return "", nil, "", fmt.Errorf("DATABASE_URL %q names no file: use sqlite:PATH", dsn)
		}
		// WAL for concurrent readers; foreign keys are off unless asked
		// for; time values in SQLite's own sortable format. (_txlock would be
		// ignored next to _time_format: writeTx takes the write lock itself,
		// so that writers queue on busy_timeout rather than fail to upgrade
		// a read lock.)
		q := url.Values{}
		q.Add("_pragma", "busy_timeout(10000)")
		q.Add("_pragma", "journal_mode(WAL)")
		q.Add("_pragma", "synchronous(NORMAL)")
		q.Add("_pragma", "foreign_keys(1)")
		q.Set("_time_format", "sqlite")
		return SQLite, sqlite.Open(path + "?" + q.Encode()), "sqlite:" + path, nil
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		u, err := url.Parse(dsn)
		if err != nil {
			return "", nil, "", fmt.Errorf("DATABASE_URL is not a valid URL")
		}
		// Fail fast rather than hang when the server is unreachable, and
		// bound every statement, unless the URL says otherwise. (pgx passes
		// unknown parameters on as run-time settings.)
		q := u.Query()
		if !q.Has("connect_timeout") {
			q.Set("connect_timeout", "5")
		}
		if !q.Has("statement_timeout") {
			q.Set("statement_timeout", "30000")
		}
		u.RawQuery = q.Encode()
		return Postgres, postgres.Open(u.String()), u.Redacted(), nil
	default:
		return "", nil, "", fmt.Errorf("DATABASE_URL must start with sqlite: or postgres://")
	}
}

// Engine returns the database engine.
func (db *DB) Engine() Engine { return db.engine }

// String describes the database without secrets.
func (db *DB) String() string { return db.redacted }

// SQLDB returns the connection pool, for its statistics.
func (db *DB) SQLDB() *sql.DB {
	sqlDB, _ := db.gorm.DB() // a pool opened by Open always has one
	return sqlDB
}

// Gorm returns the underlying connection, for tests and tools.
func (db *DB) Gorm() *gorm.DB { return db.gorm }

// Ping checks that the database (and the replica, if any) answers.
func (db *DB) Ping(ctx context.Context) error {
	for _, g := range []*gorm.DB{db.gorm, db.read} {
		sqlDB, err := g.DB()
		if err != nil {
			return translate(err)
		}
		if err := sqlDB.PingContext(ctx); err != nil {
			return translate(err)
		}
	}
	return nil
}

// Close closes the connection pools.
func (db *DB) Close() error {
	db.analyzer.close()
	var errs []error
	if db.version != nil {
		errs = append(errs, db.version.Close())
	}
	for _, g := range []*gorm.DB{db.gorm, db.read} {
		if sqlDB, err := g.DB(); err == nil {
			errs = append(errs, sqlDB.Close())
		}
		if db.read == db.gorm {
			break
		}
	}
	return errors.Join(errs...)
}
