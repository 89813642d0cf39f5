package wards

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"slices"
)

// geometry places a ward's GeoJSON geometry in the boundaries file: its
// type, and where its coordinates are.
type geometry struct {
	typ        string
	start, end int
}

// part is what the R-tree holds: one polygon of one ward. Indexing polygons
// rather than whole wards keeps the boxes tight for wards in several pieces.
type part struct{ ward, poly int32 }

// loadBoundaries parses the GeoJSON boundaries, attaches them to the wards
// already loaded and builds the R-tree of polygon bounding boxes, so that a
// query only runs exact tests on the few polygons whose box is near it.
func (x *Index) loadBoundaries(data []byte, declared [4]float64) error {
	var fc struct {
		Features []struct {
			Properties struct {
				Code string `json:"code"`
			} `json:"properties"`
			// The coordinates stay raw here and are decoded by
			// parseGeometry: encoding/json cannot pick the nesting depth
			// by "type", and a RawMessage for the whole geometry would
			// cost another pass over 2.7 MB at every start-up.
			Geometry struct {
				Type        string          `json:"type"`
				Coordinates json.RawMessage `json:"coordinates"`
			} `json:"geometry"`
		} `json:"features"`
	}
	if err := json.Unmarshal(data, &fc); err != nil {
		return fmt.Errorf("wards: parsing boundaries: %w", err)
	}
	x.shapes = make([]shape, len(x.wards))
	x.geoms = make([]geometry, len(x.wards))
	x.boundaries = data
	from := 0 // the features are in the file's order: each is found after the last
	for _, f := range fc.Features {
		i, ok := x.byCode[f.Properties.Code]
		if !ok {
			return fmt.Errorf("wards: boundary for unknown code %q", f.Properties.Code)
		}
		if x.shapes[i] != nil {
			return fmt.Errorf("wards: two boundaries for %s", f.Properties.Code)
		}
		s, err := parseGeometry(f.Geometry.Type, f.Geometry.Coordinates)
		if err != nil {
			return fmt.Errorf("wards: boundary of %s: %w", f.Properties.Code, err)
		}
		x.shapes[i] = s
		// RawMessage holds the value's bytes as they are in the file:
		// where they are is kept, not a copy of 2.7 MB for the rare reader.
		at := bytes.Index(data[from:], f.Geometry.Coordinates)
		if at < 0 {
			return fmt.Errorf("wards: boundary of %s not found in the file", f.Properties.Code)
		}
		from += at
		x.geoms[i] = geometry{typ: f.Geometry.Type, start: from, end: from + len(f.Geometry.Coordinates)}
		from = x.geoms[i].end
	}
	// The bbox declared in hanoi-wards.json does not quite cover the
	// boundaries (it is 50–190 m short on each side), so on its own InBBox
	// would reject points that Locate places in a ward. Use the union.
	x.bbox = declared
	for i, s := range x.shapes {
		if s == nil {
			return fmt.Errorf("wards: no boundary for %s", x.wards[i].Code)
		}
		for j := range s {
			pg := &s[j]
			x.tree.Insert([2]float64{pg.min.lon, pg.min.lat}, [2]float64{pg.max.lon, pg.max.lat},
				part{int32(i), int32(j)})
			x.bbox[0], x.bbox[1] = math.Min(x.bbox[0], pg.min.lon), math.Min(x.bbox[1], pg.min.lat)
			x.bbox[2], x.bbox[3] = math.Max(x.bbox[2], pg.max.lon), math.Max(x.bbox[3], pg.max.lat)
		}
	}
	return nil
}

// BBox returns the box, in degrees, that holds every ward.
func (x *Index) BBox() (minLon, minLat, maxLon, maxLat float64) {
	return x.bbox[0], x.bbox[1], x.bbox[2], x.bbox[3]
}

// InBBox reports whether the point is in BBox: a cheap first check that a
// position is in or near Hà Nội. Every point Locate places is in the box.
func (x *Index) InBBox(lat, lon float64) bool {
	return lon >= x.bbox[0] && lon <= x.bbox[2] && lat >= x.bbox[1] && lat <= x.bbox[3]
}

// Locate returns the ward whose boundary contains the point. A point
// exactly on the line between two wards goes to one of them, always the
// same one.
func (x *Index) Locate(lat, lon float64) (Ward, bool) {
	i := x.locate(lat, lon)
	if i < 0 {
		return Ward{}, false
	}
	return x.wards[i], true
}

