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
	// Message says why a change of the images was refused, translated.
	Message   string
	MaxPhotos int
}

// entity shows a record; editing it is for a later version of the console.
func (c *Console) entity(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	e, err := c.svc.Entity(ctx, r.PathValue("slug"))
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.showEntity(w, r, http.StatusOK, e, "", nil)
}

// showEntity renders a record's page with status and, when a change was
// refused, a message (a key of the catalogue) or the error's words.
func (c *Console) showEntity(w http.ResponseWriter, r *http.Request, status int, e registry.Entity, message string, refused error) {
	ctx := r.Context()
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
	p := entityPage{Entity: e, Kind: nameOr(names.kinds, e.Kind), MaxPhotos: registry.MaxPhotos}
	if message != "" {
		p.Message = v.T(message)
	}
	if refused != nil {
		m := c.msgs.Error(v.lang, refused)
		p.Message = m.Message
		for _, fe := range m.Fields {
			if fe.Message != m.Message {
				p.Message += " " + fe.Message
			}
		}
	}
	for _, s := range e.Sectors {
		p.Sectors = append(p.Sectors, nameOr(names.sectors, s))
	}
	p.History = timeline(v, names, e.Slug, revs, e.Version)
	v.Title = e.Name
	v.Data = p
	c.render(w, status, "entity", v)
}
