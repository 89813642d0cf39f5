package console

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/hanoicreative/registry/internal/registry"
)

// TestAdminDeletesSector: after a confirmation, an admin deletes a sector
// no entity has had; one in use is refused with the domain's reason, on
// the confirmation, and stays. Without the CSRF token nothing happens; an
// editor gets 403.
func TestAdminDeletesSector(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		e.create("Xưởng gốm Bát Tràng", "artisan", []string{"crafts"}, "Hoàn Kiếm")
		if _, err := e.svc.CreateSector(ctx, registry.SectorDraft{Slug: "digital-games", Name: "Trò chơi điện tử", NameEn: "Digital games"}); err != nil {
			t.Fatal(err)
		}
		admin, editor := e.browser(), e.browser()
		admin.signIn(adminEmail, password).redirectsTo(t, "/console/")
		editor.signIn(editorEmail, password).redirectsTo(t, "/console/")
		if list := admin.get("/console/admin/sectors").body; !strings.Contains(list, `href="/console/admin/sectors/digital-games/delete"`) {
			t.Errorf("no delete link on the sectors page:\n%s", list)
		}

		// In use: refused with the domain's reason; the sector stays.
		confirm := admin.get("/console/admin/sectors/crafts/delete", "Accept-Language", "en").want(t, http.StatusOK)
		if !strings.Contains(confirm.body, "Delete the sector") || !strings.Contains(confirm.body, `action="/console/admin/sectors/crafts/delete"`) {
			t.Errorf("no confirmation:\n%s", confirm.body)
		}
		refused := admin.do("POST", "/console/admin/sectors/crafts/delete", url.Values{"csrf": {confirm.csrf(t)}}, "Accept-Language", "en").
			want(t, http.StatusConflict)
		if !strings.Contains(refused.body, `role="alert">The sector &#34;crafts&#34; is in use by 1 entity`) {
			t.Errorf("the refusal does not give the domain's reason:\n%s", refused.body)
		}
		if _, err := e.svc.Sector(ctx, "crafts"); err != nil {
			t.Errorf("the sector in use is gone: %v", err)
		}

		// An editor may neither ask nor delete; a form without its token
		// deletes nothing.
		edToken := editor.get("/console/").csrf(t)
		editor.get("/console/admin/sectors/digital-games/delete").want(t, http.StatusForbidden)
		editor.do("POST", "/console/admin/sectors/digital-games/delete", url.Values{"csrf": {edToken}}).want(t, http.StatusForbidden)
		admin.do("POST", "/console/admin/sectors/digital-games/delete", url.Values{}).want(t, http.StatusForbidden)
		if _, err := e.svc.Sector(ctx, "digital-games"); err != nil {
			t.Fatalf("the sector is gone without a confirmed, authorised request: %v", err)
		}

		// Unused: deleted.
		confirm = admin.get("/console/admin/sectors/digital-games/delete", "Accept-Language", "vi").want(t, http.StatusOK)
		if !strings.Contains(confirm.body, "Xoá lĩnh vực Trò chơi điện tử (digital-games)?") {
			t.Errorf("the confirmation does not name the sector:\n%s", confirm.body)
		}
		admin.do("POST", "/console/admin/sectors/digital-games/delete", url.Values{"csrf": {confirm.csrf(t)}}).
			redirectsTo(t, "/console/admin/sectors")
		if _, err := e.svc.Sector(ctx, "digital-games"); registry.ErrorCode(err) != registry.ENOTFOUND {
			t.Errorf("after deleting, the sector reads %v", err)
		}
		if list := admin.get("/console/admin/sectors").body; strings.Contains(list, "<code>digital-games</code>") {
			t.Error("the deleted sector is still listed")
		}
		admin.get("/console/admin/sectors/digital-games/delete").want(t, http.StatusNotFound)
	})
}
