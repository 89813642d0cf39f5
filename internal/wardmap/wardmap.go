// Package wardmap draws Hà Nội's 126 wards as an inline SVG for the staff
// console: no map tiles, no script needed to draw it, and no request to any
// other host. Each ward is one <path> with data-code and data-name and a
// <title> shown on hover; the <svg> has role="img" and is named by its own
// <title> (Options.Label, from the console's catalogue). Colours meet WCAG
// 2.2 AA's 3:1 for graphics (see the constants in svg.go).
//
// A click on the map is turned back into (lat, lon) by the console's
// script with four numbers the <svg> carries (see Projection), for
// example:
//
//	const p = new DOMPoint(ev.clientX, ev.clientY).matrixTransform(svg.getScreenCTM().inverse());
//	const lat = parseFloat(svg.dataset.originLat) - p.y / parseFloat(svg.dataset.scaleY);
//	const lon = parseFloat(svg.dataset.originLon) + p.x / parseFloat(svg.dataset.scaleX);
//
// and the server confirms the ward with wards.Index.Locate on the exact
// boundaries; Map.LatLon and Map.XY are the same mapping in Go.
//
// The boundaries come from internal/wards (2.7 MB of GeoJSON). Build
// simplifies them once, keeping the borders that wards share identical
// (see topology.go), rounds them to whole SVG units and renders every
// ward's <path>, so drawing a page only copies them out. The Map is
// immutable and safe to share between goroutines.
package wardmap

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/simplify"

	"github.com/hanoicreative/registry/internal/wards"
)

// The drawing's resolution and how far it may depart from the boundaries.
// At the console's size (the whole city, about 77 × 91 km, in under a
// thousand pixels) one pixel is about 100 m, so 10 m is a tenth of a pixel
// and still under one pixel zoomed eightfold; the small inner-city wards
// (1–2 km across) keep their shape. Rounding to 5 m units adds at most
// 3.6 m. Together they bring 2.7 MB of boundaries to about 120 KB of SVG
// (TestSizeBound holds it under the 300 KB budget).
const (
	MetresPerUnit = 5.0
	ToleranceM    = 10.0
	marginUnits   = 40
)

// Map is the simplified drawing of every ward with its projection.
type Map struct {
	proj          Projection
	width, height int
	wards         []drawnWard
	paths         [2][][]byte // each ward's <path>, rendered: [0] Vietnamese, [1] English titles
}

// drawnWard is one ward as drawn: its names and its simplified rings in
// whole SVG units (polygons, each an outer ring then its holes).
type drawnWard struct {
	ward  wards.Ward
	polys [][][][2]int
	d     string // the SVG path data of polys
}

// Build simplifies the boundaries of every ward in the index. It takes a
// fraction of a second: call it once at start-up and share the Map.
func Build(x *wards.Index) (*Map, error) {
	all := x.All()
	minLon, minLat, maxLon, maxLat := x.BBox()
	m := &Map{proj: newProjection(minLon, minLat, maxLon, maxLat, MetresPerUnit, marginUnits)}
	wx, wy := m.proj.XY(minLat, maxLon)
	m.width, m.height = int(math.Ceil(wx))+marginUnits, int(math.Ceil(wy))+marginUnits

	// Project first: the projection is a function of the point alone, so
	// vertices equal in degrees stay equal in units, and the tolerance is
	// then the same in every direction.
	shapes := make([]orb.MultiPolygon, len(all))
	for i, w := range all {
		raw, ok := x.Feature(w.Code)
		if !ok {
			return nil, fmt.Errorf("wardmap: no boundary for ward %s", w.Code)
		}
		mp, err := parseGeometry(raw)
		if err != nil {
			return nil, fmt.Errorf("wardmap: boundary of ward %s: %w", w.Code, err)
		}
		shapes[i] = cleanShape(m.projectShape(mp))
	}

	junction := junctions(shapes)
	dp := simplify.DouglasPeucker(ToleranceM / MetresPerUnit)
	m.wards = make([]drawnWard, len(all))
	for i, mp := range shapes {
		dw := drawnWard{ward: all[i]}
		for _, pg := range mp {
			var rings [][][2]int
			for j, r := range pg {
				q := quantise(simplifyRing(r, junction, dp))
				if q == nil {
					if j == 0 {
						break // the outer ring collapsed: so has the polygon
					}
					continue
				}
				rings = append(rings, q)
			}
			if len(rings) > 0 {
				dw.polys = append(dw.polys, rings)
			}
		}
		if len(dw.polys) == 0 {
			return nil, fmt.Errorf("wardmap: ward %s vanished in simplification", all[i].Code)
		}
		dw.d = pathData(dw.polys)
		m.wards[i] = dw
	}
	if err := m.wardPaths(); err != nil {
		return nil, fmt.Errorf("wardmap: rendering the wards: %w", err)
	}
	return m, nil
}

