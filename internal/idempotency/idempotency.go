// Package idempotency records the responses of requests sent with an
// Idempotency-Key header, so that a client retrying a request (after a
// timeout, say) gets the first response back instead of a second effect.
//
// Keys are scoped to the API key that sent them and kept for TTL. While
// the first request runs, its record is "running"; a retry waits for it to
// finish. A running record older than Lease is taken to belong to a
// process that died, and is taken over: the write it guarded either
// committed (then the retry meets the taken slug, a 409, not a duplicate)
// or did not.
package idempotency

import (
	"context"
	"time"
)

const (
	// TTL is how long a key is remembered.
	TTL = 24 * time.Hour
	// Lease is how long a running request may hold its key.
	Lease = 2 * time.Minute
)

// State is where a record's request is.
type State string

const (
	Running State = "running"
	Done    State = "done"
)

// Record is one request sent with an Idempotency-Key, and once done its
// response.
type Record struct {
	APIKeyID    string
	Key         string
	RequestHash string // of the method, path and body
	State       State
	Status      int
	Headers     map[string]string
	Body        []byte
	CreatedAt   time.Time
	ExpiresAt   time.Time
}

// Store keeps records.
type Store interface {
	// Reserve inserts r as running, unless a live record holds its key:
	// then it returns that record and false. Expired records, and running
	// ones past their lease, do not hold a key.
	Reserve(ctx context.Context, r Record, now time.Time) (Record, bool, error)
	// Complete stores the response of a reserved request.
	Complete(ctx context.Context, r Record) error
	// Release forgets a reserved request that failed in a way worth retrying.
	Release(ctx context.Context, apiKeyID, key string) error
	// PurgeExpired deletes expired records and returns how many.
	PurgeExpired(ctx context.Context, now time.Time) (int64, error)
}
