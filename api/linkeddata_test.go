package api_test

import (
	"encoding/json"
	"mime"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hanoicreative/registry/api"
	"github.com/hanoicreative/registry/docs"
	"github.com/hanoicreative/registry/internal/linkeddata"
	"github.com/hanoicreative/registry/internal/store/storetest"
)

const accept = "Accept"

// fullEntity is an entity with every field an entity document maps.
func fullEntity(name, kind string) map[string]any {
	return map[string]any{
		"name": name, "name_en": "EN " + name, "kind": kind, "sectors": []string{"crafts", "design"},
		"description": "Xưởng gốm thủ công.", "description_en": "A pottery workshop.",
		"address":      map[string]any{"street": "Thôn 3", "ward": "Bát Tràng"},
		"location":     map[string]any{"lat": 20.976, "lon": 105.913},
		"contact":      map[string]any{"website": "https://gom.example.vn", "email": "a@gom.example.vn", "phone": "+84 24 3874 0123"},
		"links":        []string{"https://social.example.com/gom", "https://video.example.com/@gom"},
		"founded_year": 1998,
	}
}

// TestEntityAsSchemaOrg: Accept: application/ld+json gets an entity as
// schema.org JSON-LD that a JSON-LD processor expands into schema.org
// types and properties, each used where schema.org allows it, for every
// kind; the values are the entity's.
func TestEntityAsSchemaOrg(t *testing.T) {
	vocab := loadSchemaVocabulary(t)
	loader := offlineLoader{schemaContext: vocab.context}
	engines(t, func(t *testing.T, c *client) {
		used := map[string]bool{}
		wantType := map[string]string{
			"creative-space": "LocalBusiness", "artisan": "LocalBusiness", "training-institution": "EducationalOrganization",
			"business": "Corporation", "designer": "Organization", "design-brand": "Organization", "organization": "Organization",
		}
		var kinds struct {
			Data []struct{ Slug string } `json:"data"`
		}
		c.do("GET", "/v1/kinds", nil).want(http.StatusOK).decode(&kinds)
		if len(kinds.Data) != len(wantType) {
			t.Fatalf("%d kinds in the reference data, %d mapped here", len(kinds.Data), len(wantType))
		}
		for _, k := range kinds.Data {
			e := c.create(fullEntity("Gốm "+k.Slug+" "+c.suffix, k.Slug))
			res := c.do("GET", "/v1/entities/"+e.Slug, nil, accept, "application/ld+json").want(http.StatusOK)
			if ct := res.header.Get("Content-Type"); ct != "application/ld+json" {
				t.Errorf("%s: Content-Type %q", k.Slug, ct)
			}
			if !slices.Contains(res.header.Values("Vary"), "Accept") {
				t.Errorf("%s: Vary %q lacks Accept", k.Slug, res.header.Values("Vary"))
			}
			for _, err := range vocab.check(expand(t, res.body, loader), used) {
				t.Errorf("%s: %s", k.Slug, err)
			}
			var doc linkeddata.Organization
			res.decode(&doc)
			if doc.Type != wantType[k.Slug] {
				t.Errorf("%s: @type %s, want %s", k.Slug, doc.Type, wantType[k.Slug])
			}
			wantGeo := &linkeddata.GeoCoordinates{Type: "GeoCoordinates", Latitude: 20.976, Longitude: 105.913}
			geo := doc.Geo
			if doc.Location != nil {
				geo = doc.Location.Geo
			}
			if geo == nil || *geo != *wantGeo || (doc.Geo == nil) == (doc.Location == nil) {
				t.Errorf("%s: geo %+v, location %+v", k.Slug, doc.Geo, doc.Location)
			}
			want := linkeddata.Organization{
				Context: "https://schema.org", Type: wantType[k.Slug], ID: c.url + "/v1/entities/" + e.ID, Identifier: e.ID,
				Name:        []linkeddata.Text{{Value: e.Name, Language: "vi"}, {Value: "EN " + e.Name, Language: "en"}},
				Description: []linkeddata.Text{{Value: "Xưởng gốm thủ công.", Language: "vi"}, {Value: "A pottery workshop.", Language: "en"}},
				Address: &linkeddata.PostalAddress{Type: "PostalAddress", StreetAddress: "Thôn 3", AddressLocality: "Bát Tràng",
					AddressRegion: "Hà Nội", AddressCountry: "VN"},
				Geo: doc.Geo, Location: doc.Location,
				URL: "https://gom.example.vn", Telephone: "+84 24 3874 0123", Email: "a@gom.example.vn",
				SameAs:       []string{"https://social.example.com/gom", "https://video.example.com/@gom"},
				FoundingDate: "1998",
				KnowsAbout: []linkeddata.DefinedTerm{
					{Type: "DefinedTerm", ID: c.url + "/v1/sectors/design", TermCode: "design", InDefinedTermSet: c.url + "/v1/sectors",
						Name: []linkeddata.Text{{Value: "Thiết kế sáng tạo", Language: "vi"}, {Value: "Creative design", Language: "en"}}},
					{Type: "DefinedTerm", ID: c.url + "/v1/sectors/crafts", TermCode: "crafts", InDefinedTermSet: c.url + "/v1/sectors",
						Name: []linkeddata.Text{{Value: "Thủ công mỹ nghệ", Language: "vi"}, {Value: "Handicrafts", Language: "en"}}},
				},
			}
			if got, exp := mustJSON(t, doc), mustJSON(t, want); got != exp {
				t.Errorf("%s:\n got %s\nwant %s", k.Slug, got, exp)
			}
		}
		// The checks above saw every property the contract names.
		for _, p := range []string{"LocalBusiness.geo", "Organization.location", "Place.geo", "Organization.address", "PostalAddress.addressLocality",
			"Organization.name", "Organization.url", "Organization.telephone", "Organization.email", "Organization.sameAs",
			"Organization.foundingDate", "Organization.knowsAbout", "DefinedTerm.name", "GeoCoordinates.latitude"} {
			if !used[p] {
				t.Errorf("no document used %s", p)
			}
		}

		// A logo is the document's image, at an absolute address.
		withLogo := c.create(valid("Xưởng Logo " + c.suffix))
		var uploaded struct{ Logo struct{ URL string } }
		c.upload("PUT", "/v1/entities/"+withLogo.ID+"/logo", "image/png", pngFile(t, 64, 64), 1).want(http.StatusOK).decode(&uploaded)
		res := c.do("GET", "/v1/entities/"+withLogo.ID, nil, accept, "application/ld+json").want(http.StatusOK)
		for _, err := range vocab.check(expand(t, res.body, loader), used) {
			t.Errorf("with a logo: %s", err)
		}
		var withImage linkeddata.Organization
		res.decode(&withImage)
		if uploaded.Logo.URL == "" || withImage.Image != c.url+uploaded.Logo.URL {
			t.Errorf("image %q, the logo %q", withImage.Image, uploaded.Logo.URL)
		}

		// A bare entity: only what it has.
		bare := c.create(valid("Xưởng Trống " + c.suffix))
		res = c.do("GET", "/v1/entities/"+bare.ID, nil, accept, "application/ld+json").want(http.StatusOK)
		for _, err := range vocab.check(expand(t, res.body, loader), used) {
			t.Errorf("bare: %s", err)
		}
		var members map[string]any
		res.decode(&members)
		if len(members) != 6 { // @context, @type, @id, identifier, name, knowsAbout
			t.Errorf("a bare entity's document: %s", res.body)
		}

		// Archived entities stay readable by id or slug, here as in JSON.
		c.do("DELETE", "/v1/entities/"+bare.ID, nil, "If-Match", `"1"`).want(http.StatusNoContent)
		c.do("GET", "/v1/entities/"+bare.Slug, nil, accept, "application/ld+json").want(http.StatusOK)
		c.do("GET", "/v1/entities/no-such-entity", nil, accept, "application/ld+json").problem(http.StatusNotFound)
	})
}

