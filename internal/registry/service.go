package registry

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/hanoicreative/registry/internal/wards"
)

// Service is the registry's domain logic over a Store: it turns drafts into
// entities, keeps versions and revisions, and checks everything that needs
// reference data. It holds no mutable state; it is safe for concurrent use.
type Service struct {
	store   Store
	wards   *wards.Index
	formats formats
	now     func() time.Time
	media   MediaStore // nil: images are refused
	// decoding holds a place for each image being decoded: a 40-megapixel
	// image takes 160 MB as pixels, so only a few are decoded at once.
	decoding chan struct{}
}

// NewService returns a Service over store, resolving wards with w.
func NewService(store Store, w *wards.Index) *Service {
	return &Service{store: store, wards: w, formats: newFormats(), now: func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) },
		decoding: make(chan struct{}, concurrentDecodes)}
}

// Store returns the store the service works on.
func (s *Service) Store() Store { return s.store }

// Wards returns the ward index.
func (s *Service) Wards() *wards.Index { return s.wards }

// Entity returns an entity by id or slug.
func (s *Service) Entity(ctx context.Context, ref string) (Entity, error) {
	return s.store.Entity(ctx, ref)
}

// Entities returns a page of a listing, after checking that every sector
// and kind it names exists (an unknown one is a client error, not an
// empty page).
func (s *Service) Entities(ctx context.Context, q ListQuery) (Page, error) {
	if err := s.CheckFilter(ctx, q.Filter); err != nil {
		return Page{}, err
	}
	return s.store.Entities(ctx, q)
}

// CheckFilter refuses filters on sectors or kinds that do not exist.
func (s *Service) CheckFilter(ctx context.Context, f Filter) error {
	if len(f.Sectors) == 0 && len(f.Kinds) == 0 {
		return nil
	}
	r, err := s.loadRefs(ctx, s.store)
	if err != nil {
		return err
	}
	for _, slug := range f.Sectors {
		if _, ok := r.position[slug]; !ok {
			return Errorf(EMALFORMED, "sector %q is not a known sector; GET /v1/sectors lists them.", slug)
		}
	}
	for _, slug := range f.Kinds {
		if !r.kinds[slug] {
			return Errorf(EMALFORMED, "kind %q is not a known kind; GET /v1/kinds lists them.", slug)
		}
	}
	return nil
}

// CheckDraft returns every field of d that reference data rejects. The
// edge calls it to report these together with its own shape errors.
func (s *Service) CheckDraft(ctx context.Context, d EntityDraft) ([]FieldError, error) {
	r, err := s.loadRefs(ctx, s.store)
	if err != nil {
		return nil, err
	}
	_, errs := s.build(r, d, nil)
	return errs, nil
}

// CreateEntity registers a new entity from a draft.
func (s *Service) CreateEntity(ctx context.Context, actor string, d EntityDraft) (Entity, error) {
	r, err := s.loadRefs(ctx, s.store)
	if err != nil {
		return Entity{}, err
	}
	e, errs := s.build(r, d, nil)
	if len(errs) > 0 {
		return Entity{}, Invalid(errs)
	}
	return s.create(ctx, s.store, actor, e)
}

// create stores a new, checked entity with its first revision.
func (s *Service) create(ctx context.Context, st Store, actor string, e Entity) (Entity, error) {
	id, err := uuid.NewV7()
	if err != nil {
		return Entity{}, Internal(err)
	}
	now := s.now()
	e.ID, e.Status, e.Version, e.CreatedAt, e.UpdatedAt = id.String(), StatusActive, 1, now, now
	rev := Revision{EntityID: e.ID, Version: 1, Action: ActionCreated, Actor: actor, At: now,
		Changes: Diff(Entity{}, e), Snapshot: e}
	if err := st.CreateEntity(ctx, e, &rev); err != nil {
		return Entity{}, err
	}
	return e, nil
}

// UpdateEntity applies change to the current state of an entity, if pre
// holds for its version. change returns the new draft and any field errors
// it found itself (a merge patch's unknown fields, say). An update that
// changes nothing returns the entity as it is, with no new version.
func (s *Service) UpdateEntity(ctx context.Context, actor, ref string, pre Precondition, change func(Entity) (EntityDraft, []FieldError)) (Entity, error) {
	cur, err := s.store.Entity(ctx, ref)
	if err != nil {
		return Entity{}, err
	}
	if err := pre.Check(cur.Version); err != nil {
		return Entity{}, err
	}
	r, err := s.loadRefs(ctx, s.store)
	if err != nil {
		return Entity{}, err
	}
	d, errs := change(cur)
	next, buildErrs := s.build(r, d, &cur)
	if errs = MergeFieldErrors(errs, buildErrs); len(errs) > 0 {
		return Entity{}, Invalid(errs)
	}
	e, _, err := s.commit(ctx, s.store, actor, cur, withIdentity(next, cur), ActionUpdated)
	return e, err
}

// withIdentity gives edited fields the identity and life-cycle of cur.
func withIdentity(next, cur Entity) Entity {
	next.ID, next.Status, next.Version, next.CreatedAt, next.UpdatedAt = cur.ID, cur.Status, cur.Version, cur.CreatedAt, cur.UpdatedAt
	// Images are changed by their own operations, not by edits of fields.
	next.Logo, next.Photos = cur.Logo, cur.Photos
	return next
}

