package main

import (
	"context"
	"log/slog"
	"math"
	"runtime/debug"
	"time"

	"github.com/hanoicreative/registry/api"
	"github.com/hanoicreative/registry/internal/index"
)

// The in-memory index, its caches and the response cache share a memory
// budget, three quarters of the Go heap's soft limit (GOMEMLIMIT, 112 MiB
// unless set); the last quarter is the collector's room to work. The
// response cache gets what the index leaves, at least a floor, the
// index's own bytes counted twice: the collector marks its maps and
// bitmaps on every cycle, while it need not look inside the bytes of a
// cached answer, so with a large index it needs more room to run seldom.
// With the default limit, 10,000 entities leave the response cache about
// 60 MiB (every page and entity a festival week asks for) and 100,000 its
// floor. The answers are kept compressed, so the floor's 6 MiB hold some
// 24 MiB of JSON: the memory mix at 100,000 entities is served from it
// as well as it was from 16 MiB kept plain, and the process's peak falls
// below 150 MiB.
const (
	responseFloor = 6 << 20
	// budgetNoLimit is the budget when GOMEMLIMIT=off.
	budgetNoLimit = 72 << 20
)

// cacheBudget is what the index and the caches may take together.
func cacheBudget() uint64 {
	limit := debug.SetMemoryLimit(-1) // reads the limit
	if limit <= 0 || limit == math.MaxInt64 {
		return budgetNoLimit
	}
	return uint64(limit) / 4 * 3
}

// responseShare is what an index of indexBytes, with caches of
// cachesBytes, leaves the response cache.
func responseShare(budget, indexBytes, cachesBytes uint64) uint64 {
	if used := 2*indexBytes + cachesBytes; used+responseFloor < budget {
		return budget - used
	}
	return responseFloor
}

// fitCache sizes the response cache once the index is built and then,
// every minute, as the index grows.
func fitCache(ctx context.Context, h *api.Server, listings *index.Store, log *slog.Logger) {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	next := time.Time{}
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-tick.C:
			if !listings.Ready() || now.Before(next) {
				continue
			}
			next = now.Add(time.Minute)
			_, size := listings.Size()
			if want := responseShare(cacheBudget(), size, listings.CachesBytes()); want != h.CacheBytes() {
				h.ResizeCache(want)
				log.Info("response cache sized", "bytes", want, "index_bytes", size)
			}
		}
	}
}
