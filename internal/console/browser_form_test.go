package console

import (
	"context"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/hanoicreative/registry/internal/auth"
	"github.com/hanoicreative/registry/internal/store/storetest"
)

// TestBrowserForm fills the entity form in Chromium as a member of staff
// would: a save with invalid fields shows each error beside its field,
// the fixed form saves; the ward field suggests Hoàn Kiếm for "hoan kiem";
// a click on the map fills the latitude and longitude and names the ward;
// an edit while a colleague saves through the JSON API, over HTTP with
// their editor key and If-Match, saves nothing and shows their change,
// and the merged form saves. No request leaves the machine.
// BROWSERTEST_SCREENSHOTS=dir saves the form with its errors and the
// conflict view.
func TestBrowserForm(t *testing.T) {
	storetest.Engines(t, pg, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn, nil)
		ctx := context.Background()
		ent := e.create("Nhà sách Tràng Tiền", "creative-space", []string{"publishing"}, "Hoàn Kiếm")

		tb := openTab(t, e)
		b, run := tb.Browser, tb.run
		js := func(expr string) string {
			t.Helper()
			s, err := chromedp.Run(b.Ctx, chromedp.Evaluate[string](expr))
			if err != nil {
				t.Fatalf("%s: %v", expr, err)
			}
			return s
		}
		attr := func(sel, name string) string {
			t.Helper()
			return js(`(document.querySelector(` + quoteJS(sel) + `) || {getAttribute(){return "(none)"}}).getAttribute("` + name + `") || ""`)
		}
		value := func(sel string) string { t.Helper(); return js(`document.querySelector(` + quoteJS(sel) + `).value`) }
		retype := func(sel, text string) chromedp.Action[chromedp.Void] {
			return chromedp.Steps(chromedp.Evaluate[chromedp.Void](`void (document.querySelector(`+quoteJS(sel)+`).value = "")`), typeKeys(chromedp.CSS(sel), text))
		}
		body := func() string { t.Helper(); return js(`document.body.innerText`) }

		// Sign in on the way to the form, in Vietnamese.
		tb.signIn(editorEmail, "/console/entities/new", "#f-name")

		// Invalid fields: every error at once, beside its field, typed values kept.
		run(typeKeys(chromedp.CSS("#f-contact-email"), "lan@@example"),
			typeKeys(chromedp.CSS("#f-founded_year"), "năm ngoái"),
			chromedp.Click(chromedp.CSS("button.primary")),
			chromedp.WaitVisible(chromedp.CSS("#form-errors")))
		for _, id := range []string{"f-name", "f-kind", "f-sectors", "f-contact-email", "f-founded_year"} {
			if attr("#"+id, "aria-invalid") != "true" {
				t.Errorf("#%s is not marked invalid", id)
			}
			described := attr("#"+id, "aria-describedby")
			if msg := js(`(document.getElementById("` + described + `") || {}).textContent || ""`); described == "" || msg == "" {
				t.Errorf("#%s names no message (%q)", id, described)
			}
		}
		if got := value("#f-contact-email"); got != "lan@@example" {
			t.Errorf("the email became %q", got)
		}
		if !strings.Contains(body(), "Năm phải là số nguyên") {
			t.Error("the year's error is not shown in Vietnamese")
		}
		b.Screenshot(t, "entity-form-errors")

		// Fix them; the ward from the suggestions, typed without diacritics.
		run(retype("#f-name", "Xưởng in lụa Hàng Gai"),
			chromedp.SetValue(chromedp.CSS("#f-kind"), "artisan"),
			chromedp.Click(chromedp.CSS("#sector-crafts")),
			retype("#f-contact-email", "lan@example.vn"),
			retype("#f-founded_year", "2015"),
			// With the keyboard: the first suggestion for "ba dinh".
			typeKeys(chromedp.CSS("#f-address-ward"), "ba dinh"),
			chromedp.WaitVisible(chromedp.CSS(`#f-address-ward-list li[data-name="Ba Đình"]`)),
			chromedp.KeyEvent(kb.ArrowDown), pressEnter())
		if got := value("#f-address-ward"); got != "Ba Đình" {
			t.Errorf("arrow down and Enter put %q in the ward field, want Ba Đình", got)
		}
		run(retype("#f-address-ward", "hoan kiem"),
			chromedp.WaitVisible(chromedp.CSS(`#f-address-ward-list li[data-name="Hoàn Kiếm"]`)))
		if attr("#f-address-ward", "aria-expanded") != "true" {
			t.Error("the ward field does not say its list is open")
		}
		b.Screenshot(t, "entity-form-ward-suggestions")
		run(chromedp.Click(chromedp.CSS(`#f-address-ward-list li[data-name="Hoàn Kiếm"]`)))
		if got := value("#f-address-ward"); got != "Hoàn Kiếm" {
			t.Fatalf("the ward field holds %q after picking Hoàn Kiếm", got)
		}

		// A click on the map, in Hoàn Kiếm: the location and the ward.
		run(chromedp.ScrollIntoView(chromedp.CSS(`svg.wardmap path[data-name="Hoàn Kiếm"]`)),
			chromedp.Click(chromedp.CSS(`svg.wardmap path[data-name="Hoàn Kiếm"]`)))
		lat, lon := value("#f-location-lat"), value("#f-location-lon")
		fiveDecimals := regexp.MustCompile(`^\d{2,3}\.\d{5}$`)
		if !fiveDecimals.MatchString(lat) || !fiveDecimals.MatchString(lon) || !strings.HasPrefix(lat, "21.0") || !strings.HasPrefix(lon, "105.8") {
			t.Errorf("the map set (%q, %q)", lat, lon)
		}
		if said := js(`document.getElementById("map-ward").textContent`); !strings.Contains(said, "Hoàn Kiếm") {
			t.Errorf("the map says %q", said)
		}
		b.Screenshot(t, "entity-form-map")
		// Usable on a 360 px wide phone: nothing wider than the screen.
		run(chromedp.EmulateViewport(360, 740))
		if width, err := chromedp.Run(b.Ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); err != nil || width > 360 {
			t.Errorf("at 360 px the form is %d px wide (%v)", width, err)
		}
		run(chromedp.EmulateViewport(1280, 900))
		run(chromedp.Click(chromedp.CSS("button.primary")), chromedp.WaitVisible(chromedp.CSS("#history")))
		saved, err := e.svc.Entity(ctx, "xuong-in-lua-hang-gai")
		if err != nil {
			t.Fatal(err)
		}
		if saved.Address.Ward != "Hoàn Kiếm" || saved.Location == nil || strings.TrimRight(lat, "0") != strings.TrimRight(formatDeg(saved.Location.Lat), "0") {
			t.Errorf("saved %+v, the map said %s, %s", saved, lat, lon)
		}

		// A colleague saves through the JSON API, with their editor key,
		// while the form is open.
		run(chromedp.Navigate(e.url+"/console/entities/"+ent.Slug+"/edit"), chromedp.WaitVisible(chromedp.CSS("#f-name")))
		colleague := e.apiClient("Phạm Quốc Huy", auth.Editor)
		read := colleague.do(t, "GET", "/v1/entities/"+ent.Slug, "")
		if read.status != http.StatusOK || read.header.Get("ETag") != `"1"` {
			t.Fatalf("the colleague read %d %q: %s", read.status, read.header.Get("ETag"), read.body)
		}
		patched := colleague.do(t, "PATCH", "/v1/entities/"+ent.Slug,
			`{"description": "Hiệu sách lâu đời nhất phố Tràng Tiền.", "contact": {"phone": "024 3826 1234"}}`,
			"If-Match", read.header.Get("ETag"), "Content-Type", "application/merge-patch+json")
		if patched.status != http.StatusOK || patched.header.Get("ETag") != `"2"` {
			t.Fatalf("the colleague's PATCH: %d %q: %s", patched.status, patched.header.Get("ETag"), patched.body)
		}
		run(retype("#f-name", "Nhà sách Tràng Tiền (cơ sở 1)"),
			retype("#f-description", "Hiệu sách của Nhà xuất bản."),
			chromedp.Click(chromedp.CSS("button.primary")),
			chromedp.WaitVisible(chromedp.CSS("section.conflict")))
		for _, want := range []string{"Phạm Quốc Huy", "Hiệu sách lâu đời nhất phố Tràng Tiền.", "Hiệu sách của Nhà xuất bản.", "+84 24 3826 1234"} {
			if !strings.Contains(body(), want) {
				t.Errorf("the conflict view does not show %q", want)
			}
		}
		tb.waitFocus("section.conflict")
		if now, _ := e.svc.Entity(ctx, ent.Slug); now.Version != 2 {
			t.Fatalf("the stale save changed the record: %+v", now)
		}
		b.Screenshot(t, "entity-form-conflict")
		// Merge: both descriptions in one, the colleague's phone kept.
		run(retype("#f-description", "Hiệu sách lâu đời nhất phố Tràng Tiền, của Nhà xuất bản."),
			chromedp.Click(chromedp.CSS("button.primary")),
			chromedp.WaitVisible(chromedp.CSS("#history")))
		now, _ := e.svc.Entity(ctx, ent.Slug)
		if now.Version != 3 || now.Contact.Phone != "+84 24 3826 1234" || now.Name != "Nhà sách Tràng Tiền (cơ sở 1)" ||
			now.Description != "Hiệu sách lâu đời nhất phố Tràng Tiền, của Nhà xuất bản." {
			t.Errorf("merged and saved %+v", now)
		}

		tb.done()
	})
}

// pressEnter presses Enter as a keyboard does: one keyDown that carries
// its text, so that the page's preventDefault stops the form's implicit
// submission (chromedp.KeyEvent sends the text as a separate event,
// which no keydown handler can cancel).
func pressEnter() chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		down := input.DispatchKeyEventParams{Type: input.DispatchKeyEventTypeKeyDown, Key: "Enter", Code: "Enter", WindowsVirtualKeyCode: 13, Text: "\r"}
		if _, err := cdp.Call(ctx, t, input.DispatchKeyEvent, down); err != nil {
			return err
		}
		up := input.DispatchKeyEventParams{Type: input.DispatchKeyEventTypeKeyUp, Key: "Enter", Code: "Enter", WindowsVirtualKeyCode: 13}
		_, err := cdp.Call(ctx, t, input.DispatchKeyEvent, up)
		return err
	})
}

func quoteJS(s string) string {
	return "'" + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), "'", `\'`) + "'"
}

func formatDeg(f float64) string { return strconv.FormatFloat(f, 'f', 5, 64) }
