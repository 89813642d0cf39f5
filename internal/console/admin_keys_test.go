package console

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestAdminKeys: an admin makes an API key and sees its secret once, on a
// page never cached; the secret works until the key is revoked after a
// confirmation. A form without its CSRF token changes nothing, and an
// editor gets 403.
func TestAdminKeys(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		admin, editor := e.browser(), e.browser()
		admin.signIn(adminEmail, password).redirectsTo(t, "/console/")
		editor.signIn(editorEmail, password).redirectsTo(t, "/console/")

		token := admin.get("/console/admin/keys").want(t, http.StatusOK).csrf(t)
		admin.do("POST", "/console/admin/keys", url.Values{"name": {"Bản đồ đối tác"}, "role": {"editor"}}).want(t, http.StatusForbidden)
		bad := admin.do("POST", "/console/admin/keys", url.Values{"csrf": {token}, "name": {" "}, "role": {"owner"}}).want(t, http.StatusUnprocessableEntity)
		if !strings.Contains(bad.body, `id="name-error"`) || !strings.Contains(bad.body, `id="role-error"`) {
			t.Errorf("the refused key's errors are not by their fields:\n%s", bad.body)
		}
		if keys, _ := e.keys.Keys(ctx); len(keys) != 0 {
			t.Fatalf("refused forms made keys: %v", keys)
		}

		made := admin.do("POST", "/console/admin/keys", url.Values{"csrf": {token}, "name": {"Bản đồ đối tác"}, "role": {"editor"}}).
			want(t, http.StatusCreated)
		if cc := made.header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("the page with the secret has Cache-Control %q", cc)
		}
		secret := regexpFind(t, made.body, `id="key-secret" type="text" readonly value="([^"]+)"`)
		k, err := e.keys.Authenticate(ctx, secret)
		if err != nil || k.Name != "Bản đồ đối tác" || k.Role != "editor" {
			t.Fatalf("the secret shown does not work: %v %v", k, err)
		}
		list := admin.get("/console/admin/keys").want(t, http.StatusOK)
		if strings.Contains(list.body, secret) || strings.Contains(list.body, `id="key-secret"`) {
			t.Error("the secret is shown again")
		}
		if !strings.Contains(list.body, "Bản đồ đối tác") {
			t.Errorf("the key is not listed:\n%s", list.body)
		}
		// A second key of the same name is refused by the name field.
		admin.do("POST", "/console/admin/keys", url.Values{"csrf": {token}, "name": {"Bản đồ đối tác"}, "role": {"admin"}}).
			want(t, http.StatusConflict)

		revoke := "/console/admin/keys/" + k.ID + "/revoke"
		editor.get(revoke).want(t, http.StatusForbidden)
		editor.get("/console/admin/keys").want(t, http.StatusForbidden)
		edToken := editor.get("/console/").csrf(t)
		editor.do("POST", revoke, url.Values{"csrf": {edToken}}).want(t, http.StatusForbidden)
		editor.do("POST", "/console/admin/keys", url.Values{"csrf": {edToken}, "name": {"x"}, "role": {"admin"}}).want(t, http.StatusForbidden)

		confirm := admin.get(revoke).want(t, http.StatusOK)
		if !strings.Contains(confirm.body, "Bản đồ đối tác") {
			t.Errorf("the confirmation does not name the key:\n%s", confirm.body)
		}
		admin.do("POST", revoke, url.Values{}).want(t, http.StatusForbidden)
		if _, err := e.keys.Authenticate(ctx, secret); err != nil {
			t.Fatalf("the key stopped working before it was revoked: %v", err)
		}
		admin.do("POST", revoke, url.Values{"csrf": {confirm.csrf(t)}}).redirectsTo(t, "/console/admin/keys")
		if _, err := e.keys.Authenticate(ctx, secret); err == nil {
			t.Error("a revoked key still works")
		}
		if keys, _ := e.keys.Keys(ctx); len(keys) != 1 || keys[0].Active() {
			t.Errorf("keys after the revocation: %+v", keys)
		}
	})
}
