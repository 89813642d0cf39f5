package console

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// TestAdminUsers: an admin invites an editor and gets, once, the link that
// sets the password; the invitee sets it and signs in; the admin changes
// its role, disables it after a confirmation (its session ends at once)
// and enables it again. A form without its CSRF token changes nothing, and
// an editor gets 403 on every admin page.
func TestAdminUsers(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		admin, editor := e.browser(), e.browser()
		admin.signIn(adminEmail, password).redirectsTo(t, "/console/")
		editor.signIn(editorEmail, password).redirectsTo(t, "/console/")
		if home := admin.get("/console/").body; !strings.Contains(home, `href="/console/admin/users"`) {
			t.Error("no Administration entry in an admin's menu")
		}
		if home := editor.get("/console/").body; strings.Contains(home, "/console/admin/") {
			t.Error("an editor's menu offers the admin pages")
		}

		list := admin.get("/console/admin/users", "Accept-Language", "en").want(t, http.StatusOK)
		if !strings.Contains(list.body, editorEmail) || !strings.Contains(list.body, "Nguyễn Thị Lan") {
			t.Fatalf("the accounts are not listed:\n%s", list.body)
		}
		token := list.csrf(t)
		invite := url.Values{"csrf": {token}, "name": {"Phạm Thu Hà"}, "email": {"ha@example.vn"}, "role": {"editor"}}

		// Without the CSRF token: 403, nothing made.
		noCSRF := url.Values{"name": invite["name"], "email": invite["email"], "role": invite["role"]}
		admin.do("POST", "/console/admin/users", noCSRF).want(t, http.StatusForbidden)
		if _, err := e.accounts.Find(ctx, "ha@example.vn"); err == nil {
			t.Fatal("an invitation without a CSRF token made an account")
		}
		// Invalid fields are shown by their fields, with what was typed.
		bad := admin.do("POST", "/console/admin/users", url.Values{"csrf": {token}, "name": {"Hà"}, "email": {"not-an-address"}, "role": {"owner"}},
			"Accept-Language", "en").want(t, http.StatusUnprocessableEntity)
		for _, want := range []string{`id="email-error"`, `id="role-error"`, `value="not-an-address"`} {
			if !strings.Contains(bad.body, want) {
				t.Errorf("no %s in the refused invitation:\n%s", want, bad.body)
			}
		}

		made := admin.do("POST", "/console/admin/users", invite).want(t, http.StatusCreated)
		if made.header.Get("Cache-Control") != "no-store" {
			t.Errorf("the page with the link is cached: %q", made.header.Get("Cache-Control"))
		}
		link := regexpFind(t, made.body, `id="invite-link" type="text" readonly value="([^"]+)"`)
		if !strings.HasPrefix(link, e.url+"/console/set-password?token=") {
			t.Fatalf("link %q does not start with the server's address", link)
		}
		if again := admin.get("/console/admin/users"); strings.Contains(again.body, "set-password?token=") {
			t.Error("the link is shown again")
		}
		// The invitee sets a password with it and signs in.
		invitee := e.browser()
		u, _ := url.Parse(link)
		form := invitee.get(u.RequestURI()).want(t, http.StatusOK)
		invitee.do("POST", "/console/set-password", url.Values{"csrf": {form.csrf(t)}, "token": {u.Query().Get("token")},
			"password": {"Sông Hồng chảy mãi 1010"}, "password_again": {"Sông Hồng chảy mãi 1010"}}).redirectsTo(t, "/console/login")
		invitee.signIn("ha@example.vn", "Sông Hồng chảy mãi 1010").redirectsTo(t, "/console/")
		invitee.get("/console/admin/users").want(t, http.StatusForbidden)

		ha, err := e.accounts.Find(ctx, "ha@example.vn")
		if err != nil {
			t.Fatal(err)
		}
		base := "/console/admin/users/" + ha.ID
		// Role change: without a token refused, with one done.
		admin.do("POST", base+"/role", url.Values{"role": {"admin"}}).want(t, http.StatusForbidden)
		admin.do("POST", base+"/role", url.Values{"csrf": {token}, "role": {"admin"}}).redirectsTo(t, "/console/admin/users")
		if a, _ := e.accounts.Find(ctx, ha.ID); a.Role != "admin" {
			t.Errorf("role %q after the change, want admin", a.Role)
		}
		invitee.get("/console/admin/users").want(t, http.StatusOK) // at once, in the same session
		admin.do("POST", base+"/role", url.Values{"csrf": {token}, "role": {"editor"}}).redirectsTo(t, "/console/admin/users")

		// Disable: a confirmation, then the account's session ends at once.
		confirm := admin.get(base+"/disable").want(t, http.StatusOK)
		if !strings.Contains(confirm.body, "ha@example.vn") {
			t.Errorf("the confirmation does not name the account:\n%s", confirm.body)
		}
		admin.do("POST", base+"/disable", url.Values{}).want(t, http.StatusForbidden)
		invitee.get("/console/").want(t, http.StatusOK)
		admin.do("POST", base+"/disable", url.Values{"csrf": {confirm.csrf(t)}}).redirectsTo(t, "/console/admin/users")
		invitee.get("/console/").redirectsTo(t, "/console/login")
		invitee.signIn("ha@example.vn", "Sông Hồng chảy mãi 1010").want(t, http.StatusForbidden)
		admin.do("POST", base+"/enable", url.Values{}).want(t, http.StatusForbidden)
		admin.do("POST", base+"/enable", url.Values{"csrf": {token}}).redirectsTo(t, "/console/admin/users")
		invitee.signIn("ha@example.vn", "Sông Hồng chảy mãi 1010").redirectsTo(t, "/console/")

		// An editor: 403 on every admin page and action.
		for _, p := range []struct{ method, path string }{
			{"GET", "/console/admin/users"}, {"POST", "/console/admin/users"}, {"POST", base + "/role"},
			{"GET", base + "/disable"}, {"POST", base + "/disable"}, {"POST", base + "/enable"},
		} {
			edToken := editor.get("/console/").csrf(t)
			var f url.Values
			if p.method == "POST" {
				f = url.Values{"csrf": {edToken}, "role": {"admin"}, "name": {"X"}, "email": {"x@example.vn"}}
			}
			editor.do(p.method, p.path, f).want(t, http.StatusForbidden)
		}
		if a, _ := e.accounts.Find(ctx, ha.ID); a.Role != "editor" || a.Disabled() {
			t.Errorf("an editor's requests changed the account: %+v", a)
		}
		if _, err := e.accounts.Find(ctx, "x@example.vn"); err == nil {
			t.Error("an editor invited an account")
		}
	})
}

// TestInvitationLinkBase: links start with PUBLIC_URL when it is set,
// else with the address the request reached.
func TestInvitationLinkBase(t *testing.T) {
	r := httptest.NewRequest("POST", "/console/admin/users", nil)
	r.Host = "registry.lan:8080"
	if got := (&Console{}).publicBase(r); got != "http://registry.lan:8080" {
		t.Errorf("without PUBLIC_URL: %q", got)
	}
	c := &Console{cfg: Config{PublicURL: "https://registry.example.vn/so"}}
	if got := c.publicBase(r); got != "https://registry.example.vn/so" {
		t.Errorf("with PUBLIC_URL: %q", got)
	}
}
