package console

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/hanoicreative/registry/internal/store/storetest"
)

// TestBrowserAdminResetAndDelete: in Chromium, through the real server,
// an admin sees when an editor last used the console, resets the
// editor's password after the confirmation (the link shown once, the
// editor's session ended at once), is refused the deletion of a sector
// in use with the reason, and reads a refused entity form's errors
// named by their labels.
func TestBrowserAdminResetAndDelete(t *testing.T) {
	storetest.Engines(t, pg, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn, nil)
		e.create("Xưởng gốm Bát Tràng", "artisan", []string{"crafts"}, "Hoàn Kiếm")
		editor := e.browser()
		editor.signIn(editorEmail, password).redirectsTo(t, "/console/")
		lan, err := e.accounts.Find(context.Background(), editorEmail)
		if err != nil {
			t.Fatal(err)
		}
		tb := openTab(t, e)
		run, mustSee := tb.run, tb.mustSee

		tb.signIn(adminEmail, "/console/admin/users", `a[href="/console/admin/users/`+lan.ID+`/reset"]`)
		a, err := e.accounts.Find(context.Background(), editorEmail)
		if err != nil || a.LastUsedAt == nil {
			t.Fatalf("no last use of the editor: %+v %v", a, err)
		}
		mustSee("Dùng lần cuối", a.LastUsedAt.In(hanoi).Format("2006-01-02 15:04"))
		run(chromedp.Click(chromedp.CSS(`a[href="/console/admin/users/`+lan.ID+`/reset"]`)),
			chromedp.WaitVisible(chromedp.CSS("section.confirm button.primary")))
		mustSee("Đặt lại mật khẩu của Nguyễn Thị Lan (lan@example.vn)?", "kết thúc ngay trên mọi thiết bị")
		run(chromedp.Click(chromedp.CSS("section.confirm button.primary")),
			chromedp.WaitVisible(chromedp.CSS("#reset-link")))
		mustSee("Đã đặt lại mật khẩu cho Nguyễn Thị Lan", "Các phiên đăng nhập của người này đã kết thúc")
		editor.get("/console/").redirectsTo(t, "/console/login")
		tb.Screenshot(t, "admin-reset")

		run(chromedp.Click(chromedp.CSS(`nav.tabs a[href="/console/admin/sectors"]`)),
			chromedp.WaitVisible(chromedp.CSS(`a[href="/console/admin/sectors/crafts/delete"]`)),
			chromedp.Click(chromedp.CSS(`a[href="/console/admin/sectors/crafts/delete"]`)),
			chromedp.WaitVisible(chromedp.CSS("section.confirm button.primary")),
			chromedp.Click(chromedp.CSS("section.confirm button.primary")),
			chromedp.WaitVisible(chromedp.CSS(`section.confirm p.error[role="alert"]`)))
		mustSee(`Lĩnh vực "crafts" đang được 1 hồ sơ sử dụng`)
		if _, err := e.svc.Sector(context.Background(), "crafts"); err != nil {
			t.Errorf("the sector in use is gone: %v", err)
		}

		run(chromedp.Navigate(e.url+"/console/entities/new"),
			chromedp.WaitVisible(chromedp.CSS("form.entity-form button.primary")),
			chromedp.Click(chromedp.CSS("form.entity-form button.primary")),
			chromedp.WaitVisible(chromedp.CSS("#form-errors")))
		mustSee("Cần có tên.", "Cần có loại hình.")
		tb.done()
	})
}
