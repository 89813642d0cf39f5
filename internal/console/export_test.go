package console

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hanoicreative/registry/internal/export"
	"github.com/hanoicreative/registry/internal/registry"
)

// exported is a CSV export read back: its header and rows.
type exported struct {
	header []string
	rows   [][]string
	bom    bool
}

// slugs are the rows' slugs, in the file's order.
func (x exported) slugs() []string {
	var out []string
	for _, r := range x.rows {
		out = append(out, r[1])
	}
	return out
}

// getCSV downloads a CSV export and parses it with encoding/csv.
func (b *browser) getCSV(t *testing.T, path string) exported {
	t.Helper()
	p := b.get(path).want(t, http.StatusOK)
	day := time.Now().UTC().Format("20060102")
	for h, want := range map[string]string{"Content-Type": "text/csv; charset=utf-8", "Cache-Control": "no-store",
		"Content-Disposition": `attachment; filename="hanoi-creative-registry-` + day + `.csv"`} {
		if got := p.header.Get(h); got != want && !(h == "Content-Disposition" && strings.HasPrefix(got, `attachment; filename="hanoi-creative-registry-`)) {
			t.Errorf("%s: %s %q, want %q", path, h, got, want)
		}
	}
	body, bom := strings.CutPrefix(p.body, "\uFEFF")
	records, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil || len(records) == 0 {
		t.Fatalf("%s: %d records, %v:\n%s", path, len(records), err, p.body)
	}
	return exported{header: records[0], rows: records[1:], bom: bom}
}

// listedSlugs are the slugs the entity list shows for a query, following
// its pages to the last.
func (b *browser) listedSlugs(t *testing.T, query string) []string {
	t.Helper()
	row := regexp.MustCompile(`<tr><td><a href="/console/entities/([^"]+)">`)
	next := regexp.MustCompile(`<a href="([^"]+)" rel="next">`)
	var out []string
	for path := "/console/entities?" + query; path != ""; {
		body := b.get(path).want(t, http.StatusOK).body
		for _, m := range row.FindAllStringSubmatch(body, -1) {
			out = append(out, m[1])
		}
		path = ""
		if m := next.FindStringSubmatch(body); m != nil {
			path = html.UnescapeString(m[1])
		}
	}
	return out
}

