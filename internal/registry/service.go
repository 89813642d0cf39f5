package registry

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/hanoicreative/registry/internal/fold"
	"github.com/hanoicreative/registry/internal/wards"
)

// Service is the registry's domain logic over a Store: it turns drafts into
// entities, keeps versions and revisions, and checks everything that needs
// reference data. It holds no mutable state; it is safe for concurrent use.
type Service struct {
	store Store
	wards *wards.Index
	now   func() time.Time
}

// NewService returns a Service over store, resolving wards with w.
func NewService(store Store, w *wards.Index) *Service {
	return &Service{store: store, wards: w, now: func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }}
}

// Store returns the store the service works on.
func (s *Service) Store() Store { return s.store }

// Wards returns the ward index.
func (s *Service) Wards() *wards.Index { return s.wards }

// Sectors returns the sectors in display order with counts of active entities.
func (s *Service) Sectors(ctx context.Context) ([]Sector, error) {
	sectors, err := s.store.Sectors(ctx)
	if err != nil {
		return nil, err
	}
	counts, err := s.store.SectorCounts(ctx)
	if err != nil {
		return nil, err
	}
	for i := range sectors {
		sectors[i].EntityCount = counts[sectors[i].Slug]
	}
	return sectors, nil
}

// Sector returns one sector with its count of active entities.
func (s *Service) Sector(ctx context.Context, slug string) (Sector, error) {
	sectors, err := s.Sectors(ctx)
	if err != nil {
		return Sector{}, err
	}
	for _, sec := range sectors {
		if sec.Slug == slug {
			return sec, nil
		}
	}
	return Sector{}, Errorf(ENOTFOUND, "There is no sector %q.", slug)
}

// Entity returns an entity by id or slug.
func (s *Service) Entity(ctx context.Context, ref string) (Entity, error) {
	return s.store.Entity(ctx, ref)
}

// Entities returns a page of a listing, after checking that every sector
// and kind it names exists (an unknown one is a client error, not an
// empty page).
func (s *Service) Entities(ctx context.Context, q ListQuery) (Page, error) {
	if len(q.Sectors) > 0 {
		sectors, err := s.store.Sectors(ctx)
		if err != nil {
			return Page{}, err
		}
		for _, slug := range q.Sectors {
			if !slices.ContainsFunc(sectors, func(sec Sector) bool { return sec.Slug == slug }) {
				return Page{}, Errorf(EMALFORMED, "sector %q is not a known sector; GET /v1/sectors lists them.", slug)
			}
		}
	}
	if len(q.Kinds) > 0 {
		kinds, err := s.store.Kinds(ctx)
		if err != nil {
			return Page{}, err
		}
		for _, slug := range q.Kinds {
			if !slices.ContainsFunc(kinds, func(k Kind) bool { return k.Slug == slug }) {
				return Page{}, Errorf(EMALFORMED, "kind %q is not a known kind; GET /v1/kinds lists them.", slug)
			}
		}
	}
	return s.store.Entities(ctx, q)
}

// CheckDraft returns every field of d that reference data rejects. The
// edge calls it to report these together with its own shape errors.
func (s *Service) CheckDraft(ctx context.Context, d EntityDraft) ([]FieldError, error) {
	_, errs, err := s.build(ctx, d)
	return errs, err
}

