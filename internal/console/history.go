package console

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/hanoicreative/registry/internal/problem"
	"github.com/hanoicreative/registry/internal/registry"
)

// historyPageNames are the pages of a record's history and its
// confirmations (templates/<name>.html inside the layout).
var historyPageNames = []string{"version", "confirm"}

// historyRoutes are the record's history, its past versions and the
// confirmed changes of its life-cycle.
func (c *Console) historyRoutes(m *http.ServeMux) {
	m.HandleFunc("GET /console/entities/{slug}/versions/{n}", c.signedIn(c.pastVersion))
	m.HandleFunc("GET /console/entities/{slug}/versions/{n}/restore", c.signedIn(c.confirmRevert))
	m.HandleFunc("POST /console/entities/{slug}/versions/{n}/restore", c.signedIn(c.revert))
	m.HandleFunc("GET /console/entities/{slug}/archive", c.signedIn(c.confirmStatus(registry.StatusArchived)))
	m.HandleFunc("POST /console/entities/{slug}/archive", c.signedIn(c.setStatus(registry.StatusArchived)))
	m.HandleFunc("GET /console/entities/{slug}/restore", c.signedIn(c.confirmStatus(registry.StatusActive)))
	m.HandleFunc("POST /console/entities/{slug}/restore", c.signedIn(c.setStatus(registry.StatusActive)))
}

// timelineEntry is one revision as the record's timeline shows it.
type timelineEntry struct {
	registry.Revision
	URL     string // the record as this revision left it
	Current bool
	Changes []changeRow
}

// changeRow is one field a revision changed, in the reader's words.
type changeRow struct{ Label, From, To string }

// historyFields are the fields revisions record, in the form's order, with
// their labels (keys of the catalogue).
var historyFields = []struct{ name, label string }{
	{"name", "Name"}, {"name_en", "Name in English"}, {"slug", "Address in the registry (slug)"}, {"kind", "Kind"},
	{"sectors", "Sectors"}, {"description", "Description"}, {"description_en", "Description in English"},
	{"address.street", "Street address"}, {"address.ward", "Ward or commune"}, {"address.city", "City"},
	{"location", "Location"}, {"contact.website", "Website"}, {"contact.email", "Email address"},
	{"contact.phone", "Phone"}, {"links", "Links, one per line"}, {"founded_year", "Year founded"},
	{"logo", "Logo"}, {"photos", "Photos"}, {"status", "Status"},
}

// timeline turns revisions (newest first, as the service gives them) into
// the page's entries, each with its field changes in the form's order.
func timeline(v *view, names refNames, slug string, revs []registry.Revision, current int) []timelineEntry {
	out := make([]timelineEntry, 0, len(revs))
	for _, rev := range revs {
		e := timelineEntry{Revision: rev, Current: rev.Version == current,
			URL: recordURL(slug) + "/versions/" + strconv.Itoa(rev.Version)}
		e.Changes = changeRows(v, names, rev.Changes)
		out = append(out, e)
	}
	return out
}

// changeRows are a revision's changes in the form's order.
func changeRows(v *view, names refNames, changes map[string]registry.FieldChange) []changeRow {
	var out []changeRow
	for _, f := range historyFields {
		if ch, ok := changes[f.name]; ok {
			out = append(out, changeRow{Label: v.T(f.label),
				From: changeValue(v, names, f.name, ch.From), To: changeValue(v, names, f.name, ch.To)})
		}
	}
	return out
}

