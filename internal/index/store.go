package index

import (
	"context"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"github.com/maypok86/otter/v2"

	"github.com/hanoicreative/registry/internal/doorkeeper"
	"github.com/hanoicreative/registry/internal/registry"
)

const (
	// buildBatch is how many entities a build reads at a time.
	buildBatch = 2000
	// catchUpBatch is how many changes a catch-up reads at a time.
	catchUpBatch = 2000
)

// Store is a registry.Store that answers listings (searches, filters,
// facets, exports), stats and sector counts from an in-memory index of the
// store it wraps, and passes everything else through. Until the index is
// built, and whenever it cannot vouch for an answer, the wrapped store
// answers.
//
// Freshness: before answering, the index applies every change up to the
// change sequence the request observed (registry.Observed) or, failing
// that, reads from the database; so it never answers from before a write
// whose response was sent, on any instance. It moves past a change only
// once it has read the change's entity at that version or a later one;
// when it cannot reach the request's sequence (a replica behind, a read
// failing) the wrapped store answers. The page's entities are then read
// by id, and their versions must be those the index holds, else the index
// catches up and answers again.
//
// Healing (heal.go): Start rebuilds the index in the background when
// following the feed failed, and when a periodic comparison with the
// database finds that they differ.
type Store struct {
	registry.Store
	src  Source
	opts Options
	log  *slog.Logger

	mu    sync.RWMutex // guards ix
	ix    *index
	ready atomic.Bool

	// retryAt is when (Unix nanoseconds) a catch-up that stopped short
	// may be tried again: until then requests the index is behind go to
	// the wrapped store at once rather than one by one through the
	// catch-up lock.
	retryAt atomic.Int64
	// rebuild asks the background loop (Start) for a new index, with the
	// reason; it holds one request.
	rebuild chan string
	health  health

	// catchingUp is a one-place lock: one catch-up at a time, and a wait
	// for it that gives up with the request.
	catchingUp chan struct{}

	refsMu sync.Mutex
	refs   *references

	// entities keeps entities read from the database, by id, for pages and
	// reads (slugs maps the slugs reads gave to ids); one is served only
	// while the index holds it at the same version.
	entities *otter.Cache[string, registry.Entity]
	// listed lets an entity read for a page into the entity cache once
	// asked for twice: most entities of cold searches' pages are listed
	// once, and keeping each cost a copy and an eviction.
	listed *doorkeeper.Doorkeeper
	slugs  *otter.Cache[string, string]
}

// references are the sectors and kinds as of a reference-data version.
type references struct {
	ref     int64
	sectors []registry.Sector
	kinds   []registry.Kind
}

var _ registry.Store = (*Store)(nil)

// Source is the store the index wraps and follows: it can also tally its
// entities, which the periodic comparison needs.
type Source interface {
	registry.Store
	Tally(ctx context.Context) (registry.Tally, error)
}

// Options tune the index's healing.
type Options struct {
	// ReconcileInterval is how often the index is compared with the
	// database (DefaultReconcileInterval when 0; never when negative).
	ReconcileInterval time.Duration
	// RetryAfter is the first pause after a build that failed
	// (DefaultRetryAfter when 0); it doubles up to a minute.
	RetryAfter time.Duration
}

const (
	// DefaultReconcileInterval: the comparison reads every row once
	// (under 0.1 s at 20,000 entities), so every few minutes costs little.
	DefaultReconcileInterval = 5 * time.Minute
	DefaultRetryAfter        = time.Second
)

// New wraps st with the default options. The index is empty until Build
// (or Start) has run: until then st answers everything.
func New(st Source, log *slog.Logger) *Store { return NewWith(st, log, Options{}) }

// NewWith wraps st with opts.
func NewWith(st Source, log *slog.Logger, opts Options) *Store {
	if opts.ReconcileInterval == 0 {
		opts.ReconcileInterval = DefaultReconcileInterval
	}
	if opts.RetryAfter <= 0 {
		opts.RetryAfter = DefaultRetryAfter
	}
	return &Store{Store: st, src: st, opts: opts, log: log, catchingUp: make(chan struct{}, 1),
		rebuild: make(chan string, 1), entities: newEntityCache(), listed: doorkeeper.New(listedSlots), slugs: newSlugCache()}
}

// Ready reports whether the index answers listings.
func (s *Store) Ready() bool { return s.ready.Load() }

