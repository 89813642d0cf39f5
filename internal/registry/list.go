package registry

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Sort is the order of a listing. Ties are always broken by id ascending.
type Sort string

const (
	SortName            Sort = "name"
	SortNameDesc        Sort = "-name"
	SortCreatedAt       Sort = "created_at"
	SortCreatedAtDesc   Sort = "-created_at"
	SortUpdatedAt       Sort = "updated_at"
	SortUpdatedAtDesc   Sort = "-updated_at"
	SortFoundedYear     Sort = "founded_year"
	SortFoundedYearDesc Sort = "-founded_year"
	SortRelevance       Sort = "relevance" // the default with q: internal/search's relevance, then name
	DefaultLimit             = 20
	MaxLimit                 = 100
	MaxQueryWords            = 10
	MaxQueryLength           = 200
	MaxFilterValues          = 50
)

// Sorts lists the orders a client may ask for.
var Sorts = []Sort{SortName, SortNameDesc, SortCreatedAt, SortCreatedAtDesc,
	SortUpdatedAt, SortUpdatedAtDesc, SortFoundedYear, SortFoundedYearDesc}

// ParseSort parses the sort query parameter.
func ParseSort(s string) (Sort, error) {
	if slices.Contains(Sorts, Sort(s)) {
		return Sort(s), nil
	}
	return "", Errorf(EMALFORMED, "sort must be one of %s.", joinSorts())
}

func joinSorts() string {
	parts := make([]string, len(Sorts))
	for i, s := range Sorts {
		parts[i] = string(s)
	}
	return strings.Join(parts, ", ")
}

// StatusFilter selects entities by status in a listing.
type StatusFilter string

const (
	StatusFilterActive   StatusFilter = "active"
	StatusFilterArchived StatusFilter = "archived"
	StatusFilterAll      StatusFilter = "all"
)

// Facet dimensions.
const (
	FacetSector = "sector"
	FacetKind   = "kind"
	FacetWard   = "ward"
)

// Facets is the set of facet dimensions a client may ask for; stats group
// by the same dimensions and by StatFoundedYear.
var Facets = []string{FacetSector, FacetKind, FacetWard}

// StatFoundedYear groups stats by founded year (in decimal, nil for
// entities without one).
const StatFoundedYear = "founded_year"

// StatDimensions are the dimensions stats group by.
var StatDimensions = []string{FacetSector, FacetKind, FacetWard, StatFoundedYear}

// Filter selects entities. Empty slices and nil pointers select everything.
type Filter struct {
	Sectors      []string // sector slugs
	MatchAll     bool     // every sector rather than any
	Kinds        []string // kind slugs
	WardCodes    []string
	FoundedFrom  *int
	FoundedTo    *int
	UpdatedSince *time.Time
	Status       StatusFilter
	Words        []string // the search's words (registry.ParseSearch); see internal/search
	HasLocation  bool     // only entities with a location (GeoJSON exports)
}

// ListQuery is a page request of a listing.
type ListQuery struct {
	Filter
	Sort   Sort
	Limit  int
	After  *Cursor
	Facets []string
	// SkipTotal spares counting the filtered set (exports do not need it).
	SkipTotal bool
}

// Page is one page of a listing. Total counts the whole filtered set; Next
// is nil on the last page. Facets maps dimension → value → count.
type Page struct {
	Entities []Entity
	Total    int
	Next     *Cursor
	Facets   map[string]map[string]int
}

// Cursor marks the last row of a page: the values of its sort keys and its
// id. Fingerprint ties it to the filter and order it was made for, so a
// cursor reused with other filters is refused rather than silently wrong.
type Cursor struct {
	Fingerprint string   `json:"f"`
	Keys        []string `json:"k"`
	ID          string   `json:"i"`
}

// Encode returns the cursor as an opaque URL-safe token.
func (c Cursor) Encode() string {
	b, _ := json.Marshal(c) // a struct of strings always marshals
	return base64.RawURLEncoding.EncodeToString(b)
}

// ParseCursor decodes a token made by Encode for the query q.
func ParseCursor(token string, q ListQuery) (*Cursor, error) {
	bad := Errorf(EMALFORMED, "cursor is not a next_cursor of this listing; start again without it.")
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(b) > 4096 {
		return nil, bad
	}
	var c Cursor
	if err := json.Unmarshal(b, &c); err != nil || c.ID == "" || c.Fingerprint != q.Fingerprint() {
		return nil, bad
	}
	return &c, nil
}

// Fingerprint identifies the filter and order of a query (not its limit,
// fields or facets, which may change from page to page).
func (q ListQuery) Fingerprint() string {
	b, _ := json.Marshal(struct {
		F Filter
		S Sort
	}{q.Filter, q.Sort})
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}

// EffectiveSort is the order used: the explicit sort, else relevance when
// searching, else name.
func (q ListQuery) EffectiveSort() Sort {
	switch {
	case q.Sort != "":
		return q.Sort
	case len(q.Words) > 0:
		return SortRelevance
	default:
		return SortName
	}
}

// String describes a sort for messages.
func (s Sort) String() string { return fmt.Sprintf("%q", string(s)) }
