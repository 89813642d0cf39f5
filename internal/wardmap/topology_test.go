package wardmap

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/paulmach/orb/simplify"
	"github.com/tidwall/rtree"

	"github.com/hanoicreative/registry/internal/wards"
)

// TestInteriorPointsStayInside samples points inside each ward's true
// boundary (uniformly, placed by internal/wards) and checks the drawn ward
// still contains them: every one farther from the border than the
// tolerance plus rounding must be inside (Douglas–Peucker moves no border
// farther than that), and at least 99 % of all of them.
func TestInteriorPointsStayInside(t *testing.T) {
	x, m := setup(t)
	const perWard = 20
	limit := ToleranceM + roundingM + 1
	rng := rand.New(rand.NewPCG(3, 4))
	total, inside := 0, 0
	for _, dw := range m.wards {
		code := dw.ward.Code
		minLon, minLat, maxLon, maxLat, _ := x.Bounds(code)
		orig := originalBoundary(t, x, m, code)
		drawn := dw.multiPolygon()
		got := 0
		for tries := 0; got < perWard && tries < 100_000; tries++ {
			lat, lon := minLat+rng.Float64()*(maxLat-minLat), minLon+rng.Float64()*(maxLon-minLon)
			if w, ok := x.Locate(lat, lon); !ok || w.Code != code {
				continue
			}
			got++
			total++
			p := projectPoint(m, orb.Point{lon, lat})
			if planar.MultiPolygonContains(drawn, p) {
				inside++
				continue
			}
			if d := planar.DistanceFrom(orig, p) * MetresPerUnit; d > limit {
				t.Errorf("ward %s: (%.5f, %.5f), %.0f m inside its boundary, is outside the drawn ward", code, lat, lon, d)
			}
		}
		if got < perWard {
			t.Errorf("ward %s: found only %d points inside it", code, got)
		}
	}
	share := float64(inside) / float64(total)
	t.Logf("%d of %d sample points (%.2f %%) inside their drawn ward", inside, total, 100*share)
	if share < 0.99 {
		t.Errorf("only %.2f %% of points inside their drawn ward, want at least 99 %%", 100*share)
	}
}

// TestBordersShared checks the topology: a drawn segment belongs to at
// most two wards (a border drawn the same way for both), and points near the
// borders between wards (where independently simplified wards leave
// slivers of gap and overlap) are drawn in exactly one ward, as the city
// is. Only points within the tolerance of the city's outer edge may fall
// outside every ward.
func TestBordersShared(t *testing.T) {
	x, m := setup(t)
	seg := map[[2][2]int]map[string]int{} // segment → ward → times drawn
	for _, dw := range m.wards {
		for _, pg := range dw.polys {
			for _, r := range pg {
				for k := range r {
					a, b := r[k], r[(k+1)%len(r)]
					if b[0] < a[0] || (b[0] == a[0] && b[1] < a[1]) {
						a, b = b, a
					}
					s := [2][2]int{a, b}
					if seg[s] == nil {
						seg[s] = map[string]int{}
					}
					seg[s][dw.ward.Code]++
				}
			}
		}
	}
	shared, twice := 0, 0
	for s, by := range seg {
		if len(by) > 2 {
			t.Errorf("segment %v drawn in %d wards", s, len(by))
		}
		if len(by) == 2 {
			shared++
		}
		for _, n := range by {
			if n > 1 {
				twice++
			}
		}
	}
	// A ward may draw a segment twice where a strip of it narrower than
	// the tolerance has collapsed to a line with its two sides on top of
	// each other (along a river, say): no area, nothing to see.
	t.Logf("%d of %d drawn segments shared by two wards; %d drawn twice by one ward (collapsed strips)", shared, len(seg), twice)

	drawn := make([]orb.MultiPolygon, len(m.wards))
	for i, dw := range m.wards {
		drawn[i] = dw.multiPolygon()
	}
	bad, n := coverageFaults(t, x, m, drawn)
	t.Logf("%d points near borders between wards: %d drawn in no ward or in two", n, bad)
	if bad > 0 {
		t.Errorf("%d of %d points near borders are drawn in no ward or in two", bad, n)
	}
}