// Build reads every entity into a new index and starts answering from it.
func (s *Store) Build(ctx context.Context) error {
	// Every change up to v.Seq is in what the scan reads; those after it
	// may or may not be, and are applied again below.
	v, err := s.Store.DataVersion(ctx)
	if err != nil {
		return err
	}
	ix := newIndex()
	ix.building = true
	for after := ""; ; {
		es, err := s.Store.ScanEntities(ctx, after, buildBatch)
		if err != nil {
			return err
		}
		if err := ix.put(es); err != nil {
			return err
		}
		if len(es) < buildBatch {
			break
		}
		after = es[len(es)-1].ID
	}
	ix.seq = v.Seq
	if err := ix.built(); err != nil {
		return err
	}
	if err := s.lock(ctx); err != nil {
		return err
	}
	defer s.unlock()
	// Stopping short of the feed's end is no failure: requests that saw
	// more go to the database until the index catches up.
	if _, err := s.apply(ctx, ix, false); err != nil {
		return err
	}
	s.mu.Lock()
	s.ix = ix
	s.ready.Store(true)
	s.mu.Unlock()
	s.retryAt.Store(0)
	return nil
}

// Size returns how many entities the index holds and, roughly, how many
// bytes of memory it takes (0, 0 before it is built), not counting its
// caches (CachesBytes).
func (s *Store) Size() (entities int, bytes uint64) {
	if !s.Ready() {
		return 0, 0
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.ix.docs), s.ix.size()
}

// CachesBytes returns the bounds of the index's caches (search words,
// slugs, entities) added up.
func (s *Store) CachesBytes() uint64 {
	return wordCacheBytes + s.slugs.GetMaximum() + s.entities.GetMaximum()
}

