package auth

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// Recording last use. Reading a key must never write: on SQLite every
// write waits for the one writer, and an import holds it for seconds, so a
// keyed read that recorded its use inline waited as long as the import.
// Instead a use is queued only when the key's recorded use is a minute old
// (and that key is not queued already), and RecordUses writes the queue in
// the background, many keys in one transaction.
const (
	// useResolution is how stale a key's recorded use may be.
	useResolution = time.Minute
	// maxQueuedUses bounds the queue; a use that finds it full is dropped
	// (the key stays stale, so one of its next uses is queued again).
	maxQueuedUses = 1024
	// flushTimeout bounds one write of the queue, waiting for the writer
	// included.
	flushTimeout = 30 * time.Second
	// batchWindow lets uses gather before a write.
	batchWindow = 200 * time.Millisecond
	// retryAfter spaces the attempts to write uses after a failure (the
	// database down, or SQLite's writer held past its busy timeout).
	retryAfter = 2 * time.Second
)

// useQueue holds the uses waiting to be written.
type useQueue struct {
	mu      sync.Mutex
	pending map[string]time.Time // key id → time of use, not yet written
	queued  map[string]bool      // key ids pending or being written
	wake    chan struct{}        // signalled when there is something to write
	flush   sync.Mutex           // one write at a time
}

func newUseQueue() *useQueue {
	return &useQueue{pending: map[string]time.Time{}, queued: map[string]bool{}, wake: make(chan struct{}, 1)}
}

// note queues a use of k at now, if its recorded use is stale and it is
// not queued already. It never blocks.
func (q *useQueue) note(k Key, now time.Time) {
	if k.LastUsedAt != nil && now.Sub(*k.LastUsedAt) < useResolution {
		return
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.queued[k.ID] || len(q.pending) >= maxQueuedUses {
		return
	}
	q.pending[k.ID] = now
	q.queued[k.ID] = true
	q.signal()
}

func (q *useQueue) signal() {
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// take empties the queue, for a write.
func (q *useQueue) take() map[string]time.Time {
	q.mu.Lock()
	defer q.mu.Unlock()
	uses := q.pending
	q.pending = map[string]time.Time{}
	return uses
}

// done ends a write of uses: written, their keys may be queued again
// (once their recorded use is stale); not written, they are put back to
// be tried again, as far as the queue's bound allows.
func (q *useQueue) done(uses map[string]time.Time, written bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for id, at := range uses {
		switch {
		case written:
			delete(q.queued, id)
		case len(q.pending) < maxQueuedUses:
			q.pending[id] = at
		default:
			delete(q.queued, id) // dropped: its key's next use queues it again
		}
	}
	if !written {
		q.signal()
	}
}

// RecordUses writes the keys' last uses as they are queued, until ctx
// ends; then it writes what is left. Run it in a goroutine of its own;
// without it, uses stay queued until FlushUses.
func (s *Service) RecordUses(ctx context.Context, log *slog.Logger) {
	for {
		select {
		case <-ctx.Done():
			fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), flushTimeout)
			defer cancel()
			if err := s.FlushUses(fctx); err != nil {
				log.Warn("recording the last use of API keys", "err", err)
			}
			return
		case <-s.uses.wake:
		}
		select {
		case <-ctx.Done():
		case <-time.After(batchWindow):
		}
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), flushTimeout)
		err := s.FlushUses(fctx)
		cancel()
		if err != nil {
			log.Warn("recording the last use of API keys; trying again", "err", err)
			select {
			case <-ctx.Done():
			case <-time.After(retryAfter):
			}
		}
	}
}

// FlushUses writes the queued uses now, in one transaction: at shutdown,
// and in tests. Uses it could not write stay queued.
func (s *Service) FlushUses(ctx context.Context) error {
	s.uses.flush.Lock()
	defer s.uses.flush.Unlock()
	uses := s.uses.take()
	if len(uses) == 0 {
		return nil
	}
	err := s.store.TouchKeys(ctx, uses)
	s.uses.done(uses, err == nil)
	return err
}
