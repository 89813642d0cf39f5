package console

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestAdminWebhooks: an admin registers an endpoint and sees its secret
// once, on a page never cached; a URL that is not https on a public
// address is refused by its field; the endpoint's delivery log shows; it
// is removed after a confirmation. A form without its CSRF token changes
// nothing, and an editor gets 403.
func TestAdminWebhooks(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		admin, editor := e.browser(), e.browser()
		admin.signIn(adminEmail, password).redirectsTo(t, "/console/")
		editor.signIn(editorEmail, password).redirectsTo(t, "/console/")
		hooks := e.console.hooks

		page := admin.get("/console/admin/webhooks").want(t, http.StatusOK)
		token := page.csrf(t)
		admin.do("POST", "/console/admin/webhooks", url.Values{"url": {"https://partner.example.org/hook"}}).want(t, http.StatusForbidden)
		bad := admin.do("POST", "/console/admin/webhooks", url.Values{"csrf": {token}, "url": {"http://127.0.0.1/hook"}}).want(t, http.StatusUnprocessableEntity)
		if !strings.Contains(bad.body, `id="url-error"`) {
			t.Errorf("the refused URL's error is not by its field:\n%s", bad.body)
		}
		if list, _ := hooks.List(ctx); len(list) != 0 {
			t.Fatalf("refused forms registered endpoints: %v", list)
		}

		made := admin.do("POST", "/console/admin/webhooks", url.Values{"csrf": {token}, "url": {"https://partner.example.org/hook"}, "description": {"Bản đồ lễ hội"}}).
			want(t, http.StatusCreated)
		if cc := made.header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("the page with the secret has Cache-Control %q", cc)
		}
		secret := regexpFind(t, made.body, `id="webhook-secret" type="text" readonly value="([^"]+)"`)
		list, _ := hooks.List(ctx)
		if len(list) != 1 || list[0].URL != "https://partner.example.org/hook" || list[0].Description != "Bản đồ lễ hội" || len(list[0].Events) != 4 {
			t.Fatalf("endpoints %+v", list)
		}
		hook := list[0]
		if !strings.HasPrefix(secret, "whsec_") {
			t.Fatalf("secret %q", secret)
		}
		again := admin.get("/console/admin/webhooks").want(t, http.StatusOK)
		if strings.Contains(again.body, secret) || !strings.Contains(again.body, "Bản đồ lễ hội") {
			t.Errorf("the list shows the secret, or not the endpoint:\n%s", again.body)
		}
		log := admin.get("/console/admin/webhooks/"+hook.ID).want(t, http.StatusOK)
		if !strings.Contains(log.body, "https://partner.example.org/hook") {
			t.Errorf("the delivery log does not name the endpoint:\n%s", log.body)
		}

		remove := "/console/admin/webhooks/" + hook.ID + "/delete"
		editor.get("/console/admin/webhooks").want(t, http.StatusForbidden)
		editor.get(remove).want(t, http.StatusForbidden)
		editor.do("POST", remove, url.Values{"csrf": {editor.get("/console/").csrf(t)}}).want(t, http.StatusForbidden)
		confirm := admin.get(remove).want(t, http.StatusOK)
		admin.do("POST", remove, url.Values{}).want(t, http.StatusForbidden)
		admin.do("POST", remove, url.Values{"csrf": {confirm.csrf(t)}}).redirectsTo(t, "/console/admin/webhooks")
		if list, _ := hooks.List(ctx); len(list) != 0 {
			t.Errorf("endpoints after the removal: %+v", list)
		}
		admin.get("/console/admin/webhooks/"+hook.ID).want(t, http.StatusNotFound)
	})
}
