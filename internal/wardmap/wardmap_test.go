package wardmap

import (
	"bytes"
	"compress/gzip"
	"encoding/xml"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"golang.org/x/text/language"

	"github.com/hanoicreative/registry/internal/wards"
)

// fixture is the ward index and the map built from it, shared by the
// tests because building takes a tenth of a second; neither changes.
type fixture struct {
	x   *wards.Index
	m   *Map
	err error
}

var load = sync.OnceValue(func() fixture {
	x, err := wards.Load()
	if err != nil {
		return fixture{err: err}
	}
	m, err := Build(x)
	return fixture{x: x, m: m, err: err}
})

func setup(tb testing.TB) (*wards.Index, *Map) {
	tb.Helper()
	f := load()
	if f.err != nil {
		tb.Fatal(f.err)
	}
	return f.x, f.m
}

func render(tb testing.TB, m *Map, o Options) []byte {
	tb.Helper()
	var b bytes.Buffer
	if err := m.WriteSVG(&b, o); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// roundingM is the most that rounding a vertex to whole units moves it.
const roundingM = MetresPerUnit * math.Sqrt2 / 2

// TestSizeBound holds the map to the console's budget of 300 KB, counted
// as the bytes of the <svg> element the browser receives (before any
// compression), in its largest form: Vietnamese titles, a highlighted ward
// and a marker.
func TestSizeBound(t *testing.T) {
	_, m := setup(t)
	const budget = 300_000
	for _, lang := range []language.Tag{language.Vietnamese, language.English} {
		svg := render(t, m, Options{Lang: lang, Label: "Bản đồ các phường, xã của Hà Nội",
			Highlight: "00070", Marker: &LatLon{21.0285, 105.8542}})
		var gz bytes.Buffer
		w := gzip.NewWriter(&gz)
		_, _ = w.Write(svg)
		_ = w.Close()
		t.Logf("%s: %d bytes, %d gzipped", lang, len(svg), gz.Len())
		if len(svg) > budget {
			t.Errorf("%s: the map is %d bytes, over the budget of %d", lang, len(svg), budget)
		}
	}
}

// svgDoc is the part of the SVG the tests read back with encoding/xml,
// which also proves the output is well-formed XML.
type svgDoc struct {
	XMLName    xml.Name `xml:"svg"`
	ID         string   `xml:"id,attr"`
	ViewBox    string   `xml:"viewBox,attr"`
	Role       string   `xml:"role,attr"`
	LabelledBy string   `xml:"aria-labelledby,attr"`
	OriginLat  string   `xml:"data-origin-lat,attr"`
	OriginLon  string   `xml:"data-origin-lon,attr"`
	ScaleX     string   `xml:"data-scale-x,attr"`
	ScaleY     string   `xml:"data-scale-y,attr"`
	Title      struct {
		ID   string `xml:"id,attr"`
		Text string `xml:",chardata"`
	} `xml:"title"`
	Group struct {
		Fill   string    `xml:"fill,attr"`
		Stroke string    `xml:"stroke,attr"`
		Paths  []svgPath `xml:"path"`
	} `xml:"g"`
	Marker *struct {
		CX    string `xml:"cx,attr"`
		CY    string `xml:"cy,attr"`
		Title string `xml:"title"`
	} `xml:"circle"`
}

type svgPath struct {
	Code    string `xml:"data-code,attr"`
	Name    string `xml:"data-name,attr"`
	Fill    string `xml:"fill,attr"`
	Current string `xml:"aria-current,attr"`
	D       string `xml:"d,attr"`
	Title   string `xml:"title"`
}

func parseSVG(t *testing.T, svg []byte) svgDoc {
	t.Helper()
	var doc svgDoc
	if err := xml.Unmarshal(svg, &doc); err != nil {
		t.Fatalf("the map is not well-formed XML: %v", err)
	}
	return doc
}

// TestEveryWardOnce checks that each of the 126 wards is drawn by exactly
// one <path> carrying its code, its name and a hover title, and nothing
// else is drawn.
func TestEveryWardOnce(t *testing.T) {
	x, m := setup(t)
	for _, lang := range []language.Tag{language.Vietnamese, language.English} {
		doc := parseSVG(t, render(t, m, Options{Lang: lang}))
		all := x.All()
		if len(all) != 126 {
			t.Fatalf("the index has %d wards, want 126", len(all))
		}
		if len(doc.Group.Paths) != len(all) {
			t.Errorf("%s: %d paths, want %d", lang, len(doc.Group.Paths), len(all))
		}
		seen := map[string]int{}
		for _, p := range doc.Group.Paths {
			seen[p.Code]++
			w, ok := x.ByCode(p.Code)
			if !ok {
				t.Errorf("path for unknown ward %q", p.Code)
				continue
			}
			want := w.FullName
			if lang == language.English {
				want = w.FullNameEn
			}
			if p.Name != w.Name || p.Title != want {
				t.Errorf("%s: ward %s drawn as name %q title %q, want %q and %q", lang, w.Code, p.Name, p.Title, w.Name, want)
			}
			if !strings.HasPrefix(p.D, "M") || !strings.HasSuffix(p.D, "z") {
				t.Errorf("ward %s: path data %.20q… is not closed rings", w.Code, p.D)
			}
		}
		for _, w := range all {
			if seen[w.Code] != 1 {
				t.Errorf("%s: ward %s (%s) drawn %d times, want once", lang, w.Code, w.Name, seen[w.Code])
			}
		}
	}
}

// TestPathDataMatchesRings decodes every path's d attribute, the way a
// browser reads it, and checks that it gives back the simplified rings.
func TestPathDataMatchesRings(t *testing.T) {
	_, m := setup(t)
	doc := parseSVG(t, render(t, m, Options{}))
	for i, p := range doc.Group.Paths {
		got := decodePath(t, p.D)
		var want [][][2]int
		for _, pg := range m.wards[i].polys {
			want = append(want, pg...)
		}
		if len(got) != len(want) {
			t.Fatalf("ward %s: %d rings in d, want %d", p.Code, len(got), len(want))
		}
		for j := range want {
			if len(got[j]) != len(want[j]) {
				t.Fatalf("ward %s ring %d: %d vertices in d, want %d", p.Code, j, len(got[j]), len(want[j]))
			}
			for k := range want[j] {
				if got[j][k] != want[j][k] {
					t.Fatalf("ward %s ring %d vertex %d: %v in d, want %v", p.Code, j, k, got[j][k], want[j][k])
				}
			}
		}
	}
}

// decodePath reads the subset of SVG path data that pathData writes:
// "M x y l dx dy dx dy … z", repeated.
func decodePath(t *testing.T, d string) [][][2]int {
	t.Helper()
	var rings [][][2]int
	for _, part := range strings.Split(strings.TrimSuffix(d, "z"), "z") {
		move, rel, ok := strings.Cut(strings.TrimPrefix(part, "M"), "l")
		if !ok {
			t.Fatalf("ring %q has no l command", part)
		}
		start := numbers(t, move)
		steps := numbers(t, rel)
		if len(start) != 2 || len(steps)%2 != 0 {
			t.Fatalf("ring %q: odd coordinates", part)
		}
		r := [][2]int{{start[0], start[1]}}
		for i := 0; i < len(steps); i += 2 {
			last := r[len(r)-1]
			r = append(r, [2]int{last[0] + steps[i], last[1] + steps[i+1]})
		}
		rings = append(rings, r)
	}
	return rings
}

// numbers splits "3-2 5 7" into 3, -2, 5, 7 as SVG does: a minus sign
// also starts a new number.
func numbers(t *testing.T, s string) []int {
	t.Helper()
	var out []int
	for _, f := range strings.Fields(strings.ReplaceAll(s, "-", " -")) {
		n, err := strconv.Atoi(f)
		if err != nil {
			t.Fatalf("bad number %q in path data", f)
		}
		out = append(out, n)
	}
	return out
}

// TestAccessible checks what a screen reader and a mouse user get: an
// image role named by the map's <title>, a hover title on every ward, and
// the label escaped as text.
func TestAccessible(t *testing.T) {
	_, m := setup(t)
	hostile := `<img src=x onerror=alert(1)> "Bản đồ"`
	svg := render(t, m, Options{ID: "picker", Label: hostile})
	if bytes.Contains(svg, []byte("<img")) {
		t.Error("the label was written as markup, not text")
	}
	doc := parseSVG(t, svg)
	if doc.Role != "img" || doc.ID != "picker" || doc.LabelledBy != "picker-title" || doc.Title.ID != "picker-title" {
		t.Errorf("svg role %q id %q aria-labelledby %q, title id %q", doc.Role, doc.ID, doc.LabelledBy, doc.Title.ID)
	}
	if doc.Title.Text != hostile {
		t.Errorf("title %q, want %q", doc.Title.Text, hostile)
	}
	for _, p := range doc.Group.Paths {
		if p.Title == "" {
			t.Errorf("ward %s has no title", p.Code)
		}
	}
	def := parseSVG(t, render(t, m, Options{}))
	if def.ID != "wardmap" || def.Title.Text != "Hà Nội" {
		t.Errorf("defaults: id %q title %q", def.ID, def.Title.Text)
	}
}

// TestHighlightAndMarker checks that the chosen ward is filled apart and
// marked aria-current, and that the marker is drawn where the point is, in
// the ward that internal/wards places it in.
func TestHighlightAndMarker(t *testing.T) {
	x, m := setup(t)
	pt := LatLon{21.0285, 105.8542}
	w, ok := x.Locate(pt.Lat, pt.Lon)
	if !ok {
		t.Fatal("the sample point is in no ward")
	}
	doc := parseSVG(t, render(t, m, Options{Highlight: w.Code, Marker: &pt}))
	current := 0
	for _, p := range doc.Group.Paths {
		if p.Current != "" || p.Fill != "" {
			current++
			if p.Code != w.Code || p.Current != "true" || p.Fill != HighlightColour {
				t.Errorf("ward %s: aria-current %q fill %q", p.Code, p.Current, p.Fill)
			}
		}
	}
	if current != 1 {
		t.Errorf("%d wards highlighted, want 1", current)
	}
	if doc.Marker == nil {
		t.Fatal("no marker")
	}
	cx, _ := strconv.ParseFloat(doc.Marker.CX, 64)
	cy, _ := strconv.ParseFloat(doc.Marker.CY, 64)
	lat, lon := m.LatLon(cx, cy)
	if d := metres(pt, LatLon{lat, lon}); d > MetresPerUnit {
		t.Errorf("marker drawn %.1f m from the point", d)
	}
	if !m.drawnContains(w.Code, cx, cy) {
		t.Errorf("the marker is not inside the drawn ward %s", w.Code)
	}
}

// metres is the distance between two nearby points.
func metres(a, b LatLon) float64 {
	dx := (a.Lon - b.Lon) * mPerDegLon * math.Cos(a.Lat*math.Pi/180)
	dy := (a.Lat - b.Lat) * mPerDegLat
	return math.Hypot(dx, dy)
}

// drawnContains reports whether SVG point (x, y) is inside the ward as
// drawn.
func (m *Map) drawnContains(code string, x, y float64) bool {
	for _, dw := range m.wards {
		if dw.ward.Code == code {
			return planar.MultiPolygonContains(dw.multiPolygon(), orb.Point{x, y})
		}
	}
	return false
}

func (dw drawnWard) multiPolygon() orb.MultiPolygon {
	mp := make(orb.MultiPolygon, 0, len(dw.polys))
	for _, pg := range dw.polys {
		opg := make(orb.Polygon, 0, len(pg))
		for _, r := range pg {
			or := make(orb.Ring, 0, len(r)+1)
			for _, v := range r {
				or = append(or, orb.Point{float64(v[0]), float64(v[1])})
			}
			opg = append(opg, append(or, or[0]))
		}
		mp = append(mp, opg)
	}
	return mp
}

// TestColourContrast holds the palette to WCAG 2.2 AA's 3:1 for graphical
// objects (success criterion 1.4.11) for every pair a person must tell
// apart.
func TestColourContrast(t *testing.T) {
	pairs := []struct{ what, a, b string }{
		{"border on a ward", BorderColour, FillColour},
		{"border on the highlighted ward", BorderColour, HighlightColour},
		{"border on a hovered ward", BorderColour, HoverColour},
		{"city edge on the page", BorderColour, PageColour},
		{"marker on a ward", MarkerColour, FillColour},
		{"marker on the highlighted ward", MarkerColour, HighlightColour},
		{"marker on a hovered ward", MarkerColour, HoverColour},
		{"marker outline", MarkerOutline, MarkerColour},
	}
	for _, p := range pairs {
		if r := contrast(t, p.a, p.b); r < 3 {
			t.Errorf("%s: %s on %s has contrast %.2f:1, want at least 3:1", p.what, p.a, p.b, r)
		} else {
			t.Logf("%s: %.2f:1", p.what, r)
		}
	}
	// The check itself: black on white is 21:1, a colour on itself 1:1.
	if r := contrast(t, "#000000", "#ffffff"); math.Abs(r-21) > 1e-9 {
		t.Errorf("black on white %.3f, want 21", r)
	}
}

// contrast is WCAG's contrast ratio of two "#rrggbb" colours.
func contrast(t *testing.T, a, b string) float64 {
	la, lb := luminance(t, a), luminance(t, b)
	return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
}

// luminance is WCAG's relative luminance of an sRGB colour.
func luminance(t *testing.T, hex string) float64 {
	t.Helper()
	v, err := strconv.ParseUint(strings.TrimPrefix(hex, "#"), 16, 32)
	if err != nil || len(hex) != 7 {
		t.Fatalf("colour %q is not #rrggbb", hex)
	}
	lin := func(c uint64) float64 {
		s := float64(c) / 255
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(v>>16&0xff) + 0.7152*lin(v>>8&0xff) + 0.0722*lin(v&0xff)
}

// TestClickRoundTrip checks the inverse mapping three ways: LatLon undoes
// XY; the browser's formula on the <svg>'s data attributes gives what
// LatLon gives; and a click anywhere on a drawn border (every vertex and
// every segment's midpoint) means a point within the simplification's
// tolerance (plus rounding) of that ward's true boundary.
func TestClickRoundTrip(t *testing.T) {
	x, m := setup(t)
	doc := parseSVG(t, render(t, m, Options{}))
	attr := func(s string) float64 {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatalf("data attribute %q: %v", s, err)
		}
		return f
	}
	originLat, originLon := attr(doc.OriginLat), attr(doc.OriginLon)
	scaleX, scaleY := attr(doc.ScaleX), attr(doc.ScaleY)
	w, h := m.Size()
	if doc.ViewBox != "0 0 "+strconv.Itoa(w)+" "+strconv.Itoa(h) {
		t.Errorf("viewBox %q, size %d×%d", doc.ViewBox, w, h)
	}

	minLon, minLat, maxLon, maxLat := x.BBox()
	rng := rand.New(rand.NewPCG(1, 2))
	for range 1000 {
		lat, lon := minLat+rng.Float64()*(maxLat-minLat), minLon+rng.Float64()*(maxLon-minLon)
		px, py := m.XY(lat, lon)
		if px < 0 || py < 0 || px > float64(w) || py > float64(h) {
			t.Fatalf("(%f, %f) drawn at (%f, %f), outside the viewBox", lat, lon, px, py)
		}
		gotLat, gotLon := m.LatLon(px, py)
		if math.Abs(gotLat-lat) > 1e-9 || math.Abs(gotLon-lon) > 1e-9 {
			t.Fatalf("LatLon(XY(%f, %f)) = (%f, %f)", lat, lon, gotLat, gotLon)
		}
		// What the console's script computes from the attributes.
		jsLat, jsLon := originLat-py/scaleY, originLon+px/scaleX
		if jsLat != gotLat || jsLon != gotLon {
			t.Fatalf("the script's (%v, %v) differs from LatLon's (%v, %v)", jsLat, jsLon, gotLat, gotLon)
		}
	}

	limit := ToleranceM + roundingM + 1 // 1 m for the projections' differences
	worst := 0.0
	for _, dw := range m.wards {
		orig := originalBoundary(t, x, m, dw.ward.Code)
		for _, pg := range dw.polys {
			for _, r := range pg {
				for k := range r {
					a, b := r[k], r[(k+1)%len(r)]
					for _, p := range []orb.Point{
						{float64(a[0]), float64(a[1])},
						{float64(a[0]+b[0]) / 2, float64(a[1]+b[1]) / 2},
					} {
						lat, lon := m.LatLon(p[0], p[1])
						q := orb.Point{lon, lat}
						d := planar.DistanceFrom(orig, projectPoint(m, q)) * MetresPerUnit
						worst = max(worst, d)
						if d > limit {
							t.Errorf("ward %s: a click at %v means a point %.1f m from its boundary, over %.1f m", dw.ward.Code, p, d, limit)
						}
					}
				}
			}
		}
	}
	t.Logf("a click on a drawn border is at most %.1f m from the true one (limit %.1f m)", worst, limit)
}

func projectPoint(m *Map, lonLat orb.Point) orb.Point {
	x, y := m.XY(lonLat[1], lonLat[0])
	return orb.Point{x, y}
}

// originalBoundary is the ward's unsimplified boundary in SVG units, as
// lines.
func originalBoundary(t *testing.T, x *wards.Index, m *Map, code string) orb.MultiLineString {
	t.Helper()
	raw, _ := x.Feature(code)
	mp, err := parseGeometry(raw)
	if err != nil {
		t.Fatal(err)
	}
	var out orb.MultiLineString
	for _, pg := range m.projectShape(mp) {
		for _, r := range pg {
			out = append(out, orb.LineString(r))
		}
	}
	return out
}
