package console

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/hanoicreative/registry/internal/store/storetest"
)

// TestBrowserImport uploads a spreadsheet in Chromium through the real
// server: a file with an error is listed by row and column, the fixed
// file's preview counts what would happen, and "Confirm" imports it.
// BROWSERTEST_SCREENSHOTS=dir saves the errors and the preview.
func TestBrowserImport(t *testing.T) {
	storetest.Engines(t, pg, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn, nil)
		e.create("Nhà sách Tràng Tiền", "creative-space", []string{"publishing"}, "Hoàn Kiếm")
		e.create("Gallery Tông Đản", "creative-space", []string{"visual-arts"}, "Hoàn Kiếm")
		dir := t.TempDir()
		bad, good := filepath.Join(dir, "ho-so-loi.csv"), filepath.Join(dir, "ho-so.csv")
		if err := os.WriteFile(bad, []byte(strings.Replace(importCSV, "artisan", "xuong", 1)), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(good, []byte(importCSV), 0o644); err != nil {
			t.Fatal(err)
		}

		tb := openTab(t, e)
		b, run, mustSee := tb.Browser, tb.run, tb.mustSee

		run(chromedp.EmulateViewport(1280, 900),
			chromedp.Navigate(e.url+"/console/language?lang=vi&next="+url.QueryEscape("/console/")),
			chromedp.WaitVisible(chromedp.CSS("#email")),
			typeKeys(chromedp.CSS("#email"), editorEmail),
			typeKeys(chromedp.CSS("#password"), password),
			chromedp.Click(chromedp.CSS("form.stack button[type=submit]")),
			chromedp.WaitVisible(chromedp.CSS(`nav a[href="/console/imports"]`)),
			chromedp.Click(chromedp.CSS(`nav a[href="/console/imports"]`)),
			chromedp.WaitVisible(chromedp.CSS("#import-file")))
		mustSee("Nhập hồ sơ từ tệp", "Tải tệp mẫu trống (CSV)")

		// A file with an unknown kind: its row and column, nothing to confirm.
		run(chromedp.SetUploadFiles(chromedp.CSS("#import-file"), []string{bad}),
			chromedp.Click(chromedp.CSS("form.upload button[type=submit]")),
			chromedp.WaitVisible(chromedp.CSS(".problem table")))
		mustSee("Không nhập được ho-so-loi.csv", "Dòng trong bảng tính", "4\tkind")
		b.Screenshot(t, "imports-errors")

		// The fixed file: the preview, then the import.
		run(chromedp.SetUploadFiles(chromedp.CSS("#import-file"), []string{good}),
			chromedp.Click(chromedp.CSS("form.upload button[type=submit]")),
			chromedp.WaitVisible(chromedp.CSS(".preview button[type=submit]")))
		mustSee("Xem trước ho-so.csv", "Tạo mới: 1", "Cập nhật: 1", "Giữ nguyên: 1")
		b.Screenshot(t, "imports-preview")
		if _, err := e.svc.Entity(context.Background(), "xuong-in-lua-hang-gai"); err == nil {
			t.Fatal("the preview imported")
		}
		run(chromedp.Click(chromedp.CSS(".preview button[type=submit]")),
			chromedp.WaitVisible(chromedp.CSS(".notice")))
		mustSee("Đã nhập ho-so.csv", "Đã tạo mới: 1", "Đã cập nhật: 1")
		if got, err := e.svc.Entity(context.Background(), "xuong-in-lua-hang-gai"); err != nil || got.Description != "In lụa thủ công." {
			t.Errorf("not imported: %+v %v", got, err)
		}

		tb.done()
	})
}
