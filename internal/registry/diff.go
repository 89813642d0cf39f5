package registry

import "reflect"

// field is one editable field of an entity, named as clients see it, with
// its value in the form revisions record (nil when absent).
type field struct {
	name  string
	value func(Entity) any
}

func text(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func list(l []string) any {
	if len(l) == 0 {
		return nil
	}
	return append([]string(nil), l...)
}

// fields lists what revisions compare, in the order clients read them.
var fields = []field{
	{"slug", func(e Entity) any { return text(e.Slug) }},
	{"name", func(e Entity) any { return text(e.Name) }},
	{"name_en", func(e Entity) any { return text(e.NameEn) }},
	{"kind", func(e Entity) any { return text(e.Kind) }},
	{"sectors", func(e Entity) any { return list(e.Sectors) }},
	{"description", func(e Entity) any { return text(e.Description) }},
	{"description_en", func(e Entity) any { return text(e.DescriptionEn) }},
	{"address.street", func(e Entity) any { return text(e.Address.Street) }},
	{"address.ward", func(e Entity) any { return text(e.Address.Ward) }},
	{"address.city", func(e Entity) any { return text(e.Address.City) }},
	{"location", func(e Entity) any {
		if e.Location == nil {
			return nil
		}
		return map[string]float64{"lat": e.Location.Lat, "lon": e.Location.Lon}
	}},
	{"contact.website", func(e Entity) any { return text(e.Contact.Website) }},
	{"contact.email", func(e Entity) any { return text(e.Contact.Email) }},
	{"contact.phone", func(e Entity) any { return text(e.Contact.Phone) }},
	{"links", func(e Entity) any { return list(e.Links) }},
	{"founded_year", func(e Entity) any {
		if e.FoundedYear == nil {
			return nil
		}
		return *e.FoundedYear
	}},
	{"logo", func(e Entity) any {
		if e.Logo == nil {
			return nil
		}
		return imageValue(*e.Logo)
	}},
	{"photos", func(e Entity) any {
		if len(e.Photos) == 0 {
			return nil
		}
		out := make([]any, len(e.Photos))
		for i, p := range e.Photos {
			v := imageValue(p.Image)
			v["id"], v["caption"] = p.ID, text(p.Caption)
			out[i] = v
		}
		return out
	}},
	{"status", func(e Entity) any { return text(string(e.Status)) }},
}

// imageValue is an image as revisions record it: as clients read it.
func imageValue(img Image) map[string]any {
	return map[string]any{"url": img.File.Path(), "width": img.Width, "height": img.Height, "thumbnail_url": img.Thumbnail.Path()}
}

// Diff returns the fields that differ between two states of an entity.
// Diff(Entity{}, e) lists every field a new entity has.
func Diff(from, to Entity) map[string]FieldChange {
	changes := map[string]FieldChange{}
	for _, f := range fields {
		a, b := f.value(from), f.value(to)
		if !reflect.DeepEqual(a, b) {
			changes[f.name] = FieldChange{From: a, To: b}
		}
	}
	return changes
}
