package registry

import (
	"context"
	"unicode/utf8"
)

// SectorDraft is a sector as an admin writes it.
type SectorDraft struct {
	Slug          string
	Name          string
	NameEn        string
	Description   string
	DescriptionEn string
	Retired       bool
}

// Draft returns the editable part of a sector.
func (sec Sector) Draft() SectorDraft {
	return SectorDraft{Slug: sec.Slug, Name: sec.Name, NameEn: sec.NameEn,
		Description: sec.Description, DescriptionEn: sec.DescriptionEn, Retired: sec.Retired}
}

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

// CreateSector adds a sector after the others.
func (s *Service) CreateSector(ctx context.Context, d SectorDraft) (Sector, error) {
	sec, errs := ParseSector(d)
	if len(errs) > 0 {
		return Sector{}, Invalid(errs)
	}
	if err := s.store.CreateSector(ctx, sec); err != nil {
		return Sector{}, err
	}
	return s.Sector(ctx, sec.Slug)
}

// UpdateSector renames, re-describes, retires or brings back a sector; its
// slug never changes (entities refer to it).
func (s *Service) UpdateSector(ctx context.Context, slug string, change func(Sector) (SectorDraft, []FieldError)) (Sector, error) {
	cur, err := s.Sector(ctx, slug)
	if err != nil {
		return Sector{}, err
	}
	d, errs := change(cur)
	d.Slug = cur.Slug
	next, parseErrs := ParseSector(d)
	if errs = MergeFieldErrors(errs, parseErrs); len(errs) > 0 {
		return Sector{}, Invalid(errs)
	}
	next.Position = cur.Position
	if err := s.store.UpdateSector(ctx, next); err != nil {
		return Sector{}, err
	}
	return s.Sector(ctx, slug)
}

// DeleteSector removes a sector no entity has ever used (ECONFLICT
// otherwise: retire it instead).
func (s *Service) DeleteSector(ctx context.Context, slug string) error {
	return s.store.DeleteSector(ctx, slug)
}

// ParseSector checks a sector draft and returns the sector it describes,
// with every failing field.
func ParseSector(d SectorDraft) (Sector, []FieldError) {
	var errs []FieldError
	fail := func(field, code, format string, args ...any) {
		errs = append(errs, Fieldf(field, code, format, args...))
	}
	for _, t := range []textField{{"slug", d.Slug, false}, {"name", d.Name, false}, {"name_en", d.NameEn, false},
		{"description", d.Description, true}, {"description_en", d.DescriptionEn, true}} {
		if fe := CheckText(t.field, t.value, t.multiLine); fe != nil {
			errs = append(errs, *fe)
		}
	}
	sec := Sector{Slug: d.Slug, Name: normaliseText(d.Name), NameEn: normaliseText(d.NameEn),
		Description: normaliseText(d.Description), DescriptionEn: normaliseText(d.DescriptionEn), Retired: d.Retired}
	if _, ferr := ParseSlug(d.Slug); ferr != nil {
		errs = append(errs, *ferr)
	}
	if len(d.Slug) > MaxSectorSlugLength {
		fail("slug", "max", "%s must have at most %d characters.", "slug", MaxSectorSlugLength)
	}
	if sec.Name == "" {
		fail("name", "required", "%s is required.", "name")
	}
	if sec.NameEn == "" {
		fail("name_en", "required", "%s is required.", "name_en")
	}
	for field, v := range map[string]string{"name": sec.Name, "name_en": sec.NameEn} {
		if utf8.RuneCountInString(v) > MaxNameLength {
			fail(field, "max", "%s must have at most %d characters.", field, MaxNameLength)
		}
	}
	for field, v := range map[string]string{"description": sec.Description, "description_en": sec.DescriptionEn} {
		if utf8.RuneCountInString(v) > MaxDescriptionLength {
			fail(field, "max", "%s must have at most %d characters.", field, MaxDescriptionLength)
		}
	}
	return sec, MergeFieldErrors(errs)
}

// MaxSectorSlugLength is shorter than an entity's: sector slugs are codes.
const MaxSectorSlugLength = 50
