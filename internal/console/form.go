package console

import (
	"context"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/hanoicreative/registry/internal/problem"
	"github.com/hanoicreative/registry/internal/registry"
	"github.com/hanoicreative/registry/internal/wardmap"
)

// versionField is the edit form's hidden field: the version the form was
// opened at, the console's If-Match.
const versionField = "version"

// formPage is the register-and-correct form.
type formPage struct {
	New      bool
	Action   string // where the form posts
	Cancel   string // where "cancel" goes
	Version  int    // the version being edited (0 for a new record)
	Message  string // why the save was refused, translated
	Summary  []*formField
	Conflict *conflictView
	Kinds    []choice
	Sectors  []choice
	Map      template.HTML
	fields   map[string]*formField
}

// formField is one input with its value and, after a refused save, its
// error in the reader's language.
type formField struct {
	Name, ID, Label, Value, Error string
}

// ErrorID is the id of the field's error message, which the input names
// in aria-describedby.
func (f *formField) ErrorID() string { return f.ID + "-error" }

// choice is one kind in the select or one sector's checkbox.
type choice struct {
	Value, Label string
	On           bool
}

// F returns the field named name (a template function).
func (p *formPage) F(name string) *formField { return p.fields[name] }

// conflictView shows, after a save refused because a colleague saved
// first, each field on which their record and the form differ.
type conflictView struct {
	By   []string // who saved since the form was opened
	Rows []conflictRow
}

type conflictRow struct {
	Label, Theirs, Yours, By string
	Kept                     string // what the form now holds, and why (translated)
}

// newEntityForm shows an empty form.
func (c *Console) newEntityForm(w http.ResponseWriter, r *http.Request) {
	c.showForm(w, r, http.StatusOK, "", 0, entityValues{}, nil, nil)
}

// editEntityForm shows a record's form at its current version.
func (c *Console) editEntityForm(w http.ResponseWriter, r *http.Request) {
	e, err := c.svc.Entity(r.Context(), r.PathValue("slug"))
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.showForm(w, r, http.StatusOK, e.Slug, e.Version, valuesOfEntity(e), nil, nil)
}

// createEntity registers what the form holds, or shows it again with every
// error at once.
func (c *Console) createEntity(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	vals := valuesOfForm(r.PostForm)
	d, edgeErrs := vals.draft()
	var err error
	if len(edgeErrs) > 0 {
		// Report the service's findings together with the numbers'.
		var refErrs []registry.FieldError
		if refErrs, err = c.svc.CheckDraft(ctx, d); err == nil {
			err = registry.Invalid(registry.MergeFieldErrors(edgeErrs, refErrs))
		}
	} else {
		var e registry.Entity
		if e, err = c.svc.CreateEntity(ctx, staffOf(ctx).Account.Name, d); err == nil {
			http.Redirect(w, r, recordURL(e.Slug), http.StatusSeeOther)
			return
		}
	}
	c.refused(w, r, "", 0, vals, err)
}

// updateEntity saves the form over the version it was opened at; when a
// colleague saved in between, nothing is saved and both are shown.
func (c *Console) updateEntity(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	slug := r.PathValue("slug")
	vals := valuesOfForm(r.PostForm)
	version, _ := strconv.Atoi(r.PostForm.Get(versionField))
	pre := registry.Precondition{Given: true, Versions: []int{version}}
	e, err := c.svc.UpdateEntity(ctx, staffOf(ctx).Account.Name, slug, pre, func(registry.Entity) (registry.EntityDraft, []registry.FieldError) {
		return vals.draft()
	})
	switch {
	case err == nil:
		http.Redirect(w, r, recordURL(e.Slug), http.StatusSeeOther)
	case registry.ErrorCode(err) == registry.EPRECONDITION:
		c.conflict(w, r, slug, version, vals)
	default:
		c.refused(w, r, slug, version, vals, err)
	}
}

// refused shows the form again after a save the service refused: every
// field error next to its field, what was typed kept. Errors that are
// not about what was typed (a database down) get the problem page.
func (c *Console) refused(w http.ResponseWriter, r *http.Request, slug string, version int, vals entityValues, err error) {
	switch registry.ErrorCode(err) {
	case registry.EINVALID, registry.ECONFLICT:
	default:
		c.fail(w, r, err)
		return
	}
	c.showForm(w, r, problem.Status(err), slug, version, vals, err, nil)
}

// conflict answers a save over a stale version: the record as it is now
// beside what was typed, field by field, with who changed it. A field only
// the colleague changed takes their value in the form; a field both
// changed keeps the typed value, to merge by hand. The form then carries
// the current version, so that saving again is a deliberate choice.
func (c *Console) conflict(w http.ResponseWriter, r *http.Request, slug string, version int, yours entityValues) {
	ctx := r.Context()
	cur, err := c.svc.Entity(ctx, slug)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	revs, err := c.svc.History(ctx, cur.ID)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	var base entityValues
	if b, err := c.svc.EntityAt(ctx, cur.ID, version); err == nil {
		base = valuesOfEntity(b)
	}
	slices.SortFunc(revs, func(a, b registry.Revision) int { return a.Version - b.Version })
	who := map[string]string{} // field → the last colleague who changed it
	view := &conflictView{}
	for _, rev := range revs {
		if rev.Version <= version {
			continue
		}
		if !slices.Contains(view.By, rev.Actor) {
			view.By = append(view.By, rev.Actor)
		}
		for f := range rev.Changes {
			who[f] = rev.Actor
		}
	}
	lang := c.newView(r, "", nil).Lang
	names, err := c.names(ctx, lang)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	theirs := valuesOfEntity(cur)
	merged := entityValues{}
	for _, f := range formFields {
		merged[f.name] = yours[f.name]
		if sameValue(f.name, theirs[f.name], yours[f.name]) {
			continue
		}
		row := conflictRow{Label: f.name, Theirs: shown(names, f.name, theirs[f.name]), Yours: shown(names, f.name, yours[f.name]),
			By: who[diffField(f.name)], Kept: "yours (both changed it)"}
		switch {
		case base == nil:
		case sameValue(f.name, base[f.name], yours[f.name]):
			merged[f.name], row.Kept = theirs[f.name], "theirs (only they changed it)"
		case sameValue(f.name, base[f.name], theirs[f.name]):
			row.Kept = "yours (only you changed it)"
		}
		view.Rows = append(view.Rows, row)
	}
	c.showForm(w, r, http.StatusConflict, cur.Slug, cur.Version, merged, nil, view)
}