// CreateEntity registers a new entity from a draft.
func (s *Service) CreateEntity(ctx context.Context, actor string, d EntityDraft) (Entity, error) {
	e, errs, err := s.build(ctx, d)
	if err != nil {
		return Entity{}, err
	}
	if len(errs) > 0 {
		return Entity{}, Invalid(errs)
	}
	id, err := uuid.NewV7()
	if err != nil {
		return Entity{}, Internal(err)
	}
	now := s.now()
	e.ID, e.Status, e.Version, e.CreatedAt, e.UpdatedAt = id.String(), StatusActive, 1, now, now
	rev := Revision{EntityID: e.ID, Version: 1, Action: ActionCreated, Actor: actor, At: now,
		Changes: Diff(Entity{}, e), Snapshot: e}
	if err := s.store.CreateEntity(ctx, e, &rev); err != nil {
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
	d, errs := change(cur)
	next, buildErrs, err := s.build(ctx, d)
	if err != nil {
		return Entity{}, err
	}
	if errs = MergeFieldErrors(errs, buildErrs); len(errs) > 0 {
		return Entity{}, Invalid(errs)
	}
	next.ID, next.Status, next.Version, next.CreatedAt, next.UpdatedAt = cur.ID, cur.Status, cur.Version, cur.CreatedAt, cur.UpdatedAt
	return s.commit(ctx, actor, cur, next, ActionUpdated)
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
		e, err := s.commit(ctx, actor, cur, next, action)
		if ErrorCode(err) == EPRECONDITION && !pre.Given && attempt < 3 {
			continue
		}
		return e, err
	}
}

