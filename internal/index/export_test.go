package index

import "context"

// Seq is the change sequence the index reflects, for tests.
func Seq(s *Store) int64 { return s.seq() }

// Reconcile compares the index with the database once, for tests and
// benchmarks; it returns how they differ ("" when they agree).
func Reconcile(s *Store, ctx context.Context) (string, error) { return s.reconcile(ctx) }
