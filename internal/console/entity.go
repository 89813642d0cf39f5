package console

import (
	"net/http"

	"github.com/hanoicreative/registry/internal/registry"
)

// entityPage is a record, read only, with its history newest first.
type entityPage struct {
	Entity  registry.Entity
	Kind    string
	Sectors []string
	History []timelineEntry // newest first
}

// entity shows a record; editing it is for a later version of the console.
func (c *Console) entity(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	e, err := c.svc.Entity(ctx, r.PathValue("slug"))
	if err != nil {
		c.fail(w, r, err)
		return
	}
	revs, err := c.svc.History(ctx, e.ID)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	v := c.newView(r, "Entity", nil)
	names, err := c.names(ctx, v.Lang)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	p := entityPage{Entity: e, Kind: nameOr(names.kinds, e.Kind)}
	for _, s := range e.Sectors {
		p.Sectors = append(p.Sectors, nameOr(names.sectors, s))
	}
	p.History = timeline(v, names, e.Slug, revs, e.Version)
	v.Title = e.Name
	v.Data = p
	c.render(w, http.StatusOK, "entity", v)
}
