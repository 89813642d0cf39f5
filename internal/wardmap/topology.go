package wardmap

import (
	"math"
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/simplify"
)

// Simplifying each ward's rings on their own would move the two copies of
// a border that two wards share differently (Douglas–Peucker keeps
// different vertices of a line depending on where the ring starts), leaving
// slivers of gap and overlap along every border. So the rings are first cut
// into arcs at their junctions, the way TopoJSON does it: a junction is a
// vertex that has different neighbours in different rings (where a third
// ward meets, or where a border between two wards meets the city's edge).
// Between two junctions both wards have the very same run of vertices (the
// source rounds coordinates to 5 decimals, so shared vertices are equal
// numbers), one of them in reverse. Each arc is simplified in one canonical
// direction with fixed end points, so both wards get identical vertices:
// borders stay shared exactly, junctions stay where they are, and no gap can
// open at any zoom. The simplification itself is orb's Douglas–Peucker.

// neighbours is the unordered pair of a vertex's neighbours in one ring.
type neighbours [2]orb.Point

func pairOf(a, b orb.Point) neighbours {
	if lessPoint(b, a) {
		a, b = b, a
	}
	return neighbours{a, b}
}

func lessPoint(a, b orb.Point) bool {
	return a[0] < b[0] || (a[0] == b[0] && a[1] < b[1])
}

// openRing drops the closing vertex of a GeoJSON ring.
func openRing(r orb.Ring) []orb.Point {
	if len(r) > 1 && r[0] == r[len(r)-1] {
		return r[:len(r)-1]
	}
	return r
}

// cleanRing removes what the source data has but a drawing does not need
// and what would confuse the search for junctions (see dropSpikes). It
// returns the ring closed, or nil when nothing is left of it.
func cleanRing(r orb.Ring) orb.Ring {
	out := dropSpikes(openRing(r))
	if out == nil {
		return nil
	}
	return append(orb.Ring(out), out[0])
}

// dropSpikes takes an open ring and removes vertices repeated one after
// the other and spikes that go out to a vertex and straight back (A, B, A
// becomes A), also where the ring closes. Both occur in the source data,
// and simplification turns a corridor narrower than the tolerance into
// one. They have no area, so nothing visible changes, but a spike would
// draw one segment twice for one ward. It returns nil when fewer than
// three vertices are left.
func dropSpikes[P comparable](pts []P) []P {
	var out []P
	for _, p := range pts {
		if len(out) > 0 && out[len(out)-1] == p {
			continue
		}
		if len(out) > 1 && out[len(out)-2] == p {
			out = out[:len(out)-1]
			continue
		}
		out = append(out, p)
	}
	for len(out) > 2 {
		n := len(out)
		switch {
		case out[n-1] == out[0]:
			out = out[:n-1]
		case out[n-2] == out[0]:
			out = out[:n-2]
		case out[n-1] == out[1]:
			out = out[1 : n-1]
		default:
			return out
		}
	}
	return nil
}

// cleanShape cleans every ring, dropping the rings that vanish and the
// polygons whose outer ring does.
func cleanShape(mp orb.MultiPolygon) orb.MultiPolygon {
	var out orb.MultiPolygon
	for _, pg := range mp {
		var kept orb.Polygon
		for j, r := range pg {
			c := cleanRing(r)
			if c == nil {
				if j == 0 {
					break
				}
				continue
			}
			kept = append(kept, c)
		}
		if len(kept) > 0 {
			out = append(out, kept)
		}
	}
	return out
}

// junctions finds the vertices where arcs must end, over all rings of all
// wards at once (a border is shared between two wards' rings).
func junctions(shapes []orb.MultiPolygon) map[orb.Point]bool {
	seen := make(map[orb.Point]neighbours)
	junction := make(map[orb.Point]bool)
	for _, mp := range shapes {
		for _, pg := range mp {
			for _, r := range pg {
				pts := openRing(r)
				n := len(pts)
				for i, p := range pts {
					pair := pairOf(pts[(i+n-1)%n], pts[(i+1)%n])
					if prev, ok := seen[p]; ok && prev != pair {
						junction[p] = true
					} else if !ok {
						seen[p] = pair
					}
				}
			}
		}
	}
	return junction
}

// simplifyRing simplifies one ring arc by arc and returns it closed, or
// nil when it has collapsed below a triangle (a sliver narrower than the
// tolerance, invisible at the map's scale; its neighbours' copies of the
// same arcs collapse identically).
func simplifyRing(r orb.Ring, junction map[orb.Point]bool, dp *simplify.DouglasPeuckerSimplifier) orb.Ring {
	pts := openRing(r)
	n := len(pts)
	if n < 3 {
		return nil
	}
	start := -1
	for i, p := range pts {
		if junction[p] {
			start = i
			break
		}
	}
	var out []orb.Point
	if start < 0 {
		// No junction: an island, or a ward wholly inside one other ward
		// (whose hole is this same ring). Both must pick the same start and
		// direction, so both rotate to the smallest vertex.
		arc := canonicalLoop(pts)
		out = simplifyArc(arc, dp)
	} else {
		rot := append(slices.Clone(pts[start:]), pts[:start]...)
		rot = append(rot, rot[0])
		out = []orb.Point{rot[0]}
		from := 0
		for i := 1; i < len(rot); i++ {
			if i == len(rot)-1 || junction[rot[i]] {
				s := simplifyArc(rot[from:i+1], dp)
				out = append(out, s[1:]...)
				from = i
			}
		}
	}
	if len(out) < 4 {
		return nil
	}
	return orb.Ring(out)
}

// canonicalLoop rotates a junction-free ring to start at its smallest
// vertex, turning so that the smaller neighbour comes second, and closes it.
func canonicalLoop(pts []orb.Point) []orb.Point {
	m := 0
	for i, p := range pts {
		if lessPoint(p, pts[m]) {
			m = i
		}
	}
	n := len(pts)
	out := make([]orb.Point, 0, n+1)
	if lessPoint(pts[(m+n-1)%n], pts[(m+1)%n]) {
		for i := 0; i < n; i++ {
			out = append(out, pts[(m-i+n)%n])
		}
	} else {
		for i := 0; i < n; i++ {
			out = append(out, pts[(m+i)%n])
		}
	}
	return append(out, out[0])
}

// simplifyArc runs Douglas–Peucker on the arc in its canonical direction
// (from the smaller end point; for a loop, from the smaller second vertex)
// and returns the result in the arc's own direction. The arc is not
// modified.
func simplifyArc(arc []orb.Point, dp *simplify.DouglasPeuckerSimplifier) []orb.Point {
	n := len(arc)
	if n <= 2 {
		return slices.Clone(arc)
	}
	first, last := arc[0], arc[n-1]
	reverse := lessPoint(last, first) || (first == last && lessPoint(arc[n-2], arc[1]))
	ls := make(orb.LineString, n)
	copy(ls, arc) // orb simplifies in place
	if reverse {
		slices.Reverse(ls)
	}
	ls = dp.LineString(ls)
	if reverse {
		slices.Reverse(ls)
	}
	return ls
}

// quantise rounds a ring's vertices to whole SVG units and drops spikes
// (see dropSpikes), returning nil when fewer than three vertices remain.
// Rounding is a function of the point alone, so shared vertices stay
// shared.
func quantise(r orb.Ring) [][2]int {
	out := make([][2]int, 0, len(r))
	for _, p := range openRing(r) {
		out = append(out, [2]int{int(math.Round(p[0])), int(math.Round(p[1]))})
	}
	return dropSpikes(out)
}
