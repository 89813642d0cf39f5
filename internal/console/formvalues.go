package console

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/hanoicreative/registry/internal/registry"
)

// formFields are the inputs of the entity form, named by the API's JSON
// field paths, in the order the form shows them, with their labels (keys
// of the catalogue).
var formFields = []struct{ name, label string }{
	{"name", "Name"},
	{"name_en", "Name in English"},
	{"slug", "Address in the registry (slug)"},
	{"kind", "Kind"},
	{"sectors", "Sectors"},
	{"description", "Description"},
	{"description_en", "Description in English"},
	{"address.street", "Street address"},
	{"address.ward", "Ward or commune"},
	{"location.lat", "Latitude"},
	{"location.lon", "Longitude"},
	{"contact.website", "Website"},
	{"contact.email", "Email address"},
	{"contact.phone", "Phone"},
	{"links", "Links, one per line"},
	{"founded_year", "Year founded"},
}

// entityValues are a form's values as text, by field name: what was typed,
// or an entity written as the form would show it. Sectors and links are
// one per line.
type entityValues map[string]string

// valuesOfEntity writes an entity as the form shows it.
func valuesOfEntity(e registry.Entity) entityValues {
	v := entityValues{
		"name": e.Name, "name_en": e.NameEn, "slug": e.Slug, "kind": e.Kind,
		"sectors":     strings.Join(e.Sectors, "\n"),
		"description": e.Description, "description_en": e.DescriptionEn,
		"address.street": e.Address.Street, "address.ward": e.Address.Ward,
		"contact.website": e.Contact.Website, "contact.email": e.Contact.Email, "contact.phone": e.Contact.Phone,
		"links": strings.Join(e.Links, "\n"),
	}
	if l := e.Location; l != nil {
		v["location.lat"] = strconv.FormatFloat(l.Lat, 'f', -1, 64)
		v["location.lon"] = strconv.FormatFloat(l.Lon, 'f', -1, 64)
	}
	if y := e.FoundedYear; y != nil {
		v["founded_year"] = strconv.Itoa(*y)
	}
	return v
}

// valuesOfForm reads the posted form as typed.
func valuesOfForm(form url.Values) entityValues {
	v := entityValues{}
	for _, f := range formFields {
		if f.name == "sectors" {
			v[f.name] = strings.Join(form[f.name], "\n")
			continue
		}
		v[f.name] = form.Get(f.name)
	}
	return v
}

// lines splits a one-per-line value, dropping blank lines.
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// draft turns the form's text into a draft, with the errors of what is
// not even a number where a number belongs. Every other rule is the
// service's.
func (v entityValues) draft() (registry.EntityDraft, []registry.FieldError) {
	var errs []registry.FieldError
	d := registry.EntityDraft{
		Slug: strings.TrimSpace(v["slug"]), Name: v["name"], NameEn: v["name_en"], Kind: v["kind"],
		Sectors:     lines(v["sectors"]),
		Description: v["description"], DescriptionEn: v["description_en"],
		Street: v["address.street"], Ward: v["address.ward"],
		Website: strings.TrimSpace(v["contact.website"]), Email: strings.TrimSpace(v["contact.email"]),
		Phone: strings.TrimSpace(v["contact.phone"]),
		Links: lines(v["links"]),
	}
	if d.Sectors == nil {
		d.Sectors = []string{} // none ticked: "at least one", not "missing"
	}
	lat, latErr := parseNumber(v, "location.lat", &errs)
	lon, lonErr := parseNumber(v, "location.lon", &errs)
	switch {
	case lat != nil && lon != nil:
		d.Location = &registry.Location{Lat: *lat, Lon: *lon}
	case lat != nil && !lonErr:
		errs = append(errs, registry.Fieldf("location.lon", "required", "Give the longitude too, or neither."))
	case lon != nil && !latErr:
		errs = append(errs, registry.Fieldf("location.lat", "required", "Give the latitude too, or neither."))
	}
	if s := strings.TrimSpace(v["founded_year"]); s != "" {
		y, err := strconv.Atoi(s)
		if err != nil {
			errs = append(errs, registry.Fieldf("founded_year", "integer", "The year must be a whole number, such as 2015."))
		} else {
			d.FoundedYear = &y
		}
	}
	return d, errs
}

// parseNumber reads a decimal number (a comma as the decimal mark too, as
// Vietnamese writes it); bad says the field held something else.
func parseNumber(v entityValues, field string, errs *[]registry.FieldError) (n *float64, bad bool) {
	s := strings.ReplaceAll(strings.TrimSpace(v[field]), ",", ".")
	if s == "" {
		return nil, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		*errs = append(*errs, registry.Fieldf(field, "number", "Write a number in degrees, such as 21.02851."))
		return nil, true
	}
	return &f, false
}

// inputOf is the form field a domain error is about: the list's input for
// "sectors[2]" and "links[0]", the latitude for the location as a whole.
func inputOf(field string) string {
	if i := strings.IndexByte(field, '['); i >= 0 {
		field = field[:i]
	}
	switch field {
	case "location":
		return "location.lat"
	case "address.city":
		return "address.street"
	}
	if slices.ContainsFunc(formFields, func(f struct{ name, label string }) bool { return f.name == field }) {
		return field
	}
	return ""
}

// inputID is the HTML id of a field's input.
func inputID(field string) string { return "f-" + strings.ReplaceAll(field, ".", "-") }

// sameValue compares two values of a field as the service would store
// them: sectors as a set, text without surrounding space.
func sameValue(field, a, b string) bool {
	switch field {
	case "sectors":
		x, y := lines(a), lines(b)
		slices.Sort(x)
		slices.Sort(y)
		return slices.Equal(x, y)
	case "links":
		return slices.Equal(lines(a), lines(b))
	case "location.lat", "location.lon":
		fa, ea := strconv.ParseFloat(strings.TrimSpace(a), 64)
		fb, eb := strconv.ParseFloat(strings.TrimSpace(b), 64)
		if ea == nil && eb == nil {
			return fmt.Sprintf("%.6f", fa) == fmt.Sprintf("%.6f", fb)
		}
	}
	return strings.TrimSpace(strings.ReplaceAll(a, "\r\n", "\n")) == strings.TrimSpace(strings.ReplaceAll(b, "\r\n", "\n"))
}
