package wards

import (
	"math"
	"strings"
	"testing"
)

// The real data has no holes, so holes are tested on a hand-made index
// near (0°, 0°): ward A is a 0.01° square with a 0.002° square hole in the
// middle, ward B is the square east of A.
const testUnits = `{"bbox":[0,0,0.02,0.01],"units":[
 {"code":"1","name":"A","name_en":"A","full_name":"Phường A","full_name_en":"A Ward","code_name":"a"},
 {"code":"2","name":"B","name_en":"B","full_name":"Phường B","full_name_en":"B Ward","code_name":"b"}]}`

const testBoundaries = `{"type":"FeatureCollection","features":[
 {"type":"Feature","properties":{"code":"1"},"geometry":{"type":"MultiPolygon","coordinates":[[
  [[0,0],[0.01,0],[0.01,0.01],[0,0.01],[0,0]],
  [[0.004,0.004],[0.004,0.006],[0.006,0.006],[0.006,0.004],[0.004,0.004]]]]}},
 {"type":"Feature","properties":{"code":"2"},"geometry":{"type":"Polygon","coordinates":[
  [[0.01,0],[0.02,0],[0.02,0.01],[0.01,0.01]]]}}]}`

func testIndex(t *testing.T) *Index {
	t.Helper()
	x, err := build([]byte(testUnits), []byte(testBoundaries))
	if err != nil {
		t.Fatal(err)
	}
	return x
}

func TestHole(t *testing.T) {
	x := testIndex(t)
	if w, ok := x.Locate(0.005, 0.005); ok {
		t.Errorf("point in the hole located in %s", w.Code)
	}
	if _, ok := x.LocateNaive(0.005, 0.005); ok {
		t.Errorf("LocateNaive: point in the hole located")
	}
	if w, ok := x.Locate(0.002, 0.002); !ok || w.Code != "1" {
		t.Errorf("point in A's ring: got %+v, %v", w, ok)
	}
	if w, ok := x.Locate(0.005, 0.015); !ok || w.Code != "2" {
		t.Errorf("point in B (whose ring is left open in the file): got %+v, %v", w, ok)
	}
	// From the hole's centre the nearest boundary is the hole's edge, 0.001°
	// north or south: 110.574 m.
	want := 0.001 * mPerDegLat
	if d, ok := x.DistanceM("1", 0.005, 0.005); !ok || math.Abs(d-want) > 1e-6 {
		t.Errorf("DistanceM from the hole = %v, %v; want %v", d, ok, want)
	}
	if w, d, ok := x.Nearest(0.005, 0.005, 200); !ok || w.Code != "1" || math.Abs(d-want) > 1e-6 {
		t.Errorf("Nearest from the hole = %s, %v, %v; want 1, %v", w.Code, d, ok, want)
	}
	if _, _, ok := x.Nearest(0.005, 0.005, 100); ok {
		t.Errorf("Nearest from the hole found a ward within 100 m")
	}
	if d, ok := x.DistanceM("1", 0.002, 0.002); !ok || d != 0 {
		t.Errorf("DistanceM inside = %v, %v; want 0", d, ok)
	}
}

func TestBuildRejectsBadData(t *testing.T) {
	cases := map[string]struct{ units, boundaries string }{
		"ambiguous name": {
			strings.Replace(testUnits, `"name":"B"`, `"name":"a"`, 1), testBoundaries},
		"unknown code": {
			testUnits, strings.Replace(testBoundaries, `"code":"2"`, `"code":"3"`, 1)},
		"missing boundary": {
			testUnits, `{"type":"FeatureCollection","features":[]}`},
		"bad geometry type": {
			testUnits, strings.Replace(testBoundaries, `"type":"Polygon"`, `"type":"Point"`, 1)},
		"degenerate ring": {
			testUnits, strings.Replace(testBoundaries, `[[0.01,0],[0.02,0],[0.02,0.01],[0.01,0.01]]`, `[[0.01,0],[0.02,0]]`, 1)},
	}
	for name, c := range cases {
		if _, err := build([]byte(c.units), []byte(c.boundaries)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestSegDistSq(t *testing.T) {
	cases := []struct{ ax, ay, bx, by, want float64 }{
		{-1, 1, 1, 1, 1},  // perpendicular foot inside the segment
		{3, 4, 6, 8, 25},  // nearest end is a
		{6, 8, 3, 4, 25},  // nearest end is a, given second
		{2, 0, 2, 0, 4},   // segment reduced to a point
		{-1, -1, 1, 1, 0}, // through the origin
	}
	for _, c := range cases {
		if got := segDistSq(c.ax, c.ay, c.bx, c.by); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("segDistSq(%v,%v,%v,%v) = %v, want %v", c.ax, c.ay, c.bx, c.by, got, c.want)
		}
	}
}
