package linkeddata

import (
	"time"

	"github.com/hanoicreative/registry/internal/registry"
)

// The catalogue speaks DCAT-AP (the European application profile of W3C
// DCAT, versions 2 and 3 alike for what is used here), which CKAN's
// ckanext-dcat and data.europa.eu-style harvesters read. Controlled values
// come from the vocabularies DCAT-AP names: the EU Publications Office's
// authority tables for file types, languages and data themes, IANA for
// media types, GeoNames for places.
const (
	dcatNS  = "http://www.w3.org/ns/dcat#"
	dctNS   = "http://purl.org/dc/terms/"
	foafNS  = "http://xmlns.com/foaf/0.1/"
	vcardNS = "http://www.w3.org/2006/vcard/ns#"
	xsdNS   = "http://www.w3.org/2001/XMLSchema#"

	euAuthority = "http://publications.europa.eu/resource/authority/"
	ianaMedia   = "https://www.iana.org/assignments/media-types/"
	// hanoiGeoNames is Hà Nội in GeoNames (feature 1581130, the capital).
	hanoiGeoNames = "https://sws.geonames.org/1581130/"

	// DefaultLicense is Creative Commons Attribution 4.0, as its URI is
	// written in licence lists (with the trailing slash).
	DefaultLicense = "https://creativecommons.org/licenses/by/4.0/"
)

// CatalogInfo is what the operator says about the catalogue.
type CatalogInfo struct {
	Title, TitleEn string
	// Publisher names the body that publishes the data; PublisherURL, when
	// set, identifies it (its web site).
	Publisher, PublisherURL string
	// License is the URI of the data's licence.
	License string
	// ContactEmail, when set, is whom to ask about the data.
	ContactEmail string
}

// DefaultCatalog is what the catalogue says when the operator says
// nothing (serve's settings default to the same).
var DefaultCatalog = CatalogInfo{
	Title:     "Sổ đăng ký cộng đồng sáng tạo Hà Nội",
	TitleEn:   "Hà Nội Creative Registry",
	Publisher: "Hà Nội Creative Registry",
	License:   DefaultLicense,
}

// WithDefaults fills what is not set from DefaultCatalog.
func (i CatalogInfo) WithDefaults() CatalogInfo {
	for _, f := range []struct {
		v   *string
		def string
	}{
		{&i.Title, DefaultCatalog.Title}, {&i.TitleEn, DefaultCatalog.TitleEn},
		{&i.Publisher, DefaultCatalog.Publisher}, {&i.License, DefaultCatalog.License},
	} {
		if *f.v == "" {
			*f.v = f.def
		}
	}
	return i
}

// The descriptions are the registry's own, in both languages.
const (
	catalogDescription   = "Sổ đăng ký công khai của cộng đồng sáng tạo Hà Nội: không gian sáng tạo, nhà thiết kế, nghệ nhân, thương hiệu thiết kế, cơ sở đào tạo, doanh nghiệp và tổ chức, mỗi chủ thể kèm các ngành công nghiệp văn hóa mà mình hoạt động."
	catalogDescriptionEn = "The public registry of Hà Nội's creative community: creative spaces, designers, artisans, design brands, training institutions, businesses and organisations, each with the cultural-industry sectors it works in."
)

// IRI is a reference to a resource by its address.
type IRI struct {
	ID string `json:"@id"`
}

func iris(ids ...string) []IRI {
	out := make([]IRI, len(ids))
	for i, id := range ids {
		out[i] = IRI{id}
	}
	return out
}

// Typed is a literal of an XML Schema datatype.
type Typed struct {
	Value string `json:"@value"`
	Type  string `json:"@type"`
}

func dateTime(t time.Time) *Typed {
	if t.IsZero() {
		return nil
	}
	return &Typed{Value: t.UTC().Format(time.RFC3339), Type: "xsd:dateTime"}
}