// TestExport checks that the console's files hold exactly what the list
// shows, archived records included, for signed-in staff only.
func TestExport(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		e.createMany(25)
		year := 1998
		gom, err := e.svc.CreateEntity(ctx, "test", registry.EntityDraft{Name: "Xưởng gốm Bát Tràng", Kind: "artisan",
			Sectors: []string{"crafts", "design"}, Ward: "Bát Tràng", Description: "=SUM(A1:A9) là công thức", FoundedYear: &year,
			Location: &registry.Location{Lat: 20.976, Lon: 105.913}})
		if err != nil {
			t.Fatal(err)
		}
		old, err := e.svc.CreateEntity(ctx, "test", registry.EntityDraft{Name: "Xưởng sơn mài cũ", Kind: "artisan",
			Sectors: []string{"crafts"}, Ward: "Hoàn Kiếm", Location: &registry.Location{Lat: 21.0287, Lon: 105.8524}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.ArchiveEntity(ctx, "test", old.Slug, registry.Precondition{Any: true}); err != nil {
			t.Fatal(err)
		}

		// No file without a session: the sign-in page, nothing of the records.
		anon := e.browser()
		for _, path := range []string{"/console/entities/export.csv?status=archived", "/console/entities/export.geojson?status=all"} {
			p := anon.get(path)
			p.redirectsTo(t, "/console/login")
			if strings.Contains(p.body, old.Slug) {
				t.Errorf("%s: an anonymous request got the record", path)
			}
			// After signing in, back to the file.
			if next := regexpFind(t, p.header.Get("Location"), `next=([^&]+)`); next != url.QueryEscape(path) {
				t.Errorf("%s: the sign-in page leads to %q afterwards", path, next)
			}
		}

		b := e.browser()
		b.signIn(editorEmail, password).redirectsTo(t, "/console/")

		// Active (the default), archived and all, every page of each.
		active := b.getCSV(t, "/console/entities/export.csv")
		if !slices.Equal(active.header, export.Columns) || !active.bom {
			t.Errorf("header %q (byte-order mark %v), want the API's columns after a byte-order mark", active.header, active.bom)
		}
		if len(active.rows) != 26 || slices.Contains(active.slugs(), old.Slug) {
			t.Errorf("the active export has %d rows (want 26) or the archived record", len(active.rows))
		}
		archived := b.getCSV(t, "/console/entities/export.csv?status=archived")
		if !slices.Equal(archived.slugs(), []string{old.Slug}) || archived.rows[0][19] != "archived" {
			t.Errorf("the archived export is %q", archived.slugs())
		}
		if all := b.getCSV(t, "/console/entities/export.csv?status=all"); len(all.rows) != 27 || !slices.Contains(all.slugs(), old.Slug) {
			t.Errorf("the export of all has %d rows", len(all.rows))
		}

		// The file is the list: its search, filters and order, over its two pages.
		const query = "q=khong+gian&sector=design&ward=Ho%C3%A0n+Ki%E1%BA%BFm&sort=-name&status=all"
		listed := b.listedSlugs(t, query)
		if len(listed) != 25 {
			t.Fatalf("the list shows %d entities, want 25", len(listed))
		}
		// The list page links to it, with the same filters.
		page := b.get("/console/entities?"+query).want(t, http.StatusOK).body
		link := html.UnescapeString(regexpFind(t, page, `<a href="(/console/entities/export\.csv\?[^"]+)" type="text/csv"`))
		if file := b.getCSV(t, link); !slices.Equal(file.slugs(), listed) {
			t.Errorf("the export of %s is\n%q\nthe list shows\n%q", link, file.slugs(), listed)
		}
		if strings.Contains(link, "cursor") {
			t.Errorf("the export link %s is of one page", link)
		}
		second := html.UnescapeString(regexpFind(t, page, `<a href="([^"]+)" rel="next">`))
		secondPage := b.get(second).want(t, http.StatusOK).body
		if l := html.UnescapeString(regexpFind(t, secondPage, `<a href="(/console/entities/export\.csv\?[^"]+)" type="text/csv"`)); l != link {
			t.Errorf("the second page exports %s, the first %s", l, link)
		}

		// Spreadsheets get formulas guarded; programs (csv=raw) the cells as stored.
		guarded := b.getCSV(t, "/console/entities/export.csv?kind=artisan")
		if len(guarded.rows) != 1 || guarded.rows[0][6] != "'=SUM(A1:A9) là công thức" || guarded.rows[0][5] != "design;crafts" {
			t.Errorf("the spreadsheet's rows: %q", guarded.rows)
		}
		raw := b.getCSV(t, "/console/entities/export.csv?kind=artisan&csv=raw")
		if raw.bom || len(raw.rows) != 1 || raw.rows[0][6] != "=SUM(A1:A9) là công thức" || raw.rows[0][18] != "1998" {
			t.Errorf("the raw rows (byte-order mark %v): %q", raw.bom, raw.rows)
		}
		rawLink := html.UnescapeString(regexpFind(t, page, `<a href="(/console/entities/export\.csv\?[^"]*csv=raw[^"]*)"`))
		if file := b.getCSV(t, rawLink); file.bom || !slices.Equal(file.slugs(), listed) {
			t.Errorf("the CSV for programs %s (byte-order mark %v) is\n%q", rawLink, file.bom, file.slugs())
		}

		// GeoJSON: the entities with a location, archived ones in their export only.
		geo := func(query string) []string {
			p := b.get("/console/entities/export.geojson?"+query).want(t, http.StatusOK)
			if ct := p.header.Get("Content-Type"); ct != "application/geo+json" || !strings.HasSuffix(p.header.Get("Content-Disposition"), `.geojson"`) {
				t.Errorf("GeoJSON headers %v", p.header)
			}
			var fc struct {
				Type     string
				Features []struct {
					Geometry   struct{ Coordinates []float64 }
					Properties struct{ Slug, Status string }
				}
			}
			if err := json.Unmarshal([]byte(p.body), &fc); err != nil || fc.Type != "FeatureCollection" {
				t.Fatalf("GeoJSON %v:\n%s", err, p.body)
			}
			var slugs []string
			for _, f := range fc.Features {
				slugs = append(slugs, f.Properties.Slug)
			}
			return slugs
		}
		if got := geo(""); !slices.Equal(got, []string{gom.Slug}) {
			t.Errorf("active GeoJSON: %q", got)
		}
		if got := geo("status=archived"); !slices.Equal(got, []string{old.Slug}) {
			t.Errorf("archived GeoJSON: %q", got)
		}
		if got := geo("status=all&sort=name"); !slices.Equal(got, []string{gom.Slug, old.Slug}) {
			t.Errorf("GeoJSON of all: %q", got)
		}

		// A filter the list refuses is refused with the list's error, in the reader's language.
		bad := b.get("/console/entities/export.csv?ward=hoan+kiemm").want(t, http.StatusBadRequest)
		if !strings.Contains(bad.body, "có phải bạn muốn nói Hoàn Kiếm") || bytes.Contains([]byte(bad.header.Get("Content-Type")), []byte("csv")) {
			t.Errorf("a wrong filter: %s\n%s", bad.header.Get("Content-Type"), alertOf(bad.body))
		}
		b.get("/console/entities/export.csv?sector=cooking").want(t, http.StatusBadRequest)
		b.get("/console/entities/export.csv?csv=excel").want(t, http.StatusBadRequest)
		// GET only: an export changes nothing.
		if p := b.do("POST", "/console/entities/export.csv", nil); p.status == http.StatusOK {
			t.Errorf("POST exported: %d", p.status)
		}
	})
}
