package registry

import "github.com/hanoicreative/registry/internal/fold"

// DraftField names a field of EntityDraft, for import rows that give only
// some of them (a CSV with only some of the export's columns).
type DraftField int

// The fields of EntityDraft.
const (
	DraftSlug DraftField = iota
	DraftName
	DraftNameEn
	DraftKind
	DraftSectors
	DraftDescription
	DraftDescriptionEn
	DraftStreet
	DraftWard
	DraftCity
	DraftLocation
	DraftWebsite
	DraftEmail
	DraftPhone
	DraftLinks
	DraftFoundedYear
)

// keep returns d with the omitted fields taken from stored: what a row
// leaves out of an update stays as it was.
func (d EntityDraft) keep(stored EntityDraft, omitted []DraftField) EntityDraft {
	for _, f := range omitted {
		switch f {
		case DraftSlug:
			d.Slug = stored.Slug
		case DraftName:
			d.Name = stored.Name
		case DraftNameEn:
			d.NameEn = stored.NameEn
		case DraftKind:
			d.Kind = stored.Kind
		case DraftSectors:
			d.Sectors = stored.Sectors
		case DraftDescription:
			d.Description = stored.Description
		case DraftDescriptionEn:
			d.DescriptionEn = stored.DescriptionEn
		case DraftStreet:
			d.Street = stored.Street
		case DraftWard:
			d.Ward = stored.Ward
		case DraftCity:
			d.City = stored.City
		case DraftLocation:
			d.Location = stored.Location
		case DraftWebsite:
			d.Website = stored.Website
		case DraftEmail:
			d.Email = stored.Email
		case DraftPhone:
			d.Phone = stored.Phone
		case DraftLinks:
			d.Links = stored.Links
		case DraftFoundedYear:
			d.FoundedYear = stored.FoundedYear
		}
	}
	return d
}

// matchSlug is the slug an import row is matched by: the one it gives,
// else the one derived from its name ("" if neither can be had).
func (d EntityDraft) matchSlug() string {
	if d.Slug != "" {
		return d.Slug
	}
	return fold.Slug(normaliseText(d.Name))
}
