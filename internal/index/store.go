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
// whose response was sent, on any instance. The page's entities are then
// read by id, and their versions must be those the index holds, else the
// index catches up and answers again.
type Store struct {
	registry.Store
	log *slog.Logger

	mu    sync.RWMutex // guards ix
	ix    *index
	ready atomic.Bool

	// catchingUp is a one-place lock: one catch-up at a time, and a wait
	// for it that gives up with the request.
	catchingUp chan struct{}

	refsMu sync.Mutex
	refs   *references

	// entities keeps entities read from the database, by id, for pages and
	// reads (slugs maps the slugs reads gave to ids); one is served only
	// while the index holds it at the same version.
	entities *otter.Cache[string, registry.Entity]
	slugs    *otter.Cache[string, string]
}

// references are the sectors and kinds as of a reference-data version.
type references struct {
	ref     int64
	sectors []registry.Sector
	kinds   []registry.Kind
}

var _ registry.Store = (*Store)(nil)

// New wraps st. The index is empty until Build (or Start) has run: until
// then st answers everything.
func New(st registry.Store, log *slog.Logger) *Store {
	return &Store{Store: st, log: log, catchingUp: make(chan struct{}, 1),
		entities: newEntityCache(), slugs: newSlugCache()}
}

// Ready reports whether the index answers listings.
func (s *Store) Ready() bool { return s.ready.Load() }

// Start builds the index in the background, trying again while the
// database is unreachable, until ctx ends.
func (s *Store) Start(ctx context.Context) {
	go func() {
		wait := time.Second
		for {
			begin := time.Now()
			err := s.Build(ctx)
			if err == nil {
				n, size := s.Size()
				s.log.Info("listing index ready", "entities", n, "bytes", size, "took", time.Since(begin).Round(time.Millisecond).String())
				return
			}
			if ctx.Err() != nil {
				return
			}
			s.log.Warn("building the listing index failed; the database answers listings meanwhile", "err", err, "retry_in", wait.String())
			select {
			case <-ctx.Done():
				return
			case <-time.After(wait):
			}
			wait = min(2*wait, 30*time.Second)
		}
	}()
}

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
	ix.built()
	if err := s.lock(ctx); err != nil {
		return err
	}
	defer s.unlock()
	if err := s.apply(ctx, ix, false); err != nil {
		return err
	}
	s.mu.Lock()
	s.ix = ix
	s.mu.Unlock()
	s.ready.Store(true)
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
	d, ok := s.ix.byID[u]
	if !ok {
		return 0, false
	}
	return int(s.ix.docs[d].version), true
}

// Entity returns an entity by id or slug: from the entity cache when the
// index holds it at the cached version, else from the database.
func (s *Store) Entity(ctx context.Context, ref string) (registry.Entity, error) {
	if !s.Ready() {
		return s.Store.Entity(ctx, ref)
	}
	if err := s.fresh(ctx, false); err != nil {
		return registry.Entity{}, err
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

// apply brings ix up to date with the change feed; the caller holds the
// catch-up lock. shared says whether ix is the one requests read (then
// changes are made under mu).
func (s *Store) apply(ctx context.Context, ix *index, shared bool) error {
	for {
		changes, err := s.Store.Changes(ctx, ix.seq, catchUpBatch)
		if err != nil || len(changes) == 0 {
			return err
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
			return err
		}
		if shared {
			s.mu.Lock()
		}
		err = ix.put(es)
		ix.seq = changes[len(changes)-1].Seq
		if shared {
			if err != nil {
				// Half applied: SQL answers from now on.
				s.ready.Store(false)
				s.log.Error("the listing index cannot follow the change feed; the database answers listings", "err", err)
			}
			s.mu.Unlock()
		}
		if err != nil {
			return err
		}
		if len(changes) < catchUpBatch {
			return nil
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
// acknowledged; force catches up even when the versions say it does.
func (s *Store) fresh(ctx context.Context, force bool) error {
	v, observed := registry.Observed(ctx)
	if !observed && !force {
		var err error
		if v, err = s.Store.DataVersion(ctx); err != nil {
			return err
		}
	}
	if !force && s.seq() >= v.Seq {
		return nil
	}
	if err := s.lock(ctx); err != nil {
		return err
	}
	defer s.unlock()
	if !force && s.seq() >= v.Seq {
		return nil // another request caught up meanwhile
	}
	return s.apply(ctx, s.ix, true)
}

// Entities answers a page of a listing from the index.
func (s *Store) Entities(ctx context.Context, q registry.ListQuery) (registry.Page, error) {
	if !s.Ready() {
		return s.Store.Entities(ctx, q)
	}
	for attempt := range 2 {
		if err := s.fresh(ctx, attempt > 0); err != nil {
			return registry.Page{}, err
		}
		s.mu.RLock()
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
	// The database keeps answering with versions other than the index's (a
	// replica behind the primary the index read, say): let it answer.
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
	ids := make([]string, len(docs))
	out.Entities = make([]registry.Entity, len(docs))
	var missing []string
	for i, p := range docs {
		ids[i] = p.idString()
		if e, ok := s.entities.GetIfPresent(ids[i]); ok && e.Version == versions[i] {
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
	read := make(map[string]registry.Entity, len(es))
	for _, e := range es {
		read[e.ID] = e
	}
	for i, id := range ids {
		if out.Entities[i].ID != "" {
			continue
		}
		e, found := read[id]
		if !found || e.Version != versions[i] {
			return registry.Page{}, false, nil
		}
		s.entities.Set(id, cloneEntity(e))
		out.Entities[i] = e
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
	if !s.Ready() {
		return s.Store.Stats(ctx, f, dims)
	}
	if err := s.fresh(ctx, false); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.ix.stats(f, dims)
}

// SectorCounts counts active entities by sector from the index.
func (s *Store) SectorCounts(ctx context.Context) (map[string]int, error) {
	if !s.Ready() {
		return s.Store.SectorCounts(ctx)
	}
	if err := s.fresh(ctx, false); err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.ix.sectorCounts(), nil
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
