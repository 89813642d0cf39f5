package api

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hanoicreative/registry/internal/doorkeeper"
	"github.com/hanoicreative/registry/internal/registry"
	"github.com/klauspost/compress/s2"
	"github.com/labstack/echo/v4"
	"github.com/maypok86/otter/v2"
	"golang.org/x/sync/singleflight"
)

// The response cache keeps the bytes of read answers tagged with the data
// version they were computed at (the change sequence, plus a count of
// reference-data changes). Every write moves it, inside its transaction,
// and every cached read first learns the current version from the
// database, so an answer is never served after a write committed before
// the request arrived, on any instance: freshness is checked against the
// database, not announced between instances.

// cachedResponse is a stored answer. Its body is kept compressed (S2, a
// Snappy of the same kind): JSON shrinks to a quarter, so the cache holds
// four times the answers in its memory, and reading one back costs some
// ten microseconds in a 30 KB page.
type cachedResponse struct {
	seq    int64
	status int
	header http.Header
	packed []byte // the body, S2-compressed
}

// cachedHeaders are the response headers a cached answer keeps.
var cachedHeaders = []string{echo.HeaderContentType, "ETag", "Link", echo.HeaderLocation}

type responseCache struct {
	entries *otter.Cache[string, cachedResponse]
	seq     *seqReader
	// flight lets one request compute a missing answer while the others
	// asking for it at the same version wait, instead of a herd of equal
	// queries (16 clients asking one cold search made 16 full scans).
	flight singleflight.Group
	// door lets only answers asked for twice in, so that a one-off
	// search's answer is not compressed and kept for nothing.
	door *doorkeeper.Doorkeeper
	// served counts answers by outcome, for the metrics.
	served cacheOutcomes
	// buffers lends room to compress and decompress bodies in.
	buffers sync.Pool
}

// newResponseCache makes a cache of at most maxBytes of answers, checked
// against the versions seq reads; nil when maxBytes is 0 (caching off).
func newResponseCache(maxBytes uint64, seq *seqReader) *responseCache {
	if maxBytes == 0 {
		return nil
	}
	return &responseCache{
		entries: otter.Must(&otter.Options[string, cachedResponse]{
			MaximumWeight: maxBytes,
			Weigher: func(key string, v cachedResponse) uint32 {
				return uint32(len(key) + cap(v.packed) + 512)
			},
		}),
		seq:  seq,
		door: doorkeeper.New(doorkeeperSlots),
	}
}

// doorkeeperSlots is how many keys the response cache's doorkeeper
// remembers at most (128 KiB): an answer asked for again within some
// thousands of other requests is kept.
const doorkeeperSlots = 1 << 14

// cacheOutcomes count the answers of cacheable reads: served from the
// cache, computed and kept, computed and not kept (asked once so far, an
// error, or too large to keep).
type cacheOutcomes struct {
	hits, kept, passed atomic.Uint64
}

// ResizeCache bounds the response cache to maxBytes of answers from now
// on (evicting what no longer fits); it does nothing when caching is off.
func (s *Server) ResizeCache(maxBytes uint64) {
	if s.cache != nil && maxBytes > 0 {
		s.cache.entries.SetMaximum(maxBytes)
	}
}

// CacheBytes returns the bound of the response cache (0: caching is off).
func (s *Server) CacheBytes() uint64 {
	if s.cache == nil {
		return 0
	}
	return s.cache.entries.GetMaximum()
}

// maxCachedBody is the largest answer worth keeping.
const maxCachedBody = 1 << 20

// serveCached answers from the cache when it holds an answer for key at
// the current change sequence; otherwise compute writes the answer (through
// c, as usual) and a successful one is kept. written, when not nil, may
// turn a cached answer into another (a 304, say).
func (s *Server) serveCached(c echo.Context, key string, compute func(c echo.Context) error, written func(c echo.Context, r cachedResponse) error) error {
	if s.cache == nil || registry.PrimaryOnly(c.Request().Context()) {
		return s.computeInTurn(c, compute, nil)
	}
	versions, err := s.observedVersions(c)
	if err != nil {
		return err
	}
	seq := versions.Data()
	hit := func() (cachedResponse, bool) {
		r, ok := s.cache.entries.GetIfPresent(key)
		return r, ok && r.seq == seq
	}
	serve := func(r cachedResponse) error {
		if written != nil {
			return written(c, r)
		}
		return s.writeCached(c, r)
	}
	if r, ok := hit(); ok {
		s.cache.served.hits.Add(1)
		return serve(r)
	}
	s.cache.door.Ask(key)
	led := false
	_, err, _ = s.cache.flight.Do(key+"@"+strconv.FormatInt(seq, 10), func() (any, error) {
		led = true
		return nil, s.computeAndKeep(c, key, seq, compute)
	})
	if led {
		return err
	}
	if r, ok := hit(); ok {
		s.cache.served.hits.Add(1)
		return serve(r)
	}
	s.cache.served.passed.Add(1)
	return s.computeInTurn(c, compute, nil) // the answer was not kept (an error, say): make our own
}

