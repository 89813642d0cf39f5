// Package lastuse records when credentials (API keys, staff sessions) were
// last used, without writing on the request path.
//
// Reading a credential must never write: on SQLite every write waits for
// the one writer, and an import holds it for seconds, so a request that
// recorded its use inline waited as long as the import. Instead a use is
// queued only when the credential's recorded use is stale (older than the
// Recorder's resolution) and it is not queued already, and Run writes the
// queue in the background, many credentials in one transaction.
package lastuse

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

const (
	// maxQueued bounds the queue; a use that finds it full is dropped
	// (the credential stays stale, so one of its next uses is queued again).
	maxQueued = 1024
	// flushTimeout bounds one write of the queue, waiting for the writer
	// included.
	flushTimeout = 30 * time.Second
	// batchWindow lets uses gather before a write.
	batchWindow = 200 * time.Millisecond
	// retryAfter spaces the attempts to write uses after a failure (the
	// database down, or SQLite's writer held past its busy timeout).
	retryAfter = 2 * time.Second
)

// Write records uses (credential id → time of use) in one transaction; a
// credential whose recorded use is later keeps it.
type Write func(ctx context.Context, uses map[string]time.Time) error

// Recorder holds the uses waiting to be written.
type Recorder struct {
	resolution time.Duration // how stale a recorded use may be
	write      Write
	what       string // what is recorded, for logs

	mu      sync.Mutex
	pending map[string]time.Time // id → time of use, not yet written
	queued  map[string]bool      // ids pending or being written
	wake    chan struct{}        // signalled when there is something to write
	flush   sync.Mutex           // one write at a time
}

// New returns a Recorder that writes uses with write, letting a recorded
// use grow as stale as resolution before it is written again; what names
// the credentials in logs ("API keys").
func New(what string, resolution time.Duration, write Write) *Recorder {
	return &Recorder{what: what, resolution: resolution, write: write,
		pending: map[string]time.Time{}, queued: map[string]bool{}, wake: make(chan struct{}, 1)}
}

// Note queues a use of credential id at now, if its recorded use (nil:
// never) is stale and it is not queued already. It never blocks.
func (q *Recorder) Note(id string, recorded *time.Time, now time.Time) {
	if recorded != nil && now.Sub(*recorded) < q.resolution {
		return
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.queued[id] || len(q.pending) >= maxQueued {
		return
	}
	q.pending[id] = now
	q.queued[id] = true
	q.signal()
}

func (q *Recorder) signal() {
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// take empties the queue, for a write.
func (q *Recorder) take() map[string]time.Time {
	q.mu.Lock()
	defer q.mu.Unlock()
	uses := q.pending
	q.pending = map[string]time.Time{}
	return uses
}

// done ends a write of uses: written, their credentials may be queued
// again (once their recorded use is stale); not written, they are put back
// to be tried again, as far as the queue's bound allows.
func (q *Recorder) done(uses map[string]time.Time, written bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for id, at := range uses {
		switch {
		case written:
			delete(q.queued, id)
		case len(q.pending) < maxQueued:
			q.pending[id] = at
		default:
			delete(q.queued, id) // dropped: its next use queues it again
		}
	}
	if !written {
		q.signal()
	}
}

// Run writes the uses as they are queued, until ctx ends; then it writes
// what is left. Run it in a goroutine of its own; without it, uses stay
// queued until Flush.
func (q *Recorder) Run(ctx context.Context, log *slog.Logger) {
	for {
		select {
		case <-ctx.Done():
			fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), flushTimeout)
			defer cancel()
			if err := q.Flush(fctx); err != nil {
				log.Warn("recording the last use of "+q.what, "err", err)
			}
			return
		case <-q.wake:
		}
		select {
		case <-ctx.Done():
		case <-time.After(batchWindow):
		}
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), flushTimeout)
		err := q.Flush(fctx)
		cancel()
		if err != nil {
			log.Warn("recording the last use of "+q.what+"; trying again", "err", err)
			select {
			case <-ctx.Done():
			case <-time.After(retryAfter):
			}
		}
	}
}

// Flush writes the queued uses now, in one transaction: at shutdown, and
// in tests. Uses it could not write stay queued.
func (q *Recorder) Flush(ctx context.Context) error {
	q.flush.Lock()
	defer q.flush.Unlock()
	uses := q.take()
	if len(uses) == 0 {
		return nil
	}
	err := q.write(ctx, uses)
	q.done(uses, err == nil)
	return err
}

// Pending reports how many uses wait to be written.
func (q *Recorder) Pending() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.pending)
}