// TestNaiveSimplificationLeavesGaps shows what TestBordersShared guards
// against, and that it can tell: each ward's rings simplified on their own
// with the same tolerance leave many points near borders in no ward or two.
func TestNaiveSimplificationLeavesGaps(t *testing.T) {
	x, m := setup(t)
	dp := simplify.DouglasPeucker(ToleranceM / MetresPerUnit)
	var drawn []orb.MultiPolygon
	for _, w := range x.All() {
		raw, _ := x.Feature(w.Code)
		mp, err := parseGeometry(raw)
		if err != nil {
			t.Fatal(err)
		}
		drawn = append(drawn, dp.MultiPolygon(m.projectShape(mp)))
	}
	bad, n := coverageFaults(t, x, m, drawn)
	t.Logf("naive simplification: %d of %d points near borders drawn in no ward or in two", bad, n)
	if bad < n/100 {
		t.Errorf("naive simplification: only %d of %d faults; the check may not see gaps", bad, n)
	}
}

// coverageFaults samples points near the true borders between wards
// (on a random segment of a shared border, moved sideways by up to the
// tolerance), keeps those farther than the tolerance from the city's
// outer edge, and counts how many are contained by other than exactly one
// of the drawn wards.
func coverageFaults(t *testing.T, x *wards.Index, m *Map, drawn []orb.MultiPolygon) (bad, n int) {
	t.Helper()
	count := map[segment]int{}
	for _, w := range x.All() {
		raw, _ := x.Feature(w.Code)
		mp, err := parseGeometry(raw)
		if err != nil {
			t.Fatal(err)
		}
		for _, pg := range m.projectShape(mp) {
			for _, r := range pg {
				for k := 1; k < len(r); k++ {
					a, b := r[k-1], r[k]
					if lessPoint(b, a) {
						a, b = b, a
					}
					count[segment{a, b}]++
				}
			}
		}
	}
	var inner []segment
	var edge rtree.RTreeG[segment] // segments of the city's outer edge
	for s, c := range count {
		if c == 1 {
			edge.Insert([2]float64{min(s[0][0], s[1][0]), min(s[0][1], s[1][1])},
				[2]float64{max(s[0][0], s[1][0]), max(s[0][1], s[1][1])}, s)
		} else {
			inner = append(inner, s)
		}
	}
	// Map iteration order is random; sort for a repeatable sample.
	sortSegments(inner)
	bounds := make([]orb.Bound, len(drawn))
	for i, mp := range drawn {
		bounds[i] = mp.Bound()
	}
	tol := ToleranceM / MetresPerUnit
	rng := rand.New(rand.NewPCG(5, 6))
	for range 3000 {
		s := inner[rng.IntN(len(inner))]
		f := rng.Float64()
		dx, dy := s[1][0]-s[0][0], s[1][1]-s[0][1]
		l := math.Hypot(dx, dy)
		if l == 0 {
			continue
		}
		off := (rng.Float64()*2 - 1) * tol
		p := orb.Point{s[0][0] + f*dx - off*dy/l, s[0][1] + f*dy + off*dx/l}
		nearEdge := false
		r := tol + 1
		edge.Search([2]float64{p[0] - r, p[1] - r}, [2]float64{p[0] + r, p[1] + r},
			func(_, _ [2]float64, s segment) bool {
				nearEdge = planar.DistanceFromSegment(s[0], s[1], p) <= r
				return !nearEdge
			})
		if nearEdge {
			continue
		}
		n++
		in := 0
		for i, mp := range drawn {
			if bounds[i].Contains(p) && planar.MultiPolygonContains(mp, p) {
				in++
			}
		}
		if in != 1 {
			bad++
		}
	}
	return bad, n
}

// segment is a line between two vertices, smaller end first.
type segment [2]orb.Point

func sortSegments(s []segment) {
	slices.SortFunc(s, func(a, b segment) int {
		switch {
		case lessPoint(a[0], b[0]):
			return -1
		case lessPoint(b[0], a[0]):
			return 1
		case lessPoint(a[1], b[1]):
			return -1
		case lessPoint(b[1], a[1]):
			return 1
		}
		return 0
	})
}
