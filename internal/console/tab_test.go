package console

import (
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/hanoicreative/registry/internal/browsertest"
)

// tab is Chromium on the console under test, as the browser tests drive
// it: it notes every script that fails, every dialog and console error,
// runs steps, reads the page, and at the end (done) fails the test for
// any of them or any request that left the machine.
type tab struct {
	*browsertest.Browser
	t   *testing.T
	url string

	mu        sync.Mutex
	incidents []string
}

func openTab(t *testing.T, e *env) *tab {
	t.Helper()
	tb := &tab{Browser: browsertest.Start(t, 2*time.Minute), t: t, url: e.url}
	chromedp.Listen(tb.Ctx, func(ev any) {
		tb.mu.Lock()
		defer tb.mu.Unlock()
		switch ev := ev.(type) {
		case *runtime.EventExceptionThrown:
			tb.incidents = append(tb.incidents, "a script failed: "+ev.ExceptionDetails.Text)
		case *cdppage.EventJavascriptDialogOpening:
			tb.incidents = append(tb.incidents, "a dialog opened: "+ev.Message)
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError {
				tb.incidents = append(tb.incidents, "a console error")
			}
		}
	})
	return tb
}

// run runs steps in the tab and stops the test on the first that fails.
func (tb *tab) run(steps ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	if err := chromedp.Do(tb.Ctx, steps...); err != nil {
		tb.t.Fatal(err)
	}
}

// arrive waits until the tab has loaded an address containing want.
func (tb *tab) arrive(want string) {
	tb.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		loc, err := chromedp.Run(tb.Ctx, chromedp.Location())
		if err == nil && strings.Contains(loc, want) {
			break
		}
		if time.Now().After(deadline) {
			tb.t.Fatalf("the tab is at %q, not at …%s…", loc, want)
		}
		time.Sleep(50 * time.Millisecond)
	}
	tb.run(chromedp.WaitReady(chromedp.CSS("footer, main")))
}

// text is what the page shows.
func (tb *tab) text() string {
	tb.t.Helper()
	s, err := chromedp.Run(tb.Ctx, chromedp.Evaluate[string](`document.body.innerText`))
	if err != nil {
		tb.t.Fatal(err)
	}
	return s
}

// mustSee fails the test for each of what the page does not show.
func (tb *tab) mustSee(what ...string) {
	tb.t.Helper()
	body := tb.text()
	for _, w := range what {
		if !strings.Contains(body, w) {
			tb.t.Errorf("the page does not show %q:\n%s", w, body)
		}
	}
}

// signIn signs in with the form, in Vietnamese, on the way to next, and
// waits until the element waitFor of that page is visible.
func (tb *tab) signIn(email, next, waitFor string) {
	tb.t.Helper()
	tb.run(chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(tb.url+"/console/language?lang=vi&next="+url.QueryEscape(next)),
		chromedp.WaitVisible(chromedp.CSS("#email")),
		typeKeys(chromedp.CSS("#email"), email),
		typeKeys(chromedp.CSS("#password"), password),
		chromedp.Click(chromedp.CSS("form.stack button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(waitFor)))
}

// done fails the test for every script that failed, dialog or console
// error, and for any request to a host other than the console's.
func (tb *tab) done() {
	tb.t.Helper()
	tb.mu.Lock()
	for _, i := range tb.incidents {
		tb.t.Error(i)
	}
	tb.mu.Unlock()
	tb.OnlyHost(tb.t, tb.url)
}

// typeKeys types text into the element, as chromedp.SendKeys does for a
// text field: focus it, then one key event a character. SendKeys itself
// reads the node's attributes outside the node's lock (chromedp v0.23.1,
// query.go), which races with the attribute events the page's script
// causes (aria-invalid, aria-expanded), and -race fails the test.
func typeKeys[S chromedp.Selectable](sel S, text string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(chromedp.Focus(sel), chromedp.KeyEvent(text))
}
