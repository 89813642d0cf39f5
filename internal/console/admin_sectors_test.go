package console

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestAdminSectors: an admin sees the sectors with their entity counts,
// adds one (invalid fields shown by their fields), renames it, retires it
// and brings it back. A form without its CSRF token changes nothing, and
// an editor gets 403.
func TestAdminSectors(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		e.create("Xưởng gốm Bát Tràng", "artisan", []string{"crafts"}, "Hoàn Kiếm")
		admin, editor := e.browser(), e.browser()
		admin.signIn(adminEmail, password).redirectsTo(t, "/console/")
		editor.signIn(editorEmail, password).redirectsTo(t, "/console/")

		list := admin.get("/console/admin/sectors").want(t, http.StatusOK)
		if !strings.Contains(list.body, `<code>crafts</code>`) {
			t.Fatalf("the sectors are not listed:\n%s", list.body)
		}
		if got := regexpFind(t, list.body, `<code>crafts</code></td>\s*<th scope="row">[^<]*</th>\s*<td>[^<]*</td>\s*<td>(\d+)</td>`); got != "1" {
			t.Errorf("crafts counts %s entities, want 1", got)
		}
		token := list.csrf(t)
		add := url.Values{"slug": {"digital-games"}, "name": {"Trò chơi điện tử"}, "name_en": {"Digital games"}, "description": {"Phát triển trò chơi."}}
		admin.do("POST", "/console/admin/sectors", add).want(t, http.StatusForbidden)
		bad := admin.do("POST", "/console/admin/sectors", url.Values{"csrf": {token}, "slug": {"Bad Slug"}, "name": {"Tên"}}).
			want(t, http.StatusUnprocessableEntity)
		for _, want := range []string{`id="slug-error"`, `id="name_en-error"`, `value="Bad Slug"`} {
			if !strings.Contains(bad.body, want) {
				t.Errorf("no %s in the refused sector:\n%s", want, bad.body)
			}
		}
		add.Set("csrf", token)
		admin.do("POST", "/console/admin/sectors", add).redirectsTo(t, "/console/admin/sectors")
		sec, err := e.svc.Sector(ctx, "digital-games")
		if err != nil || sec.NameEn != "Digital games" || sec.Description != "Phát triển trò chơi." {
			t.Fatalf("sector after adding: %+v %v", sec, err)
		}
		admin.do("POST", "/console/admin/sectors", add).want(t, http.StatusConflict)

		form := admin.get("/console/admin/sectors/digital-games").want(t, http.StatusOK)
		if !strings.Contains(form.body, `value="Trò chơi điện tử"`) {
			t.Errorf("the form does not show the sector:\n%s", form.body)
		}
		rename := url.Values{"csrf": {token}, "name": {"Trò chơi số"}, "name_en": {"Video games"}, "description_en": {"Game studios."}}
		admin.do("POST", "/console/admin/sectors/digital-games", url.Values{"name": {"X"}, "name_en": {"X"}}).want(t, http.StatusForbidden)
		admin.do("POST", "/console/admin/sectors/digital-games", url.Values{"csrf": {token}, "name": {""}, "name_en": {"Video games"}}).
			want(t, http.StatusUnprocessableEntity)
		admin.do("POST", "/console/admin/sectors/digital-games", rename).redirectsTo(t, "/console/admin/sectors")
		if sec, _ := e.svc.Sector(ctx, "digital-games"); sec.Name != "Trò chơi số" || sec.NameEn != "Video games" || sec.DescriptionEn != "Game studios." || sec.Retired {
			t.Errorf("sector after renaming: %+v", sec)
		}

		admin.do("POST", "/console/admin/sectors/digital-games/retire", url.Values{}).want(t, http.StatusForbidden)
		admin.do("POST", "/console/admin/sectors/digital-games/retire", url.Values{"csrf": {token}}).redirectsTo(t, "/console/admin/sectors")
		if sec, _ := e.svc.Sector(ctx, "digital-games"); !sec.Retired || sec.Name != "Trò chơi số" {
			t.Errorf("sector after retiring: %+v", sec)
		}
		admin.do("POST", "/console/admin/sectors/digital-games/unretire", url.Values{"csrf": {token}}).redirectsTo(t, "/console/admin/sectors")
		if sec, _ := e.svc.Sector(ctx, "digital-games"); sec.Retired {
			t.Errorf("sector still retired: %+v", sec)
		}

		edToken := editor.get("/console/").csrf(t)
		for _, p := range []struct{ method, path string }{
			{"GET", "/console/admin/sectors"}, {"POST", "/console/admin/sectors"}, {"GET", "/console/admin/sectors/digital-games"},
			{"POST", "/console/admin/sectors/digital-games"}, {"POST", "/console/admin/sectors/digital-games/retire"},
		} {
			var f url.Values
			if p.method == "POST" {
				f = url.Values{"csrf": {edToken}, "slug": {"x-sector"}, "name": {"X"}, "name_en": {"X"}}
			}
			editor.do(p.method, p.path, f).want(t, http.StatusForbidden)
		}
		if sec, _ := e.svc.Sector(ctx, "digital-games"); sec.Retired || sec.Name != "Trò chơi số" {
			t.Errorf("an editor changed the sector: %+v", sec)
		}
	})
}
