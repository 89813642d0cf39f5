package main

import "github.com/getkin/kin-openapi/openapi3"

// linkedDataResponses gives application/ld+json answers a schema of their
// own. swag's Swagger 2.0 has one schema for all the media types an
// operation produces, so an entity's JSON-LD would claim to be an Entity
// (snake_case fields, which it is not): it is a schema.org JSON-LD node,
// described in prose by the operation, whose fixed members are @context,
// @type and @id (the LinkedData schema). Generated clients then read it
// as a free-form object.
func linkedDataResponses(doc *openapi3.T) {
	ld := &openapi3.SchemaRef{Value: &openapi3.Schema{
		Type:        &openapi3.Types{openapi3.TypeObject},
		Description: "A JSON-LD document (schema.org for an entity, DCAT-AP for the catalogue): see the operation's description.",
		Required:    []string{"@context", "@type", "@id"},
		Properties: openapi3.Schemas{
			"@context": {Value: &openapi3.Schema{Description: "the JSON-LD context: https://schema.org, or the catalogue's prefixes"}},
			"@type":    {Value: &openapi3.Schema{Type: &openapi3.Types{openapi3.TypeString}, Example: "LocalBusiness"}},
			"@id":      {Value: &openapi3.Schema{Type: &openapi3.Types{openapi3.TypeString}, Format: "uri", Example: "https://registry.example.vn/v1/entities/0193b0c4-5d1e-7c2a-9f00-3c1d2e4f5a6b"}},
		},
		AdditionalProperties: openapi3.AdditionalProperties{Has: openapi3.Ptr(true)},
	}}
	doc.Components.Schemas["LinkedData"] = ld
	ldRef := &openapi3.SchemaRef{Ref: "#/components/schemas/LinkedData", Value: ld.Value}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			for _, ref := range op.Responses.Map() {
				if ref.Value == nil {
					continue
				}
				if mt := ref.Value.Content["application/ld+json"]; mt != nil {
					mt.Schema = ldRef
				}
			}
		}
	}
}