// Catalog is a dcat:Catalog holding the registry as one dcat:Dataset.
type Catalog struct {
	Context       map[string]string `json:"@context"`
	ID            string            `json:"@id"`
	Type          string            `json:"@type"`
	Title         []Text            `json:"dct:title"`
	Description   []Text            `json:"dct:description"`
	Publisher     Agent             `json:"dct:publisher"`
	License       IRI               `json:"dct:license"`
	Language      []IRI             `json:"dct:language"`
	Spatial       IRI               `json:"dct:spatial"`
	Modified      *Typed            `json:"dct:modified,omitempty"`
	ThemeTaxonomy IRI               `json:"dcat:themeTaxonomy"`
	Dataset       []Dataset         `json:"dcat:dataset"`
}

// Agent is the publisher.
type Agent struct {
	ID       string `json:"@id,omitempty"`
	Type     string `json:"@type"`
	Name     string `json:"foaf:name"`
	Homepage *IRI   `json:"foaf:homepage,omitempty"`
}

// Dataset is the registry's records.
type Dataset struct {
	ID           string         `json:"@id"`
	Type         string         `json:"@type"`
	Identifier   string         `json:"dct:identifier"`
	Title        []Text         `json:"dct:title"`
	Description  []Text         `json:"dct:description"`
	Publisher    Agent          `json:"dct:publisher"`
	Language     []IRI          `json:"dct:language"`
	Spatial      IRI            `json:"dct:spatial"`
	Issued       *Typed         `json:"dct:issued,omitempty"`
	Modified     *Typed         `json:"dct:modified,omitempty"`
	Theme        []IRI          `json:"dcat:theme"`
	Keyword      []Text         `json:"dcat:keyword"`
	ContactPoint *Contact       `json:"dcat:contactPoint,omitempty"`
	Distribution []Distribution `json:"dcat:distribution"`
}

// Contact is a vCard of whom to ask.
type Contact struct {
	Type     string `json:"@type"`
	Name     string `json:"vcard:fn"`
	HasEmail IRI    `json:"vcard:hasEmail"`
}

// Distribution is one way to get the records.
type Distribution struct {
	ID            string       `json:"@id"`
	Type          string       `json:"@type"`
	Title         []Text       `json:"dct:title"`
	Description   []Text       `json:"dct:description"`
	AccessURL     IRI          `json:"dcat:accessURL"`
	DownloadURL   *IRI         `json:"dcat:downloadURL,omitempty"`
	MediaType     IRI          `json:"dcat:mediaType"`
	Format        IRI          `json:"dct:format"`
	ConformsTo    *IRI         `json:"dct:conformsTo,omitempty"`
	License       IRI          `json:"dct:license"`
	AccessService *DataService `json:"dcat:accessService,omitempty"`
}

// DataService is the API a distribution is served by.
type DataService struct {
	Type                string `json:"@type"`
	Title               []Text `json:"dct:title"`
	EndpointURL         IRI    `json:"dcat:endpointURL"`
	EndpointDescription IRI    `json:"dcat:endpointDescription"`
	License             IRI    `json:"dct:license"`
}

// Catalog is the catalogue address.
func (l Links) Catalog() string { return l.Base + "/v1/catalog" }

