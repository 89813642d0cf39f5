package registry

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/go-playground/validator/v10"
)

// More limits of the contract, for the parts of a draft the edge used to
// check alone: every front door (API, import, command line) now gets them
// from the service.
const (
	MaxSectors     = 8
	MaxURLLength   = 2000
	MaxEmailLength = 254
	MaxPhoneLength = 40
	MaxWardLength  = 100
)

// formats checks the formats a maintained validator knows better than a
// regular expression would (email addresses, http(s) URLs). It is made
// once per Service and is safe for concurrent use.
type formats struct{ v *validator.Validate }

func newFormats() formats { return formats{v: validator.New()} }

func (f formats) email(s string) bool { return f.v.Var(s, "email") == nil }

// webURL accepts absolute http and https URLs only: a javascript: or data:
// link would run in the browser of whoever clicks it.
func (f formats) webURL(s string) bool { return f.v.Var(s, "http_url") == nil }

// textField is a text field of a draft and whether it may hold line breaks.
type textField struct {
	field, value string
	multiLine    bool
}

// CheckText returns what is wrong with the characters of one text field,
// or nil: text must be UTF-8, without control characters (tabs and line
// breaks only where multiLine) and without invisible or direction-changing
// characters, which make a name look other than it is (a right-to-left
// override shows "gro.elpmaxe" for "example.org").
func CheckText(field, value string, multiLine bool) *FieldError {
	if !utf8.ValidString(value) {
		// Only UTF-8 reaches the database (PostgreSQL refuses the rest).
		fe := Fieldf(field, "encoding", "%s is not valid UTF-8 text: save the file as UTF-8.", field)
		return &fe
	}
	for _, r := range value {
		switch {
		case isInvisible(r):
			fe := Fieldf(field, "invisible_characters", "%s contains an invisible or text-direction character (U+%04X): remove it.", field, r)
			return &fe
		case r < 0x20 || r == 0x7f:
			if multiLine && (r == '\t' || r == '\n' || r == '\r') {
				continue
			}
			if multiLine {
				fe := Fieldf(field, "control_characters", "%s must not contain control characters (other than tab and line breaks).", field)
				return &fe
			}
			fe := Fieldf(field, "control_characters", "%s must not contain control characters.", field)
			return &fe
		}
	}
	return nil
}

// isInvisible reports the bidirectional embeddings, overrides and isolates
// (U+202A–U+202E, U+2066–U+2069) and the invisible zero-width space, word
// joiner and byte-order mark (U+200B, U+2060, U+FEFF).
func isInvisible(r rune) bool {
	return r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069 || r == 0x200B || r == 0x2060 || r == 0xFEFF
}