// commit stores next as the successor of cur, with a revision, unless
// nothing changed.
func (s *Service) commit(ctx context.Context, actor string, cur, next Entity, action Action) (Entity, error) {
	changes := Diff(cur, next)
	if len(changes) == 0 {
		return cur, nil
	}
	next.Version = cur.Version + 1
	next.UpdatedAt = s.now()
	rev := Revision{EntityID: next.ID, Version: next.Version, Action: action, Actor: actor,
		At: next.UpdatedAt, Changes: changes, Snapshot: next}
	if err := s.store.UpdateEntity(ctx, next, &rev); err != nil {
		return Entity{}, err
	}
	return next, nil
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

// build turns a draft into the editable part of an entity. Field errors
// are returned as a list (every failing field, not just the first); err is
// for failures of the store.
func (s *Service) build(ctx context.Context, d EntityDraft) (Entity, []FieldError, error) {
	var errs []FieldError
	fail := func(field, code, format string, args ...any) {
		errs = append(errs, FieldError{Field: field, Code: code, Message: fmt.Sprintf(format, args...)})
	}
	e := Entity{
		Name:          normaliseText(d.Name),
		NameEn:        normaliseText(d.NameEn),
		Kind:          d.Kind,
		Description:   normaliseText(d.Description),
		DescriptionEn: normaliseText(d.DescriptionEn),
		Address:       Address{Street: normaliseText(d.Street)},
		Contact:       Contact{Website: d.Website, Email: d.Email},
		Links:         d.Links,
		FoundedYear:   d.FoundedYear,
	}

	if e.Name == "" {
		fail("name", "required", "name is required.")
	}
	switch slug := d.Slug; {
	case slug != "":
		if _, ferr := ParseSlug(slug); ferr != nil {
			errs = append(errs, *ferr)
		}
		e.Slug = slug
	case e.Name != "":
		e.Slug = fold.Slug(e.Name)
		if e.Slug == "" {
			fail("slug", "required", "name has no Latin letters or digits to derive a slug from: give a slug.")
		} else if IsUUID(e.Slug) {
			fail("slug", "slug_uuid", "the slug derived from name looks like a UUID: give a slug.")
		}
	}

	if e.FoundedYear != nil && *e.FoundedYear > s.now().Year() {
		fail("founded_year", "max", "founded_year must not be after %d.", s.now().Year())
	}

	if d.Phone != "" {
		phone, ok := ParsePhone(d.Phone)
		if !ok {
			fail("contact.phone", "phone", "contact.phone is not a valid phone number (e.g. 024 3826 1234, 0912 345 678 or +84 912 345 678).")
		}
		e.Contact.Phone = phone
	}

	refErrs, err := s.checkReferences(ctx, &e, d)
	if err != nil {
		return Entity{}, nil, err
	}
	errs = append(errs, refErrs...)
	s.placeEntity(&e, d, fail)
	return e, errs, nil
}

// checkReferences checks the kind and sectors against the reference data
// and puts the sectors in display order.
func (s *Service) checkReferences(ctx context.Context, e *Entity, d EntityDraft) ([]FieldError, error) {
	var errs []FieldError
	kinds, err := s.store.Kinds(ctx)
	if err != nil {
		return nil, err
	}
	if d.Kind != "" && !slices.ContainsFunc(kinds, func(k Kind) bool { return k.Slug == d.Kind }) {
		errs = append(errs, FieldError{Field: "kind", Code: "unknown", Message: fmt.Sprintf("kind %q is not a known kind; GET /v1/kinds lists them.", d.Kind)})
	}
	sectors, err := s.store.Sectors(ctx)
	if err != nil {
		return nil, err
	}
	position := make(map[string]int, len(sectors))
	for i, sec := range sectors {
		position[sec.Slug] = i
	}
	seen := map[string]bool{}
	for i, slug := range d.Sectors {
		field := fmt.Sprintf("sectors[%d]", i)
		switch {
		case seen[slug]:
			errs = append(errs, FieldError{Field: field, Code: "duplicate", Message: fmt.Sprintf("sector %q is listed twice.", slug)})
		case !hasKey(position, slug):
			errs = append(errs, FieldError{Field: field, Code: "unknown", Message: fmt.Sprintf("sector %q is not a known sector; GET /v1/sectors lists them.", slug)})
		default:
			e.Sectors = append(e.Sectors, slug)
		}
		seen[slug] = true
	}
	slices.SortFunc(e.Sectors, func(a, b string) int { return position[a] - position[b] })
	return errs, nil
}

func hasKey[K comparable, V any](m map[K]V, k K) bool { _, ok := m[k]; return ok }

// placeEntity resolves the ward and checks the location: it must lie in
// Hà Nội, and within WardToleranceM of the given ward; a location without a
// ward fills the ward in.
func (s *Service) placeEntity(e *Entity, d EntityDraft, fail func(field, code, format string, args ...any)) {
	city := normaliseText(d.City)
	if city != "" && !isHanoi(city) {
		fail("address.city", "city", "address.city must be Hà Nội: the registry covers Hà Nội only.")
	}
	ward, wardOK := wards.Ward{}, false
	if w := normaliseText(d.Ward); w != "" {
		if ward, wardOK = s.wards.Resolve(w); !wardOK {
			fail("address.ward", "unknown", "address.ward %q is not one of Hà Nội's 126 wards and communes; GET /v1/wards lists them (name, with or without diacritics, or code).", w)
		}
	}
	if loc := d.Location; loc != nil {
		e.Location = &Location{Lat: loc.Lat, Lon: loc.Lon}
		in, _, found := s.wards.Nearest(loc.Lat, loc.Lon, WardToleranceM)
		switch {
		case !found:
			fail("location", "outside_hanoi", "location (%.5f, %.5f) is not in Hà Nội.", loc.Lat, loc.Lon)
		case wardOK:
			if m, _ := s.wards.DistanceM(ward.Code, loc.Lat, loc.Lon); m > WardToleranceM {
				fail("location", "outside_ward", "location lies %.0f m outside %s, in %s: correct the location or the ward.", m, ward.Name, in.Name)
			}
		default:
			ward, wardOK = in, true
		}
	}
	if wardOK {
		e.Address.Ward, e.Address.WardCode = ward.Name, ward.Code
	}
	if city != "" || e.Address.Ward != "" || e.Address.Street != "" {
		e.Address.City = DefaultCity
	}
}

// isHanoi reports whether a city names Hà Nội, however written.
func isHanoi(city string) bool {
	switch fold.String(city) {
	case "ha noi", "hanoi", "thanh pho ha noi", "tp ha noi", "tp. ha noi", "hanoi city", "ha noi city":
		return true
	}
	return false
}
