package console

import (
	"context"
	"net/http"
	"slices"
	"time"

	"github.com/hanoicreative/registry/internal/registry"
)

// recentChanges is how many of the latest changes the overview shows.
const recentChanges = 10

// overviewPage is what the overview shows.
type overviewPage struct {
	Total   int
	Sectors []count
	Kinds   []count
	Changes []recentChange
}

// count is a number of active entities with a value (a sector, a kind).
type count struct {
	Slug, Name string
	Count      int
}

// recentChange is one entity's latest change and who made it.
type recentChange struct {
	Slug, Name string
	Action     registry.Action
	Actor      string
	At         time.Time
	Version    int
	Fields     []string
}

func (c *Console) overview(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	v := c.newView(r, "Overview", nil)
	var p overviewPage
	var err error
	names, err := c.names(ctx, v.Lang)
	if err == nil {
		p.Sectors, p.Total, err = c.counts(ctx, registry.FacetSector, names.sectors)
	}
	if err == nil {
		p.Kinds, _, err = c.counts(ctx, registry.FacetKind, names.kinds)
	}
	if err == nil {
		p.Changes, err = c.recent(ctx)
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	v.Data = p
	c.render(w, http.StatusOK, "overview", v)
}

// counts counts the active entities by one dimension, largest first, and
// returns the number of active entities when dim is the sector (an entity
// of two sectors is counted in each, so it is computed apart).
func (c *Console) counts(ctx context.Context, dim string, names map[string]string) ([]count, int, error) {
	active := registry.Filter{Status: registry.StatusFilterActive}
	rows, err := c.svc.Stats(ctx, active, []string{dim})
	if err != nil {
		return nil, 0, err
	}
	var out []count
	for _, row := range rows {
		if v := row.Values[dim]; v != nil {
			out = append(out, count{Slug: *v, Name: nameOr(names, *v), Count: row.Count})
		}
	}
	total := 0
	if dim == registry.FacetSector {
		page, err := c.svc.Entities(ctx, registry.ListQuery{Filter: active, Limit: 1})
		if err != nil {
			return nil, 0, err
		}
		total = page.Total
	}
	return out, total, nil
}

// recent returns the entities changed last, each with its latest
// revision's author and changed fields.
func (c *Console) recent(ctx context.Context) ([]recentChange, error) {
	page, err := c.svc.Entities(ctx, registry.ListQuery{
		Filter: registry.Filter{Status: registry.StatusFilterAll},
		Sort:   registry.SortUpdatedAtDesc, Limit: recentChanges, SkipTotal: true,
	})
	if err != nil {
		return nil, err
	}
	out := make([]recentChange, 0, len(page.Entities))
	for _, e := range page.Entities {
		ch := recentChange{Slug: e.Slug, Name: e.Name, At: e.UpdatedAt, Version: e.Version}
		revs, err := c.svc.History(ctx, e.ID)
		if err != nil {
			return nil, err
		}
		for _, rev := range revs {
			if rev.Version == e.Version {
				ch.Action, ch.Actor, ch.At = rev.Action, rev.Actor, rev.At
				for f := range rev.Changes {
					ch.Fields = append(ch.Fields, f)
				}
				slices.Sort(ch.Fields)
			}
		}
		out = append(out, ch)
	}
	return out, nil
}

// refNames are the display names of sectors and kinds in a language.
type refNames struct{ sectors, kinds map[string]string }

func (c *Console) names(ctx context.Context, lang string) (refNames, error) {
	n := refNames{sectors: map[string]string{}, kinds: map[string]string{}}
	sectors, err := c.svc.Sectors(ctx)
	if err != nil {
		return n, err
	}
	for _, s := range sectors {
		n.sectors[s.Slug] = pick(lang, s.Name, s.NameEn)
	}
	kinds, err := c.svc.Store().Kinds(ctx)
	if err != nil {
		return n, err
	}
	for _, k := range kinds {
		n.kinds[k.Slug] = pick(lang, k.Name, k.NameEn)
	}
	return n, nil
}

func pick(lang, vi, en string) string {
	if lang == "en" && en != "" {
		return en
	}
	return vi
}

func nameOr(names map[string]string, slug string) string {
	if n, ok := names[slug]; ok {
		return n
	}
	return slug
}