// checkShape checks a draft's text, lengths, counts and formats: the rules
// that need no reference data. Text is checked as given, lengths after
// normalisation (what is stored).
func (s *Service) checkShape(d EntityDraft, e Entity) []FieldError {
	var errs []FieldError
	fail := func(field, code, format string, args ...any) {
		errs = append(errs, Fieldf(field, code, format, args...))
	}
	checkLength := func(field, value string, max int) {
		if utf8.RuneCountInString(value) > max {
			fail(field, "max", "%s must have at most %d characters.", field, max)
		}
	}
	texts := []textField{{"slug", d.Slug, false}, {"name", d.Name, false}, {"name_en", d.NameEn, false},
		{"kind", d.Kind, false}, {"description", d.Description, true}, {"description_en", d.DescriptionEn, true},
		{"address.street", d.Street, false}, {"address.ward", d.Ward, false}, {"address.city", d.City, false},
		{"contact.website", d.Website, false}, {"contact.email", d.Email, false}, {"contact.phone", d.Phone, false}}
	for i, sec := range d.Sectors {
		texts = append(texts, textField{fmt.Sprintf("sectors[%d]", i), sec, false})
	}
	for i, link := range d.Links {
		texts = append(texts, textField{fmt.Sprintf("links[%d]", i), link, false})
	}
	for _, t := range texts {
		if fe := CheckText(t.field, t.value, t.multiLine); fe != nil {
			errs = append(errs, *fe)
		}
	}

	checkLength("name", e.Name, MaxNameLength)
	checkLength("name_en", e.NameEn, MaxNameLength)
	checkLength("description", e.Description, MaxDescriptionLength)
	checkLength("description_en", e.DescriptionEn, MaxDescriptionLength)
	checkLength("address.street", e.Address.Street, MaxStreetLength)
	checkLength("address.ward", d.Ward, MaxWardLength)
	checkLength("address.city", d.City, MaxCityLength)
	if strings.TrimSpace(d.Kind) == "" {
		fail("kind", "required", "%s is required.", "kind")
	}

	switch {
	case d.Sectors == nil:
		fail("sectors", "required", "%s is required: give at least one sector.", "sectors")
	case len(d.Sectors) == 0:
		fail("sectors", "min", "%s must have at least one sector.", "sectors")
	case len(d.Sectors) > MaxSectors:
		fail("sectors", "max", "%s must have at most %d sectors.", "sectors", MaxSectors)
	}
	for i, sec := range d.Sectors {
		if sec == "" {
			fail(fmt.Sprintf("sectors[%d]", i), "required", "sectors[%d] is empty: give a sector slug.", i)
		}
	}

	if len(d.Links) > MaxLinks {
		fail("links", "max", "%s must have at most %d links.", "links", MaxLinks)
	}
	seen := map[string]int{}
	for i, link := range d.Links {
		field := fmt.Sprintf("links[%d]", i)
		first, dup := seen[link]
		switch {
		case link == "":
			fail(field, "required", "%s is empty: give an http or https URL.", field)
		case utf8.RuneCountInString(link) > MaxURLLength:
			fail(field, "max", "%s must have at most %d characters.", field, MaxURLLength)
		case !s.formats.webURL(link):
			fail(field, "url", "%s must be an http or https URL.", field)
		case dup:
			fail(field, "duplicate", "%s repeats %s: give each link once.", field, fmt.Sprintf("links[%d]", first))
		}
		if !dup {
			seen[link] = i
		}
	}

	if d.Website != "" {
		switch {
		case utf8.RuneCountInString(d.Website) > MaxURLLength:
			fail("contact.website", "max", "%s must have at most %d characters.", "contact.website", MaxURLLength)
		case !s.formats.webURL(d.Website):
			fail("contact.website", "url", "%s must be an http or https URL.", "contact.website")
		}
	}
	if d.Email != "" {
		switch {
		case utf8.RuneCountInString(d.Email) > MaxEmailLength:
			fail("contact.email", "max", "%s must have at most %d characters.", "contact.email", MaxEmailLength)
		case !s.formats.email(d.Email):
			fail("contact.email", "email", "%s must be an email address.", "contact.email")
		}
	}
	if utf8.RuneCountInString(d.Phone) > MaxPhoneLength {
		fail("contact.phone", "max", "%s must have at most %d characters.", "contact.phone", MaxPhoneLength)
	}

	if y := d.FoundedYear; y != nil {
		if *y < MinFoundedYear {
			fail("founded_year", "min", "%s must not be before %d.", "founded_year", MinFoundedYear)
		} else if *y > s.now().Year() {
			fail("founded_year", "max", "%s must not be after %d.", "founded_year", s.now().Year())
		}
	}
	if loc := d.Location; loc != nil {
		for _, c := range []struct {
			field  string
			v, max float64
		}{{"location.lat", loc.Lat, 90}, {"location.lon", loc.Lon, 180}} {
			if c.v < -c.max {
				fail(c.field, "min", "%s must be at least %v.", c.field, -c.max)
			} else if c.v > c.max {
				fail(c.field, "max", "%s must be at most %v.", c.field, c.max)
			}
		}
	}
	return errs
}