// ArchiveEntity archives an entity; archiving an archived one changes nothing.
func (s *Service) ArchiveEntity(ctx context.Context, actor, ref string, pre Precondition) (Entity, error) {
	return s.setStatus(ctx, actor, ref, pre, StatusArchived, ActionArchived)
}

// RestoreEntity brings an archived entity back; restoring an active one
// changes nothing.
func (s *Service) RestoreEntity(ctx context.Context, actor, ref string, pre Precondition) (Entity, error) {
	return s.setStatus(ctx, actor, ref, pre, StatusActive, ActionRestored)
}

func (s *Service) setStatus(ctx context.Context, actor, ref string, pre Precondition, status Status, action Action) (Entity, error) {
	// Without If-Match the caller asked for the status whatever the version:
	// retry when a concurrent write moves the version between read and write.
	for attempt := 0; ; attempt++ {
		cur, err := s.store.Entity(ctx, ref)
		if err != nil {
			return Entity{}, err
		}
		if err := pre.Check(cur.Version); err != nil {
			return Entity{}, err
		}
		next := cur
		next.Status = status
		e, _, err := s.commit(ctx, s.store, actor, cur, next, action)
		if ErrorCode(err) == EPRECONDITION && !pre.Given && attempt < 3 {
			continue
		}
		return e, err
	}
}

// commit stores next as the successor of cur, with a revision, unless
// nothing changed; changed says which.
func (s *Service) commit(ctx context.Context, st Store, actor string, cur, next Entity, action Action) (e Entity, changed bool, err error) {
	changes := Diff(cur, next)
	if len(changes) == 0 {
		return cur, false, nil
	}
	next.Version = cur.Version + 1
	next.UpdatedAt = s.now()
	rev := Revision{EntityID: next.ID, Version: next.Version, Action: action, Actor: actor,
		At: next.UpdatedAt, Changes: changes, Snapshot: next}
	if err := st.UpdateEntity(ctx, next, &rev); err != nil {
		return Entity{}, false, err
	}
	return next, true, nil
}

// History returns an entity's revisions, newest first.
func (s *Service) History(ctx context.Context, ref string) ([]Revision, error) {
	e, err := s.store.Entity(ctx, ref)
	if err != nil {
		return nil, err
	}
	return s.store.History(ctx, e.ID)
}

// EntityAt returns an entity as it was at a version.
func (s *Service) EntityAt(ctx context.Context, ref string, version int) (Entity, error) {
	e, err := s.store.Entity(ctx, ref)
	if err != nil {
		return Entity{}, err
	}
	rev, err := s.store.Revision(ctx, e.ID, version)
	if err != nil {
		return Entity{}, err
	}
	return rev.Snapshot, nil
}

// ExportBatch is how many entities an export reads at a time: memory stays
// flat whatever the size of the export.
const ExportBatch = 500

// ExportEntities calls fn with every entity of the filtered set, in the
// query's order, reading it in batches.
func (s *Service) ExportEntities(ctx context.Context, q ListQuery, fn func(Entity) error) error {
	if err := s.CheckFilter(ctx, q.Filter); err != nil {
		return err
	}
	q.Limit, q.After, q.Facets, q.SkipTotal = ExportBatch, nil, nil, true
	for {
		page, err := s.store.Entities(ctx, q)
		if err != nil {
			return err
		}
		for _, e := range page.Entities {
			if err := fn(e); err != nil {
				return err
			}
		}
		if page.Next == nil {
			return nil
		}
		q.After = page.Next
	}
}

// Stats counts the filtered set by the given dimensions.
func (s *Service) Stats(ctx context.Context, f Filter, dims []string) ([]StatRow, error) {
	if err := s.CheckFilter(ctx, f); err != nil {
		return nil, err
	}
	rows, err := s.store.Stats(ctx, f, dims)
	if err != nil {
		return nil, err
	}
	// Largest first; ties in the order of the values, dimension by
	// dimension, absent values last: both stores then give one order.
	slices.SortFunc(rows, func(a, b StatRow) int {
		if c := cmp.Compare(b.Count, a.Count); c != 0 {
			return c
		}
		for _, dim := range dims {
			va, vb := a.Values[dim], b.Values[dim]
			switch {
			case va == nil && vb == nil:
			case va == nil:
				return 1
			case vb == nil:
				return -1
			default:
				if c := compareStatValues(dim, *va, *vb); c != 0 {
					return c
				}
			}
		}
		return 0
	})
	return rows, nil
}

// compareStatValues orders two values of a dimension: years as numbers,
// the rest as text.
func compareStatValues(dim, a, b string) int {
	if dim == StatFoundedYear {
		x, errA := strconv.Atoi(a)
		y, errB := strconv.Atoi(b)
		if errA == nil && errB == nil {
			return cmp.Compare(x, y)
		}
	}
	return strings.Compare(a, b)
}

// Changes returns up to limit changes after the sequence number after.
func (s *Service) Changes(ctx context.Context, after int64, limit int) ([]Change, error) {
	return s.store.Changes(ctx, after, limit)
}
