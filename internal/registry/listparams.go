package registry

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hanoicreative/registry/internal/fold"
	"github.com/hanoicreative/registry/internal/search"
)

// The listing's parameters as clients write them, parsed once here for
// every front door (the API and the console read the same names).

// ParseStatusFilter parses the status parameter ("" means active).
func ParseStatusFilter(s string) (StatusFilter, error) {
	switch s {
	case "", "active":
		return StatusFilterActive, nil
	case "archived", "all":
		return StatusFilter(s), nil
	}
	return "", Errorf(EMALFORMED, "status must be active, archived or all.")
}

// ParseMatch parses the match parameter: whether every sector must match
// ("all") or any one ("any", the default).
func ParseMatch(s string) (all bool, err error) {
	switch s {
	case "", "any":
		return false, nil
	case "all":
		return true, nil
	}
	return false, Errorf(EMALFORMED, "match must be any or all.")
}

// ParseSearch splits the q parameter into its search words (NFC, lower
// case, as typed otherwise: internal/search folds them), within the limits
// of a query.
func ParseSearch(s string) ([]string, error) {
	if s == "" {
		return nil, nil
	}
	if utf8.RuneCountInString(s) > MaxQueryLength {
		return nil, Errorf(EMALFORMED, "q may have at most %d characters.", MaxQueryLength)
	}
	words := search.Split(strings.ToLower(fold.NFC(s)))
	if len(words) > MaxQueryWords {
		return nil, Errorf(EMALFORMED, "q may have at most %d words.", MaxQueryWords)
	}
	return words, nil
}

// ParseFilter parses the listing's filter among values: sector and kind
// (repeatable or comma-separated), match, ward (a name with or without
// diacritics, or a code; repeatable), founded_from, founded_to,
// updated_since, status and q. Other parameters are the caller's to read
// or refuse.
func (s *Service) ParseFilter(values url.Values) (Filter, error) {
	var f Filter
	var err error
	if f.Sectors, err = multi(values, "sector"); err != nil {
		return f, err
	}
	if f.MatchAll, err = ParseMatch(values.Get("match")); err != nil {
		return f, err
	}
	if f.Kinds, err = multi(values, "kind"); err != nil {
		return f, err
	}
	wardNames, err := multi(values, "ward")
	if err != nil {
		return f, err
	}
	for _, name := range wardNames {
		w, ok := s.Wards().Resolve(name)
		if !ok {
			if names := s.WardSuggestions(name); names != "" {
				return f, Errorf(EMALFORMED, "ward %q is not one of Hà Nội's 126 wards and communes: did you mean %s? GET /v1/wards lists them.", name, names)
			}
			return f, Errorf(EMALFORMED, "ward %q is not one of Hà Nội's 126 wards and communes; GET /v1/wards lists them.", name)
		}
		if !slices.Contains(f.WardCodes, w.Code) {
			f.WardCodes = append(f.WardCodes, w.Code)
		}
	}
	if f.FoundedFrom, err = year(values, "founded_from"); err != nil {
		return f, err
	}
	if f.FoundedTo, err = year(values, "founded_to"); err != nil {
		return f, err
	}
	if v := values.Get("updated_since"); v != "" {
		t, err := ParseSince(v)
		if err != nil {
			return f, Errorf(EMALFORMED, "updated_since must be a date such as 2026-11-01 (midnight in Hà Nội) or an RFC 3339 time such as 2026-11-01T00:00:00Z (a + in an offset must be sent as %%2B).")
		}
		f.UpdatedSince = &t
	}
	if f.Status, err = ParseStatusFilter(values.Get("status")); err != nil {
		return f, err
	}
	if f.Words, err = ParseSearch(values.Get("q")); err != nil {
		return f, err
	}
	return f, nil
}

// hanoi is Hà Nội's time zone, UTC+7 all year (Việt Nam keeps no summer
// time), fixed so that the binary needs no time-zone database.
var hanoi = time.FixedZone("ICT", 7*60*60)

// ParseSince reads a date filter: an RFC 3339 time, or a plain date
// (2026-11-01), which means midnight in Hà Nội, as a person there means it.
func ParseSince(v string) (time.Time, error) {
	if t, err := time.ParseInLocation(time.DateOnly, v, hanoi); err == nil {
		return t.UTC(), nil
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	return t.UTC(), err
}

// multi reads a parameter that may be repeated and/or comma-separated.
func multi(values url.Values, name string) ([]string, error) {
	var out []string
	for _, v := range values[name] {
		for _, item := range SplitList(v) {
			if !slices.Contains(out, item) {
				out = append(out, item)
			}
		}
	}
	if len(out) > MaxFilterValues {
		return nil, Errorf(EMALFORMED, "%s may have at most %d values.", name, MaxFilterValues)
	}
	return out, nil
}

// SplitList splits a comma-separated value, dropping empty items, in NFC.
func SplitList(v string) []string {
	var out []string
	for _, item := range strings.Split(v, ",") {
		if item = strings.TrimSpace(fold.NFC(item)); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// year reads a year parameter (absent: nil).
func year(values url.Values, name string) (*int, error) {
	v := values.Get(name)
	if v == "" {
		return nil, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > 9999 {
		return nil, Errorf(EMALFORMED, "%s must be a year (an integer).", name)
	}
	return &n, nil
}
