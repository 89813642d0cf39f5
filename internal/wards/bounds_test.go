package wards_test

import (
	"encoding/json"
	"math"
	"testing"
)

func TestBounds(t *testing.T) {
	x := index(t)
	minLon, minLat, maxLon, maxLat, ok := x.Bounds("00070")
	if !ok || !(minLon < 105.8524 && 105.8524 < maxLon && minLat < 21.0287 && 21.0287 < maxLat) {
		t.Fatalf("Hoàn Kiếm bounds %v %v %v %v %v do not hold the lake", minLon, minLat, maxLon, maxLat, ok)
	}
	if maxLon-minLon > 0.1 || maxLat-minLat > 0.1 {
		t.Errorf("bounds too large for an inner-city ward")
	}
	if _, _, _, _, ok := x.Bounds("99999"); ok {
		t.Error("unknown code has bounds")
	}
}

// TestBoundsAreVertexExtremes checks every ward's box against the vertices
// of its boundary as exported: the box is exactly their extremes, and it
// lies within the index's BBox.
func TestBoundsAreVertexExtremes(t *testing.T) {
	x := index(t)
	bMinLon, bMinLat, bMaxLon, bMaxLat := x.BBox()
	for _, w := range x.All() {
		minLon, minLat, maxLon, maxLat, ok := x.Bounds(w.Code)
		if !ok {
			t.Fatalf("%s: no bounds", w.Code)
		}
		raw, _ := x.Feature(w.Code)
		var g struct{ Coordinates any }
		if err := json.Unmarshal(raw, &g); err != nil {
			t.Fatal(err)
		}
		want := [4]float64{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
		var walk func(v any)
		walk = func(v any) {
			a := v.([]any)
			if lon, isPoint := a[0].(float64); isPoint {
				lat := a[1].(float64)
				want = [4]float64{min(want[0], lon), min(want[1], lat), max(want[2], lon), max(want[3], lat)}
				return
			}
			for _, e := range a {
				walk(e)
			}
		}
		walk(g.Coordinates)
		if got := [4]float64{minLon, minLat, maxLon, maxLat}; got != want {
			t.Errorf("%s: Bounds %v, vertices span %v", w.Code, got, want)
		}
		if minLon < bMinLon || minLat < bMinLat || maxLon > bMaxLon || maxLat > bMaxLat {
			t.Errorf("%s: Bounds outside BBox", w.Code)
		}
	}
}
