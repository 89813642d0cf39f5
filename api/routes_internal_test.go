package api

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/hanoicreative/registry/docs"
)

// TestOpenAPIDescribesEveryRoute: the served OpenAPI 3 document validates,
// writes paths in full, and lists exactly the routes the router serves.
func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromData(docs.OpenAPI3)
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("openapi.json does not validate: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Fatalf("openapi %q, want 3.x", doc.OpenAPI)
	}
	var documented, heads []string
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if method == http.MethodHead {
				// Not a route: answerHEAD serves HEAD wherever GET is.
				heads = append(heads, path)
			} else {
				documented = append(documented, method+" "+path)
			}
			for code, resp := range op.Responses.Map() {
				if code >= "400" && resp.Value.Content.Get("application/problem+json") == nil {
					t.Errorf("%s %s: response %s is not application/problem+json", method, path, code)
				}
			}
		}
	}
	s := New(Deps{}, slog.New(slog.NewTextHandler(io.Discard, nil)), Config{})
	param := regexp.MustCompile(`:(\w+)`)
	var served []string
	for _, r := range s.echo.Routes() {
		if strings.HasPrefix(r.Path, "/swagger/") || r.Method == "echo_route_not_found" {
			continue
		}
		served = append(served, r.Method+" "+param.ReplaceAllString(r.Path, "{$1}"))
	}
	sort.Strings(documented)
	sort.Strings(served)
	for _, path := range heads {
		if !slices.Contains(served, http.MethodGet+" "+path) {
			t.Errorf("HEAD %s is documented, but %s has no GET route", path, path)
		}
	}
	if strings.Join(documented, "\n") != strings.Join(served, "\n") {
		t.Errorf("documented:\n%s\n\nserved:\n%s", strings.Join(documented, "\n"), strings.Join(served, "\n"))
	}
}
