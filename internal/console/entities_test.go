package console

import (
	"io/fs"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/hanoicreative/registry/internal/messages"
)

func TestEntityList(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		e.createMany(25)
		e.create("Xưởng gốm Bát Tràng", "artisan", []string{"crafts"}, "Bát Tràng")
		hostile := e.create(`<img src=x onerror=alert(1)>`, "creative-space", []string{"design", "crafts"}, "Hoàn Kiếm")
		b := e.browser()
		b.signIn(editorEmail, password).redirectsTo(t, "/console/")

		// The search folds diacritics as the API's does.
		found := b.get("/console/entities?q=gom+bat+trang").want(t, http.StatusOK)
		if !strings.Contains(found.body, "Xưởng gốm Bát Tràng") || strings.Contains(found.body, "Không gian sáng tạo số 01") {
			t.Errorf("the search found the wrong entities:\n%s", found.body)
		}
		if !strings.Contains(found.body, `value="gom bat trang"`) {
			t.Errorf("the search box lost what was typed")
		}

		// The hostile name is text, never markup.
		all := b.get("/console/entities?sector=crafts").want(t, http.StatusOK)
		if strings.Contains(all.body, "<img src=x") || !strings.Contains(all.body, "&lt;img src=x onerror=alert(1)&gt;") {
			t.Errorf("the hostile name is not escaped")
		}
		if !strings.Contains(all.body, `href="/console/entities/`+hostile.Slug+`"`) {
			t.Errorf("no link to the record %s", hostile.Slug)
		}
		if !strings.Contains(all.body, "Tìm thấy 2 hồ sơ") {
			t.Errorf("the count of the sector's entities is wrong")
		}
		// Facet counts beside the filters, and the chosen filter kept.
		if !regexp.MustCompile(`(?s)id="sector-crafts" name="sector" value="crafts" checked>.*?<span class="count">2</span>`).MatchString(all.body) {
			t.Errorf("no facet count beside the sector filter")
		}
		// Export links carry the same filters to the console's export.
		if !strings.Contains(all.body, `href="/console/entities/export.csv?sector=crafts"`) {
			t.Errorf("no CSV export of the same filters")
		}

		// Keyset paging: two pages of 20 and 7, with no entity twice.
		first := b.get("/console/entities").want(t, http.StatusOK)
		next := regexpFind(t, first.body, `<a href="([^"]+)" rel="next">`)
		next = strings.ReplaceAll(next, "&amp;", "&")
		second := b.get(next).want(t, http.StatusOK)
		rows := func(body string) []string {
			return regexp.MustCompile(`<tr><td><a href="/console/entities/([^"]+)">`).FindAllString(body, -1)
		}
		if n1, n2 := len(rows(first.body)), len(rows(second.body)); n1 != 20 || n2 != 7 {
			t.Errorf("pages of %d and %d rows, want 20 and 7", n1, n2)
		}
		for _, r := range rows(second.body) {
			if strings.Contains(first.body, r) {
				t.Errorf("%s is on both pages", r)
			}
		}
		if strings.Contains(second.body, `rel="next"`) {
			t.Errorf("the last page links to a next one")
		}

		// A wrong filter is said in the reader's language, with the form kept.
		bad := b.get("/console/entities?founded_from=abc&q=x").want(t, http.StatusBadRequest)
		if !strings.Contains(bad.body, `role="alert"`) || !strings.Contains(bad.body, `value="x"`) {
			t.Errorf("a wrong filter is not shown with the form kept:\n%s", bad.body)
		}
		// Archived entities are exported by the console too (the API would need a key).
		if p := b.get("/console/entities?status=all").want(t, http.StatusOK); !strings.Contains(p.body, `href="/console/entities/export.geojson?status=all"`) {
			t.Errorf("no export link for archived entities")
		}

		// The record and the overview show who changed what.
		rec := b.get("/console/entities/"+url.PathEscape(hostile.Slug)).want(t, http.StatusOK)
		if strings.Contains(rec.body, "<img src=x") || !strings.Contains(rec.body, "test") {
			t.Errorf("the record page is wrong:\n%s", rec.body)
		}
		b.get("/console/entities/no-such-entity").want(t, http.StatusNotFound)
		over := b.get("/console/").want(t, http.StatusOK)
		if !strings.Contains(over.body, "27 hồ sơ đang hoạt động") || !strings.Contains(over.body, "tạo mới") {
			t.Errorf("the overview is wrong:\n%s", over.body)
		}
	})
}

// TestEveryTemplateWordIsInTheCatalogue checks that every word the pages
// show has its Vietnamese.
func TestEveryTemplateWordIsInTheCatalogue(t *testing.T) {
	cat := messages.New()
	keys := []string{"editor", "admin", "created", "updated", "archived", "restored", "active",
		"Active", "Archived", "All", "Default order", "Name A–Z", "Name Z–A", "Recently changed",
		"Least recently changed", "Recently registered", "Oldest founded", "Newest founded", "Something went wrong", "Entity",
		"pending", "succeeded", "failed"}
	call := regexp.MustCompile(`\.T "((?:[^"\\]|\\.)*)"`)
	err := fs.WalkDir(templateFiles, "templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := templateFiles.ReadFile(path)
		for _, m := range call.FindAllStringSubmatch(string(b), -1) {
			keys = append(keys, m[1])
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) < 50 {
		t.Fatalf("only %d words found in the templates", len(keys))
	}
	for _, k := range keys {
		if !cat.Has(messages.Vietnamese, k) {
			t.Errorf("%q is not in the catalogue in Vietnamese", k)
		}
	}
}
