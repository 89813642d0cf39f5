package console

import (
	"context"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/hanoicreative/registry/internal/store/storetest"
)

// TestBrowserKeyboard does the console's main flows in Chromium with the
// keyboard only: Tab and Shift+Tab to move, Enter and Space to act, the
// arrow keys in the ward suggestions, the kind list and the map; no
// click and no value set by a script, only keys typed. It signs in,
// searches and filters the list, opens a record, registers one (the ward
// from the suggestions, a sector with Space, the location with the map's
// crosshair), sends it with an error, reaches the error from the list of
// errors, fixes it and saves, archives the record and restores it, each
// through its confirmation, and signs out. Every element the focus lands on must show
// it (an outline or a box shadow). BROWSERTEST_SCREENSHOTS=dir saves the
// map's crosshair.
func TestBrowserKeyboard(t *testing.T) {
	storetest.Engines(t, pg, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn, nil)
		ctx := context.Background()
		e.create("Xưởng gốm Bát Tràng", "artisan", []string{"crafts"}, "Bát Tràng")
		e.create("Nhà sách Tràng Tiền", "creative-space", []string{"publishing"}, "Hoàn Kiếm")

		tb := openTab(t, e)
		k := &keyboard{tab: tb, seen: map[string]bool{}}
		run := tb.run

		// Sign in. Headless, the window never has the system's focus, so
		// that a focus given by a script (not by a key) would match no
		// :focus rule: the tab acts as a focused window does.
		run(focusedWindow(), chromedp.EmulateViewport(1280, 900),
			chromedp.Navigate(e.url+"/console/language?lang=vi&next=%2Fconsole%2F"),
			chromedp.WaitVisible(chromedp.CSS("#email")))
		k.tabTo("#email")
		k.typeText(editorEmail)
		k.tabTo("#password")
		k.typeText(password)
		k.enter()
		run(chromedp.WaitVisible(chromedp.CSS("#by-sector")))

		// Search the list, then filter it by a sector with Space.
		k.tabTo(`nav a[href="/console/entities"]`)
		k.enter()
		run(chromedp.WaitVisible(chromedp.CSS("#q")))
		k.tabTo("#q")
		k.typeText("xưởng gốm")
		k.enter()
		tb.arrive("q=")
		tb.mustSee("Tìm thấy 1 hồ sơ", "Xưởng gốm Bát Tràng")
		k.tabTo("#sector-crafts")
		k.key(" ")
		if !k.js(`document.activeElement.checked`).(bool) {
			t.Error("Space did not tick the sector")
		}
		k.tabTo(`aside.filters button[type=submit]`)
		k.enter()
		tb.arrive("sector=crafts")
		tb.mustSee("Tìm thấy 1 hồ sơ", "Xưởng gốm Bát Tràng")

		// Open the record found.
		k.tabTo(`table a[href^="/console/entities/"]`)
		k.enter()
		run(chromedp.WaitVisible(chromedp.CSS("#history")))
		tb.mustSee("Xưởng gốm Bát Tràng", "Lịch sử")

		// Register a record.
		k.tabTo(`nav a[href="/console/entities/new"]`)
		k.enter()
		run(chromedp.WaitVisible(chromedp.CSS("#f-name")))
		k.tabTo("#f-name")
		k.typeText("Xưởng in lụa Hàng Gai")
		// The kind with the arrow keys, on the closed list.
		k.tabTo("#f-kind")
		for i := 0; k.value("#f-kind") != "artisan"; i++ {
			if i == 20 {
				t.Fatalf("the arrow keys did not reach the kind artisan (at %q)", k.value("#f-kind"))
			}
			k.key(kb.ArrowDown)
		}
		k.tabTo("#sector-crafts")
		k.key(" ")
		// Forward to the year, then back (Shift+Tab) to the email address,
		// typed wrong.
		k.tabTo("#f-founded_year")
		k.typeText("2015")
		k.tabBackTo("#f-contact-email")
		k.typeText("lan@@example")
		// The ward: typed without diacritics, the suggestion chosen with the
		// arrow key and Enter.
		k.tabTo("#f-address-ward")
		k.typeText("hoan kiem")
		run(chromedp.WaitVisible(chromedp.CSS(`#f-address-ward-list li[data-name="Hoàn Kiếm"]`)))
		k.key(kb.ArrowDown)
		if got := k.js(`(document.getElementById(document.activeElement.getAttribute("aria-activedescendant")) || {dataset: {}}).dataset.name || ""`); got != "Hoàn Kiếm" {
			t.Errorf("arrow down highlights %q", got)
		}
		k.enter()
		if got := k.value("#f-address-ward"); got != "Hoàn Kiếm" {
			t.Fatalf("arrow down and Enter put %q in the ward field", got)
		}

		// The map: its crosshair starts in the ward chosen; two small steps
		// (east, north) and a big one south and back, then Enter.
		k.tabTo("svg.wardmap")
		if k.js(`document.querySelector("svg.wardmap .wardmap-crosshair").getAttribute("visibility")`) != "visible" {
			t.Error("the focused map shows no crosshair")
		}
		startLat, startLon := k.crosshair("Hoàn Kiếm")
		k.key(kb.ArrowRight)
		k.key(kb.ArrowUp)
		k.key(kb.ArrowDown, chromedp.ModifierShift)
		k.key(kb.ArrowUp, chromedp.ModifierShift)
		lat, lon := k.crosshair("")
		if math.Abs(lat-startLat-0.002) > 2e-5 || math.Abs(lon-startLon-0.002) > 2e-5 {
			t.Errorf("the crosshair went from (%.5f, %.5f) to (%.5f, %.5f), want 0.002° north and east", startLat, startLon, lat, lon)
		}
		tb.Browser.Screenshot(t, "entity-form-map-keyboard")
		k.enter()
		fiveDecimals := regexp.MustCompile(`^\d{2,3}\.\d{5}$`)
		setLat, setLon := k.value("#f-location-lat"), k.value("#f-location-lon")
		if !fiveDecimals.MatchString(setLat) || !fiveDecimals.MatchString(setLon) || setLat != formatDeg(lat) || setLon != formatDeg(lon) {
			t.Errorf("Enter on the map set (%q, %q), the crosshair was at (%.5f, %.5f)", setLat, setLon, lat, lon)
		}
		mapWard := k.value("#f-address-ward")
		if said := k.js(`document.getElementById("map-ward").textContent`).(string); mapWard == "" || !strings.Contains(said, mapWard) || !strings.Contains(said, setLat) {
			t.Errorf("the map announces %q (the ward field holds %q)", said, mapWard)
		}

		// Send it: the list of errors takes the focus; its link leads into
		// the field, which is fixed; then save.
		k.tabTo("button.primary")
		k.enter()
		run(chromedp.WaitVisible(chromedp.CSS("#form-errors")))
		tb.waitFocus("#form-errors")
		k.checkFocus()
		k.tabTo(`#form-errors a[href="#f-contact-email"]`)
		k.enter()
		if id := k.js(`document.activeElement.id`); id != "f-contact-email" {
			t.Fatalf("the error's link put the focus on %q", id)
		}
		k.checkFocus()
		k.key("a", chromedp.ModifierCtrl)
		k.typeText("lan@example.vn")
		// On the way to Save, the map: its crosshair starts at the location
		// the form holds.
		k.tabTo("svg.wardmap")
		if again, _ := k.crosshair(mapWard); formatDeg(again) != setLat {
			t.Errorf("back on the map the crosshair is at latitude %.5f, the form holds %s", again, setLat)
		}
		k.tabTo("button.primary")
		k.enter()
		run(chromedp.WaitVisible(chromedp.CSS("#history")))
		saved, err := e.svc.Entity(ctx, "xuong-in-lua-hang-gai")
		if err != nil {
			t.Fatal(err)
		}
		if saved.Kind != "artisan" || len(saved.Sectors) != 1 || saved.Sectors[0] != "crafts" || saved.Contact.Email != "lan@example.vn" ||
			saved.FoundedYear == nil || *saved.FoundedYear != 2015 || saved.Address.Ward != mapWard || saved.Location == nil ||
			formatDeg(saved.Location.Lat) != setLat || formatDeg(saved.Location.Lon) != setLon {
			t.Errorf("saved %+v", saved)
		}

		// Archive it, through the confirmation.
		k.tabTo(`main a[href$="/archive"]`)
		k.enter()
		run(chromedp.WaitVisible(chromedp.CSS("section.confirm button.primary")))
		k.tabTo("section.confirm button.primary")
		k.enter()
		run(chromedp.WaitVisible(chromedp.CSS(`main a[href$="/restore"]`)))
		if now, _ := e.svc.Entity(ctx, saved.Slug); now.Status != "archived" {
			t.Errorf("after the confirmation the record is %q", now.Status)
		}

		// And restore it, through its confirmation too.
		k.tabTo(`main a[href$="/restore"]`)
		k.enter()
		run(chromedp.WaitVisible(chromedp.CSS("section.confirm button.primary")))
		k.tabTo("section.confirm button.primary")
		k.enter()
		run(chromedp.WaitVisible(chromedp.CSS(`main a[href$="/archive"]`)))
		if now, _ := e.svc.Entity(ctx, saved.Slug); now.Status != "active" {
			t.Errorf("after the second confirmation the record is %q", now.Status)
		}

		// Sign out.
		k.tabTo(`header form button[type=submit]`)
		k.enter()
		run(chromedp.WaitVisible(chromedp.CSS("#email")))
		tb.arrive("/console/login")

		tb.done()
	})
}