// version returns the version the index holds of entity id.
func (s *Store) version(id string) (int, bool) {
	u, err := uuid.Parse(id)
	if err != nil {
		return 0, false
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if !s.ready.Load() {
		return 0, false
	}
	d, ok := s.ix.docOf(u)
	if !ok {
		return 0, false
	}
	return int(s.ix.docs[d].version), true
}

// Entity returns an entity by id or slug: from the entity cache when the
// index holds it at the cached version, else from the database.
func (s *Store) Entity(ctx context.Context, ref string) (registry.Entity, error) {
	if !s.Ready() || !s.fresh(ctx, false) {
		return s.Store.Entity(ctx, ref)
	}
	id, byID := ref, registry.IsUUID(ref)
	if !byID {
		id, _ = s.slugs.GetIfPresent(ref)
	}
	if e, ok := s.entities.GetIfPresent(id); ok && (byID || e.Slug == ref) {
		if v, known := s.version(e.ID); known && v == e.Version {
			return cloneEntity(e), nil
		}
	}
	e, err := s.Store.Entity(ctx, ref)
	if err != nil {
		return e, err
	}
	if v, known := s.version(e.ID); known && v == e.Version {
		s.entities.Set(e.ID, cloneEntity(e))
		if !byID {
			s.slugs.Set(ref, e.ID)
		}
	}
	return e, nil
}

func (s *Store) lock(ctx context.Context) error {
	select {
	case s.catchingUp <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s *Store) unlock() { <-s.catchingUp }

// stallPause is how long requests leave the catch-up alone after it
// stopped short (a replica a few milliseconds behind, a failed read).
const stallPause = 250 * time.Millisecond

// apply brings ix up to date with the change feed, as far as the entities
// read allow; the caller holds the catch-up lock. It stops before the
// first change whose entity it could not read at that change's version
// (stalled is then true), and applies the changes before it. shared says
// whether ix is the one requests read (then changes are made under mu,
// and a failure to apply them takes the index out of service and asks
// for a new one).
func (s *Store) apply(ctx context.Context, ix *index, shared bool) (stalled bool, err error) {
	for {
		changes, err := s.Store.Changes(ctx, ix.seq, catchUpBatch)
		if err != nil || len(changes) == 0 {
			return false, err
		}
		seen := make(map[string]bool, len(changes))
		var ids []string
		for _, c := range changes {
			if !seen[c.EntityID] {
				seen[c.EntityID] = true
				ids = append(ids, c.EntityID)
			}
		}
		es, err := s.Store.EntitiesByID(ctx, ids)
		if err != nil {
			return false, err
		}
		read := make(map[string]registry.Entity, len(es))
		for _, e := range es {
			read[e.ID] = e
		}
		n := applicable(changes, read)
		if shared {
			s.mu.Lock()
		}
		err = ix.follow(changes[:n], read)
		if shared {
			if err != nil {
				// Half applied: the database answers until a new index is built.
				s.ready.Store(false)
			}
			s.mu.Unlock()
			if err != nil {
				s.log.Error("the listing index cannot follow the change feed; the database answers listings until it is rebuilt", "err", err)
				s.requestRebuild(reasonFailure)
			}
		}
		if err != nil {
			return false, err
		}
		if n < len(changes) {
			c := changes[n]
			s.log.Debug("the listing index waits for an entity's version", "seq", c.Seq, "entity", c.EntityID,
				"version", c.Version, "read", read[c.EntityID].Version)
			return true, nil
		}
		if len(changes) < catchUpBatch {
			return false, nil
		}
	}
}

// seq is the change sequence the index reflects.
func (s *Store) seq() int64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.ix.seq
}

// fresh makes the index reflect every change the request may have seen
// acknowledged; force catches up even when the versions say it does. It
// reports whether the index may answer: false when it could not reach
// the request's change sequence (the caller lets the database answer).
// When the index is current this costs one comparison of versions.
func (s *Store) fresh(ctx context.Context, force bool) bool {
	v, observed := registry.Observed(ctx)
	if !observed && !force {
		var err error
		if v, err = s.Store.DataVersion(ctx); err != nil {
			return false
		}
	}
	if !force && s.seq() >= v.Seq {
		return true
	}
	if time.Now().UnixNano() < s.retryAt.Load() {
		return false // it stopped short moments ago
	}
	if err := s.lock(ctx); err != nil {
		return false
	}
	defer s.unlock()
	if !s.Ready() || time.Now().UnixNano() < s.retryAt.Load() {
		return false // taken out of service, or stopped short, while this waited
	}
	if !force && s.seq() >= v.Seq {
		return true // another request caught up meanwhile
	}
	stalled, err := s.apply(ctx, s.ix, true)
	if err != nil && ctx.Err() == nil || stalled { // not when only this request gave up
		s.retryAt.Store(time.Now().Add(stallPause).UnixNano())
	}
	return err == nil && s.Ready() && s.seq() >= v.Seq
}

// Entities answers a page of a listing from the index.
func (s *Store) Entities(ctx context.Context, q registry.ListQuery) (registry.Page, error) {
	if !s.Ready() {
		return s.Store.Entities(ctx, q)
	}
	for attempt := range 2 {
		if !s.fresh(ctx, attempt > 0) {
			break
		}
		s.mu.RLock()
		if !s.ready.Load() { // out of service since fresh looked
			s.mu.RUnlock()
			break
		}
		pg, err := s.ix.list(q)
		versions := make([]int, len(pg.docs))
		for i, p := range pg.docs {
			versions[i] = int(s.ix.docs[p.doc].version)
		}
		s.mu.RUnlock()
		if err != nil {
			return registry.Page{}, err
		}
		page, ok, err := s.hydrate(ctx, q, pg, versions)
		if err != nil || ok {
			return page, err
		}
	}
	// The index cannot reach the request's changes, or the database keeps
	// answering with versions other than the index's (a replica behind the
	// primary the index read, say): let the database answer.
	return s.Store.Entities(ctx, q)
}

// hydrate reads the page's entities (versions[i] is the version the index
// holds of pg.docs[i]); ok is false when one of them is not at that
// version.
func (s *Store) hydrate(ctx context.Context, q registry.ListQuery, pg page, versions []int) (registry.Page, bool, error) {
	docs := pg.docs
	out := registry.Page{Total: pg.total, Facets: pg.facets}
	if len(docs) > q.Limit {
		docs = docs[:q.Limit]
		out.Next = pg.order.cursor(q, docs[len(docs)-1])
	}
	if len(docs) == 0 {
		out.Entities = []registry.Entity{}
		return out, true, nil
	}
	// out.Entities is made at the first entity from the cache: when there
	// is none (most cold searches), the rows read are the page.
	ids := make([]string, len(docs))
	var missing []string
	for i, p := range docs {
		ids[i] = p.idString()
		if e, ok := s.entities.GetIfPresent(ids[i]); ok && e.Version == versions[i] {
			if out.Entities == nil {
				out.Entities = make([]registry.Entity, len(docs))
			}
			out.Entities[i] = cloneEntity(e)
		} else {
			missing = append(missing, ids[i])
		}
	}
	if len(missing) == 0 {
		return out, true, nil
	}
	es, err := s.Store.EntitiesByID(ctx, missing)
	if err != nil {
		return registry.Page{}, false, err
	}
	place := make(map[string]int, len(missing)) // where a missing entity goes in the page
	for i, id := range ids {
		if out.Entities == nil || out.Entities[i].ID == "" {
			place[id] = i
		}
	}
	if len(es) != len(place) {
		return registry.Page{}, false, nil // deleted since the index saw it
	}
	for _, e := range es {
		if i, found := place[e.ID]; !found || e.Version != versions[i] {
			return registry.Page{}, false, nil
		}
		if s.listed.Ask(e.ID); s.listed.AskedTwice(e.ID) {
			s.entities.Set(e.ID, cloneEntity(e))
		}
	}
	if out.Entities == nil {
		slices.SortFunc(es, func(a, b registry.Entity) int { return place[a.ID] - place[b.ID] })
		out.Entities = es
		return out, true, nil
	}
	for _, e := range es {
		out.Entities[place[e.ID]] = e
	}
	return out, true, nil
}

// Ping checks the database, and that the index is built: until it is, the
// instance answers correctly but slowly, so it is not ready for traffic.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.Store.Ping(ctx); err != nil {
		return err
	}
	if !s.Ready() {
		return registry.Errorf(registry.EUNAVAILABLE, "The listing index is being built; this instance is ready in a few seconds.")
	}
	return nil
}