// CatalogOf describes the registry for harvesters. sectors become keywords
// (those not retired); issued and modified are the times of the first and
// the last change (zero: none yet, left out).
func CatalogOf(info CatalogInfo, l Links, sectors []registry.Sector, issued, modified time.Time) Catalog {
	publisher := Agent{ID: info.PublisherURL, Type: "foaf:Agent", Name: info.Publisher}
	if info.PublisherURL != "" {
		publisher.Homepage = &IRI{info.PublisherURL}
	}
	license := IRI{info.License}
	languages := iris(euAuthority+"language/VIE", euAuthority+"language/ENG")
	spatial := IRI{hanoiGeoNames}
	openAPI := IRI{l.Base + "/openapi.json"}
	keywords := []Text{{"sáng tạo", "vi"}, {"creative industries", "en"}, {"công nghiệp văn hóa", "vi"},
		{"cultural industries", "en"}, {"Hà Nội", "vi"}, {"Hanoi", "en"}}
	for _, s := range sectors {
		if !s.Retired {
			keywords = append(keywords, bilingual(s.Name, s.NameEn)...)
		}
	}
	ds := Dataset{
		ID: l.Catalog() + "#registry", Type: "dcat:Dataset", Identifier: l.Catalog() + "#registry",
		Title: bilingual(info.Title, info.TitleEn), Description: bilingual(catalogDescription, catalogDescriptionEn),
		Publisher: publisher, Language: languages, Spatial: spatial,
		Issued: dateTime(issued), Modified: dateTime(modified),
		// Education, culture and sport; economy (the creative economy).
		Theme:   iris(euAuthority+"data-theme/EDUC", euAuthority+"data-theme/ECON"),
		Keyword: keywords,
		Distribution: []Distribution{{
			ID: l.Catalog() + "#json-api", Type: "dcat:Distribution",
			Title:       bilingual("API JSON", "JSON API"),
			Description: bilingual("Các chủ thể qua API JSON (lọc, tìm kiếm, phân trang), mô tả trong tài liệu OpenAPI.", "The entities through the JSON API (filters, search, paging), described by its OpenAPI document."),
			AccessURL:   IRI{l.Base + "/v1/entities"}, MediaType: IRI{ianaMedia + "application/json"},
			Format: IRI{euAuthority + "file-type/JSON"}, ConformsTo: &openAPI, License: license,
			AccessService: &DataService{Type: "dcat:DataService", Title: bilingual(info.Title, info.TitleEn),
				EndpointURL: IRI{l.Base + "/v1"}, EndpointDescription: openAPI, License: license},
		}, {
			ID: l.Catalog() + "#csv", Type: "dcat:Distribution",
			Title:       bilingual("Tệp CSV", "CSV export"),
			Description: bilingual("Mọi chủ thể đang hoạt động, mỗi chủ thể một dòng (UTF-8, có dòng tiêu đề).", "Every active entity, one row each (UTF-8, with a header row)."),
			AccessURL:   IRI{l.Base + "/v1/entities?format=csv"}, DownloadURL: &IRI{l.Base + "/v1/entities?format=csv&csv=raw"},
			MediaType: IRI{ianaMedia + "text/csv"}, Format: IRI{euAuthority + "file-type/CSV"}, License: license,
		}, {
			ID: l.Catalog() + "#geojson", Type: "dcat:Distribution",
			Title:       bilingual("Tệp GeoJSON", "GeoJSON export"),
			Description: bilingual("Các chủ thể đang hoạt động có vị trí, dạng FeatureCollection GeoJSON.", "The active entities that have a location, as a GeoJSON FeatureCollection."),
			AccessURL:   IRI{l.Base + "/v1/entities?format=geojson"}, DownloadURL: &IRI{l.Base + "/v1/entities?format=geojson"},
			MediaType: IRI{ianaMedia + "application/geo+json"}, Format: IRI{euAuthority + "file-type/GEOJSON"}, License: license,
		}, {
			ID: l.Catalog() + "#changes", Type: "dcat:Distribution",
			Title:       bilingual("Dòng thay đổi", "Change feed"),
			Description: bilingual("Mọi thay đổi theo thứ tự ghi, để sao chép sổ đăng ký bằng cách hỏi định kỳ.", "Every change in commit order, to mirror the registry by polling."),
			AccessURL:   IRI{l.Base + "/v1/changes?after=0"}, MediaType: IRI{ianaMedia + "application/json"},
			Format: IRI{euAuthority + "file-type/JSON"}, ConformsTo: &openAPI, License: license,
		}},
	}
	if info.ContactEmail != "" {
		ds.ContactPoint = &Contact{Type: "vcard:Organization", Name: info.Publisher, HasEmail: IRI{"mailto:" + info.ContactEmail}}
	}
	return Catalog{
		Context: map[string]string{"dcat": dcatNS, "dct": dctNS, "foaf": foafNS, "vcard": vcardNS, "xsd": xsdNS},
		ID:      l.Catalog(), Type: "dcat:Catalog",
		Title: bilingual(info.Title, info.TitleEn), Description: bilingual(catalogDescription, catalogDescriptionEn),
		Publisher: publisher, License: license, Language: languages, Spatial: spatial,
		Modified:      dateTime(modified),
		ThemeTaxonomy: IRI{euAuthority + "data-theme"},
		Dataset:       []Dataset{ds},
	}
}