// changeValue writes a value a revision recorded as a person reads it:
// names of sectors and kinds, a location as "lat, lon", nothing for none.
func changeValue(v *view, names refNames, field string, value any) string {
	if field == "logo" || field == "photos" {
		return imagesValue(value)
	}
	switch x := value.(type) {
	case nil:
		return ""
	case string:
		switch field {
		case "kind":
			return nameOr(names.kinds, x)
		case "status":
			return v.T(x)
		}
		return x
	case []string:
		return changeList(names, field, x)
	case []any:
		l := make([]string, len(x))
		for i, s := range x {
			l[i] = fmt.Sprint(s)
		}
		return changeList(names, field, l)
	case map[string]float64:
		return fmt.Sprint(x["lat"], ", ", x["lon"])
	case map[string]any:
		return fmt.Sprint(x["lat"], ", ", x["lon"])
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return fmt.Sprint(value)
}

// imagesValue writes a logo as its size in pixels, photos as their
// captions and sizes.
func imagesValue(value any) string {
	size := func(img any) string {
		m, _ := img.(map[string]any)
		s := fmt.Sprint(m["width"], " × ", m["height"])
		if c, ok := m["caption"].(string); ok && c != "" {
			s = c + " (" + s + ")"
		}
		return s
	}
	if photos, ok := value.([]any); ok {
		l := make([]string, len(photos))
		for i, p := range photos {
			l[i] = size(p)
		}
		return strings.Join(l, ", ")
	}
	if value == nil {
		return ""
	}
	return size(value)
}

func changeList(names refNames, field string, l []string) string {
	if field == "sectors" {
		for i, s := range l {
			l[i] = nameOr(names.sectors, s)
		}
	}
	return strings.Join(l, ", ")
}

// versionPage is a record as it was at a past version, read only.
type versionPage struct {
	Entity  registry.Entity // as it was
	Current registry.Entity
	Kind    string
	Sectors []string
	History []timelineEntry // the revision that made this version
}

// pastVersion shows a record as a past revision left it.
func (c *Console) pastVersion(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	cur, old, ok := c.versions(w, r)
	if !ok {
		return
	}
	revs, err := c.svc.History(ctx, cur.ID)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	v := c.newView(r, "Past version", nil)
	names, err := c.names(ctx, v.Lang)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	p := versionPage{Entity: old, Current: cur, Kind: nameOr(names.kinds, old.Kind)}
	for _, s := range old.Sectors {
		p.Sectors = append(p.Sectors, nameOr(names.sectors, s))
	}
	i := slices.IndexFunc(revs, func(rev registry.Revision) bool { return rev.Version == old.Version })
	if i >= 0 {
		p.History = timeline(v, names, cur.Slug, revs[i:i+1], cur.Version)
	}
	v.Title = v.T("Version %d of %s", old.Version, cur.Name)
	v.Data = p
	c.render(w, http.StatusOK, "version", v)
}

// versions reads the record and the past version the address names; on
// failure it has answered.
func (c *Console) versions(w http.ResponseWriter, r *http.Request) (cur, old registry.Entity, ok bool) {
	ctx := r.Context()
	cur, err := c.svc.Entity(ctx, r.PathValue("slug"))
	if err != nil {
		c.fail(w, r, err)
		return cur, old, false
	}
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 1 {
		c.notFound(w, r)
		return cur, old, false
	}
	if old, err = c.svc.EntityAt(ctx, cur.ID, n); err != nil {
		c.fail(w, r, err)
		return cur, old, false
	}
	return cur, old, true
}

// confirmPage asks before a change of the record's life-cycle.
type confirmPage struct {
	Entity   registry.Entity // the record now
	Question string          // translated
	Button   string          // translated
	Action   string          // where the form posts
	Message  string          // why the last try changed nothing, translated
	Changes  []changeRow     // what the change would do to each field
}

// confirmRevert asks before restoring a past version.
func (c *Console) confirmRevert(w http.ResponseWriter, r *http.Request) {
	cur, old, ok := c.versions(w, r)
	if !ok {
		return
	}
	c.showConfirm(w, r, http.StatusOK, cur, revertQuestion(old), "", nil)
}

// question is what a confirmation asks, its button, and for a past
// version's restore, that version.
type question struct {
	ask    func(v *view) string
	button string
	past   *registry.Entity
}

func revertQuestion(old registry.Entity) question {
	return question{past: &old, button: "Restore this version", ask: func(v *view) string {
		return v.T("Restore version %d? Its values become a new version of the record; no version is deleted.", old.Version)
	}}
}

// revert restores a past version's values as a new revision, over the
// version the confirmation was shown at.
func (c *Console) revert(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	cur, old, ok := c.versions(w, r)
	if !ok {
		return
	}
	version, _ := strconv.Atoi(r.PostFormValue(versionField))
	pre := registry.Precondition{Given: true, Versions: []int{version}}
	e, err := c.svc.UpdateEntity(ctx, staffOf(ctx).Account.Name, cur.ID, pre, func(registry.Entity) (registry.EntityDraft, []registry.FieldError) {
		return old.Draft(), nil
	})
	if err != nil {
		c.refusedConfirm(w, r, cur, revertQuestion(old), err)
		return
	}
	http.Redirect(w, r, recordURL(e.Slug)+"#history", http.StatusSeeOther)
}

// statusWords are the confirmation's question and button for a status.
var statusWords = map[registry.Status][2]string{
	registry.StatusArchived: {"Archive %s? It leaves the public lists and search; it can be restored at any time.", "Archive"},
	registry.StatusActive:   {"Restore %s? It comes back to the public lists and search.", "Restore"},
}

func statusQuestion(status registry.Status, e registry.Entity) question {
	return question{button: statusWords[status][1], ask: func(v *view) string { return v.T(statusWords[status][0], e.Name) }}
}

// confirmStatus asks before archiving or restoring a record.
func (c *Console) confirmStatus(status registry.Status) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		cur, err := c.svc.Entity(r.Context(), r.PathValue("slug"))
		if err != nil {
			c.fail(w, r, err)
			return
		}
		c.showConfirm(w, r, http.StatusOK, cur, statusQuestion(status, cur), "", nil)
	}
}

