package console

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"time"

	"golang.org/x/text/language"

	"github.com/hanoicreative/registry/internal/messages"
	"github.com/hanoicreative/registry/internal/problem"
	"github.com/hanoicreative/registry/internal/registry"
)

//go:embed templates/*.html
var templateFiles embed.FS

// pageNames are the pages, each templates/<name>.html inside the layout.
var pageNames = []string{"login", "password", "overview", "entities", "entity", "problem", "entity_form", "imports", "admin_users", "admin_confirm", "admin_keys", "admin_sectors", "admin_sector", "admin_webhooks", "admin_webhook"}

// pages are the parsed templates, one set per page.
type pages struct{ sets map[string]*template.Template }

func loadPages(a *assets) (*pages, error) {
	funcs := template.FuncMap{
		"asset": a.url,
		"date":  func(t time.Time) string { return t.In(hanoi).Format("2006-01-02 15:04") },
	}
	base, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFiles, "templates/layout.html", "templates/timeline.html", "templates/admin_tabs.html", "templates/sector_fields.html", "templates/record_fields.html")
	if err != nil {
		return nil, err
	}
	p := &pages{sets: map[string]*template.Template{}}
	for _, name := range slices.Concat(pageNames, historyPageNames) {
		set, err := template.Must(base.Clone()).ParseFS(templateFiles, "templates/"+name+".html")
		if err != nil {
			return nil, err
		}
		p.sets[name] = set
	}
	return p, nil
}

// hanoi is the time zone staff read times in (UTC+7, no summer time).
var hanoi = time.FixedZone("ICT", 7*60*60)

// view is what every page's template gets.
type view struct {
	Lang    string // the page's lang attribute
	Title   string // translated
	Staff   *staff
	CSRF    string
	Path    string // this page's address, for the language switch
	Data    any
	lang    language.Tag
	msgs    *messages.Catalogue
	console *Console
}

// T renders a message of the catalogue in the page's language; the
// templates call it for every word they show.
func (v *view) T(key string, args ...any) string { return v.msgs.Sprintf(v.lang, key, args...) }

// Other is the language the switch offers.
func (v *view) Other() string {
	if v.Lang == "vi" {
		return "en"
	}
	return "vi"
}

// language is the reader's: the switch's cookie, else Accept-Language
// when the browser sends one, else Vietnamese.
func (c *Console) language(r *http.Request) language.Tag {
	if ck, err := r.Cookie(languageCookie); err == nil {
		switch ck.Value {
		case "vi":
			return messages.Vietnamese
		case "en":
			return messages.English
		}
	}
	if h := r.Header.Get("Accept-Language"); h != "" {
		return c.msgs.Language(h)
	}
	return messages.Vietnamese
}

func langCode(t language.Tag) string {
	if t == messages.Vietnamese {
		return "vi"
	}
	return "en"
}

// switchLanguage remembers the chosen language and goes back. It changes
// only how pages are shown, so it is a plain link without a CSRF token.
func (c *Console) switchLanguage(w http.ResponseWriter, r *http.Request) {
	lang := r.URL.Query().Get("lang")
	if lang != "vi" && lang != "en" {
		lang = "vi"
	}
	c.setCookie(w, r, languageCookie, lang, 365*24*60*60)
	http.Redirect(w, r, localPath(r.URL.Query().Get("next")), http.StatusSeeOther)
}

// newView starts a page's view for r.
func (c *Console) newView(r *http.Request, title string, data any) *view {
	lang := c.language(r)
	v := &view{Lang: langCode(lang), Staff: staffOf(r.Context()), Path: r.URL.RequestURI(), Data: data, lang: lang, msgs: c.msgs, console: c}
	v.Title = v.T(title)
	if v.Staff != nil {
		v.CSRF = v.Staff.csrfToken()
	}
	return v
}

// SwitchURL is the address that switches the page's language.
func (v *view) SwitchURL() string {
	return Prefix + "language?lang=" + v.Other() + "&next=" + url.QueryEscape(v.Path)
}

// render writes a page. Pages hold staff data: never cached.
func (c *Console) render(w http.ResponseWriter, status int, name string, v *view) {
	var buf bytes.Buffer
	if err := c.pages.sets[name].ExecuteTemplate(&buf, "layout.html", v); err != nil {
		c.log.Error("console: rendering a page", "page", name, "err", err)
		http.Error(w, "Internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", fmt.Sprint(buf.Len()))
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// problemPage is what the problem page shows.
type problemPage struct {
	Message string
	Fields  []registry.FieldError
}

// fail shows a domain error in the reader's language, with the API's
// status for its code.
func (c *Console) fail(w http.ResponseWriter, r *http.Request, err error) {
	status := problem.Status(err)
	if status >= 500 {
		c.log.Error("console", "path", r.URL.Path, "err", err)
	}
	v := c.newView(r, "Something went wrong", nil)
	e := c.msgs.Error(v.lang, err)
	v.Data = problemPage{Message: e.Message, Fields: e.Fields}
	c.render(w, status, "problem", v)
}

func (c *Console) forbidden(w http.ResponseWriter, r *http.Request) {
	c.fail(w, r, registry.Errorf(registry.EFORBIDDEN, "You may not do this: the page needs another role, or the form was stale (reload the page and try again)."))
}

func (c *Console) notFound(w http.ResponseWriter, r *http.Request) {
	c.fail(w, r, registry.Errorf(registry.ENOTFOUND, "There is no such page in the console."))
}