func (m *Map) projectShape(mp orb.MultiPolygon) orb.MultiPolygon {
	out := make(orb.MultiPolygon, len(mp))
	for i, pg := range mp {
		out[i] = make(orb.Polygon, len(pg))
		for j, r := range pg {
			pr := make(orb.Ring, len(r))
			for k, p := range r {
				x, y := m.proj.XY(p[1], p[0])
				pr[k] = orb.Point{x, y}
			}
			out[i][j] = pr
		}
	}
	return out
}

// Projection returns the mapping between (lat, lon) and SVG units.
func (m *Map) Projection() Projection { return m.proj }

// Size returns the width and height of the viewBox, in SVG units.
func (m *Map) Size() (width, height int) { return m.width, m.height }

// XY returns the SVG point where (lat, lon) is drawn.
func (m *Map) XY(lat, lon float64) (x, y float64) { return m.proj.XY(lat, lon) }

// LatLon returns the position that a click at SVG point (x, y) means; pass
// it to wards.Index.Locate to learn the ward.
func (m *Map) LatLon(x, y float64) (lat, lon float64) { return m.proj.LatLon(x, y) }

// pathData writes the rings as SVG path data: an absolute move to each
// ring's first vertex, then relative lines (short numbers: most steps are a
// few units), closed with z. With fill-rule="evenodd" a hole is a hole
// whatever the direction of its ring.
func pathData(polys [][][][2]int) string {
	var b strings.Builder
	for _, pg := range polys {
		for _, r := range pg {
			b.WriteByte('M')
			b.WriteString(strconv.Itoa(r[0][0]))
			b.WriteByte(' ')
			b.WriteString(strconv.Itoa(r[0][1]))
			b.WriteByte('l')
			for k := 1; k < len(r); k++ {
				dx, dy := r[k][0]-r[k-1][0], r[k][1]-r[k-1][1]
				if k > 1 && dx >= 0 {
					b.WriteByte(' ')
				}
				b.WriteString(strconv.Itoa(dx))
				if dy >= 0 {
					b.WriteByte(' ')
				}
				b.WriteString(strconv.Itoa(dy))
			}
			b.WriteByte('z')
		}
	}
	return b.String()
}

// parseGeometry reads a GeoJSON Polygon or MultiPolygon. (orb's geojson
// package would do it, but it drags in a MongoDB driver for its BSON
// support.)
func parseGeometry(raw []byte) (orb.MultiPolygon, error) {
	var g struct {
		Type        string          `json:"type"`
		Coordinates json.RawMessage `json:"coordinates"`
	}
	if err := json.Unmarshal(raw, &g); err != nil {
		return nil, err
	}
	var polys [][][][2]float64
	switch g.Type {
	case "MultiPolygon":
		if err := json.Unmarshal(g.Coordinates, &polys); err != nil {
			return nil, err
		}
	case "Polygon":
		var one [][][2]float64
		if err := json.Unmarshal(g.Coordinates, &one); err != nil {
			return nil, err
		}
		polys = [][][][2]float64{one}
	default:
		return nil, fmt.Errorf("geometry type %q, want Polygon or MultiPolygon", g.Type)
	}
	mp := make(orb.MultiPolygon, len(polys))
	for i, pg := range polys {
		mp[i] = make(orb.Polygon, len(pg))
		for j, r := range pg {
			ring := make(orb.Ring, len(r))
			for k, c := range r {
				ring[k] = orb.Point(c)
			}
			mp[i][j] = ring
		}
	}
	return mp, nil
}
