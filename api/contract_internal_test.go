package api

import (
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/hanoicreative/registry/docs"
)

// TestOpenAPIIsReadyForGenerators: what client generators need from the
// document: every operation named and saying whether it needs a key, and
// bodies that a typed client can fill in (a PATCH with no required field,
// a create body requiring only what the service requires).
func TestOpenAPIIsReadyForGenerators(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData(docs.OpenAPI3)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			where := method + " " + path
			if op.OperationID == "" {
				t.Errorf("%s has no operationId", where)
			} else if other, ok := ids[op.OperationID]; ok {
				t.Errorf("%s and %s share the operationId %s", where, other, op.OperationID)
			}
			ids[op.OperationID] = where
			if op.Security == nil {
				t.Errorf("%s does not declare its security (security: [] when no key is needed)", where)
			}
		}
	}
	for want, where := range map[string]string{"listEntities": "GET /v1/entities", "patchEntity": "PATCH /v1/entities/{id}", "createKey": "POST /v1/keys"} {
		if ids[want] != where {
			t.Errorf("operationId %s names %q, want %q", want, ids[want], where)
		}
	}

	schema := func(name string) *openapi3.Schema {
		ref := doc.Components.Schemas[name]
		if ref == nil || ref.Value == nil {
			t.Fatalf("no schema %s", name)
		}
		return ref.Value
	}
	if got := slices.Sorted(slices.Values(schema("EntityInput").Required)); !slices.Equal(got, []string{"kind", "name", "sectors"}) {
		t.Errorf("EntityInput requires %v, want kind, name and sectors", got)
	}
	for _, name := range []string{"EntityPatch", "AddressPatch", "LocationPatch", "ContactPatch", "SectorPatch"} {
		if req := schema(name).Required; len(req) > 0 {
			t.Errorf("%s requires %v: a merge patch requires nothing", name, req)
		}
	}
	for path, want := range map[string]string{"/v1/entities/{id}": "EntityPatch", "/v1/sectors/{slug}": "SectorPatch"} {
		body := doc.Paths.Find(path).Patch.RequestBody.Value
		for _, ct := range []string{"application/json", "application/merge-patch+json"} {
			mt := body.Content.Get(ct)
			if mt == nil || mt.Schema == nil || mt.Schema.Ref != "#/components/schemas/"+want {
				t.Errorf("PATCH %s %s body is not %s", path, ct, want)
			}
		}
	}
	if !schema("EntityPatch").Properties["name_en"].Value.Nullable || !schema("EntityPatch").Properties["address"].Value.Nullable {
		t.Error("EntityPatch: name_en and address must be nullable (null removes them)")
	}
}

// TestPatchBodiesHaveTheCreateBodiesFields: the documented PATCH bodies
// (never decoded) name exactly the fields the patch is applied to.
func TestPatchBodiesHaveTheCreateBodiesFields(t *testing.T) {
	for _, pair := range []struct {
		patch, input any
		except       []string
	}{
		{EntityPatch{}, EntityInput{}, nil},
		{AddressPatch{}, AddressInput{}, nil},
		{LocationPatch{}, LocationInput{}, nil},
		{ContactPatch{}, ContactInput{}, nil},
		{SectorPatch{}, SectorInput{}, []string{"slug"}}, // a sector's slug cannot change
	} {
		patch, input := jsonFieldNames(pair.patch), jsonFieldNames(pair.input)
		input = slices.DeleteFunc(input, func(f string) bool { return slices.Contains(pair.except, f) })
		if !slices.Equal(patch, input) {
			t.Errorf("%T has %v, %T has %v", pair.patch, patch, pair.input, input)
		}
	}
}

func jsonFieldNames(v any) []string {
	var out []string
	typ := reflect.TypeOf(v)
	for i := range typ.NumField() {
		name, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}
