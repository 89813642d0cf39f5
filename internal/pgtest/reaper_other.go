//go:build !unix

package pgtest

// Without the reaper, only Close and Main's signal handling remove a cluster.
type reaper struct{}

func startReaper(string) (*reaper, error) { return &reaper{}, nil }

func (*reaper) close() error { return nil }
