package wards_test

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"golang.org/x/text/unicode/norm"

	"github.com/hanoicreative/registry/internal/fold"
	"github.com/hanoicreative/registry/internal/wards"
)

// load parses the embedded data once for the whole test binary; each test
// parsing 2.7 MB of GeoJSON again would only slow the suite down.
var load = sync.OnceValues(wards.Load)

func index(tb testing.TB) *wards.Index {
	tb.Helper()
	x, err := load()
	if err != nil {
		tb.Fatal(err)
	}
	return x
}

func TestLoad(t *testing.T) {
	x := index(t)
	all := x.All()
	if len(all) != 126 {
		t.Fatalf("got %d wards, want 126", len(all))
	}
	kinds := map[string]int{}
	for i, w := range all {
		if i > 0 && all[i-1].Code >= w.Code {
			t.Errorf("wards out of file order at %s", w.Code)
		}
		if got, ok := x.ByCode(w.Code); !ok || got != w {
			t.Errorf("ByCode(%q) = %+v, %v", w.Code, got, ok)
		}
		kinds[strings.Fields(w.FullName)[0]]++
	}
	if kinds["Phường"] != 51 || kinds["Xã"] != 75 {
		t.Errorf("got %v, want 51 Phường and 75 Xã", kinds)
	}
	all[0].Name = "changed"
	if x.All()[0].Name == "changed" {
		t.Error("All returns the index's own slice")
	}
	if _, ok := x.ByCode("99999"); ok {
		t.Error("ByCode found an unknown code")
	}
}

func TestResolve(t *testing.T) {
	x := index(t)
	nfd := norm.NFD.String("Hoàn Kiếm")
	if nfd == "Hoàn Kiếm" {
		t.Fatal("test input is not decomposed")
	}
	cases := []struct{ in, want string }{
		{"00070", "00070"},
		{"Hoàn Kiếm", "00070"},
		{"hoan kiem", "00070"},
		{"HOAN KIEM", "00070"},
		{"HOÀN KIẾM", "00070"},
		{"  Hoàn \t Kiếm\n", "00070"},
		{"Phường Hoàn Kiếm", "00070"},
		{"phuong hoan kiem", "00070"},
		{"Hoan Kiem", "00070"},
		{"Hoan Kiem Ward", "00070"},
		{"hoan_kiem", "00070"},
		{nfd, "00070"},
		{norm.NFD.String("Phường Hoàn Kiếm"), "00070"},
		{"Ba Đình", "00004"},
		{"BA ĐÌNH", "00004"},
		{"ba dinh", "00004"},
		{"Định Công", "00316"},
		{"Xã Đa Phúc", "00430"},
		{"xa da phuc", "00430"},
		{"Da Phuc Commune", "00430"},
		{"P. Hoàn Kiếm", "00070"},
		{"P.Hoàn Kiếm", "00070"},
		{"p hoan kiem", "00070"},
		{"X. Đa Phúc", "00430"},
		{"x.da phuc", "00430"},
		{"Văn Miếu - Quốc Tử Giám", "00226"},
		{"Văn Miếu Quốc Tử Giám", "00226"},
		{"van mieu quoc tu giam", "00226"},
		{"Phường Văn Miếu Quốc Tử Giám", "00226"},
		{"P. Văn Miếu Quốc Tử Giám", "00226"},
		{"X. Hoàn Kiếm", ""},
		{"P.", ""},
		{" 00430 ", "00430"},
		{"", ""},
		{"   ", ""},
		{"00000", ""},
		{"70", ""},
		{"hoan", ""},
		{"Quận Hoàn Kiếm", ""},
		{"Xã Hoàn Kiếm", ""},
		{"hoan-kiem", ""},
		{"Hà Nội", ""},
	}
	for _, c := range cases {
		w, ok := x.Resolve(c.in)
		if ok != (c.want != "") || w.Code != c.want {
			t.Errorf("Resolve(%q) = %q, %v; want %q", c.in, w.Code, ok, c.want)
		}
	}
}