// focusedWindow makes the tab act as a window that has the system's focus.
func focusedWindow() chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetFocusEmulationEnabled, emulation.SetFocusEmulationEnabledParams{Enabled: true})
		return err
	})
}

// keyboard drives the tab with key events only and checks that every
// element the focus lands on shows it.
type keyboard struct {
	tab  *tab
	seen map[string]bool // elements already reported without a focus indicator
}

func (k *keyboard) js(expr string) any {
	k.tab.t.Helper()
	v, err := chromedp.Run(k.tab.Ctx, chromedp.Evaluate[any](expr))
	if err != nil {
		k.tab.t.Fatalf("%s: %v", expr, err)
	}
	return v
}

func (k *keyboard) value(sel string) string {
	k.tab.t.Helper()
	s, _ := k.js(`document.querySelector(` + quoteJS(sel) + `).value`).(string)
	return s
}

// key presses a key, with modifiers.
func (k *keyboard) key(key string, mods ...chromedp.Modifier) {
	k.tab.t.Helper()
	k.tab.run(chromedp.KeyEvent(key, chromedp.KeyModifiers(mods...)))
}

// typeText types text into the focused element, key by key.
func (k *keyboard) typeText(text string) {
	k.tab.t.Helper()
	k.tab.run(chromedp.KeyEvent(text))
}