// locate is Locate returning the ward's position, or -1.
func (x *Index) locate(lat, lon float64) int {
	if !x.InBBox(lat, lon) { // also rejects NaN
		return -1
	}
	found := -1
	pt := [2]float64{lon, lat}
	x.tree.Search(pt, pt, func(_, _ [2]float64, p part) bool {
		if x.shapes[p.ward][p.poly].contains(lon, lat) {
			found = int(p.ward)
			return false
		}
		return true
	})
	return found
}

// DistanceM returns the distance in metres from the point to the boundary
// of the ward with this code, 0 when the point is inside. ok is false for an
// unknown code or a coordinate that is not a finite number.
func (x *Index) DistanceM(code string, lat, lon float64) (m float64, ok bool) {
	i, ok := x.byCode[code]
	if !ok || !finite(lat) || !finite(lon) {
		return 0, false
	}
	s := x.shapes[i]
	if s.contains(lon, lat) {
		return 0, true
	}
	p := newProj(lat, lon)
	best := math.Inf(1)
	for j := range s {
		best = p.boundaryDistSq(&s[j], best)
	}
	return math.Sqrt(best), true
}

// Nearest returns the ward containing the point, at distance 0, or else the
// ward nearest to it if that is within maxM metres. It is for positions
// that fall just outside the boundaries (an imprecise GPS fix, coordinates
// rounded to about 1 m), not for finding wards far away: the cost grows
// with maxM.
func (x *Index) Nearest(lat, lon, maxM float64) (w Ward, distM float64, ok bool) {
	if i := x.locate(lat, lon); i >= 0 {
		return x.wards[i], 0, true
	}
	if !(maxM > 0) || !finite(lat) || !finite(lon) {
		return Ward{}, 0, false
	}
	p := newProj(lat, lon)

	// Grow the point into a box reaching maxM in every direction. For the
	// distances computed below (cosine taken at the point) the box would be
	// exact; taking the cosine at the box's poleward edge instead, where a
	// degree of longitude is shortest, makes it wide enough for true
	// distances too, and the 1 % margin covers rounding.
	const margin = 1.01
	dLat := maxM / mPerDegLat * margin
	dLon := 360.0
	if edge := math.Abs(lat) + dLat; edge < 89 {
		dLon = maxM / (mPerDegLon * math.Cos(edge*math.Pi/180)) * margin
	}

	type cand struct {
		lb float64 // squared distance to the polygon's box: a lower bound
		p  part
	}
	var cands []cand
	x.tree.Search([2]float64{lon - dLon, lat - dLat}, [2]float64{lon + dLon, lat + dLat},
		func(_, _ [2]float64, pt part) bool {
			cands = append(cands, cand{p.boxDistSq(&x.shapes[pt.ward][pt.poly]), pt})
			return true
		})
	// Nearest boxes first, so the search can stop at the first box that is
	// farther than the best polygon found.
	slices.SortFunc(cands, func(a, b cand) int {
		return cmp.Or(cmp.Compare(a.lb, b.lb), cmp.Compare(a.p.ward, b.p.ward))
	})
	limit := maxM * maxM
	best, bestWard := math.Inf(1), -1
	for _, c := range cands {
		if c.lb > limit || c.lb > best {
			break
		}
		d := p.boundaryDistSq(&x.shapes[c.p.ward][c.p.poly], math.Inf(1))
		// Equal distances go to the earlier ward, so the answer does not
		// depend on the tree's internal order.
		if d < best || (d == best && int(c.p.ward) < bestWard) {
			best, bestWard = d, int(c.p.ward)
		}
	}
	if bestWard < 0 || best > limit {
		return Ward{}, 0, false
	}
	return x.wards[bestWard], math.Sqrt(best), true
}

// geometryJSON reassembles a GeoJSON geometry object from its parts; the
// coordinates are kept exactly as in the source file.
func geometryJSON(typ string, coords []byte) []byte {
	t, _ := json.Marshal(typ) // marshalling a string cannot fail
	b := make([]byte, 0, len(coords)+len(t)+len(`{"type":,"coordinates":}`))
	b = append(b, `{"type":`...)
	b = append(b, t...)
	b = append(b, `,"coordinates":`...)
	b = append(b, coords...)
	return append(b, '}')
}

// Feature returns the ward's boundary as a GeoJSON geometry object, with
// the coordinates of the source file, for exports. The bytes are a copy.
func (x *Index) Feature(code string) ([]byte, bool) {
	i, ok := x.byCode[code]
	if !ok {
		return nil, false
	}
	g := x.geoms[i]
	return geometryJSON(g.typ, x.boundaries[g.start:g.end]), true
}