// Every spelling of every ward resolves to it, whatever the case or
// Unicode form.
func TestResolveEveryWard(t *testing.T) {
	x := index(t)
	for _, w := range x.All() {
		for _, s := range []string{
			w.Code, w.Name, w.NameEn, w.FullName, w.FullNameEn, w.CodeName,
			fold.String(w.Name), strings.ToUpper(w.FullName), norm.NFD.String(w.FullName),
		} {
			if got, ok := x.Resolve(s); !ok || got != w {
				t.Errorf("Resolve(%q) = %q, %v; want %s", s, got.Code, ok, w.Code)
			}
		}
	}
}

func TestLocateLandmarks(t *testing.T) {
	x := index(t)
	const lat, lon = 21.0287, 105.8524 // Hoàn Kiếm lake
	w, ok := x.Locate(lat, lon)
	if !ok || w.Name != "Hoàn Kiếm" {
		t.Errorf("Hoàn Kiếm lake located in %q, %v", w.Name, ok)
	}
	if d, ok := x.DistanceM(w.Code, lat, lon); !ok || d != 0 {
		t.Errorf("DistanceM inside = %v, %v; want 0", d, ok)
	}
	if !x.InBBox(lat, lon) {
		t.Error("Hoàn Kiếm lake not in the bbox")
	}

	const hcmLat, hcmLon = 10.77, 106.70 // Hồ Chí Minh City
	if w, ok := x.Locate(hcmLat, hcmLon); ok {
		t.Errorf("Hồ Chí Minh City located in %q", w.Name)
	}
	if x.InBBox(hcmLat, hcmLon) {
		t.Error("Hồ Chí Minh City in the bbox")
	}
	if w, _, ok := x.Nearest(hcmLat, hcmLon, 100); ok {
		t.Errorf("Nearest found %q for Hồ Chí Minh City", w.Name)
	}
	if d, ok := x.DistanceM("00070", hcmLat, hcmLon); !ok || d < 1_000_000 {
		t.Errorf("DistanceM from Hồ Chí Minh City to Hoàn Kiếm = %v, %v", d, ok)
	}
	if _, ok := x.DistanceM("99999", lat, lon); ok {
		t.Error("DistanceM accepted an unknown code")
	}
	if _, ok := x.Locate(math.NaN(), lon); ok {
		t.Error("Locate accepted NaN")
	}
}

// For every ward, a point well inside it (found by the test's own geometry,
// not the package's) is located in that ward, at distance 0.
func TestLocateEveryWard(t *testing.T) {
	x := index(t)
	g := geometries(t, x)
	for _, w := range x.All() {
		lat, lon, clearance := interiorPoint(g[w.Code])
		if clearance < 1 {
			t.Errorf("%s: no interior point found", w.Code)
			continue
		}
		if got, ok := x.Locate(lat, lon); !ok || got.Code != w.Code {
			t.Errorf("%s: (%v, %v) located in %q, %v", w.Code, lat, lon, got.Code, ok)
		}
		if d, ok := x.DistanceM(w.Code, lat, lon); !ok || d != 0 {
			t.Errorf("%s: DistanceM inside = %v, %v", w.Code, d, ok)
		}
		if got, d, ok := x.Nearest(lat, lon, 100); !ok || got.Code != w.Code || d != 0 {
			t.Errorf("%s: Nearest inside = %q, %v, %v", w.Code, got.Code, d, ok)
		}
		if !x.InBBox(lat, lon) {
			t.Errorf("%s: interior point outside the bbox", w.Code)
		}
	}
}

