package console

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/hanoicreative/registry/internal/accounts"
	"github.com/hanoicreative/registry/internal/auth"
	"github.com/hanoicreative/registry/internal/store/storetest"
)

// TestBrowser walks the console in Chromium through the real server, as
// a member of staff would: sign in, the overview, a Vietnamese search, a
// sector filter, the next page, a record, a phone-sized screen, sign out.
// A hostile name must show as text and run nothing; no request may leave
// the machine. BROWSERTEST_SCREENSHOTS=dir saves what it saw.
func TestBrowser(t *testing.T) {
	storetest.Engines(t, pg, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn, nil)
		e.createMany(25)
		e.create("Xưởng gốm Bát Tràng", "artisan", []string{"crafts"}, "Bát Tràng")
		hostile := `<img src=x onerror=alert(document.domain)>`
		e.create(hostile, "creative-space", []string{"design", "crafts"}, "Hoàn Kiếm")

		tb := openTab(t, e)
		b, run, arrive, mustSee := tb.Browser, tb.run, tb.arrive, tb.mustSee

		// Chromium asks for English (Accept-Language: en-US): the switch
		// chooses Vietnamese, and is remembered.
		run(chromedp.EmulateViewport(1280, 900), chromedp.Navigate(e.url+"/console/language?lang=vi&next=%2Fconsole%2F"))
		// Not signed in: the sign-in form, which comes back to the overview.
		arrive("/console/login")
		run(chromedp.WaitVisible(chromedp.CSS("#email")))
		b.Screenshot(t, "login")
		run(typeKeys(chromedp.CSS("#email"), editorEmail),
			typeKeys(chromedp.CSS("#password"), password),
			chromedp.Click(chromedp.CSS("form.stack button[type=submit]")))
		arrive("/console/")
		run(chromedp.WaitVisible(chromedp.CSS("#by-sector")))
		mustSee("Tổng quan", "27 hồ sơ đang hoạt động", "Nguyễn Thị Lan", "Thay đổi gần đây", hostile)
		b.Screenshot(t, "overview")

		// A Vietnamese search, with the diacritics typed.
		run(chromedp.Click(chromedp.CSS(`nav a[href="/console/entities"]`)))
		arrive("/console/entities")
		run(chromedp.WaitVisible(chromedp.CSS("#q")), typeKeys(chromedp.CSS("#q"), "xưởng gốm"),
			chromedp.Click(chromedp.CSS("form.search .row button")))
		arrive("q=")
		mustSee("Tìm thấy 1 hồ sơ", "Xưởng gốm Bát Tràng")
		b.Screenshot(t, "entities-search")

		// A sector filter: the hostile name is shown as text.
		run(chromedp.Navigate(e.url + "/console/entities"))
		arrive("/console/entities")
		run(chromedp.WaitVisible(chromedp.CSS("#sector-crafts")), chromedp.Click(chromedp.CSS("#sector-crafts")),
			chromedp.Click(chromedp.CSS("aside.filters button[type=submit]")))
		arrive("sector=crafts")
		mustSee("Tìm thấy 2 hồ sơ", "Xưởng gốm Bát Tràng", hostile)
		imgs, err := chromedp.Run(b.Ctx, chromedp.Evaluate[int](`document.querySelectorAll('main img').length`))
		if err != nil || imgs != 0 {
			t.Errorf("the hostile name made %d images (%v)", imgs, err)
		}
		b.Screenshot(t, "entities-sector")

		// Paging: the next page, then back to the first.
		run(chromedp.Navigate(e.url + "/console/entities?sort=name"))
		arrive("sort=name")
		run(chromedp.Click(chromedp.CSS(`a[rel="next"]`)))
		arrive("cursor=")
		mustSee("Trang đầu", "Không gian sáng tạo số 24")
		b.Screenshot(t, "entities-page-2")

		// The record of the hostile name.
		run(chromedp.Navigate(e.url + "/console/entities?sector=crafts&sort=name"))
		arrive("sector=crafts")
		run(chromedp.Click(chromedp.CSS(`table a[href^="/console/entities/"]`)))
		arrive("/console/entities/")
		run(chromedp.WaitVisible(chromedp.CSS("#history")))
		mustSee("Lịch sử", "Phiên bản")
		b.Screenshot(t, "entity")

		// English, and usable on a 360 px wide phone: nothing wider than the screen.
		run(chromedp.Navigate(e.url + "/console/entities"))
		arrive("/console/entities")
		run(chromedp.Click(chromedp.CSS(`a[hreflang="en"]`)))
		arrive("/console/entities")
		run(chromedp.EmulateViewport(360, 740))
		mustSee("Entities", "Apply filters")
		width, err := chromedp.Run(b.Ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
		if err != nil || width > 360 {
			t.Errorf("at 360 px the page is %d px wide (%v)", width, err)
		}
		b.Screenshot(t, "entities-360px")
		run(chromedp.EmulateViewport(1280, 900))

		// A form without its CSRF token is refused (403) and changes nothing.
		run(chromedp.Evaluate[chromedp.Void](`document.querySelector('header form input[name=csrf]').remove()`),
			chromedp.Click(chromedp.CSS(`header form button[type=submit]`)))
		arrive("/console/logout")
		mustSee("You may not do this")
		run(chromedp.Navigate(e.url + "/console/"))
		arrive("/console/")
		run(chromedp.WaitVisible(chromedp.CSS("#by-sector")))

		// Sign out: the console asks to sign in again.
		run(chromedp.Click(chromedp.CSS(`header form button[type=submit]`)))
		arrive("/console/login")
		run(chromedp.Navigate(e.url + "/console/entities"))
		arrive("/console/login?next=")
		run(chromedp.WaitVisible(chromedp.CSS("#password")))

		// A new colleague's one-time link: the form to set a password.
		a, err := e.accounts.Create(context.Background(), accounts.NewAccount{Email: "hoa@example.vn", Name: "Lê Thị Hoa", Role: auth.Editor})
		if err != nil {
			t.Fatal(err)
		}
		token, _, err := e.accounts.IssuePasswordToken(context.Background(), a.ID)
		if err != nil {
			t.Fatal(err)
		}
		run(chromedp.Navigate(e.url + "/console/language?lang=vi&next=" + url.QueryEscape("/console/set-password?token="+token)))
		arrive("/console/set-password")
		run(chromedp.WaitVisible(chromedp.CSS("#password_again")),
			typeKeys(chromedp.CSS("#password"), "password123"),
			typeKeys(chromedp.CSS("#password_again"), "password123"),
			chromedp.Click(chromedp.CSS("form.stack button[type=submit]")))
		run(chromedp.WaitVisible(chromedp.CSS("#password-error")))
		mustSee("Lê Thị Hoa", "phổ biến")
		b.Screenshot(t, "set-password")

		// Five failed sign-ins lock the account: the sixth try, even with
		// the right password, says for how long.
		signIn := func(pw string) {
			t.Helper()
			run(chromedp.Navigate(e.url + "/console/login"))
			arrive("/console/login")
			run(chromedp.WaitVisible(chromedp.CSS("#email")),
				typeKeys(chromedp.CSS("#email"), adminEmail),
				typeKeys(chromedp.CSS("#password"), pw),
				chromedp.Click(chromedp.CSS("form.stack button[type=submit]")))
			run(chromedp.WaitVisible(chromedp.CSS("#login-error")))
		}
		for i := range accounts.MaxFailedSignIns {
			signIn("not the password " + string(rune('a'+i)))
		}
		signIn(password)
		mustSee("15")
		b.Screenshot(t, "login-locked")

		for _, u := range b.Requests() {
			if strings.HasSuffix(u, "/x") {
				t.Errorf("the hostile name's image was requested: %s", u)
			}
		}
		tb.done()
	})
}
