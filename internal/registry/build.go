package registry

import (
	"context"
	"fmt"
	"slices"

	"github.com/hanoicreative/registry/internal/fold"
	"github.com/hanoicreative/registry/internal/wards"
)

// refs is the reference data a draft is checked against, read once per
// operation (an import of a thousand rows reads it once, not a thousand
// times).
type refs struct {
	kinds    map[string]bool
	position map[string]int  // sector slug → display position
	retired  map[string]bool // retired sectors: kept where they are, not newly given
}

func (s *Service) loadRefs(ctx context.Context, st Store) (refs, error) {
	kinds, err := st.Kinds(ctx)
	if err != nil {
		return refs{}, err
	}
	sectors, err := st.Sectors(ctx)
	if err != nil {
		return refs{}, err
	}
	r := refs{kinds: map[string]bool{}, position: map[string]int{}, retired: map[string]bool{}}
	for _, k := range kinds {
		r.kinds[k.Slug] = true
	}
	for i, sec := range sectors {
		r.position[sec.Slug] = i
		r.retired[sec.Slug] = sec.Retired
	}
	return r, nil
}

// build turns a draft into the editable part of an entity. current is the
// entity being changed (nil for a new one). Field errors are returned as
// a list (every failing field, not just the first).
func (s *Service) build(r refs, d EntityDraft, current *Entity) (Entity, []FieldError) {
	var errs []FieldError
	fail := func(field, code, format string, args ...any) {
		errs = append(errs, Fieldf(field, code, format, args...))
	}
	e := Entity{
		Name:          normaliseText(d.Name),
		NameEn:        normaliseText(d.NameEn),
		Kind:          d.Kind,
		Description:   normaliseText(d.Description),
		DescriptionEn: normaliseText(d.DescriptionEn),
		Address:       Address{Street: normaliseText(d.Street)},
		Contact:       Contact{Website: d.Website, Email: d.Email},
		Links:         slices.Clone(d.Links),
		FoundedYear:   d.FoundedYear,
	}

	errs = append(errs, s.checkShape(d, e)...)
	if e.Name == "" {
		fail("name", "required", "%s is required.", "name")
	}
	switch slug := d.Slug; {
	case slug != "":
		if _, ferr := ParseSlug(slug); ferr != nil {
			errs = append(errs, *ferr)
		}
		e.Slug = slug
	case current != nil:
		// Slugs are stable: a new name does not move the URL.
		e.Slug = current.Slug
	case e.Name != "":
		e.Slug = fold.Slug(e.Name)
		if e.Slug == "" {
			fail("slug", "required", "%s has no Latin letters or digits to derive a slug from: give a slug.", "name")
		} else if IsUUID(e.Slug) {
			fail("slug", "slug_uuid", "the slug derived from %s looks like a UUID: give a slug.", "name")
		}
	}

	if d.Phone != "" {
		phone, ok := ParsePhone(d.Phone)
		if !ok {
			fail("contact.phone", "phone", "%s is not a valid phone number (e.g. 024 3826 1234, 0912 345 678 or +84 912 345 678).", "contact.phone")
		}
		e.Contact.Phone = phone
	}

	if d.Kind != "" && !r.kinds[d.Kind] {
		fail("kind", "unknown", "kind %q is not a known kind; GET /v1/kinds lists them.", d.Kind)
	}
	seen := map[string]bool{}
	for i, slug := range d.Sectors {
		field := fmt.Sprintf("sectors[%d]", i)
		_, known := r.position[slug]
		switch {
		case seen[slug]:
			fail(field, "duplicate", "sector %q is listed twice.", slug)
		case !known:
			fail(field, "unknown", "sector %q is not a known sector; GET /v1/sectors lists them.", slug)
		case r.retired[slug] && (current == nil || !slices.Contains(current.Sectors, slug)):
			fail(field, "retired", "sector %q is retired: it stays on the entities that have it, but is not given to others.", slug)
		default:
			e.Sectors = append(e.Sectors, slug)
		}
		seen[slug] = true
	}
	slices.SortFunc(e.Sectors, func(a, b string) int { return r.position[a] - r.position[b] })
	s.placeEntity(&e, d, fail)
	// Several rules may fail a field: report the first (the characters
	// before the length, the length before the format).
	return e, MergeFieldErrors(errs)
}

// placeEntity resolves the ward and checks the location: it must lie in
// Hà Nội, and within WardToleranceM of the given ward; a location without a
// ward fills the ward in.
func (s *Service) placeEntity(e *Entity, d EntityDraft, fail func(field, code, format string, args ...any)) {
	city := normaliseText(d.City)
	if city != "" && !isHanoi(city) {
		fail("address.city", "city", "%s must be Hà Nội: the registry covers Hà Nội only.", "address.city")
	}
	ward, wardOK := wards.Ward{}, false
	if w := normaliseText(d.Ward); w != "" {
		if ward, wardOK = s.wards.Resolve(w); !wardOK {
			if names := s.WardSuggestions(w); names != "" {
				fail("address.ward", "unknown", "%s %q is not one of Hà Nội's 126 wards and communes: did you mean %s? GET /v1/wards lists them (name, with or without diacritics, or code).", "address.ward", w, names)
			} else {
				fail("address.ward", "unknown", "%s %q is not one of Hà Nội's 126 wards and communes; GET /v1/wards lists them (name, with or without diacritics, or code).", "address.ward", w)
			}
		}
	}
	if loc := d.Location; loc != nil {
		e.Location = &Location{Lat: loc.Lat, Lon: loc.Lon}
		in, _, found := s.wards.Nearest(loc.Lat, loc.Lon, WardToleranceM)
		switch {
		case !found:
			fail("location", "outside_hanoi", "%s (%.5f, %.5f) is not in Hà Nội.", "location", loc.Lat, loc.Lon)
		case wardOK:
			if m, _ := s.wards.DistanceM(ward.Code, loc.Lat, loc.Lon); m > WardToleranceM {
				fail("location", "outside_ward", "%s lies %.0f m outside %s, in %s: correct the location or the ward.", "location", m, ward.Name, in.Name)
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