// Points about 50 m outside Hà Nội: for each ward, take its vertex farthest
// from the centre of the province's bbox and move it 50 m further out,
// along the line from the centre. Every vertex of that ward lies within the
// vertex's radius, so the ward is at least (and, through the vertex, at
// most) 50 m away. Only points that the test's own geometry puts outside
// every ward and more than 20 m from all of them are used.
func TestOutside50m(t *testing.T) {
	x := index(t)
	g := geometries(t, x)
	minLon, minLat, maxLon, maxLat := x.BBox()
	cLat, cLon := (minLat+maxLat)/2, (minLon+maxLon)/2
	kx, ky := math.Cos(cLat*math.Pi/180)*111320, 110574.0

	used := 0
	for _, w := range x.All() {
		var far [2]float64
		farR := -1.0
		for _, pg := range g[w.Code] {
			for _, q := range pg[0] {
				if r := math.Hypot((q[0]-cLon)*kx, (q[1]-cLat)*ky); r > farR {
					far, farR = q, r
				}
			}
		}
		s := (farR + 50) / farR
		lon := cLon + (far[0]-cLon)*s
		lat := cLat + (far[1]-cLat)*s

		if insideAny(g, lat, lon) {
			continue
		}
		nearestCode, nearestD := bruteNearest(g, lat, lon)
		if nearestD < 20 {
			continue
		}
		used++

		if got, ok := x.Locate(lat, lon); ok {
			t.Errorf("%s: point outside every ward located in %s", w.Code, got.Code)
		}
		d, ok := x.DistanceM(w.Code, lat, lon)
		if !ok || math.Abs(d-50) > 10 {
			t.Errorf("%s: DistanceM = %v, %v; want 50 ± 10", w.Code, d, ok)
		}
		got, nd, ok := x.Nearest(lat, lon, 100)
		if !ok || math.Abs(nd-nearestD) > 0.01 || nd > d+1e-9 {
			t.Errorf("%s: Nearest(100) = %s, %v, %v; want %s, %v", w.Code, got.Code, nd, ok, nearestCode, nearestD)
		}
		if got, d10, ok := x.Nearest(lat, lon, 10); ok {
			t.Errorf("%s: Nearest(10) found %s at %v m", w.Code, got.Code, d10)
		}
	}
	if used < 10 {
		t.Errorf("only %d usable points 50 m outside; want at least 10", used)
	}
	t.Logf("%d points 50 m outside checked", used)
}

// Random points agree with the exhaustive search: Locate with LocateNaive
// and the test's own geometry, Nearest with a brute-force distance.
func TestAgainstBruteForce(t *testing.T) {
	x := index(t)
	g := geometries(t, x)
	for i, p := range randomPoints(x, 400, 0.02) {
		lat, lon := p[0], p[1]
		got, ok := x.Locate(lat, lon)
		naive, nok := x.LocateNaive(lat, lon)
		if ok != nok || got != naive || ok != insideAny(g, lat, lon) {
			t.Errorf("point %d (%v, %v): Locate %q %v, naive %q %v", i, lat, lon, got.Code, ok, naive.Code, nok)
			continue
		}
		if ok {
			continue
		}
		code, want := bruteNearest(g, lat, lon)
		w, d, ok := x.Nearest(lat, lon, 3000)
		if want <= 3000 {
			if !ok || math.Abs(d-want) > 1e-6 {
				t.Errorf("point %d: Nearest = %s %v %v; want %s %v", i, w.Code, d, ok, code, want)
			}
		} else if ok {
			t.Errorf("point %d: Nearest found %s at %v m, brute force says %v m", i, w.Code, d, want)
		}
		if dm, _ := x.DistanceM(code, lat, lon); math.Abs(dm-want) > 1e-6 {
			t.Errorf("point %d: DistanceM(%s) = %v, want %v", i, code, dm, want)
		}
	}
}

func TestFeature(t *testing.T) {
	x := index(t)
	b, ok := x.Feature("00070")
	if !ok || !json.Valid(b) || !strings.Contains(string(b), `"MultiPolygon"`) {
		t.Fatalf("Feature(00070) = %.60q…, %v", b, ok)
	}
	b[0] = 'X'
	if again, _ := x.Feature("00070"); again[0] == 'X' {
		t.Error("Feature returns the index's own bytes")
	}
	if _, ok := x.Feature("99999"); ok {
		t.Error("Feature found an unknown code")
	}
}

