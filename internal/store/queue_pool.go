package store

import (
	"database/sql"
	"net/url"
	"strings"

	_ "github.com/glebarez/go-sqlite" // the "sqlite" driver that GORM's dialector registers too
)

// QueuePool returns a connection pool for a job queue kept in this
// database, and whether the caller must close it. On PostgreSQL it is the
// primary's pool. On SQLite it is a pool of its own on the same file with
// one connection whose transactions take the write lock at BEGIN
// (_txlock=immediate, possible here since this pool does not set
// _time_format): the queue's statements then wait their turn on
// busy_timeout instead of failing when a write of the registry is under
// way, and never hold more than one connection's lock at a time.
func (db *DB) QueuePool() (*sql.DB, bool, error) {
	if db.engine == Postgres {
		return db.SQLDB(), false, nil
	}
	path := strings.TrimPrefix(db.redacted, "sqlite:")
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Set("_txlock", "immediate")
	pool, err := sql.Open("sqlite", path+"?"+q.Encode())
	if err != nil {
		return nil, false, err
	}
	pool.SetMaxOpenConns(1)
	return pool, true, nil
}

// IsSQLite reports whether the database is SQLite.
func (db *DB) IsSQLite() bool { return db.engine == SQLite }
