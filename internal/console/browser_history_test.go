package console

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/hanoicreative/registry/internal/registry"
	"github.com/hanoicreative/registry/internal/store/storetest"
)

// TestBrowserHistory reads a record's history in Chromium, opens a past
// version, restores it after the confirmation, then archives and restores
// the record, each confirmed; every change names the account. No request
// leaves the machine. BROWSERTEST_SCREENSHOTS=dir saves the timeline and
// the restore's confirmation.
func TestBrowserHistory(t *testing.T) {
	storetest.Engines(t, pg, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn, nil)
		ent := e.create("Xưởng gốm Bát Tràng", "artisan", []string{"crafts"}, "Hoàn Kiếm")
		e.rename(ent.Slug, "Trần Văn Minh", "Xưởng gốm Bát Tràng Mới", "https://gom.example.vn")
		record := e.url + recordURL(ent.Slug)

		tb := openTab(t, e)
		b, run, body := tb.Browser, tb.run, tb.text
		tb.signIn(editorEmail, recordURL(ent.Slug), "ol.timeline")
		if text := body(); !strings.Contains(text, "Trần Văn Minh") || !strings.Contains(text, "Xưởng gốm Bát Tràng Mới") {
			t.Errorf("the timeline shows no change by Trần Văn Minh:\n%s", text)
		}
		b.Screenshot(t, "entity-history")

		// The past version, then its restore, confirmed.
		run(chromedp.Click(chromedp.CSS(`a[href$="/versions/1"]`)),
			chromedp.WaitVisible(chromedp.CSS(".past")),
			chromedp.Click(chromedp.CSS(`a[href$="/versions/1/restore"]`)),
			chromedp.WaitVisible(chromedp.CSS("form.stack button.primary")))
		b.Screenshot(t, "entity-restore-confirm")
		run(chromedp.Click(chromedp.CSS("form.stack button.primary")), chromedp.WaitVisible(chromedp.CSS("ol.timeline")))
		got := e.entity(ent.Slug)
		if got.Version != 3 || got.Name != "Xưởng gốm Bát Tràng" || e.lastRevision(ent.Slug).Actor != "Nguyễn Thị Lan" {
			t.Errorf("after restoring version 1: version %d, %q by %q", got.Version, got.Name, e.lastRevision(ent.Slug).Actor)
		}

		// Archive, then restore, each confirmed.
		run(chromedp.Navigate(record), chromedp.WaitVisible(chromedp.CSS(`a[href$="/archive"]`)),
			chromedp.Click(chromedp.CSS(`a[href$="/archive"]`)),
			chromedp.WaitVisible(chromedp.CSS("form.stack button.primary")),
			chromedp.Click(chromedp.CSS("form.stack button.primary")),
			chromedp.WaitVisible(chromedp.CSS(`a[href$="/restore"]`)))
		if got := e.entity(ent.Slug); got.Status != registry.StatusArchived {
			t.Errorf("after archiving: %s", got.Status)
		}
		run(chromedp.Click(chromedp.CSS(`a[href$="/restore"]`)),
			chromedp.WaitVisible(chromedp.CSS("form.stack button.primary")),
			chromedp.Click(chromedp.CSS("form.stack button.primary")),
			chromedp.WaitVisible(chromedp.CSS(`a[href$="/archive"]`)))
		if got, rev := e.entity(ent.Slug), e.lastRevision(ent.Slug); got.Status != registry.StatusActive || rev.Actor != "Nguyễn Thị Lan" {
			t.Errorf("after restoring: %s by %q", got.Status, rev.Actor)
		}
		tb.done()
	})
}
