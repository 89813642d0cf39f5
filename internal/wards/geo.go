package wards

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
)

// Metres per degree for the local equirectangular projection. Within a
// ward's reach (a few kilometres) its error is far below the 1 m to which
// the boundaries are rounded, and it is much cheaper than geodesics.
const (
	mPerDegLon = 111320.0 // at the equator; scaled by cos(latitude)
	mPerDegLat = 110574.0
)

// point is a position in degrees, in GeoJSON's order.
type point struct{ lon, lat float64 }

// ring is a closed line: ring[0] == ring[len(ring)-1], which lets the
// loops below walk consecutive pairs without wrapping around.
type ring []point

// polygon is an outer ring followed by its holes, with the bounding box of
// all its rings.
type polygon struct {
	rings    []ring
	min, max point
}

// shape is a ward's boundary: one or more polygons.
type shape []polygon

// contains reports whether the point is inside the ring, by counting the
// edges that a ray going east from the point crosses (even-odd rule). The
// half-open test on latitude counts a vertex on the ray once, and makes a
// point on an edge shared by two wards fall in exactly one of them.
func (r ring) contains(lon, lat float64) bool {
	in := false
	for i := 1; i < len(r); i++ {
		a, b := r[i-1], r[i]
		if (a.lat > lat) != (b.lat > lat) &&
			lon < a.lon+(lat-a.lat)*(b.lon-a.lon)/(b.lat-a.lat) {
			in = !in
		}
	}
	return in
}

// contains reports whether the point is inside the polygon: inside its
// outer ring and not inside any hole. The bounding box is checked first
// because most callers ask about points far away.
func (pg *polygon) contains(lon, lat float64) bool {
	if lon < pg.min.lon || lon > pg.max.lon || lat < pg.min.lat || lat > pg.max.lat {
		return false
	}
	return pg.containsExact(lon, lat)
}

// containsExact is contains without the bounding-box shortcut.
func (pg *polygon) containsExact(lon, lat float64) bool {
	if !pg.rings[0].contains(lon, lat) {
		return false
	}
	for _, hole := range pg.rings[1:] {
		if hole.contains(lon, lat) {
			return false
		}
	}
	return true
}

func (s shape) contains(lon, lat float64) bool {
	for i := range s {
		if s[i].contains(lon, lat) {
			return true
		}
	}
	return false
}

// proj is the local projection around one query point: metres east (x) and
// north (y) of it. Putting the origin at the query point keeps the numbers
// small and reduces point-to-segment distance to distance from the origin.
type proj struct {
	lon0, lat0, kx float64
}

func newProj(lat, lon float64) proj {
	return proj{lon0: lon, lat0: lat, kx: math.Cos(lat*math.Pi/180) * mPerDegLon}
}

func (p proj) xy(q point) (x, y float64) {
	return (q.lon - p.lon0) * p.kx, (q.lat - p.lat0) * mPerDegLat
}

// boxDistSq is the squared distance in metres from the origin to the
// polygon's bounding box: a lower bound for the distance to the polygon,
// used to skip polygons that cannot beat the best distance so far.
func (p proj) boxDistSq(pg *polygon) float64 {
	dx := math.Max(0, math.Max(pg.min.lon-p.lon0, p.lon0-pg.max.lon)) * p.kx
	dy := math.Max(0, math.Max(pg.min.lat-p.lat0, p.lat0-pg.max.lat)) * mPerDegLat
	return dx*dx + dy*dy
}

// boundaryDistSq is the squared distance in metres from the origin to the
// nearest edge of any ring of the polygon, or at least bound if the
// polygon's box is already farther than bound.
func (p proj) boundaryDistSq(pg *polygon, bound float64) float64 {
	if p.boxDistSq(pg) > bound {
		return bound
	}
	best := bound
	for _, r := range pg.rings {
		ax, ay := p.xy(r[0])
		for _, q := range r[1:] {
			bx, by := p.xy(q)
			if d := segDistSq(ax, ay, bx, by); d < best {
				best = d
			}
			ax, ay = bx, by
		}
	}
	return best
}

// segDistSq is the squared distance from the origin to the segment a–b.
func segDistSq(ax, ay, bx, by float64) float64 {
	dx, dy := bx-ax, by-ay
	t := 0.0
	if l2 := dx*dx + dy*dy; l2 > 0 {
		// Parameter of the origin's projection onto the line, clamped to
		// the segment.
		t = math.Max(0, math.Min(1, -(ax*dx+ay*dy)/l2))
	}
	x, y := ax+t*dx, ay+t*dy
	return x*x + y*y
}

// parseGeometry turns the coordinates of a GeoJSON Polygon or
// MultiPolygon into a shape, closing rings that are not closed and
// rejecting degenerate ones.
func parseGeometry(typ string, coords []byte) (shape, error) {
	// [2]float64 rather than []float64 saves an allocation per vertex;
	// encoding/json drops a third number (altitude) if there is one.
	var polys [][][][2]float64
	switch typ {
	case "MultiPolygon":
		if err := json.Unmarshal(coords, &polys); err != nil {
			return nil, err
		}
	case "Polygon":
		var one [][][2]float64
		if err := json.Unmarshal(coords, &one); err != nil {
			return nil, err
		}
		polys = [][][][2]float64{one}
	default:
		return nil, fmt.Errorf("geometry type %q, want Polygon or MultiPolygon", typ)
	}
	if len(polys) == 0 {
		return nil, errors.New("empty geometry")
	}
	s := make(shape, 0, len(polys))
	for _, rings := range polys {
		if len(rings) == 0 {
			return nil, errors.New("polygon without rings")
		}
		pg := polygon{rings: make([]ring, 0, len(rings))}
		for _, coords := range rings {
			r := make(ring, 0, len(coords)+1)
			for _, c := range coords {
				r = append(r, point{lon: c[0], lat: c[1]})
			}
			if len(r) > 0 && r[0] != r[len(r)-1] {
				r = append(r, r[0])
			}
			if len(r) < 4 {
				return nil, fmt.Errorf("ring with %d positions, want at least 4", len(r))
			}
			pg.rings = append(pg.rings, r)
		}
		// Holes belong inside the outer ring, but taking every ring into
		// the box keeps the distance lower bound valid even if one strays.
		pg.min, pg.max = pg.rings[0][0], pg.rings[0][0]
		for _, r := range pg.rings {
			for _, q := range r {
				pg.min.lon, pg.min.lat = math.Min(pg.min.lon, q.lon), math.Min(pg.min.lat, q.lat)
				pg.max.lon, pg.max.lat = math.Max(pg.max.lon, q.lon), math.Max(pg.max.lat, q.lat)
			}
		}
		s = append(s, pg)
	}
	return s, nil
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }
