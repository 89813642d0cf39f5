package wards

import "math"

// Bounds returns a ward's bounding box (all its polygons), for drawing
// points in it; ok is false for an unknown code.
func (x *Index) Bounds(code string) (minLon, minLat, maxLon, maxLat float64, ok bool) {
	i, found := x.byCode[code]
	if !found {
		return 0, 0, 0, 0, false
	}
	minLon, minLat, maxLon, maxLat = math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, pg := range x.shapes[i] {
		minLon, minLat = math.Min(minLon, pg.min.lon), math.Min(minLat, pg.min.lat)
		maxLon, maxLat = math.Max(maxLon, pg.max.lon), math.Max(maxLat, pg.max.lat)
	}
	return minLon, minLat, maxLon, maxLat, true
}
