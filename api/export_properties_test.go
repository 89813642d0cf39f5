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
			got, _ := json.Marshal(props)
			if !bytes.Equal(got, want) {
				t.Errorf("properties of %s:\n%s\nthe entity without its location:\n%s", f.ID, got, want)
			}
		}
	})
}
