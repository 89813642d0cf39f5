package console

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/hanoicreative/registry/internal/registry"
	"github.com/hanoicreative/registry/internal/store/storetest"
)

// TestBrowserExport follows the list's export links in Chromium, signed
// in, on the list of archived records: each answers its file, with the
// archived record in it.
func TestBrowserExport(t *testing.T) {
	storetest.Engines(t, pg, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn, nil)
		ctx := context.Background()
		e.create("Xưởng gốm Bát Tràng", "artisan", []string{"crafts"}, "Bát Tràng")
		old, err := e.svc.CreateEntity(ctx, "test", registry.EntityDraft{Name: "Xưởng sơn mài cũ", Kind: "artisan",
			Sectors: []string{"crafts"}, Ward: "Hoàn Kiếm", Location: &registry.Location{Lat: 21.0287, Lon: 105.8524}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.ArchiveEntity(ctx, "test", old.Slug, registry.Precondition{Any: true}); err != nil {
			t.Fatal(err)
		}

		tb := openTab(t, e)
		tb.signIn(editorEmail, "/console/entities?status=archived", ".exports")
		tb.mustSee("Tìm thấy 1 hồ sơ", old.Name, "Xuất các hồ sơ này:")
		type answer struct {
			Href, Type, Disposition, Body string
			Status                        int
		}
		// The page's own links, fetched as the page would (its cookie, its
		// Content-Security-Policy).
		files, err := chromedp.Run(tb.Ctx, chromedp.Evaluate[[]answer](`Promise.all([...document.querySelectorAll('.exports a')].map(a =>
			fetch(a.href).then(async r => ({href: a.getAttribute('href'), status: r.status, type: r.headers.get('content-type'),
				disposition: r.headers.get('content-disposition'), body: await r.text()}))))`, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"text/csv; charset=utf-8", "text/csv; charset=utf-8", "application/geo+json"}
		if len(files) != len(want) {
			t.Fatalf("%d export links, want %d: %+v", len(files), len(want), files)
		}
		for i, f := range files {
			if f.Status != 200 || f.Type != want[i] || !strings.HasPrefix(f.Disposition, `attachment; filename="hanoi-creative-registry-`) ||
				!strings.Contains(f.Href, "status=archived") || !strings.Contains(f.Body, old.Slug) || strings.Contains(f.Body, "xuong-gom-bat-trang") {
				t.Errorf("%s: %d %s %s:\n%s", f.Href, f.Status, f.Type, f.Disposition, f.Body)
			}
		}
		tb.done()
	})
}