// fieldIndex is the position of a field in the form.
func fieldIndex(name string) int {
	return slices.IndexFunc(formFields, func(f struct{ name, label string }) bool { return f.name == name })
}

// diffField is the name revisions give a form field's changes.
func diffField(name string) string {
	if strings.HasPrefix(name, "location.") {
		return "location"
	}
	return name
}

// shown is a value as a person reads it: sector and kind names, not slugs.
func shown(names refNames, field, value string) string {
	switch field {
	case "kind":
		if value != "" {
			return nameOr(names.kinds, value)
		}
	case "sectors":
		var out []string
		for _, s := range lines(value) {
			out = append(out, nameOr(names.sectors, s))
		}
		return strings.Join(out, ", ")
	}
	return value
}

// showForm renders the form with vals, the errors of err next to their
// fields and, after a conflict, the differences.
func (c *Console) showForm(w http.ResponseWriter, r *http.Request, status int, slug string, version int, vals entityValues,
	err error, conflict *conflictView) {
	ctx := r.Context()
	title := "New entity"
	if slug != "" {
		title = "Edit entity"
	}
	v := c.newView(r, title, nil)
	p := &formPage{New: slug == "", Version: version, Conflict: conflict, fields: map[string]*formField{}}
	if p.New {
		p.Action, p.Cancel = Prefix+"entities/new", Prefix+"entities"
	} else {
		p.Action, p.Cancel = recordURL(slug)+"/edit", recordURL(slug)
	}
	for _, f := range formFields {
		p.fields[f.name] = &formField{Name: f.name, ID: inputID(f.name), Label: v.T(f.label), Value: vals[f.name]}
	}
	if conflict != nil {
		for i := range conflict.Rows {
			conflict.Rows[i].Label = p.fields[conflict.Rows[i].Label].Label
			conflict.Rows[i].Kept = v.T(conflict.Rows[i].Kept)
		}
	}
	if err != nil {
		e := v.formError(err, v.entityFieldName)
		p.Message = e.Message
		for _, fe := range e.Fields {
			f := p.fields[inputOf(fe.Field)]
			if f == nil {
				p.Message += " " + fe.Message
				continue
			}
			if f.Error == "" {
				p.Summary = append(p.Summary, f)
			} else {
				f.Error += " "
			}
			f.Error += fe.Message
		}
		// The list at the top follows the form's order.
		slices.SortStableFunc(p.Summary, func(a, b *formField) int { return fieldIndex(a.Name) - fieldIndex(b.Name) })
	}
	if err := c.choices(ctx, v.Lang, p, vals); err != nil {
		c.fail(w, r, err)
		return
	}
	m, err := c.wardMap()
	if err != nil {
		c.fail(w, r, registry.Internal(err))
		return
	}
	opts := wardmap.Options{ID: "wardmap", Label: v.T("Map of Hà Nội's wards: a click, or the arrow keys and Enter, set the location"), Lang: v.lang}
	if d, _ := vals.draft(); d.Location != nil {
		opts.Marker = &wardmap.LatLon{Lat: d.Location.Lat, Lon: d.Location.Lon}
		if wd, _, ok := c.svc.Wards().Nearest(d.Location.Lat, d.Location.Lon, registry.WardToleranceM); ok {
			opts.Highlight = wd.Code
		}
	}
	if p.Map, err = m.SVG(opts); err != nil {
		c.fail(w, r, registry.Internal(err))
		return
	}
	if !p.New {
		v.Title += ": " + vals["name"]
	}
	v.Data = p
	c.render(w, status, "entity_form", v)
}

// choices fills the kind list and the sector checkboxes from the
// reference data, marking what vals chose.
func (c *Console) choices(ctx context.Context, lang string, p *formPage, vals entityValues) error {
	sectors, err := c.svc.Sectors(ctx)
	if err != nil {
		return err
	}
	chosen := lines(vals["sectors"])
	for _, s := range sectors {
		p.Sectors = append(p.Sectors, choice{Value: s.Slug, Label: pick(lang, s.Name, s.NameEn), On: slices.Contains(chosen, s.Slug)})
	}
	kinds, err := c.svc.Store().Kinds(ctx)
	if err != nil {
		return err
	}
	for _, k := range kinds {
		p.Kinds = append(p.Kinds, choice{Value: k.Slug, Label: pick(lang, k.Name, k.NameEn), On: k.Slug == vals["kind"]})
	}
	return nil
}

func recordURL(slug string) string { return Prefix + "entities/" + url.PathEscape(slug) }
