package wards

// LocateNaive is Locate without the R-tree or any bounding box: it runs the
// exact point-in-polygon test on every ward until one contains the point.
// It exists only for tests, as a reference answer and as the baseline of
// BenchmarkLocateNaive.
func (x *Index) LocateNaive(lat, lon float64) (Ward, bool) {
	for i, s := range x.shapes {
		for j := range s {
			if s[j].containsExact(lon, lat) {
				return x.wards[i], true
			}
		}
	}
	return Ward{}, false
}
