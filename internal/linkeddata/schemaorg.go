// Package linkeddata describes the registry's records in the vocabularies
// that the open web's tools read: an entity in schema.org (search engines,
// maps, knowledge graphs) and the registry as a whole in DCAT-AP (the
// harvesters of open-data portals). It only builds the documents, as plain
// structs that encoding/json writes as JSON-LD; the HTTP edge decides when
// to send them, and the domain knows nothing of them.
package linkeddata

import (
	"strconv"

	"github.com/hanoicreative/registry/internal/registry"
)

// SchemaOrg is the context of the entity documents. Its terms are
// schema.org's; the JSON-LD context itself is served by schema.org.
const SchemaOrg = "https://schema.org"

// Text is a string in a language (BCP 47: "vi", "en").
type Text struct {
	Value    string `json:"@value"`
	Language string `json:"@language"`
}

// bilingual gives the Vietnamese and the English text, leaving out what is
// empty (an entity's English name is optional).
func bilingual(vi, en string) []Text {
	var out []Text
	if vi != "" {
		out = append(out, Text{vi, "vi"})
	}
	if en != "" {
		out = append(out, Text{en, "en"})
	}
	return out
}

// Organization is an entity as schema.org describes an organisation. Type
// is Organization or the subtype its kind maps to (see kindTypes); Geo is
// set only on types that are places too, others carry the point on a
// Location, since geo is a property of schema:Place, not of Organization.
type Organization struct {
	Context      string          `json:"@context"`
	Type         string          `json:"@type"`
	ID           string          `json:"@id"`
	Identifier   string          `json:"identifier"`
	Name         []Text          `json:"name"`
	Description  []Text          `json:"description,omitempty"`
	Address      *PostalAddress  `json:"address,omitempty"`
	Geo          *GeoCoordinates `json:"geo,omitempty"`
	Location     *Place          `json:"location,omitempty"`
	URL          string          `json:"url,omitempty"`
	Telephone    string          `json:"telephone,omitempty"`
	Email        string          `json:"email,omitempty"`
	SameAs       []string        `json:"sameAs,omitempty"`
	FoundingDate string          `json:"foundingDate,omitempty"`
	// Image is the address of the entity's logo (absent without one).
	Image      string        `json:"image,omitempty"`
	KnowsAbout []DefinedTerm `json:"knowsAbout,omitempty"`
}

// PostalAddress is where an entity is: its street, its ward (the
// locality), Hà Nội and Việt Nam.
type PostalAddress struct {
	Type            string `json:"@type"`
	StreetAddress   string `json:"streetAddress,omitempty"`
	AddressLocality string `json:"addressLocality,omitempty"`
	AddressRegion   string `json:"addressRegion"`
	AddressCountry  string `json:"addressCountry"`
}

// GeoCoordinates is a WGS 84 point.
type GeoCoordinates struct {
	Type      string  `json:"@type"`
	Latitude  float64 `json:"latitude"`
	Longitude float64 `json:"longitude"`
}

// Place carries the point of an organisation that is not a place itself.
type Place struct {
	Type string          `json:"@type"`
	Geo  *GeoCoordinates `json:"geo"`
}

// DefinedTerm is a sector: a term of the registry's taxonomy, named in
// both languages, identified by its address in the API.
type DefinedTerm struct {
	Type             string `json:"@type"`
	ID               string `json:"@id"`
	TermCode         string `json:"termCode"`
	Name             []Text `json:"name"`
	InDefinedTermSet string `json:"inDefinedTermSet"`
}

// kindTypes maps each kind of the reference data to the schema.org type
// that fits it, staying with types schema.org has (and the test checks).
// A kind the map does not know (an admin may add one) is an Organization.
//
//   - creative-space → LocalBusiness: galleries, studios, cafés with a
//     stage, co-working rooms. No narrower type (ArtGallery, Museum,
//     PerformingArtsTheater) fits them all, and LocalBusiness is both an
//     Organization and a Place, so its point is its own geo.
//   - artisan → LocalBusiness: an artisan is listed as a workshop with an
//     address (a pottery in Bát Tràng), where work is made and sold.
//   - training-institution → EducationalOrganization (an Organization and a
//     CivicStructure, so a place too).
//   - business → Corporation: a registered company (doanh nghiệp), a legal
//     body rather than a venue.
//   - designer, design-brand, organization → Organization: a designer may
//     be a studio or one person, a brand a label without premises, an
//     organisation an association or an agency; schema.org's Brand and
//     Person are not organisations, and nothing narrower fits them all.
var kindTypes = map[string]string{
	"creative-space":       "LocalBusiness",
	"artisan":              "LocalBusiness",
	"training-institution": "EducationalOrganization",
	"business":             "Corporation",
	"designer":             "Organization",
	"design-brand":         "Organization",
	"organization":         "Organization",
}

// placeTypes are the types above that are schema:Place subtypes too.
var placeTypes = map[string]bool{"LocalBusiness": true, "EducationalOrganization": true}

// Links makes the addresses documents refer to, from the address people
// reach the API at (scheme, host and any path prefix, no trailing slash).
type Links struct{ Base string }

// Entity is the canonical address of an entity: by id, which never
// changes (a slug may).
func (l Links) Entity(id string) string { return l.Base + "/v1/entities/" + id }

// Sector is the address of a sector.
func (l Links) Sector(slug string) string { return l.Base + "/v1/sectors/" + slug }

// Sectors is the address of the taxonomy.
func (l Links) Sectors() string { return l.Base + "/v1/sectors" }

// Entity describes e in schema.org. sectors names its sectors (by slug);
// a sector it does not name is left out.
func Entity(e registry.Entity, sectors map[string]registry.Sector, l Links) Organization {
	typ, ok := kindTypes[e.Kind]
	if !ok {
		typ = "Organization"
	}
	out := Organization{
		Context: SchemaOrg, Type: typ, ID: l.Entity(e.ID), Identifier: e.ID,
		Name:        bilingual(e.Name, e.NameEn),
		Description: bilingual(e.Description, e.DescriptionEn),
		URL:         e.Contact.Website, Telephone: e.Contact.Phone, Email: e.Contact.Email,
		SameAs: e.Links,
	}
	if e.Logo != nil {
		out.Image = l.Base + e.Logo.File.Path()
	}
	if e.FoundedYear != nil {
		out.FoundingDate = strconv.Itoa(*e.FoundedYear) // ISO 8601 allows a year alone
	}
	if e.Address.Street != "" || e.Address.Ward != "" {
		region := e.Address.City
		if region == "" {
			region = "Hà Nội"
		}
		out.Address = &PostalAddress{Type: "PostalAddress", StreetAddress: e.Address.Street,
			AddressLocality: e.Address.Ward, AddressRegion: region, AddressCountry: "VN"}
	}
	if e.Location != nil {
		geo := &GeoCoordinates{Type: "GeoCoordinates", Latitude: e.Location.Lat, Longitude: e.Location.Lon}
		if placeTypes[typ] {
			out.Geo = geo
		} else {
			out.Location = &Place{Type: "Place", Geo: geo}
		}
	}
	for _, slug := range e.Sectors {
		sec, ok := sectors[slug]
		if !ok {
			continue
		}
		out.KnowsAbout = append(out.KnowsAbout, DefinedTerm{Type: "DefinedTerm", ID: l.Sector(slug),
			TermCode: slug, Name: bilingual(sec.Name, sec.NameEn), InDefinedTermSet: l.Sectors()})
	}
	return out
}