func (k *keyboard) enter() {
	k.tab.t.Helper()
	k.tab.run(pressEnter())
}

// focusMissing describes the focused element when it shows no focus
// indicator, or an outline with less than WCAG's 3:1 contrast against the
// background around it (1.4.11), and is empty when it shows one or
// nothing has the focus.
const focusMissing = `(() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return "";
  const what = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.getAttribute("href") ? "[href=" + el.getAttribute("href") + "]" : "") +
    " " + (el.textContent || "").trim().slice(0, 40);
  const s = getComputedStyle(el);
  if (s.boxShadow && s.boxShadow !== "none") return "";
  if (s.outlineStyle === "none" || !(parseFloat(s.outlineWidth) > 0)) return what + ", which shows no focus indicator";
  const rgb = c => (c.match(/[\d.]+/g) || []).map(Number);
  const lum = c => { const f = v => { v /= 255; return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }; return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
  let bg = [255, 255, 255];
  for (let p = el.parentElement; p; p = p.parentElement) {
    const c = rgb(getComputedStyle(p).backgroundColor);
    if (c.length === 3 || (c.length === 4 && c[3] > 0)) { bg = c; break; }
  }
  const a = lum(rgb(s.outlineColor)), b = lum(bg);
  const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  return ratio >= 3 ? "" : what + ", whose outline " + s.outlineColor + " has a contrast of " + ratio.toFixed(2) + ":1 against " + bg.join(",");
})()`

// checkFocus fails the test when the focused element shows no focus
// indicator, or one too faint (once for each element).
func (k *keyboard) checkFocus() {
	k.tab.t.Helper()
	if what, _ := k.js(focusMissing).(string); what != "" && !k.seen[what] {
		k.seen[what] = true
		k.tab.t.Errorf("the focus is on %s", what)
	}
}

// tabTo presses Tab until the focus is on the element sel, checking at
// each stop that the focus is visible.
func (k *keyboard) tabTo(sel string) { k.tab.t.Helper(); k.move(sel) }

// tabBackTo is tabTo with Shift+Tab.
func (k *keyboard) tabBackTo(sel string) { k.tab.t.Helper(); k.move(sel, chromedp.ModifierShift) }

func (k *keyboard) move(sel string, mods ...chromedp.Modifier) {
	k.tab.t.Helper()
	for range 300 {
		k.key(kb.Tab, mods...)
		k.checkFocus()
		if k.js(`document.activeElement.matches(`+quoteJS(sel)+`)`) == true {
			return
		}
	}
	k.tab.t.Fatalf("300 presses of Tab did not reach %s (the focus is on %v)", sel, k.js(`document.activeElement.outerHTML.slice(0, 120)`))
}

// waitFocus waits until the element sel has the focus, as the page's
// script gives it once loaded, and fails the test if it does not get it.
func (tb *tab) waitFocus(sel string) {
	tb.t.Helper()
	expr := `document.activeElement.matches(` + quoteJS(sel) + `)`
	if _, err := chromedp.Run(tb.Ctx, chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(5*time.Second))); err != nil {
		got, _ := chromedp.Run(tb.Ctx, chromedp.Evaluate[string](`document.activeElement.outerHTML.slice(0, 120)`))
		tb.t.Errorf("%s did not take the focus (the focus is on %s): %v", sel, got, err)
	}
}

var announcedPoint = regexp.MustCompile(`\((-?\d+\.\d{5}), (-?\d+\.\d{5})\)`)

// crosshair reads where the map's live region says the crosshair is, and
// checks that it names ward when ward is not empty.
func (k *keyboard) crosshair(ward string) (lat, lon float64) {
	k.tab.t.Helper()
	said, _ := k.js(`document.getElementById("map-crosshair").textContent`).(string)
	m := announcedPoint.FindStringSubmatch(said)
	if m == nil || !strings.Contains(said, ward) {
		k.tab.t.Fatalf("the map announces %q about its crosshair, want a point in %q", said, ward)
	}
	lat, _ = strconv.ParseFloat(m[1], 64)
	lon, _ = strconv.ParseFloat(m[2], 64)
	return lat, lon
}
