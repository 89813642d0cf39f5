package index

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/hanoicreative/registry/internal/registry"
)

// Why an index is rebuilt once it was built.
const (
	reasonFailure = "failure" // following the feed failed half way
	reasonDrift   = "drift"   // it differs from the database
)

// health counts the rebuilds and the drifts found, for /metrics.
type health struct {
	failureRebuilds, driftRebuilds, drifts atomic.Uint64
	// stalled says the index could not pass change sequence stalledAt at
	// the last comparison; only the background loop uses them.
	stalled   bool
	stalledAt int64
	// ahead are the entities the index held ahead of its sequence at the
	// end of the last comparison's catch-up.
	ahead map[[16]byte]int32
}

// Rebuilds returns how many times the index was rebuilt after a failure
// to follow the feed, and after it was found to differ from the database.
func (s *Store) Rebuilds() (afterFailure, afterDrift uint64) {
	return s.health.failureRebuilds.Load(), s.health.driftRebuilds.Load()
}

// DriftDetected returns how many comparisons found the index different
// from the database.
func (s *Store) DriftDetected() uint64 { return s.health.drifts.Load() }

// requestRebuild asks the background loop for a new index (once: a
// request already waiting stands for this one).
func (s *Store) requestRebuild(reason string) {
	select {
	case s.rebuild <- reason:
	default:
	}
}

// outOfService stops answering from the index: the wrapped store answers
// and /readyz is 503 until a new index is built.
func (s *Store) outOfService() {
	s.mu.Lock()
	s.ready.Store(false)
	s.mu.Unlock()
}

// Start builds the index in the background, trying again while the
// database is unreachable; then, until ctx ends, rebuilds it when
// following the feed failed, and compares it with the database every
// ReconcileInterval, rebuilding it when they differ. Without Start (Build
// alone) an index that failed stays out of service.
func (s *Store) Start(ctx context.Context) {
	go s.run(ctx)
}

func (s *Store) run(ctx context.Context) {
	if !s.buildUntilDone(ctx, "") {
		return
	}
	var tick <-chan time.Time
	if s.opts.ReconcileInterval > 0 {
		t := time.NewTicker(s.opts.ReconcileInterval)
		defer t.Stop()
		tick = t.C
	}
	for {
		select {
		case <-ctx.Done():
			return
		case reason := <-s.rebuild:
			s.outOfService()
			if !s.buildUntilDone(ctx, reason) {
				return
			}
		case <-tick:
			why, err := s.reconcile(ctx)
			if err != nil {
				if ctx.Err() == nil {
					s.log.Warn("comparing the listing index with the database failed; trying again at the next interval", "err", err)
				}
				continue
			}
			if why == "" {
				continue
			}
			s.health.drifts.Add(1)
			s.log.Warn("the listing index differs from the database; rebuilding it, the database answers listings meanwhile",
				"reason", reasonDrift, "detail", why)
			s.outOfService()
			if !s.buildUntilDone(ctx, reasonDrift) {
				return
			}
		}
	}
}

// buildUntilDone builds a new index, pausing longer after every failure,
// until it is built (true) or ctx ends (false). reason is why it is
// rebuilt ("" for the first build).
func (s *Store) buildUntilDone(ctx context.Context, reason string) bool {
	wait := s.opts.RetryAfter
	for {
		begin := time.Now()
		err := s.Build(ctx)
		if err == nil {
			n, size := s.Size()
			took := time.Since(begin).Round(time.Millisecond).String()
			switch reason {
			case "":
				s.log.Info("listing index ready", "entities", n, "bytes", size, "took", took)
			case reasonFailure:
				s.health.failureRebuilds.Add(1)
			case reasonDrift:
				s.health.driftRebuilds.Add(1)
			}
			if reason != "" {
				s.log.Info("listing index rebuilt", "reason", reason, "entities", n, "bytes", size, "took", took)
			}
			s.health.stalled, s.health.ahead = false, nil
			return true
		}
		if ctx.Err() != nil {
			return false
		}
		s.log.Warn("building the listing index failed; the database answers listings meanwhile", "reason", reason, "err", err, "retry_in", wait.String())
		select {
		case <-ctx.Done():
			return false
		case <-time.After(wait):
		}
		wait = min(2*wait, time.Minute)
	}
}

