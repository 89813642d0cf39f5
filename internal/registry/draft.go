package registry

import (
	"regexp"
	"strings"

	"github.com/nyaruka/phonenumbers"

	"github.com/hanoicreative/registry/internal/fold"
)

// Limits of the contract.
const (
	MaxNameLength        = 200
	MaxStreetLength      = 300
	MaxCityLength        = 100
	MaxDescriptionLength = 5000
	MaxSlugLength        = 200
	MaxLinks             = 10
	MinFoundedYear       = 1000
	// WardToleranceM is how far (metres) a location may lie outside its
	// ward's boundary: boundaries are rounded to about 1 m and drawn by hand.
	WardToleranceM = 100
)

// DefaultCity is the city of every address in the registry.
const DefaultCity = "Hà Nội"

// EntityDraft is the editable part of an entity as a client wrote it, after
// its shape (types, lengths, formats) was checked at the edge. The service
// turns it into an Entity: it normalises text, derives the slug, resolves
// the ward and checks everything that needs reference data.
type EntityDraft struct {
	Slug          string
	Name          string
	NameEn        string
	Kind          string
	Sectors       []string
	Description   string
	DescriptionEn string
	Street        string
	Ward          string // a ward's name, with or without diacritics, or its code
	City          string
	Location      *Location
	Website       string
	Email         string
	Phone         string
	Links         []string
	FoundedYear   *int
}

// Draft returns the editable part of an entity, as a client would send it
// to recreate it: the starting point of a merge patch and of imports.
func (e Entity) Draft() EntityDraft {
	var loc *Location
	if e.Location != nil {
		l := *e.Location
		loc = &l
	}
	var year *int
	if e.FoundedYear != nil {
		y := *e.FoundedYear
		year = &y
	}
	return EntityDraft{
		Slug: e.Slug, Name: e.Name, NameEn: e.NameEn, Kind: e.Kind,
		Sectors:     append([]string(nil), e.Sectors...),
		Description: e.Description, DescriptionEn: e.DescriptionEn,
		Street: e.Address.Street, Ward: e.Address.Ward, City: e.Address.City,
		Location: loc,
		Website:  e.Contact.Website, Email: e.Contact.Email, Phone: e.Contact.Phone,
		Links:       append([]string(nil), e.Links...),
		FoundedYear: year,
	}
}

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
var uuidPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// IsUUID reports whether s is shaped like a UUID, the form of entity ids.
// Slugs may never be, so that a path's {id} is never ambiguous.
func IsUUID(s string) bool { return uuidPattern.MatchString(s) }

// ParseSlug checks a slug given by a client.
func ParseSlug(s string) (string, *FieldError) {
	switch {
	case len(s) > MaxSlugLength:
		fe := Fieldf("slug", "max", "%s must have at most %d characters.", "slug", MaxSlugLength)
		return "", &fe
	case IsUUID(s):
		fe := Fieldf("slug", "slug_uuid", "%s must not look like a UUID (ids do).", "slug")
		return "", &fe
	case !slugPattern.MatchString(s):
		fe := Fieldf("slug", "slug", "%s must be lower-case ASCII letters and digits, in words joined by single '-'.", "slug")
		return "", &fe
	}
	return s, nil
}

// ParsePhone accepts a phone number in the forms usual in Việt Nam
// ("024 3826 1234", "0912.345.678", "+84 912 345 678", "(+84) 24-3826-1234")
// or any valid international number, and returns it in international
// format ("+84 24 3826 1234"), so equal numbers are stored equally.
func ParsePhone(s string) (string, bool) {
	if len(s) > 40 {
		return "", false
	}
	n, err := phonenumbers.Parse(s, "VN")
	if err != nil || !phonenumbers.IsValidNumber(n) {
		return "", false
	}
	return phonenumbers.Format(n, phonenumbers.INTERNATIONAL), true
}

// normaliseText puts free text in NFC and trims surrounding white space.
func normaliseText(s string) string { return strings.TrimSpace(fold.NFC(s)) }
