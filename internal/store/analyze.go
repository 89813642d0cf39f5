package store

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// analyzeTimeout bounds one refresh of the statistics in the background.
const analyzeTimeout = 10 * time.Minute

// analyzer refreshes statistics in the background after bulk loads, one
// refresh at a time, outside any request: run inside an import's request,
// a slow VACUUM made a committed import answer 503, and an idempotent
// retry replayed that answer. Requests made while one runs ask for one
// more run after it. Close cancels it and starts no other.
type analyzer struct {
	log     *slog.Logger
	ctx     context.Context // ended by Close
	stop    context.CancelFunc
	mu      sync.Mutex
	running bool
	again   bool
	done    sync.WaitGroup
}

func newAnalyzer(log *slog.Logger) *analyzer {
	ctx, stop := context.WithCancel(context.Background())
	return &analyzer{log: log, ctx: ctx, stop: stop}
}

// AnalyzeInBackground asks for the statistics to be refreshed soon, in
// the background; it returns at once.
func (db *DB) AnalyzeInBackground() {
	a := db.analyzer
	a.mu.Lock()
	defer a.mu.Unlock()
	switch {
	case a.ctx.Err() != nil: // closing: the next start analyses anyway if needed
	case a.running:
		a.again = true
	default:
		a.running = true
		a.done.Add(1)
		go db.analyzeLoop()
	}
}

func (db *DB) analyzeLoop() {
	a := db.analyzer
	defer a.done.Done()
	for {
		ctx, cancel := context.WithTimeout(a.ctx, analyzeTimeout)
		start := time.Now()
		err := db.Analyze(ctx)
		cancel()
		switch {
		case a.ctx.Err() != nil:
			a.log.Info("statistics refresh stopped: shutting down")
		case err != nil:
			a.log.Warn("refreshing statistics after a bulk load", "err", err, "duration", time.Since(start).String())
		default:
			a.log.Info("refreshed statistics after a bulk load", "duration", time.Since(start).String())
		}
		a.mu.Lock()
		if !a.again || a.ctx.Err() != nil {
			a.running = false
			a.mu.Unlock()
			return
		}
		a.again = false
		a.mu.Unlock()
	}
}

// close cancels a refresh under way and waits for it to end.
func (a *analyzer) close() {
	a.mu.Lock()
	a.stop() // under mu: no refresh starts after it
	a.mu.Unlock()
	a.done.Wait()
}

// WaitAnalyzed waits until no refresh of the statistics is under way (or
// ctx ends): a command that imports and exits lets it finish first.
func (db *DB) WaitAnalyzed(ctx context.Context) error {
	a := db.analyzer
	for {
		a.mu.Lock()
		running := a.running
		a.mu.Unlock()
		if !running {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}