// The validator is not a rubber stamp: it refuses what schema.org does
// not allow.
func TestSchemaOrgCheckRefusesWhatSchemaOrgDoesNot(t *testing.T) {
	vocab := loadSchemaVocabulary(t)
	loader := offlineLoader{schemaContext: vocab.context}
	for name, doc := range map[string]string{
		"geo on an Organization":       `{"@context":"https://schema.org","@type":"Organization","geo":{"@type":"GeoCoordinates","latitude":1,"longitude":2}}`,
		"an unknown type":              `{"@context":"https://schema.org","@type":"CreativeSpace","name":"x"}`,
		"an unknown property":          `{"@context":"https://schema.org","@type":"Organization","foundedYear":"1998"}`,
		"an address of the wrong type": `{"@context":"https://schema.org","@type":"Organization","address":{"@type":"GeoCoordinates","latitude":1}}`,
		"a number for a name":          `{"@context":"https://schema.org","@type":"Organization","name":12}`,
	} {
		if errs := vocab.check(expand(t, []byte(doc), loader), map[string]bool{}); len(errs) == 0 {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestEntityNegotiation: the representation follows Accept by q-values and
// the most specific range (RFC 9110); JSON is the default, and an Accept
// that rules out both is a 406.
func TestEntityNegotiation(t *testing.T) {
	engines(t, func(t *testing.T, c *client) {
		e := c.create(valid("Xưởng Thương Lượng " + c.suffix))
		path := "/v1/entities/" + e.ID
		for acceptHeader, want := range map[string]string{
			"":                    "application/json",
			"*/*":                 "application/json",
			"application/json":    "application/json",
			"application/*":       "application/json",
			"application/ld+json": "application/ld+json",
			"application/ld+json;q=0.5, application/json":                          "application/json",
			"application/json;q=0.5, application/ld+json":                          "application/ld+json",
			"application/ld+json;q=0.5, */*":                                       "application/json", // */* gives JSON 1.0
			"application/json;q=0, */*":                                            "application/ld+json",
			"text/html, application/ld+json;q=0.9":                                 "application/ld+json",
			`application/ld+json;profile="http://www.w3.org/ns/json-ld#compacted"`: "application/ld+json",
			"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8":      "application/json", // a browser
		} {
			res := c.do("GET", path, nil, accept, acceptHeader).want(http.StatusOK)
			if ct, _, _ := mime.ParseMediaType(res.header.Get("Content-Type")); ct != want {
				t.Errorf("Accept %q: %s, want %s", acceptHeader, ct, want)
			}
			if !slices.Contains(res.header.Values("Vary"), "Accept") {
				t.Errorf("Accept %q: Vary %q", acceptHeader, res.header.Values("Vary"))
			}
		}
		for _, refused := range []string{"text/html", "application/json;q=0, application/ld+json;q=0", "text/csv"} {
			c.do("GET", path, nil, accept, refused).problem(http.StatusNotAcceptable)
		}

		// Each representation has its tag: one does not revalidate the other.
		jsonTag := c.do("GET", path, nil).want(http.StatusOK).header.Get("ETag")
		ldTag := c.do("GET", path, nil, accept, "application/ld+json").want(http.StatusOK).header.Get("ETag")
		if jsonTag != `"1"` || ldTag == "" || ldTag == jsonTag {
			t.Fatalf("ETags: JSON %s, JSON-LD %s", jsonTag, ldTag)
		}
		c.do("GET", path, nil, accept, "application/ld+json", "If-None-Match", jsonTag).want(http.StatusOK)
		c.do("GET", path, nil, "If-None-Match", ldTag).want(http.StatusOK)
		c.do("GET", path, nil, accept, "application/ld+json", "If-None-Match", ldTag).want(http.StatusNotModified)
		// A change is seen at once, and moves the tag.
		c.do("PATCH", path, `{"name_en":"Negotiated"}`, "If-Match", `"1"`).want(http.StatusOK)
		res := c.do("GET", path, nil, accept, "application/ld+json", "If-None-Match", ldTag).want(http.StatusOK)
		if res.header.Get("ETag") == ldTag || !strings.Contains(string(res.body), `{"@value":"Negotiated","@language":"en"}`) {
			t.Errorf("after a change: ETag %s (was %s), %s", res.header.Get("ETag"), ldTag, res.body)
		}
	})
}

// TestLinkedDataAddresses: identifiers start with PUBLIC_URL when set,
// else with the address the request reached; X-Forwarded-Proto counts
// only from a trusted proxy.
func TestLinkedDataAddresses(t *testing.T) {
	storetest.Engines(t, pg, func(t *testing.T, dsn string) {
		db, _ := storetest.Open(t, dsn)
		c := serve(t, db, api.Config{OpenAPI: docs.OpenAPI3, Version: "test"})
		e := c.create(valid("Xưởng Địa Chỉ " + c.suffix))
		var doc linkeddata.Organization
		c.do("GET", "/v1/entities/"+e.ID, nil, accept, "application/ld+json", "X-Forwarded-Proto", "https").want(http.StatusOK).decode(&doc)
		if doc.ID != c.url+"/v1/entities/"+e.ID || !strings.HasPrefix(c.url, "http://") {
			t.Errorf("@id %s from %s (an untrusted X-Forwarded-Proto must not count)", doc.ID, c.url)
		}
		public := serve(t, db, api.Config{OpenAPI: docs.OpenAPI3, Version: "test", CacheBytes: 8 << 20, PublicURL: "https://registry.example.vn/hanoi"})
		public.do("GET", "/v1/entities/"+e.Slug, nil, accept, "application/ld+json").want(http.StatusOK).decode(&doc)
		if doc.ID != "https://registry.example.vn/hanoi/v1/entities/"+e.ID {
			t.Errorf("@id %s with PUBLIC_URL", doc.ID)
		}
		var cat linkeddata.Catalog
		public.do("GET", "/v1/catalog", nil).want(http.StatusOK).decode(&cat)
		if cat.ID != "https://registry.example.vn/hanoi/v1/catalog" || cat.Dataset[0].Distribution[1].AccessURL.ID != "https://registry.example.vn/hanoi/v1/entities?format=csv" {
			t.Errorf("catalogue addresses with PUBLIC_URL: %s, %s", cat.ID, cat.Dataset[0].Distribution[1].AccessURL.ID)
		}
	})
}

// TestCatalogIsDCATAP: GET /v1/catalog is a DCAT-AP catalogue that a
// JSON-LD processor expands into DCAT-AP terms only, with every property
// DCAT-AP makes mandatory; its modified time is the last change's, and its
// distributions are there to be fetched, in the media types they state.
func TestCatalogIsDCATAP(t *testing.T) {
	terms := loadDCATTerms(t)
	engines(t, func(t *testing.T, c *client) {
		e := c.create(valid("Xưởng Danh Mục " + c.suffix))
		res := c.do("GET", "/v1/catalog", nil).want(http.StatusOK)
		if ct := res.header.Get("Content-Type"); ct != "application/ld+json" {
			t.Errorf("Content-Type %q", ct)
		}
		seen := map[string]int{}
		for _, err := range checkDCAT(terms, expand(t, res.body, offlineLoader{}), seen) {
			t.Error(err)
		}
		dcat := "http://www.w3.org/ns/dcat#"
		if seen[dcat+"Catalog"] != 1 || seen[dcat+"Dataset"] != 1 || seen[dcat+"Distribution"] != 4 || seen[dcat+"DataService"] != 1 ||
			seen["http://xmlns.com/foaf/0.1/Agent"] != 2 {
			t.Errorf("classes seen: %v", seen)
		}
		var cat linkeddata.Catalog
		res.decode(&cat)
		ds := cat.Dataset[0]
		wantTitle := []linkeddata.Text{{Value: "Sổ đăng ký cộng đồng sáng tạo Hà Nội", Language: "vi"}, {Value: "Hà Nội Creative Registry", Language: "en"}}
		if !slices.Equal(cat.Title, wantTitle) || !slices.Equal(ds.Title, wantTitle) || len(ds.Description) != 2 {
			t.Errorf("titles %v, %v; description %v", cat.Title, ds.Title, ds.Description)
		}
		if cat.License.ID != "https://creativecommons.org/licenses/by/4.0/" || cat.Publisher.Name == "" || ds.ContactPoint != nil {
			t.Errorf("licence %s, publisher %+v, contact %+v", cat.License.ID, cat.Publisher, ds.ContactPoint)
		}
		if ds.Spatial.ID != "https://sws.geonames.org/1581130/" || len(ds.Theme) == 0 || len(ds.Keyword) < 8 {
			t.Errorf("spatial %s, themes %v, keywords %v", ds.Spatial.ID, ds.Theme, ds.Keyword)
		}
		last := lastChange(t, c)
		if cat.Modified == nil || ds.Modified == nil || cat.Modified.Value != last || ds.Modified.Value != last || ds.Issued == nil {
			t.Errorf("modified %+v, %+v; the last change at %s", cat.Modified, ds.Modified, last)
		}

		// Every distribution answers at its address, in its media type.
		fetched := 0
		for _, d := range ds.Distribution {
			want := strings.TrimPrefix(d.MediaType.ID, "https://www.iana.org/assignments/media-types/")
			addrs := map[string]string{d.AccessURL.ID: want} // address → the media type it must answer in
			if d.DownloadURL != nil {
				addrs[d.DownloadURL.ID] = want
			}
			if d.ConformsTo != nil {
				addrs[d.ConformsTo.ID] = "application/json" // the OpenAPI document
			}
			if d.AccessService != nil {
				addrs[d.AccessService.EndpointDescription.ID] = "application/json"
			}
			for addr, mediaType := range addrs {
				path, ok := strings.CutPrefix(addr, c.url)
				if !ok {
					t.Errorf("%s: %s is not on this server", d.ID, addr)
					continue
				}
				got := c.do("GET", path, nil).want(http.StatusOK)
				if ct, _, _ := mime.ParseMediaType(got.header.Get("Content-Type")); ct != mediaType {
					t.Errorf("%s: %s answers %s, the catalogue says %s", d.ID, addr, ct, mediaType)
				}
				fetched++
			}
			if d.License.ID != cat.License.ID || !strings.HasPrefix(d.Format.ID, "http://publications.europa.eu/resource/authority/file-type/") {
				t.Errorf("%s: licence %s, format %s", d.ID, d.License.ID, d.Format.ID)
			}
		}
		if fetched < 6 {
			t.Errorf("fetched %d distribution addresses", fetched)
		}

		// Cached like other reference reads, and current after a change.
		tag := res.header.Get("ETag")
		if res.header.Get("Cache-Control") != "public, no-cache" || tag == "" {
			t.Errorf("Cache-Control %q, ETag %q", res.header.Get("Cache-Control"), tag)
		}
		c.do("GET", "/v1/catalog", nil, "If-None-Match", tag).want(http.StatusNotModified)
		time.Sleep(1100 * time.Millisecond) // the times are to the second
		c.do("PATCH", "/v1/entities/"+e.ID, `{"name_en":"Catalogued"}`, "If-Match", `"1"`).want(http.StatusOK)
		res = c.do("GET", "/v1/catalog", nil, "If-None-Match", tag).want(http.StatusOK)
		res.decode(&cat)
		if now := lastChange(t, c); res.header.Get("ETag") == tag || cat.Modified.Value != now || now == last {
			t.Errorf("after a change: ETag %s (was %s), modified %s, the last change at %s (was %s)", res.header.Get("ETag"), tag, cat.Modified.Value, now, last)
		}
		// JSON-LD is JSON: a client asking for JSON gets it; one asking for neither, a 406.
		c.do("GET", "/v1/catalog", nil, accept, "application/json").want(http.StatusOK)
		c.do("GET", "/v1/catalog", nil, accept, "text/html").problem(http.StatusNotAcceptable)
	})
}

// TestCatalogSettings: the titles, publisher, licence and contact point
// are the operator's.
func TestCatalogSettings(t *testing.T) {
	terms := loadDCATTerms(t)
	storetest.Engines(t, pg, func(t *testing.T, dsn string) {
		db, _ := storetest.Open(t, dsn)
		info := linkeddata.CatalogInfo{Title: "Danh bạ sáng tạo", TitleEn: "Creative directory", Publisher: "Sở Văn hóa và Thể thao Hà Nội",
			PublisherURL: "https://sovhtt.example.vn/", License: "https://creativecommons.org/publicdomain/zero/1.0/", ContactEmail: "opendata@example.vn"}
		c := serve(t, db, api.Config{OpenAPI: docs.OpenAPI3, Version: "test", Catalog: info})
		res := c.do("GET", "/v1/catalog", nil).want(http.StatusOK)
		for _, err := range checkDCAT(terms, expand(t, res.body, offlineLoader{}), map[string]int{}) {
			t.Error(err) // vCard's contact point included
		}
		var cat linkeddata.Catalog
		res.decode(&cat)
		ds := cat.Dataset[0]
		if cat.Title[0].Value != "Danh bạ sáng tạo" || cat.Title[1].Value != "Creative directory" || ds.Title[1].Value != "Creative directory" {
			t.Errorf("titles %v", cat.Title)
		}
		if cat.Publisher.Name != info.Publisher || cat.Publisher.ID != info.PublisherURL || cat.License.ID != info.License ||
			ds.Distribution[2].License.ID != info.License {
			t.Errorf("publisher %+v, licence %s", cat.Publisher, cat.License.ID)
		}
		if ds.ContactPoint == nil || ds.ContactPoint.HasEmail.ID != "mailto:opendata@example.vn" || ds.ContactPoint.Type != "vcard:Organization" {
			t.Errorf("contact point %+v", ds.ContactPoint)
		}
		if cat.Modified != nil {
			t.Errorf("no change yet, but modified %v", cat.Modified)
		}
	})
}

// The DCAT-AP check refuses a dataset without a title, and a term that is
// not DCAT-AP's.
func TestDCATCheckRefusesWhatDCATAPDoesNot(t *testing.T) {
	terms := loadDCATTerms(t)
	cat := linkeddata.CatalogOf(linkeddata.DefaultCatalog, linkeddata.Links{Base: "https://r.example.vn"}, nil, time.Time{}, time.Time{})
	if errs := checkDCAT(terms, expand(t, mustJSONBytes(t, cat), offlineLoader{}), map[string]int{}); len(errs) > 0 {
		t.Fatalf("the catalogue itself: %v", errs)
	}
	cat.Dataset[0].Title = nil
	if errs := checkDCAT(terms, expand(t, mustJSONBytes(t, cat), offlineLoader{}), map[string]int{}); len(errs) == 0 {
		t.Error("a dataset without dct:title accepted")
	}
	var doc map[string]any
	if err := json.Unmarshal(mustJSONBytes(t, linkeddata.CatalogOf(linkeddata.DefaultCatalog, linkeddata.Links{Base: "https://r.example.vn"}, nil, time.Time{}, time.Time{})), &doc); err != nil {
		t.Fatal(err)
	}
	doc["dct:licence"] = map[string]any{"@id": "https://example.vn/l"} // British spelling: not a DCMI term
	if errs := checkDCAT(terms, expand(t, mustJSONBytes(t, doc), offlineLoader{}), map[string]int{}); len(errs) == 0 {
		t.Error("dct:licence accepted")
	}
}

// lastChange is the time of the newest change of the feed, to the second.
func lastChange(t *testing.T, c *client) string {
	t.Helper()
	var feed struct {
		Data []struct {
			At time.Time `json:"at"`
		} `json:"data"`
	}
	c.do("GET", "/v1/changes?after=0&limit=100", nil).want(http.StatusOK).decode(&feed)
	if len(feed.Data) == 0 || len(feed.Data) == 100 {
		t.Fatalf("%d changes", len(feed.Data))
	}
	return feed.Data[len(feed.Data)-1].At.UTC().Truncate(time.Second).Format(time.RFC3339)
}

func mustJSONBytes(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mustJSON(t *testing.T, v any) string { return string(mustJSONBytes(t, v)) }
