package console

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// accountRow is the accounts table's row of the account with this email.
func accountRow(t *testing.T, list page, email string) string {
	t.Helper()
	for _, row := range strings.Split(list.body, "<tr>") {
		if strings.Contains(row, "<td>"+email+"</td>") {
			return row
		}
	}
	t.Fatalf("no row of %s in:\n%s", email, list.body)
	return ""
}

// TestAccountsShowLastUse: the accounts page shows when each account last
// signed in or used a session: "never" before its first sign-in, the
// sign-in's time after it, and a later use once the sessions' uses are
// written (in the background, not by the request).
func TestAccountsShowLastUse(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		admin, editor := e.browser(), e.browser()
		admin.signIn(adminEmail, password).redirectsTo(t, "/console/")
		stamp := func(at time.Time) string { return `datetime="` + at.UTC().Format(time.RFC3339) + `"` }

		list := admin.get("/console/admin/users", "Accept-Language", "en").want(t, http.StatusOK)
		if row := accountRow(t, list, editorEmail); !strings.Contains(row, "<td>never</td>") {
			t.Errorf("an account never signed in is not shown as never used:\n%s", row)
		}
		signedIn := e.clock.Now()
		editor.signIn(editorEmail, password).redirectsTo(t, "/console/")
		list = admin.get("/console/admin/users", "Accept-Language", "en")
		if row := accountRow(t, list, editorEmail); !strings.Contains(row, stamp(signedIn)) {
			t.Errorf("after a sign-in at %v, the last use is not it:\n%s", signedIn, row)
		}

		e.clock.Add(2 * time.Hour)
		used := e.clock.Now()
		editor.get("/console/").want(t, http.StatusOK)
		if row := accountRow(t, admin.get("/console/admin/users"), editorEmail); strings.Contains(row, stamp(used)) {
			t.Error("the request wrote its use itself: it must only queue it")
		}
		if err := e.accounts.FlushUses(ctx); err != nil {
			t.Fatal(err)
		}
		list = admin.get("/console/admin/users", "Accept-Language", "en")
		if row := accountRow(t, list, editorEmail); !strings.Contains(row, stamp(used)) {
			t.Errorf("the session's use at %v is not the account's last use:\n%s", used, row)
		}
		// Signing out ends the session, not the record of its use.
		token := editor.get("/console/").csrf(t)
		editor.do("POST", "/console/logout", url.Values{"csrf": {token}}).redirectsTo(t, "/console/login")
		if row := accountRow(t, admin.get("/console/admin/users"), editorEmail); !strings.Contains(row, stamp(used)) {
			t.Errorf("the last use is lost at sign-out:\n%s", row)
		}
	})
}

// TestAdminResetsPassword: after a confirmation, an admin's reset ends the
// account's sessions at once and shows, once, a link that sets a new
// password, which works once. Without the CSRF token nothing happens; an
// editor gets 403; a disabled account cannot be reset.
func TestAdminResetsPassword(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		admin, editor := e.browser(), e.browser()
		admin.signIn(adminEmail, password).redirectsTo(t, "/console/")
		editor.signIn(editorEmail, password).redirectsTo(t, "/console/")
		lan, err := e.accounts.Find(ctx, editorEmail)
		if err != nil {
			t.Fatal(err)
		}
		minh, _ := e.accounts.Find(ctx, adminEmail)
		path := "/console/admin/users/" + lan.ID + "/reset"
		if list := admin.get("/console/admin/users").body; !strings.Contains(list, `href="`+path+`"`) {
			t.Errorf("no reset link on the accounts page:\n%s", list)
		}

		// An editor may neither ask nor reset.
		edToken := editor.get("/console/").csrf(t)
		editor.get("/console/admin/users/"+minh.ID+"/reset").want(t, http.StatusForbidden)
		editor.do("POST", "/console/admin/users/"+minh.ID+"/reset", url.Values{"csrf": {edToken}}).want(t, http.StatusForbidden)

		confirm := admin.get(path, "Accept-Language", "en").want(t, http.StatusOK)
		for _, want := range []string{editorEmail, "Their sessions end at once", `action="` + path + `"`} {
			if !strings.Contains(confirm.body, want) {
				t.Errorf("the confirmation does not say %q:\n%s", want, confirm.body)
			}
		}
		// Asking changes nothing; a POST without the CSRF token neither.
		admin.do("POST", path, url.Values{}).want(t, http.StatusForbidden)
		editor.get("/console/").want(t, http.StatusOK)

		done := admin.do("POST", path, url.Values{"csrf": {confirm.csrf(t)}}, "Accept-Language", "en").want(t, http.StatusOK)
		if cc := done.header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("the page with the link is cached: %q", cc)
		}
		if !strings.Contains(done.body, "Their sessions have ended") {
			t.Errorf("the page does not say the sessions ended:\n%s", done.body)
		}
		link := regexpFind(t, done.body, `id="reset-link" type="text" readonly value="([^"]+)"`)
		if !strings.HasPrefix(link, e.url+"/console/set-password?token=") {
			t.Fatalf("link %q does not start with the server's address", link)
		}
		if again := admin.get("/console/admin/users"); strings.Contains(again.body, "set-password?token=") {
			t.Error("the link is shown again")
		}
		// The editor's session ended at once; the admin's did not.
		editor.get("/console/").redirectsTo(t, "/console/login")
		admin.get("/console/").want(t, http.StatusOK)

		// The link sets a new password, once.
		u, _ := url.Parse(link)
		holder := e.browser()
		form := holder.get(u.RequestURI(), "Accept-Language", "en").want(t, http.StatusOK)
		if !strings.Contains(form.body, editorEmail) {
			t.Errorf("the link's page does not name the account:\n%s", form.body)
		}
		newPassword := "Tháp Rùa soi bóng 2026"
		set := url.Values{"csrf": {form.csrf(t)}, "token": {u.Query().Get("token")}, "password": {newPassword}, "password_again": {newPassword}}
		holder.do("POST", "/console/set-password", set).redirectsTo(t, "/console/login")
		holder.do("POST", "/console/set-password", set).want(t, http.StatusNotFound)
		holder.get(u.RequestURI()).want(t, http.StatusNotFound)
		editor.signIn(editorEmail, password).want(t, http.StatusUnauthorized)
		editor.signIn(editorEmail, newPassword).redirectsTo(t, "/console/")

		// A disabled account is not reset.
		token := admin.get("/console/admin/users").csrf(t)
		if _, err := e.accounts.Disable(ctx, lan.ID); err != nil {
			t.Fatal(err)
		}
		refused := admin.do("POST", path, url.Values{"csrf": {token}}, "Accept-Language", "en").want(t, http.StatusConflict)
		if !strings.Contains(refused.body, "enable it before resetting its password") {
			t.Errorf("the refusal does not say why:\n%s", refused.body)
		}
	})
}
