package wardmap

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/hanoicreative/registry/internal/browsertest"
)

// clickJS is what the console's script does with a click: the formula in
// the package comment. It runs from a file, as the console's
// Content-Security-Policy (no inline scripts) requires, and also records
// any policy violation, so the test sees that the map needs no inline
// style or script.
const clickJS = `
window.violations = [];
document.addEventListener('securitypolicyviolation', e => window.violations.push(e.violatedDirective));
document.addEventListener('DOMContentLoaded', () => {
  const svg = document.getElementById('wardmap');
  svg.addEventListener('click', ev => {
    const p = new DOMPoint(ev.clientX, ev.clientY).matrixTransform(svg.getScreenCTM().inverse());
    const lat = parseFloat(svg.dataset.originLat) - p.y / parseFloat(svg.dataset.scaleY);
    const lon = parseFloat(svg.dataset.originLon) + p.x / parseFloat(svg.dataset.scaleX);
    const under = document.elementFromPoint(ev.clientX, ev.clientY);
    svg.dataset.clicked = lat + ',' + lon + ',' + (under.closest('path') ? under.closest('path').dataset.code : '');
  });
});
// toClient is the other way: where SVG point (x, y) is on the screen.
window.toClient = (x, y) => {
  const p = new DOMPoint(x, y).matrixTransform(document.getElementById('wardmap').getScreenCTM());
  return [p.x, p.y];
};`

// TestBrowserClick draws the map in Chromium under a strict
// Content-Security-Policy and clicks inside wards: the script's formula must
// give back the point clicked, internal/wards must place it in the ward
// aimed at, and the <path> under the pointer must be that ward's.
func TestBrowserClick(t *testing.T) {
	x, m := setup(t)
	svg := render(t, m, Options{Label: "Hà Nội"})
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>map</title>`+
			`<script src="/click.js"></script></head><body><div id="box">%s</div></body></html>`, svg)
	})
	mux.HandleFunc("/click.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		_, _ = w.Write([]byte(clickJS))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	b := browsertest.Start(t, 2*time.Minute)
	if err := chromedp.Do(b.Ctx,
		chromedp.EmulateViewport(900, 1100),
		chromedp.Navigate(srv.URL),
		chromedp.WaitVisible("#wardmap path"),
	); err != nil {
		t.Fatal(err)
	}

	// A pixel of the map on this screen, in metres: the precision a click
	// can have.
	width, err := chromedp.Run(b.Ctx, chromedp.Evaluate[float64](`document.getElementById('wardmap').getBoundingClientRect().width`))
	if err != nil {
		t.Fatal(err)
	}
	w, _ := m.Size()
	pixelM := float64(w) / width * MetresPerUnit
	t.Logf("the map is %.0f px wide: one pixel is %.0f m", width, pixelM)

	rng := rand.New(rand.NewPCG(9, 10))
	all := x.All()
	for _, i := range []int{0, 10, 25, 60, 100, 125} {
		ward := all[i]
		// A point well inside the ward, so that a pixel's rounding cannot
		// cross a border.
		minLon, minLat, maxLon, maxLat, _ := x.Bounds(ward.Code)
		orig := originalBoundary(t, x, m, ward.Code)
		var lat, lon float64
		for tries := 0; ; tries++ {
			if tries == 100_000 {
				t.Fatalf("no point deep inside ward %s", ward.Code)
			}
			lat, lon = minLat+rng.Float64()*(maxLat-minLat), minLon+rng.Float64()*(maxLon-minLon)
			w, ok := x.Locate(lat, lon)
			if ok && w.Code == ward.Code && planar.DistanceFrom(orig, projectPoint(m, orb.Point{lon, lat}))*MetresPerUnit > 4*pixelM {
				break
			}
		}
		sx, sy := m.XY(lat, lon)
		client, err := chromedp.Run(b.Ctx, chromedp.Evaluate[[]float64](fmt.Sprintf(`toClient(%f, %f)`, sx, sy)))
		if err != nil {
			t.Fatal(err)
		}
		if err := chromedp.Do(b.Ctx, chromedp.MouseClickXY(client[0], client[1])); err != nil {
			t.Fatal(err)
		}
		clicked, err := chromedp.Run(b.Ctx, chromedp.Evaluate[string](`document.getElementById('wardmap').dataset.clicked || ''`))
		if err != nil {
			t.Fatal(err)
		}
		parts := strings.Split(clicked, ",")
		if len(parts) != 3 {
			t.Fatalf("ward %s: the click handler wrote %q", ward.Code, clicked)
		}
		gotLat, _ := strconv.ParseFloat(parts[0], 64)
		gotLon, _ := strconv.ParseFloat(parts[1], 64)
		if d := metres(LatLon{lat, lon}, LatLon{gotLat, gotLon}); d > 2*pixelM {
			t.Errorf("ward %s: clicked (%.5f, %.5f), the script says (%.5f, %.5f), %.0f m away", ward.Code, lat, lon, gotLat, gotLon, d)
		}
		if got, ok := x.Locate(gotLat, gotLon); !ok || got.Code != ward.Code {
			t.Errorf("a click inside %s (%s) is placed in %q", ward.Code, ward.Name, got.Code)
		}
		if parts[2] != ward.Code {
			t.Errorf("a click inside %s (%s) landed on the path of %q", ward.Code, ward.Name, parts[2])
		}
	}
	violations, err := chromedp.Run(b.Ctx, chromedp.Evaluate[[]string](`window.violations`))
	if err != nil {
		t.Fatal(err)
	}
	if len(violations) > 0 {
		t.Errorf("the page broke its Content-Security-Policy: %v", violations)
	}
	b.OnlyHost(t, srv.URL)
	b.Screenshot(t, "wardmap")
}
