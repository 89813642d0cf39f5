package console

import (
	"net/http"
	"strings"

	"github.com/hanoicreative/registry/internal/auth"
	"github.com/hanoicreative/registry/internal/problem"
	"github.com/hanoicreative/registry/internal/registry"
)

// adminSectorRoutes are the admin's pages of sectors: the list with
// entity counts, adding one, renaming and re-describing one, retiring one
// (kept on the entities that have it, not given to others) and bringing
// it back.
func (c *Console) adminSectorRoutes(m *http.ServeMux) {
	m.HandleFunc("GET /console/admin/sectors", c.requireRole(auth.Admin, c.sectors))
	m.HandleFunc("POST /console/admin/sectors", c.requireRole(auth.Admin, c.createSector))
	m.HandleFunc("GET /console/admin/sectors/{slug}", c.requireRole(auth.Admin, c.sectorForm))
	m.HandleFunc("POST /console/admin/sectors/{slug}", c.requireRole(auth.Admin, c.updateSector))
	m.HandleFunc("POST /console/admin/sectors/{slug}/retire", c.requireRole(auth.Admin, c.retireSector(true)))
	m.HandleFunc("POST /console/admin/sectors/{slug}/unretire", c.requireRole(auth.Admin, c.retireSector(false)))
	m.HandleFunc("GET /console/admin/sectors/{slug}/delete", c.requireRole(auth.Admin, c.confirmDeleteSector))
	m.HandleFunc("POST /console/admin/sectors/{slug}/delete", c.requireRole(auth.Admin, c.deleteSector))
}

const adminSectorsPath = Prefix + "admin/sectors"

// sectorsPage is the sectors' page, or one sector's form (Editing set).
type sectorsPage struct {
	Sectors []registry.Sector
	Draft   registry.SectorDraft // what the form shows: typed, or the sector's
	Editing bool
	Errors  map[string]string
}

// Invalid reports whether the form's field failed.
func (p *sectorsPage) Invalid(field string) bool { return p.Errors[field] != "" }

func (c *Console) sectors(w http.ResponseWriter, r *http.Request) {
	c.showSectors(w, r, http.StatusOK, &sectorsPage{})
}

func (c *Console) showSectors(w http.ResponseWriter, r *http.Request, status int, p *sectorsPage) {
	list, err := c.svc.Sectors(r.Context())
	if err != nil {
		c.fail(w, r, err)
		return
	}
	p.Sectors = list
	c.render(w, status, "admin_sectors", c.newView(r, "Sectors", p))
}

// sectorDraft reads the sector form.
func sectorDraft(r *http.Request) registry.SectorDraft {
	f := func(name string) string { return strings.TrimSpace(r.PostFormValue(name)) }
	return registry.SectorDraft{Slug: f("slug"), Name: f("name"), NameEn: f("name_en"),
		Description: f("description"), DescriptionEn: f("description_en")}
}

func (c *Console) createSector(w http.ResponseWriter, r *http.Request) {
	d := sectorDraft(r)
	if _, err := c.svc.CreateSector(r.Context(), d); err != nil {
		c.refusedSector(w, r, &sectorsPage{Draft: d}, err)
		return
	}
	http.Redirect(w, r, adminSectorsPath, http.StatusSeeOther)
}

// sectorForm shows one sector's names and descriptions to change.
func (c *Console) sectorForm(w http.ResponseWriter, r *http.Request) {
	sec, err := c.svc.Sector(r.Context(), r.PathValue("slug"))
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.render(w, http.StatusOK, "admin_sector", c.newView(r, "Edit the sector", &sectorsPage{Draft: sec.Draft(), Editing: true}))
}

func (c *Console) updateSector(w http.ResponseWriter, r *http.Request) {
	d := sectorDraft(r)
	_, err := c.svc.UpdateSector(r.Context(), r.PathValue("slug"), func(cur registry.Sector) (registry.SectorDraft, []registry.FieldError) {
		d.Slug, d.Retired = cur.Slug, cur.Retired
		return d, nil
	})
	if err != nil {
		d.Slug = r.PathValue("slug")
		c.refusedSector(w, r, &sectorsPage{Draft: d, Editing: true}, err)
		return
	}
	http.Redirect(w, r, adminSectorsPath, http.StatusSeeOther)
}

// retireSector retires a sector or brings it back.
func (c *Console) retireSector(retired bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		_, err := c.svc.UpdateSector(r.Context(), r.PathValue("slug"), func(cur registry.Sector) (registry.SectorDraft, []registry.FieldError) {
			d := cur.Draft()
			d.Retired = retired
			return d, nil
		})
		if err != nil {
			c.fail(w, r, err)
			return
		}
		http.Redirect(w, r, adminSectorsPath, http.StatusSeeOther)
	}
}

// refusedSector shows the form again with every invalid field.
func (c *Console) refusedSector(w http.ResponseWriter, r *http.Request, p *sectorsPage, err error) {
	code := registry.ErrorCode(err)
	if code != registry.EINVALID && code != registry.ECONFLICT {
		c.fail(w, r, err)
		return
	}
	v := c.newView(r, "", nil)
	e := v.formError(err, labelsOf(v, map[string]string{"slug": "Identifier", "name": "Name in Vietnamese", "name_en": "Name in English",
		"description": "Description in Vietnamese", "description_en": "Description in English"}))
	p.Errors = map[string]string{}
	for _, f := range e.Fields {
		p.Errors[f.Field] = f.Message
	}
	if len(e.Fields) == 0 {
		p.Errors["slug"] = e.Message // a slug already taken
	}
	if p.Editing {
		c.render(w, problem.Status(err), "admin_sector", c.newView(r, "Edit the sector", p))
		return
	}
	c.showSectors(w, r, problem.Status(err), p)
}

// confirmDeleteSector asks before deleting a sector.
func (c *Console) confirmDeleteSector(w http.ResponseWriter, r *http.Request) {
	c.showDeleteSector(w, r, http.StatusOK, nil)
}

// showDeleteSector shows the confirmation of a sector's deletion, with
// the reason it was refused when err is set.
func (c *Console) showDeleteSector(w http.ResponseWriter, r *http.Request, status int, err error) {
	sec, ferr := c.svc.Sector(r.Context(), r.PathValue("slug"))
	if ferr != nil {
		c.fail(w, r, ferr)
		return
	}
	v := c.newView(r, "Confirm", nil)
	confirm := adminConfirm{
		Question: v.T("Delete the sector %s (%s)? This cannot be undone. Only a sector that no entity has ever had, archived ones included, can be deleted; one in use can be retired instead.", sec.Name, sec.Slug),
		Button:   v.T("Delete"), Action: r.URL.Path, Cancel: adminSectorsPath,
	}
	if err != nil {
		confirm.Error = c.msgs.Error(v.lang, err).Message
	}
	v.Data = confirm
	c.render(w, status, "admin_confirm", v)
}

// deleteSector deletes a sector through the service, by the same rules as
// the API's DELETE /v1/sectors/{slug}: one in use is refused, and the
// confirmation shows why.
func (c *Console) deleteSector(w http.ResponseWriter, r *http.Request) {
	slug := r.PathValue("slug")
	err := c.svc.DeleteSector(r.Context(), slug)
	switch registry.ErrorCode(err) {
	case "":
		c.log.Info("console: sector deleted", "sector", slug, "account", staffOf(r.Context()).Account.ID)
		http.Redirect(w, r, adminSectorsPath, http.StatusSeeOther)
	case registry.ECONFLICT:
		c.showDeleteSector(w, r, problem.Status(err), err)
	default:
		c.fail(w, r, err)
	}
}
