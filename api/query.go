package api

import (
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/hanoicreative/registry/internal/registry"
)

// filterParams are the query parameters that filter entities (listings,
// exports, stats), and whether each may be repeated.
var filterParams = map[string]bool{
	"sector": true, "match": false, "kind": true, "ward": true,
	"founded_from": false, "founded_to": false, "updated_since": false, "status": false, "q": false,
}

// listParams are the query parameters of GET /v1/entities. Any other
// parameter is a 400: a typo (?sectors=) must not silently return
// everything.
var listParams = withParams(filterParams, "sort", "limit", "cursor", "fields", "facets", "format", "bom", "csv")

func withParams(base map[string]bool, single ...string) map[string]bool {
	out := make(map[string]bool, len(base)+len(single))
	for k, v := range base {
		out[k] = v
	}
	for _, k := range single {
		out[k] = false
	}
	return out
}

// entityFields are the top-level fields a client may select with fields.
var entityFields = []string{"id", "slug", "name", "name_en", "kind", "sectors", "description",
	"description_en", "address", "location", "contact", "links", "founded_year", "logo", "photos", "status",
	"version", "created_at", "updated_at"}

// listRequest is a parsed GET /v1/entities.
type listRequest struct {
	query  registry.ListQuery
	fields []string // nil: all
}

// parseListQuery parses and checks the listing's query string. Sectors and
// kinds are checked against the reference data by the service.
func (s *Server) parseListQuery(values url.Values) (listRequest, error) {
	var req listRequest
	q := &req.query
	f, err := s.parseFilter(values, listParams)
	if err != nil {
		return req, err
	}
	q.Filter = f
	if err := s.parseListOptions(values, &req); err != nil {
		return req, err
	}
	return req, nil
}

// parseFilter checks that values holds only allowed parameters (each
// repeated only if it may be) and parses the filter among them.
func (s *Server) parseFilter(values url.Values, allowed map[string]bool) (registry.Filter, error) {
	for name, vs := range values {
		repeatable, known := allowed[name]
		if !known {
			return registry.Filter{}, malformed("%q is not a query parameter here (see /openapi.json).", name)
		}
		if !repeatable && len(vs) > 1 {
			return registry.Filter{}, malformed("%s may be given once.", name)
		}
	}
	return s.svc.ParseFilter(values)
}

// parseSince reads a date filter (registry.ParseSince).
func parseSince(v string) (time.Time, error) { return registry.ParseSince(v) }

// parseListOptions parses what a listing adds to its filter: order, page,
// fields and facets.
func (s *Server) parseListOptions(values url.Values, req *listRequest) error {
	q := &req.query
	var err error
	if v := values.Get("sort"); v != "" {
		if q.Sort, err = registry.ParseSort(v); err != nil {
			return err
		}
	}
	q.Limit = registry.DefaultLimit
	if v := values.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > registry.MaxLimit {
			return malformed("limit must be an integer from 1 to %d.", registry.MaxLimit)
		}
		q.Limit = n
	}
	if v := values.Get("fields"); v != "" {
		for _, f := range registry.SplitList(v) {
			if !slices.Contains(entityFields, f) {
				return malformed("fields: %q is not a field of an entity.", f)
			}
			if !slices.Contains(req.fields, f) {
				req.fields = append(req.fields, f)
			}
		}
	}
	if v := values.Get("facets"); v != "" {
		for _, f := range registry.SplitList(v) {
			if !slices.Contains(registry.Facets, f) {
				return malformed("facets: %q is not one of sector, kind, ward.", f)
			}
			if !slices.Contains(q.Facets, f) {
				q.Facets = append(q.Facets, f)
			}
		}
	}
	if v := values.Get("cursor"); v != "" {
		if q.After, err = registry.ParseCursor(v, *q); err != nil {
			return err
		}
	}
	return nil
}

func malformed(format string, args ...any) error {
	return registry.Errorf(registry.EMALFORMED, format, args...)
}
