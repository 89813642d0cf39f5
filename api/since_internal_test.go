package api

import (
	"testing"
	"time"
)

// A plain date is midnight in Hà Nội (UTC+7); RFC 3339 keeps its offset.
func TestParseSince(t *testing.T) {
	for in, want := range map[string]string{
		"2026-11-01":                "2026-10-31T17:00:00Z",
		"2026-01-01":                "2025-12-31T17:00:00Z",
		"2026-11-01T00:00:00Z":      "2026-11-01T00:00:00Z",
		"2026-11-01T00:00:00+07:00": "2026-10-31T17:00:00Z",
	} {
		got, err := parseSince(in)
		if err != nil || got.Format(time.RFC3339) != want {
			t.Errorf("parseSince(%q) = %v, %v; want %s", in, got, err, want)
		}
	}
	for _, in := range []string{"2026-11-31", "2026-11", "01/11/2026", "2026-11-01 00:00", "yesterday"} {
		if _, err := parseSince(in); err == nil {
			t.Errorf("parseSince(%q) accepted", in)
		}
	}
}