// Stats counts the filtered set from the index.
func (s *Store) Stats(ctx context.Context, f registry.Filter, dims []string) ([]registry.StatRow, error) {
	if !s.Ready() || !s.fresh(ctx, false) {
		return s.Store.Stats(ctx, f, dims)
	}
	s.mu.RLock()
	if s.ready.Load() {
		defer s.mu.RUnlock()
		return s.ix.stats(f, dims)
	}
	s.mu.RUnlock() // out of service since fresh looked
	return s.Store.Stats(ctx, f, dims)
}

// SectorCounts counts active entities by sector from the index.
func (s *Store) SectorCounts(ctx context.Context) (map[string]int, error) {
	if !s.Ready() || !s.fresh(ctx, false) {
		return s.Store.SectorCounts(ctx)
	}
	s.mu.RLock()
	if s.ready.Load() {
		defer s.mu.RUnlock()
		return s.ix.sectorCounts(), nil
	}
	s.mu.RUnlock() // out of service since fresh looked
	return s.Store.SectorCounts(ctx)
}

// Sectors returns the sectors, read again only when reference data changed.
func (s *Store) Sectors(ctx context.Context) ([]registry.Sector, error) {
	r, err := s.references(ctx)
	if err != nil {
		return nil, err
	}
	return slices.Clone(r.sectors), nil
}

// Kinds returns the kinds, read again only when reference data changed.
func (s *Store) Kinds(ctx context.Context) ([]registry.Kind, error) {
	r, err := s.references(ctx)
	if err != nil {
		return nil, err
	}
	return slices.Clone(r.kinds), nil
}

// references returns the sectors and kinds as of at least the version the
// request observed.
func (s *Store) references(ctx context.Context) (*references, error) {
	v, observed := registry.Observed(ctx)
	if !observed {
		var err error
		if v, err = s.Store.DataVersion(ctx); err != nil {
			return nil, err
		}
	}
	s.refsMu.Lock()
	r := s.refs
	s.refsMu.Unlock()
	if r != nil && r.ref >= v.Ref {
		return r, nil
	}
	// Read after v was: what is read is at least as new.
	sectors, err := s.Store.Sectors(ctx)
	if err != nil {
		return nil, err
	}
	kinds, err := s.Store.Kinds(ctx)
	if err != nil {
		return nil, err
	}
	r = &references{ref: v.Ref, sectors: sectors, kinds: kinds}
	s.refsMu.Lock()
	if s.refs == nil || s.refs.ref < r.ref {
		s.refs = r
	}
	s.refsMu.Unlock()
	return r, nil
}
