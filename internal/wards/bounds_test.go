package wards_test

import "testing"

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
