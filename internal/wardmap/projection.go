package wardmap

import "math"

// Metres per degree, the same figures internal/wards uses for distances.
const (
	mPerDegLon = 111320.0 // at the equator; scaled by cos(latitude)
	mPerDegLat = 110574.0
)

// Projection maps (lat, lon) to the map's SVG user units and back. It is
// equirectangular with its standard parallel at the middle of Hà Nội
// (about 21.0° N): x grows east by ScaleX units per degree of longitude, y
// grows south by ScaleY units per degree of latitude, and (OriginLat,
// OriginLon) is drawn at (0, 0), the map's north-west corner.
//
// Over Hà Nội's 0.85° of latitude, cos(latitude) varies by less than 0.5 %,
// so east–west distances are drawn at most that much off true, far below
// what the eye sees on a map a few hundred pixels wide; north–south ones
// are exact. The inverse is the same formula solved for lat and lon, so a
// click maps back exactly to the point drawn there. A console script needs
// only the four numbers, which the <svg> carries as data-origin-lat,
// data-origin-lon, data-scale-x and data-scale-y:
//
//	lat = originLat - y / scaleY
//	lon = originLon + x / scaleX
type Projection struct {
	OriginLat, OriginLon float64 // degrees at SVG (0, 0)
	ScaleX, ScaleY       float64 // SVG units per degree of longitude, of latitude
}

// newProjection makes the projection for a box of lon/lat, drawn at
// metresPerUnit metres per SVG unit with margin units of blank border.
func newProjection(minLon, minLat, maxLon, maxLat, metresPerUnit, margin float64) Projection {
	midLat := (minLat + maxLat) / 2
	p := Projection{
		ScaleX: mPerDegLon * math.Cos(midLat*math.Pi/180) / metresPerUnit,
		ScaleY: mPerDegLat / metresPerUnit,
	}
	p.OriginLon = minLon - margin/p.ScaleX
	p.OriginLat = maxLat + margin/p.ScaleY
	return p
}

// XY returns the SVG point where (lat, lon) is drawn.
func (p Projection) XY(lat, lon float64) (x, y float64) {
	return (lon - p.OriginLon) * p.ScaleX, (p.OriginLat - lat) * p.ScaleY
}

// LatLon returns the position drawn at the SVG point (x, y): what a click
// there means.
func (p Projection) LatLon(x, y float64) (lat, lon float64) {
	return p.OriginLat - y/p.ScaleY, p.OriginLon + x/p.ScaleX
}

// MetresPerUnit is the length on the ground of one SVG unit (north–south,
// and east–west at the standard parallel).
func (p Projection) MetresPerUnit() float64 { return mPerDegLat / p.ScaleY }