func TestSuggest(t *testing.T) {
	x := index(t)
	cases := []struct {
		in   string
		want []string // names, closest first; nil: nothing close
	}{
		{"Van Mieu - Quoc Tu Giam Ward", []string{"Văn Miếu - Quốc Tử Giám"}},
		{"Văn Miếu Quốc Tử Giá", []string{"Văn Miếu - Quốc Tử Giám"}},
		{"Van Mieu", []string{"Văn Miếu - Quốc Tử Giám"}},
		{"Hoan Kim", []string{"Hoàn Kiếm"}},
		{"Xã Hoàn Kiếm", []string{"Hoàn Kiếm"}},
		{"Quận Hoàn Kiếm", []string{"Hoàn Kiếm"}},
		{"Huyện Gia Lâm", []string{"Gia Lâm"}},
		{"Quận Ảo", nil},
		{"hoan-kiem", []string{"Hoàn Kiếm"}},
		{"Hoàn Kiếm", []string{"Hoàn Kiếm"}},
		{"Tây Hô", []string{"Tây Hồ", "Tây Mỗ"}},
		{"zzzzzzzz", nil},
		{"", nil},
	}
	for _, c := range cases {
		var got []string
		for _, w := range x.Suggest(c.in) {
			got = append(got, w.Name)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("Suggest(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	// Many close names: never more than three.
	if got := x.Suggest("Phú"); len(got) > wards.MaxSuggestions {
		t.Errorf("Suggest(Phú) gave %d wards", len(got))
	}
}

// One Index serves many goroutines with the answers one goroutine gets;
// run with -race to check that no query writes to it.
func TestConcurrent(t *testing.T) {
	x := index(t)
	pts := randomPoints(x, 200, 0.01)
	type answer struct {
		located, near bool
		in, nearest   string
		distance      float64
	}
	ask := func(p [2]float64) answer {
		var a answer
		w, ok := x.Locate(p[0], p[1])
		a.in, a.located = w.Code, ok
		n, _, found := x.Nearest(p[0], p[1], 100)
		a.nearest, a.near = n.Code, found
		a.distance, _ = x.DistanceM("00070", p[0], p[1])
		return a
	}
	want := make([]answer, len(pts))
	located := 0
	for i, p := range pts {
		want[i] = ask(p)
		if want[i].located {
			located++
		}
	}
	if located < len(pts)/4 {
		t.Fatalf("only %d of %d points located: the test would check little", located, len(pts))
	}
	var wg sync.WaitGroup
	var mismatches atomic.Int64
	for range 4 {
		wg.Go(func() {
			for i, p := range pts {
				if ask(p) != want[i] {
					mismatches.Add(1)
				}
				if w, ok := x.Resolve("hoan kiem"); !ok || w.Code != "00070" {
					mismatches.Add(1)
				}
			}
		})
	}
	wg.Wait()
	if n := mismatches.Load(); n > 0 {
		t.Errorf("%d answers differed under concurrency", n)
	}
}

func BenchmarkLocate(b *testing.B) {
	x := index(b)
	pts := randomPoints(x, 1024, 0)
	for i := 0; b.Loop(); i++ {
		p := pts[i%len(pts)]
		x.Locate(p[0], p[1])
	}
}

func BenchmarkLocateNaive(b *testing.B) {
	x := index(b)
	pts := randomPoints(x, 1024, 0)
	for i := 0; b.Loop(); i++ {
		p := pts[i%len(pts)]
		x.LocateNaive(p[0], p[1])
	}
}

func BenchmarkNearest(b *testing.B) {
	x := index(b)
	pts := randomPoints(x, 1024, 0)
	for i := 0; b.Loop(); i++ {
		p := pts[i%len(pts)]
		x.Nearest(p[0], p[1], 100)
	}
}

// randomPoints returns n reproducible (lat, lon) points spread over the
// bbox grown by grow degrees on every side.
func randomPoints(x *wards.Index, n int, grow float64) [][2]float64 {
	minLon, minLat, maxLon, maxLat := x.BBox()
	minLon, minLat, maxLon, maxLat = minLon-grow, minLat-grow, maxLon+grow, maxLat+grow
	r := rand.New(rand.NewPCG(1, 2))
	pts := make([][2]float64, n)
	for i := range pts {
		pts[i] = [2]float64{minLat + r.Float64()*(maxLat-minLat), minLon + r.Float64()*(maxLon-minLon)}
	}
	return pts
}

// The rest is a second, deliberately simple geometry (winding numbers
// instead of the package's crossing count, no index) that the tests check
// the package against. Polygons are [ring][vertex][lon, lat].
type testPolygon [][][2]float64

// geometries reads every ward's boundary through Feature.
func geometries(t *testing.T, x *wards.Index) map[string][]testPolygon {
	t.Helper()
	g := map[string][]testPolygon{}
	for _, w := range x.All() {
		b, ok := x.Feature(w.Code)
		if !ok {
			t.Fatalf("no Feature for %s", w.Code)
		}
		var geom struct {
			Type        string
			Coordinates []testPolygon
		}
		if err := json.Unmarshal(b, &geom); err != nil || geom.Type != "MultiPolygon" {
			t.Fatalf("Feature(%s): %v, type %q", w.Code, err, geom.Type)
		}
		g[w.Code] = geom.Coordinates
	}
	return g
}

// winding returns the winding number of the closed ring around the point.
func winding(ring [][2]float64, lat, lon float64) int {
	n := 0
	for i := 0; i+1 < len(ring); i++ {
		a, b := ring[i], ring[i+1]
		cross := (b[0]-a[0])*(lat-a[1]) - (lon-a[0])*(b[1]-a[1])
		switch {
		case a[1] <= lat && b[1] > lat && cross > 0:
			n++
		case a[1] > lat && b[1] <= lat && cross < 0:
			n--
		}
	}
	return n
}

func inside(pg testPolygon, lat, lon float64) bool {
	if winding(pg[0], lat, lon) == 0 {
		return false
	}
	for _, hole := range pg[1:] {
		if winding(hole, lat, lon) != 0 {
			return false
		}
	}
	return true
}

func insideAny(g map[string][]testPolygon, lat, lon float64) bool {
	for _, pgs := range g {
		for _, pg := range pgs {
			if inside(pg, lat, lon) {
				return true
			}
		}
	}
	return false
}

// boundaryDist is the distance in metres from the point to the nearest
// edge of the polygons, in the equirectangular projection at the point.
func boundaryDist(pgs []testPolygon, lat, lon float64) float64 {
	kx, ky := math.Cos(lat*math.Pi/180)*111320, 110574.0
	best := math.Inf(1)
	for _, pg := range pgs {
		for _, ring := range pg {
			for i := 0; i+1 < len(ring); i++ {
				ax, ay := (ring[i][0]-lon)*kx, (ring[i][1]-lat)*ky
				bx, by := (ring[i+1][0]-lon)*kx, (ring[i+1][1]-lat)*ky
				dx, dy := bx-ax, by-ay
				t := 0.0
				if l := dx*dx + dy*dy; l > 0 {
					t = math.Max(0, math.Min(1, -(ax*dx+ay*dy)/l))
				}
				best = math.Min(best, math.Hypot(ax+t*dx, ay+t*dy))
			}
		}
	}
	return best
}

func bruteNearest(g map[string][]testPolygon, lat, lon float64) (code string, d float64) {
	d = math.Inf(1)
	for c, pgs := range g {
		if e := boundaryDist(pgs, lat, lon); e < d || (e == d && c < code) {
			code, d = c, e
		}
	}
	return code, d
}

// interiorPoint returns the point of a grid over the ward's largest
// polygon that is inside it and farthest from its boundary, with that
// distance (clearance); clearance is 0 if no grid point is inside.
func interiorPoint(pgs []testPolygon) (lat, lon, clearance float64) {
	var big testPolygon
	bigArea := -1.0
	var lo, hi [2]float64
	for _, pg := range pgs {
		l, h := pg[0][0], pg[0][0]
		for _, q := range pg[0] {
			l = [2]float64{math.Min(l[0], q[0]), math.Min(l[1], q[1])}
			h = [2]float64{math.Max(h[0], q[0]), math.Max(h[1], q[1])}
		}
		if a := (h[0] - l[0]) * (h[1] - l[1]); a > bigArea {
			big, bigArea, lo, hi = pg, a, l, h
		}
	}
	for _, n := range []int{16, 64} {
		for i := 1; i < n; i++ {
			for j := 1; j < n; j++ {
				pLon := lo[0] + (hi[0]-lo[0])*float64(i)/float64(n)
				pLat := lo[1] + (hi[1]-lo[1])*float64(j)/float64(n)
				if !inside(big, pLat, pLon) {
					continue
				}
				if c := boundaryDist([]testPolygon{big}, pLat, pLon); c > clearance {
					lat, lon, clearance = pLat, pLon, c
				}
			}
		}
		if clearance > 0 {
			break
		}
	}
	return lat, lon, clearance
}