// reconcileAttempts bounds the tries of one comparison while writes keep
// moving the database between the tally and the index's catch-up.
const reconcileAttempts = 5

// reconcile compares the index with the database and says how they
// differ ("" when they agree, or when writes kept it from telling).
//
// The comparison is count and sum of versions by status, against the
// index at exactly the tally's change sequence (one query, one row per
// status). Every change in the feed adds one to one entity's version, so
// a change missed or applied from an old read, an entity inserted or
// deleted by hand, a status or version changed by hand, all show; and
// this costs one pass over the rows in the database and one over the
// bitmaps in memory, where a checksum of every (id, version) would read
// and ship every id. A hand edit that keeps the version is not seen (nor
// by the response cache): give such edits a new version.
//
// It reads the primary database: the tally and the catch-up must see the
// same database, and the index may already be ahead of a replica.
func (s *Store) reconcile(ctx context.Context) (string, error) {
	ctx = registry.WithPrimary(ctx)
	for attempt := range reconcileAttempts {
		if attempt > 0 {
			select {
			case <-ctx.Done():
				return "", ctx.Err()
			case <-time.After(time.Second):
			}
		}
		if !s.Ready() {
			return "", nil // a rebuild is on its way
		}
		before := s.seq()
		db, err := s.src.Tally(ctx)
		if err != nil {
			return "", err
		}
		if before > db.Seq {
			return fmt.Sprintf("the index reflects change %d, the database only %d (restored from a backup, or a failover lost changes)", before, db.Seq), nil
		}
		mine, ahead, stalled, err := s.catchUpForTally(ctx)
		if err != nil {
			return "", err
		}
		aheadBefore := s.health.ahead
		s.health.ahead = ahead
		switch {
		case stalled && mine.Seq < db.Seq:
			// On the primary an entity is at least at the version of its
			// change once the change is visible: a stall that lasts from
			// one comparison to the next is a row changed by hand.
			if s.health.stalled && s.health.stalledAt == mine.Seq {
				return fmt.Sprintf("the entity of the change after %d is not at that change's version in the database", mine.Seq), nil
			}
			s.health.stalled, s.health.stalledAt = true, mine.Seq
			return "", nil
		case mine.Seq == db.Seq && len(ahead) > 0:
			// An entity read at a version its last change applied does not
			// announce, and still so after a tally taken since it was read:
			// that version's change, if any, would be in the tally's
			// sequence and applied. None is: the row was changed by hand.
			for id, v := range ahead {
				if aheadBefore[id] == v {
					return fmt.Sprintf("entity %s is at version %d in the database, which the change feed never announced", uuid.UUID(id), v), nil
				}
			}
			continue
		case mine.Seq != db.Seq:
			continue // written to meanwhile
		}
		s.health.stalled = false
		if !maps.Equal(mine.ByStatus, db.ByStatus) {
			return fmt.Sprintf("at change %d the index holds %s, the database %s", db.Seq, describeTally(mine), describeTally(db)), nil
		}
		return "", nil
	}
	return "", nil
}

// catchUpForTally applies the feed to the index and tallies it; ahead
// are the entities it holds at versions newer than its sequence (while
// there are some, it is not the database as of that sequence).
func (s *Store) catchUpForTally(ctx context.Context) (t registry.Tally, ahead map[[16]byte]int32, stalled bool, err error) {
	if err := s.lock(ctx); err != nil {
		return t, nil, false, err
	}
	defer s.unlock()
	if !s.Ready() {
		return t, nil, false, nil
	}
	if stalled, err = s.apply(ctx, s.ix, true); err != nil {
		return t, nil, false, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.ix.tally(), maps.Clone(s.ix.ahead), stalled, nil
}

func describeTally(t registry.Tally) string {
	var parts []string
	for _, st := range slices.Sorted(maps.Keys(t.ByStatus)) {
		x := t.ByStatus[st]
		parts = append(parts, fmt.Sprintf("%d %s (versions adding up to %d)", x.Entities, st, x.Versions))
	}
	if len(parts) == 0 {
		return "no entity"
	}
	return strings.Join(parts, ", ")
}
