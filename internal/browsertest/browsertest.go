// Package browsertest starts a real headless Chromium for tests, driven
// with chromedp, and watches what the page asks the network for, so that
// a test can check what a person would see in a browser.
package browsertest

import (
	"context"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// Browser is one headless Chromium tab, and the URLs it has requested.
type Browser struct {
	// Ctx runs chromedp actions in the tab; it ends with the test.
	Ctx context.Context

	mu       sync.Mutex
	requests []string
}

// Path finds the Chromium binary: $CHROMIUM, else chromium on PATH. It
// returns "" when there is none.
func Path() string {
	if p := os.Getenv("CHROMIUM"); p != "" {
		if abs, err := exec.LookPath(p); err == nil {
			return abs
		}
		return ""
	}
	p, _ := exec.LookPath("chromium")
	return p
}

// Start launches a headless Chromium with an empty profile and opens one
// tab, closed at the end of the test. Without a browser the test skips,
// or fails when CI is set (CI=true): there a skipped browser test would
// hide a missing install step. timeout bounds the whole session.
func Start(t *testing.T, timeout time.Duration) *Browser {
	t.Helper()
	path := Path()
	if path == "" {
		msg := "no Chromium: set CHROMIUM to its binary or install Debian's chromium package (.ci/ensure-chromium does)"
		if inCI() {
			t.Fatalf("%s; CI is set, so the browser tests may not skip", msg)
		}
		t.Skip(msg)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WindowSize(1280, 1024),
	}
	ctx, cancelTimeout := context.WithTimeout(context.Background(), timeout)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	tabCtx, cancelTab := chromedp.NewContext(allocCtx, chromedp.WithLogf(t.Logf))
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc()
		cancelTimeout()
	})
	b := &Browser{Ctx: tabCtx}
	// Listen starts the browser and its tab (chromedp turns the network
	// domain on as it does), so that no request of the first navigation
	// goes unseen.
	err := chromedp.Listen(tabCtx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			b.mu.Lock()
			b.requests = append(b.requests, e.Request.URL)
			b.mu.Unlock()
		}
	})
	if err != nil {
		t.Fatalf("starting Chromium (%s): %v", path, err)
	}
	return b
}

// Requests returns every URL the tab has requested so far.
func (b *Browser) Requests() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.requests...)
}

// OnlyHost fails the test for every request the tab made to a host other
// than base's (data: and blob: URLs stay in the page and are allowed).
func (b *Browser) OnlyHost(t *testing.T, base string) {
	t.Helper()
	want, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	for _, raw := range b.Requests() {
		u, err := url.Parse(raw)
		if err != nil {
			t.Errorf("unparsable request URL %q", raw)
			continue
		}
		switch u.Scheme {
		case "data", "blob":
			continue
		}
		if u.Host != want.Host {
			t.Errorf("the page requested %s: only %s may be asked", raw, want.Host)
		}
	}
}

// Screenshot saves the whole page as name.png in the folder
// BROWSERTEST_SCREENSHOTS names, so that a person can look at what a test
// saw; without it, it does nothing.
func (b *Browser) Screenshot(t *testing.T, name string) {
	t.Helper()
	dir := os.Getenv("BROWSERTEST_SCREENSHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(b.Ctx, chromedp.FullScreenshot(100)) // 100: PNG, not JPEG
	if err == nil {
		err = os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644)
	}
	if err != nil {
		t.Errorf("screenshot %s: %v", name, err)
	}
}

func inCI() bool {
	ci, _ := strconv.ParseBool(os.Getenv("CI"))
	return ci
}
