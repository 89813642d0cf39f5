package api_test

import (
	"bytes"
	"encoding/json"
	"testing"
)

// TestGeoJSONPropertiesAreTheEntity checks that a feature's properties
// are the entity as GET /v1/entities/{id} gives it, but its location (the
// geometry): internal/export writes them apart from the API's Entity, and
// a field added to one must be added to the other.
func TestGeoJSONPropertiesAreTheEntity(t *testing.T) {
	engines(t, func(t *testing.T, c *client) {
		seedTricky(t, c)
		// One of them with a logo and a photo, so the images are compared too.
		var located struct{ Features []struct{ ID string } }
		c.do("GET", "/v1/entities?format=geojson", nil).want(200).decode(&located)
		first := "/v1/entities/" + located.Features[0].ID
		c.upload("PUT", first+"/logo", "image/png", pngFile(t, 400, 200), 1).want(200)
		c.upload("POST", first+"/photos?caption=L%C3%B2", "image/jpeg", jpegFile(t, 300, 200), 2).want(200)
		var fc struct {
			Features []struct {
				ID         string
				Properties json.RawMessage
			}
		}
		c.do("GET", "/v1/entities?format=geojson", nil).want(200).decode(&fc)
		if len(fc.Features) != 2 {
			t.Fatalf("%d features, want 2", len(fc.Features))
		}
		for _, f := range fc.Features {
			var entity map[string]json.RawMessage
			c.do("GET", "/v1/entities/"+f.ID, nil).want(200).decode(&entity)
			delete(entity, "location")
			// Marshalled again, both have their keys in the same (sorted) order.
			want, _ := json.Marshal(entity)
			var props map[string]json.RawMessage
			if err := json.Unmarshal(f.Properties, &props); err != nil {
				t.Fatal(err)
			}
			// logo_url repeats the logo's path flat for map tools.
			var logo struct{ URL *string }
			_ = json.Unmarshal(entity["logo"], &logo)
			var flat *string
			_ = json.Unmarshal(props["logo_url"], &flat)
			if (flat == nil) != (logo.URL == nil) || (flat != nil && *flat != *logo.URL) {
				t.Errorf("logo_url of %s is %s, the logo %s", f.ID, props["logo_url"], entity["logo"])
			}
			delete(props, "logo_url")
			got, _ := json.Marshal(props)
			if !bytes.Equal(got, want) {
				t.Errorf("properties of %s:\n%s\nthe entity without its location:\n%s", f.ID, got, want)
			}
		}
	})
}