// computeAndKeep answers the request with compute, in turn, and keeps a
// successful answer, tagged with the data version seq, when its key has
// been asked for twice by the time it is computed (by this request and an
// earlier one, or one waiting for this answer).
func (s *Server) computeAndKeep(c echo.Context, key string, seq int64, compute func(c echo.Context) error) error {
	res := c.Response()
	err := s.computeInTurn(c, compute, func(status int, body []byte) {
		if status != http.StatusOK || len(body) > maxCachedBody || !s.cache.door.AskedTwice(key) {
			s.cache.served.passed.Add(1)
			return
		}
		s.cache.served.kept.Add(1)
		buf := s.cache.buffer(s2.MaxEncodedLen(len(body)))
		r := cachedResponse{seq: seq, status: status, header: http.Header{}, packed: bytes.Clone(s2.Encode(*buf, body))}
		s.cache.buffers.Put(buf)
		for _, h := range cachedHeaders {
			if v := res.Header().Get(h); v != "" {
				r.header.Set(h, v)
			}
		}
		// Keep the newest: an older answer must not replace a newer one.
		s.cache.entries.Compute(key, func(old cachedResponse, found bool) (cachedResponse, otter.ComputeOp) {
			if found && old.seq > seq {
				return old, otter.CancelOp
			}
			return r, otter.WriteOp
		})
	})
	if err != nil {
		s.cache.served.passed.Add(1)
	}
	return err
}

// observedVersions returns the data version of the request, read once
// after it arrived (from the primary when the request must read there)
// and recorded in its context, so that what is computed for it, and the
// tag it is given, need not read it again.
func (s *Server) observedVersions(c echo.Context) (registry.Versions, error) {
	ctx := c.Request().Context()
	if v, ok := registry.Observed(ctx); ok {
		return v, nil
	}
	var v registry.Versions
	var err error
	if registry.PrimaryOnly(ctx) {
		v, err = s.svc.Store().DataVersion(ctx)
	} else {
		v, err = s.versions.current(ctx)
	}
	if err != nil {
		return v, err
	}
	c.SetRequest(c.Request().WithContext(registry.WithObserved(ctx, v)))
	return v, nil
}

// writeCached writes a cached answer.
func (s *Server) writeCached(c echo.Context, r cachedResponse) error {
	n, err := s2.DecodedLen(r.packed)
	if err != nil {
		return fmt.Errorf("cached answer: %w", err)
	}
	buf := s.cache.buffer(n)
	defer s.cache.buffers.Put(buf)
	body, err := s2.Decode(*buf, r.packed)
	if err != nil {
		return fmt.Errorf("cached answer: %w", err)
	}
	h := c.Response().Header()
	for k, v := range r.header {
		h[k] = v
	}
	c.Response().WriteHeader(r.status)
	_, err = c.Response().Write(body)
	return err
}

// buffer lends a buffer of at least n bytes (its length): give it back to
// buffers.
func (rc *responseCache) buffer(n int) *[]byte {
	buf, _ := rc.buffers.Get().(*[]byte)
	if buf == nil {
		buf = new([]byte)
	}
	if cap(*buf) < n {
		*buf = make([]byte, n)
	}
	*buf = (*buf)[:n]
	return buf
}

// seqReader reads the current data version for requests, sharing one
// database read among all the requests that arrived before it started. A
// request never uses a read that began before it arrived: that read could
// miss a write whose answer the client has already seen.
type seqReader struct {
	read func(context.Context) (registry.Versions, error)

	mu      sync.Mutex
	running bool
	next    *seqCall // the read that starts when the running one ends
}

type seqCall struct {
	done chan struct{}
	seq  registry.Versions
	err  error
}

func (r *seqReader) current(ctx context.Context) (registry.Versions, error) {
	r.mu.Lock()
	if r.next == nil {
		r.next = &seqCall{done: make(chan struct{})}
	}
	call := r.next
	if !r.running {
		r.running = true
		r.next = nil
		go r.run(call)
	}
	r.mu.Unlock()
	select {
	case <-call.done:
		return call.seq, call.err
	case <-ctx.Done():
		return registry.Versions{}, ctx.Err()
	}
}

// run performs reads back to back while requests wait for them.
func (r *seqReader) run(call *seqCall) {
	for call != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		call.seq, call.err = r.read(ctx)
		cancel()
		close(call.done)
		r.mu.Lock()
		call, r.next = r.next, nil
		if call == nil {
			r.running = false
		}
		r.mu.Unlock()
	}
}
