package console

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/hanoicreative/registry/internal/export"
	"github.com/hanoicreative/registry/internal/fold"
	"github.com/hanoicreative/registry/internal/problem"
	"github.com/hanoicreative/registry/internal/registry"
)

// entitiesPage is what the entity list shows: the form as it was filled,
// the facet counts, one page of rows and the links to move on.
type entitiesPage struct {
	Q, Match, Status, Sort   string
	FoundedFrom, FoundedTo   string
	Sectors, Kinds, Wards    []option
	Statuses, Sorts          []option
	Rows                     []row
	Total                    int
	Paged                    bool // this is not the first page
	NextURL, FirstURL        string
	ExportCSV, ExportGeoJSON string // every entity the list shows (all pages), as a file
	Error                    string

	// ExportRawCSV is the CSV of cells exactly as stored, for programs.
	ExportRawCSV string
}

// option is a choice of the form, with its facet count when it has one.
type option struct {
	Value, Label string
	Count        int
	Selected     bool
}

// row is one entity of the list.
type row struct {
	Slug, Name, Kind, Ward, Status string
	Sectors                        []string
	FoundedYear                    *int
}

// listParams are the list's query parameters, the same as GET
// /v1/entities's; others are ignored (a browser's form sends only these).
var listParams = []string{"q", "sector", "match", "kind", "ward", "status", "founded_from", "founded_to", "sort", "cursor"}

func (c *Console) entities(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	v := c.newView(r, "Entities", nil)
	values := formValues(r.URL.Query())
	p := entitiesPage{Q: values.Get("q"), Match: values.Get("match"), Status: values.Get("status"),
		Sort: values.Get("sort"), FoundedFrom: values.Get("founded_from"), FoundedTo: values.Get("founded_to")}
	names, err := c.names(ctx, v.Lang)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	status := http.StatusOK
	q, err := c.parseList(values)
	var page registry.Page
	if err == nil {
		page, err = c.svc.Entities(ctx, q)
	}
	if err != nil {
		if s := problem.Status(err); s >= 500 {
			c.fail(w, r, err)
			return
		} else {
			status = s
		}
		p.Error = c.msgs.Error(v.lang, err).Message
	}
	sectors, err := c.svc.Sectors(ctx)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	for _, s := range sectors {
		p.Sectors = append(p.Sectors, option{Value: s.Slug, Label: pick(v.Lang, s.Name, s.NameEn),
			Count: page.Facets[registry.FacetSector][s.Slug], Selected: slices.Contains(values["sector"], s.Slug)})
	}
	kinds, err := c.svc.Store().Kinds(ctx)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	for _, k := range kinds {
		p.Kinds = append(p.Kinds, option{Value: k.Slug, Label: pick(v.Lang, k.Name, k.NameEn),
			Count: page.Facets[registry.FacetKind][k.Slug], Selected: slices.Contains(values["kind"], k.Slug)})
	}
	p.Wards = c.wardOptions(page.Facets[registry.FacetWard], values["ward"])
	p.Statuses = choices(v, p.Status, []string{"active", "archived", "all"}, []string{"Active", "Archived", "All"})
	p.Sorts = choices(v, p.Sort, []string{"", "name", "-name", "-updated_at", "updated_at", "-created_at", "founded_year", "-founded_year"},
		[]string{"Default order", "Name A–Z", "Name Z–A", "Recently changed", "Least recently changed", "Recently registered", "Oldest founded", "Newest founded"})
	for _, e := range page.Entities {
		rw := row{Slug: e.Slug, Name: e.Name, Kind: nameOr(names.kinds, e.Kind), Ward: e.Address.Ward, Status: string(e.Status), FoundedYear: e.FoundedYear}
		for _, s := range e.Sectors {
			rw.Sectors = append(rw.Sectors, nameOr(names.sectors, s))
		}
		p.Rows = append(p.Rows, rw)
	}
	p.Total = page.Total
	filters := without(values, "cursor")
	p.Paged = values.Get("cursor") != ""
	p.FirstURL = Prefix + "entities" + queryString(filters)
	if page.Next != nil {
		next := without(values, "cursor")
		next.Set("cursor", page.Next.Encode())
		p.NextURL = Prefix + "entities" + queryString(next)
	}
	p.ExportCSV = exportLink(export.CSV, filters)
	p.ExportRawCSV = exportLink(export.CSV, filters, "csv", "raw")
	p.ExportGeoJSON = exportLink(export.GeoJSON, filters)
	v.Data = p
	c.render(w, status, "entities", v)
}

// formValues keeps the list's parameters that have a value: an empty
// field of the form means no filter.
func formValues(in url.Values) url.Values {
	out := url.Values{}
	for _, name := range listParams {
		for _, v := range in[name] {
			if v = strings.TrimSpace(v); v != "" {
				out.Add(name, v)
			}
		}
	}
	return out
}

func without(values url.Values, name string) url.Values {
	out := url.Values{}
	for k, vs := range values {
		if k != name {
			out[k] = append([]string(nil), vs...)
		}
	}
	return out
}

func queryString(values url.Values) string {
	if len(values) == 0 {
		return ""
	}
	return "?" + values.Encode()
}

func choices(v *view, current string, values, labels []string) []option {
	out := make([]option, len(values))
	for i := range values {
		out[i] = option{Value: values[i], Label: v.T(labels[i]), Selected: values[i] == current}
	}
	return out
}

// wardOptions are the wards that have entities in the filtered set, and
// those chosen, by name.
func (c *Console) wardOptions(counts map[string]int, chosen []string) []option {
	var out []option
	for name, n := range counts {
		out = append(out, option{Value: name, Label: name, Count: n})
	}
	for _, name := range chosen {
		if w, ok := c.svc.Wards().Resolve(name); ok {
			if i := slices.IndexFunc(out, func(o option) bool { return o.Value == w.Name }); i >= 0 {
				out[i].Selected = true
			} else {
				out = append(out, option{Value: w.Name, Label: w.Name, Selected: true})
			}
		}
	}
	slices.SortFunc(out, func(a, b option) int { return strings.Compare(fold.String(a.Label), fold.String(b.Label)) })
	return out
}

// parseList reads the list's parameters as GET /v1/entities does: the
// filter by the service's parser, the same for both.
func (c *Console) parseList(values url.Values) (registry.ListQuery, error) {
	q := registry.ListQuery{Limit: registry.DefaultLimit, Facets: registry.Facets}
	var err error
	if q.Filter, err = c.svc.ParseFilter(values); err != nil {
		return q, err
	}
	if s := values.Get("sort"); s != "" {
		if q.Sort, err = registry.ParseSort(s); err != nil {
			return q, err
		}
	}
	if s := values.Get("cursor"); s != "" {
		if q.After, err = registry.ParseCursor(s, q); err != nil {
			return q, err
		}
	}
	return q, nil
}