// setStatus archives or restores a record, over the version the
// confirmation was shown at.
func (c *Console) setStatus(status registry.Status) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		cur, err := c.svc.Entity(ctx, r.PathValue("slug"))
		if err != nil {
			c.fail(w, r, err)
			return
		}
		version, _ := strconv.Atoi(r.PostFormValue(versionField))
		pre := registry.Precondition{Given: true, Versions: []int{version}}
		change := c.svc.ArchiveEntity
		if status == registry.StatusActive {
			change = c.svc.RestoreEntity
		}
		if _, err := change(ctx, staffOf(ctx).Account.Name, cur.ID, pre); err != nil {
			c.refusedConfirm(w, r, cur, statusQuestion(status, cur), err)
			return
		}
		http.Redirect(w, r, recordURL(cur.Slug), http.StatusSeeOther)
	}
}

// refusedConfirm shows the confirmation again, at the current version,
// after a change the service refused: a colleague's save in between
// changes nothing until the reader confirms again.
func (c *Console) refusedConfirm(w http.ResponseWriter, r *http.Request, cur registry.Entity, q question, err error) {
	switch registry.ErrorCode(err) {
	case registry.EPRECONDITION:
		c.showConfirm(w, r, problem.Status(err), cur, q,
			"Someone changed this record after you opened this page: nothing was changed. Look at the record as it is now, then confirm again.", nil)
	case registry.EINVALID, registry.ECONFLICT:
		c.showConfirm(w, r, problem.Status(err), cur, q, "", err)
	default:
		c.fail(w, r, err)
	}
}

// showConfirm renders a confirmation whose form carries the record's
// current version, the precondition of the change.
func (c *Console) showConfirm(w http.ResponseWriter, r *http.Request, status int, cur registry.Entity, q question, message string, err error) {
	v := c.newView(r, "Confirm", nil)
	p := confirmPage{Entity: cur, Question: q.ask(v), Button: v.T(q.button), Action: r.URL.Path}
	if q.past != nil {
		// Restoring a version keeps the record's status: show the rest.
		changes := registry.Diff(cur, *q.past)
		delete(changes, "status")
		delete(changes, "logo") // images are kept: they change by their own forms
		delete(changes, "photos")
		names, err := c.names(r.Context(), v.Lang)
		if err != nil {
			c.fail(w, r, err)
			return
		}
		p.Changes = changeRows(v, names, changes)
	}
	if message != "" {
		p.Message = v.T(message)
	}
	if err != nil {
		e := c.msgs.Error(v.lang, err)
		p.Message = e.Message
		for _, fe := range e.Fields {
			p.Message += " " + fe.Message
		}
	}
	v.Title = v.T(q.button) + ": " + cur.Name
	v.Data = p
	c.render(w, status, "confirm", v)
}
