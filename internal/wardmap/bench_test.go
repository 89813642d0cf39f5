package wardmap

import (
	"bytes"
	"slices"
	"testing"
	"time"

	"github.com/hanoicreative/registry/internal/wards"
)

// BenchmarkWriteSVG renders the map as an edit form does: a highlighted
// ward and a marker. The console's pages must render in 50 ms at the 95th
// percentile; this reports the map's share (p95-ms) beside the mean.
func BenchmarkWriteSVG(b *testing.B) {
	_, m := setup(b)
	o := Options{Highlight: "00070", Marker: &LatLon{21.0285, 105.8542}}
	var buf bytes.Buffer
	var times []time.Duration
	for b.Loop() {
		buf.Reset()
		start := time.Now()
		if err := m.WriteSVG(&buf, o); err != nil {
			b.Fatal(err)
		}
		times = append(times, time.Since(start))
	}
	b.SetBytes(int64(buf.Len()))
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)*95/100])/1e6, "p95-ms")
}

// BenchmarkBuild is the start-up cost: simplifying the boundaries once.
func BenchmarkBuild(b *testing.B) {
	x, err := wards.Load()
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Build(x); err != nil {
			b.Fatal(err)
		}
	}
}
