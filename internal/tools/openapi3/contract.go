package main

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// bearerScheme is the security scheme of API keys (doc.go's securityDefinitions).
const bearerScheme = "BearerKey"

// keyOptional marks, in the annotations (@x-key-optional true), an
// operation that anyone may call and that an API key gives more.
const keyOptional = "x-key-optional"

// declareSecurity makes every operation say whether it needs a key: swag
// writes security only for the keyed ones, and a generator or linter cannot
// tell "no key needed" from "not said".
func declareSecurity(doc *openapi3.T) {
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			if _, ok := op.Extensions[keyOptional]; ok {
				delete(op.Extensions, keyOptional)
				op.Security = &openapi3.SecurityRequirements{{}, {bearerScheme: []string{}}}
				continue
			}
			if op.Security == nil {
				op.Security = &openapi3.SecurityRequirements{}
			}
		}
	}
}

// The headers the middleware sets, described once (components.headers).
var headers = map[string]string{
	"X-Request-Id":        "This request's id, also in problem documents and the logs (echoed when the client sent a sane one).",
	"RateLimit-Limit":     "The requests a client may make in the window (draft-ietf-httpapi-ratelimit-headers).",
	"RateLimit-Remaining": "The requests left in the window.",
	"RateLimit-Reset":     "Seconds until the budget is full again.",
	"RateLimit-Policy":    "The policy, as limit;w=window-seconds.",
	"Retry-After":         "Seconds to wait before trying again.",
}

// commonHeaders documents, on each response, the headers that middleware
// rather than the handler sets.
func commonHeaders(doc *openapi3.T) {
	if doc.Components.Headers == nil {
		doc.Components.Headers = openapi3.Headers{}
	}
	for name, desc := range headers {
		doc.Components.Headers[name] = &openapi3.HeaderRef{Value: &openapi3.Header{Parameter: openapi3.Parameter{
			Description: desc, Schema: openapi3.NewStringSchema().NewRef(),
		}}}
		if name != "X-Request-Id" && name != "RateLimit-Policy" {
			doc.Components.Headers[name].Value.Schema = openapi3.NewIntegerSchema().NewRef()
		}
	}
	ref := func(name string) *openapi3.HeaderRef {
		return &openapi3.HeaderRef{Ref: "#/components/headers/" + name, Value: doc.Components.Headers[name].Value}
	}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			limited := op.Responses.Value("429") != nil
			for code, r := range op.Responses.Map() {
				if r.Value == nil {
					continue
				}
				if r.Value.Headers == nil {
					r.Value.Headers = openapi3.Headers{}
				}
				r.Value.Headers["X-Request-Id"] = ref("X-Request-Id")
				if limited {
					for _, h := range []string{"RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "RateLimit-Policy"} {
						r.Value.Headers[h] = ref(h)
					}
				}
				if code == strconv.Itoa(429) || code == strconv.Itoa(503) {
					r.Value.Headers["Retry-After"] = ref("Retry-After")
				}
			}
		}
	}
}

// parameterExamples copies the examples swag writes on non-body parameters
// (example(...) in @Param), which the conversion drops, onto the OpenAPI 3
// parameters.
func parameterExamples(swagger2 []byte, doc *openapi3.T) error {
	var v2 struct {
		Paths map[string]map[string]struct {
			Parameters []struct {
				Name    string `json:"name"`
				In      string `json:"in"`
				Example any    `json:"example"`
			} `json:"parameters"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(swagger2, &v2); err != nil {
		return fmt.Errorf("reading parameter examples: %w", err)
	}
	paths := make([]string, 0, len(v2.Paths))
	for p := range v2.Paths {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, path := range paths {
		item := doc.Paths.Find(path)
		if item == nil {
			continue
		}
		for method, op2 := range v2.Paths[path] {
			op := item.GetOperation(strings.ToUpper(method))
			if op == nil {
				continue
			}
			for _, p2 := range op2.Parameters {
				if p2.Example == nil {
					continue
				}
				p := op.Parameters.GetByInAndName(p2.In, p2.Name)
				if p == nil {
					continue
				}
				p.Example = p2.Example
				if s := p.Schema; s != nil && s.Value != nil && s.Value.Type.Is(openapi3.TypeArray) {
					if _, isList := p2.Example.([]any); !isList {
						p.Example = []any{p2.Example}
					}
				}
			}
		}
	}
	return nil
}

// typeNullableObjects gives a type to what swag writes for a nullable
// struct field (allOf: [$ref], nullable: true): OpenAPI 3.0 ignores
// nullable without a type beside it.
func typeNullableObjects(doc *openapi3.T) {
	for _, ref := range doc.Components.Schemas {
		if ref.Value == nil {
			continue
		}
		for _, prop := range ref.Value.Properties {
			p := prop.Value
			if p != nil && prop.Ref == "" && p.Nullable && p.Type == nil && len(p.AllOf) > 0 {
				p.Type = &openapi3.Types{openapi3.TypeObject}
			}
		}
	}
}

// binaryBodies marks request bodies that are files (images) as binary:
// swag writes format(binary) on the Swagger 2.0 parameter, which the
// conversion leaves behind, so that clients would send them as text.
func binaryBodies(doc *openapi3.T) {
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			if op.RequestBody == nil || op.RequestBody.Value == nil {
				continue
			}
			for mt, media := range op.RequestBody.Value.Content {
				if !strings.HasPrefix(mt, "image/") || media.Schema == nil || media.Schema.Value == nil {
					continue
				}
				media.Schema = openapi3.NewStringSchema().WithFormat("binary").NewRef()
			}
		}
	}
}
