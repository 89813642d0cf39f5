package api

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hanoicreative/registry/internal/fold"
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
	var f registry.Filter
	for name, vs := range values {
		repeatable, known := allowed[name]
		if !known {
			return f, malformed("%q is not a query parameter here (see /openapi.json).", name)
		}
		if !repeatable && len(vs) > 1 {
			return f, malformed("%s may be given once.", name)
		}
	}
	q := &f
	var err error
	if q.Sectors, err = multi(values, "sector"); err != nil {
		return f, err
	}
	if q.MatchAll, err = registry.ParseMatch(values.Get("match")); err != nil {
		return f, err
	}
	if q.Kinds, err = multi(values, "kind"); err != nil {
		return f, err
	}
	wardNames, err := multi(values, "ward")
	if err != nil {
		return f, err
	}
	for _, name := range wardNames {
		w, ok := s.svc.Wards().Resolve(name)
		if !ok {
			if names := s.svc.WardSuggestions(name); names != "" {
				return f, malformed("ward %q is not one of Hà Nội's 126 wards and communes: did you mean %s? GET /v1/wards lists them.", name, names)
			}
			return f, malformed("ward %q is not one of Hà Nội's 126 wards and communes; GET /v1/wards lists them.", name)
		}
		if !slices.Contains(q.WardCodes, w.Code) {
			q.WardCodes = append(q.WardCodes, w.Code)
		}
	}
	if q.FoundedFrom, err = optionalInt(values, "founded_from"); err != nil {
		return f, err
	}
	if q.FoundedTo, err = optionalInt(values, "founded_to"); err != nil {
		return f, err
	}
	if v := values.Get("updated_since"); v != "" {
		t, err := parseSince(v)
		if err != nil {
			return f, malformed("updated_since must be a date such as 2026-11-01 (midnight in Hà Nội) or an RFC 3339 time such as 2026-11-01T00:00:00Z (a + in an offset must be sent as %%2B).")
		}
		q.UpdatedSince = &t
	}
	if q.Status, err = registry.ParseStatusFilter(values.Get("status")); err != nil {
		return f, err
	}
	if q.Words, err = registry.ParseSearch(values.Get("q")); err != nil {
		return f, err
	}
	return f, nil
}

// hanoi is Hà Nội's time zone, UTC+7 all year (Việt Nam keeps no summer
// time), fixed so that the binary needs no time-zone database.
var hanoi = time.FixedZone("ICT", 7*60*60)

// parseSince reads a date filter: an RFC 3339 time, or a plain date
// (2026-11-01), which means midnight in Hà Nội, as a person there means it.
func parseSince(v string) (time.Time, error) {
	if t, err := time.ParseInLocation(time.DateOnly, v, hanoi); err == nil {
		return t.UTC(), nil
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	return t.UTC(), err
}

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
		for _, f := range splitList(v) {
			if !slices.Contains(entityFields, f) {
				return malformed("fields: %q is not a field of an entity.", f)
			}
			if !slices.Contains(req.fields, f) {
				req.fields = append(req.fields, f)
			}
		}
	}
	if v := values.Get("facets"); v != "" {
		for _, f := range splitList(v) {
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

// multi reads a parameter that may be repeated and/or comma-separated.
func multi(values url.Values, name string) ([]string, error) {
	var out []string
	for _, v := range values[name] {
		for _, item := range splitList(v) {
			if !slices.Contains(out, item) {
				out = append(out, item)
			}
		}
	}
	if len(out) > registry.MaxFilterValues {
		return nil, malformed("%s may have at most %d values.", name, registry.MaxFilterValues)
	}
	return out, nil
}

// splitList splits a comma-separated value, dropping empty items, in NFC.
func splitList(v string) []string {
	var out []string
	for _, item := range strings.Split(v, ",") {
		if item = strings.TrimSpace(fold.NFC(item)); item != "" {
			out = append(out, item)
		}
	}
	return out
}

func optionalInt(values url.Values, name string) (*int, error) {
	v := values.Get(name)
	if v == "" {
		return nil, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > 9999 {
		return nil, malformed("%s must be a year (an integer).", name)
	}
	return &n, nil
}

func malformed(format string, args ...any) error {
	return registry.Errorf(registry.EMALFORMED, format, args...)
}
