package browsertest

import (
	"os/exec"
	"testing"
)

// TestPathPrefersCHROMIUM: CHROMIUM names the browser, and a CHROMIUM that
// names nothing runnable is no browser, rather than quietly another one.
func TestPathPrefersCHROMIUM(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skip("no sh to stand in for a browser binary")
	}
	t.Setenv("CHROMIUM", sh)
	if got := Path(); got != sh {
		t.Errorf("CHROMIUM=%s: Path() = %q", sh, got)
	}
	t.Setenv("CHROMIUM", "/no/such/chromium")
	if got := Path(); got != "" {
		t.Errorf("CHROMIUM names no file: Path() = %q, want none", got)
	}
	t.Setenv("CHROMIUM", "")
	want, _ := exec.LookPath("chromium")
	if got := Path(); got != want {
		t.Errorf("without CHROMIUM: Path() = %q, want chromium on PATH (%q)", got, want)
	}
}
