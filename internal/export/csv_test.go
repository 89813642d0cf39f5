package export

import "testing"

// TestNeutraliseRestore checks that spreadsheets get no formula and that
// imports get back exactly the cell that was exported.
func TestNeutraliseRestore(t *testing.T) {
	for cell, want := range map[string]string{
		"": "", "Hà Nội": "Hà Nội", "=SUM(A1)": "'=SUM(A1)", "+84 24 3874 0123": "'+84 24 3874 0123",
		"-gạch": "'-gạch", "@Studio": "'@Studio", "\tx": "'\tx", "\rx": "'\rx",
		"'=already": "''=already", "''+twice": "'''+twice", "'plain": "'plain", "'": "'", "a=b": "a=b",
	} {
		if got := Neutralise(cell); got != want {
			t.Errorf("Neutralise(%q) = %q, want %q", cell, got, want)
		}
		if back := Restore(Neutralise(cell)); back != cell {
			t.Errorf("Restore(Neutralise(%q)) = %q", cell, back)
		}
	}
}

func TestParseStyle(t *testing.T) {
	for _, c := range []struct {
		csv, bom string
		want     Style
	}{
		{"", "", Style{BOM: true, Guard: true}},
		{"spreadsheet", "false", Style{Guard: true}},
		{"raw", "", Style{}},
		{"raw", "true", Style{}},
	} {
		if got, err := ParseStyle(c.csv, c.bom); err != nil || got != c.want {
			t.Errorf("ParseStyle(%q, %q) = %+v, %v; want %+v", c.csv, c.bom, got, err, c.want)
		}
	}
	if _, err := ParseStyle("excel", ""); err == nil {
		t.Error("csv=excel accepted")
	}
}
