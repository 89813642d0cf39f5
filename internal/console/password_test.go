package console

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/hanoicreative/registry/internal/accounts"
	"github.com/hanoicreative/registry/internal/auth"
)

// The first password of an account, set with its one-time link: what
// `registry users create` without --password-stdin prints.
func TestSetPasswordWithLink(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		a, err := e.accounts.Create(ctx, accounts.NewAccount{Email: "hoa@example.vn", Name: "Lê Thị Hoa", Role: auth.Editor})
		if err != nil {
			t.Fatal(err)
		}
		token, _, err := e.accounts.IssuePasswordToken(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		b := e.browser()
		path := "/console/set-password?token=" + url.QueryEscape(token)
		form := b.get(path).want(t, http.StatusOK)
		if !strings.Contains(form.body, "Lê Thị Hoa") || form.header.Get("Referrer-Policy") != "no-referrer" {
			t.Errorf("the form does not name the account, or leaks its address:\n%s", form.body)
		}
		for _, want := range []string{`autocomplete="new-password"`, `<label for="password">`, `<label for="password_again">`} {
			if !strings.Contains(form.body, want) {
				t.Errorf("the form has no %s", want)
			}
		}
		post := func(csrf, pw, again string) page {
			return b.do("POST", "/console/set-password", url.Values{"csrf": {csrf}, "token": {token}, "password": {pw}, "password_again": {again}})
		}
		post("", "Hồ Gươm mùa xuân", "Hồ Gươm mùa xuân").want(t, http.StatusForbidden)
		csrf := form.csrf(t)
		common := post(csrf, "password123", "password123").want(t, http.StatusUnprocessableEntity)
		if !strings.Contains(common.body, `aria-invalid="true"`) || !strings.Contains(common.body, `id="password-error"`) {
			t.Errorf("a common password is not refused next to its field:\n%s", common.body)
		}
		post(csrf, "Hồ Gươm mùa xuân", "Hồ Gươm mùa thu").want(t, http.StatusUnprocessableEntity)
		post(csrf, "Hồ Gươm mùa xuân", "Hồ Gươm mùa xuân").redirectsTo(t, "/console/login?password=set")
		if p := b.get("/console/login?password=set"); !strings.Contains(p.body, `role="status"`) {
			t.Errorf("no word that the password is set")
		}
		b.signIn("hoa@example.vn", "Hồ Gươm mùa xuân").redirectsTo(t, "/console/")
		// The link works once.
		b.get(path).want(t, http.StatusNotFound)
		post(csrf, "Hồ Gươm mùa đông", "Hồ Gươm mùa đông").want(t, http.StatusNotFound)
	})
}
