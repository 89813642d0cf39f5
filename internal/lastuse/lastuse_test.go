package lastuse

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"
)

// fakeWrites records what a Recorder writes and fails when told to.
type fakeWrites struct {
	mu      sync.Mutex
	fail    bool
	written []map[string]time.Time
}

func (f *fakeWrites) write(_ context.Context, uses map[string]time.Time) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail {
		return errors.New("the database is down")
	}
	f.written = append(f.written, uses)
	return nil
}

func (f *fakeWrites) count() int { f.mu.Lock(); defer f.mu.Unlock(); return len(f.written) }

func TestRecorder(t *testing.T) {
	ctx := context.Background()
	var w fakeWrites
	r := New("tests", time.Minute, w.write)
	now := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	fresh := now.Add(-30 * time.Second)
	stale := now.Add(-2 * time.Minute)

	r.Note("fresh", &fresh, now) // recorded within the resolution: nothing to do
	r.Note("never", nil, now)
	r.Note("stale", &stale, now)
	r.Note("stale", &stale, now.Add(time.Second)) // queued already
	if r.Pending() != 2 {
		t.Fatalf("%d pending, want 2", r.Pending())
	}
	// A write that fails keeps the uses queued.
	w.fail = true
	if err := r.Flush(ctx); err == nil || r.Pending() != 2 {
		t.Fatalf("a failed write: %v, %d pending", err, r.Pending())
	}
	w.fail = false
	if err := r.Flush(ctx); err != nil || r.Pending() != 0 || w.count() != 1 || len(w.written[0]) != 2 || !w.written[0]["stale"].Equal(now) {
		t.Fatalf("flush: %v, %d pending, written %v", err, r.Pending(), w.written)
	}
	// Written, a credential may be queued again once stale.
	r.Note("stale", &stale, now.Add(time.Minute))
	if r.Pending() != 1 {
		t.Fatalf("%d pending after a new stale use", r.Pending())
	}

	// Run writes in the background, and what is left when it stops.
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { r.Run(runCtx, slog.New(slog.NewTextHandler(io.Discard, nil))); close(done) }()
	deadline := time.Now().Add(5 * time.Second)
	for w.count() < 2 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if w.count() != 2 {
		t.Fatalf("Run did not write the queued use")
	}
	r.Note("last", nil, now)
	stop()
	<-done
	if r.Pending() != 0 || w.count() != 3 {
		t.Errorf("at stop: %d pending, %d writes", r.Pending(), w.count())
	}
}
