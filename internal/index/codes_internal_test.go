package index

import "testing"

// TestCodesRoundTrip writes codes at the edges of each length and reads
// them back from one stream.
func TestCodesRoundTrip(t *testing.T) {
	vs := []uint32{0, 1, oneByteCodes - 1, oneByteCodes, oneByteCodes + 1, oneByteCodes + 0x1ff, twoByteCodes - 1, twoByteCodes,
		twoByteCodes + 1, 1 << 20, 1<<30 - 1}
	var b []byte
	for _, v := range vs {
		b = appendCode(b, v)
	}
	for i, want := range vs {
		got, n := readCode(b)
		if got != want {
			t.Fatalf("code %d: read %d, wrote %d", i, got, want)
		}
		if want < oneByteCodes && n != 1 || want >= oneByteCodes && want < twoByteCodes && n != 2 {
			t.Errorf("code %d takes %d bytes", want, n)
		}
		b = b[n:]
	}
	if len(b) != 0 {
		t.Fatalf("%d bytes left", len(b))
	}
}
