package console

import (
	"context"
	"net/url"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/hanoicreative/registry/internal/store/storetest"
)

// TestBrowserAdmin: in Chromium, through the real server, an admin opens
// Administration from the menu, invites an editor (the set-password link
// shown once) and creates an API key (its secret shown once).
// BROWSERTEST_SCREENSHOTS=dir saves both pages.
func TestBrowserAdmin(t *testing.T) {
	storetest.Engines(t, pg, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn, nil)
		tb := openTab(t, e)
		b, run, mustSee := tb.Browser, tb.run, tb.mustSee

		run(chromedp.EmulateViewport(1280, 900),
			chromedp.Navigate(e.url+"/console/language?lang=vi&next="+url.QueryEscape("/console/")),
			chromedp.WaitVisible(chromedp.CSS("#email")),
			typeKeys(chromedp.CSS("#email"), adminEmail),
			typeKeys(chromedp.CSS("#password"), password),
			chromedp.Click(chromedp.CSS("form.stack button[type=submit]")),
			chromedp.WaitVisible(chromedp.CSS(`nav a[href="/console/admin/users"]`)),
			chromedp.Click(chromedp.CSS(`nav a[href="/console/admin/users"]`)),
			chromedp.WaitVisible(chromedp.CSS("#name")),
			typeKeys(chromedp.CSS("#name"), "Phạm Thu Hà"),
			typeKeys(chromedp.CSS("#email"), "ha@example.vn"),
			chromedp.Click(chromedp.CSS("form.stack button.primary")),
			chromedp.WaitVisible(chromedp.CSS("#invite-link")))
		mustSee("Đã tạo tài khoản cho Phạm Thu Hà", "ha@example.vn", "đã mời, chưa đặt mật khẩu")
		a, err := e.accounts.Find(context.Background(), "ha@example.vn")
		if err != nil || a.Role != "editor" {
			t.Fatalf("the invited account: %+v %v", a, err)
		}
		b.Screenshot(t, "admin-users")

		run(chromedp.Click(chromedp.CSS(`nav.tabs a[href="/console/admin/keys"]`)),
			chromedp.WaitVisible(chromedp.CSS("#name")),
			typeKeys(chromedp.CSS("#name"), "Bản đồ của đối tác"),
			chromedp.Click(chromedp.CSS("form.stack button.primary")),
			chromedp.WaitVisible(chromedp.CSS("#key-secret")))
		mustSee("Đã tạo khoá Bản đồ của đối tác", "chưa bao giờ")
		secret, err := chromedp.Run(b.Ctx, chromedp.Evaluate[string](`document.querySelector("#key-secret").value`))
		if err != nil {
			t.Fatal(err)
		}
		if k, err := e.keys.Authenticate(context.Background(), secret); err != nil || k.Name != "Bản đồ của đối tác" {
			t.Errorf("the secret shown does not work: %+v %v", k, err)
		}
		b.Screenshot(t, "admin-keys")

		tb.done()
	})
}
