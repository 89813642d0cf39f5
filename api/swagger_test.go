package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/hanoicreative/registry/docs"
	"github.com/hanoicreative/registry/internal/browsertest"
)

// specOperations lists the served document's operations as "METHOD path".
func specOperations(t *testing.T) []string {
	t.Helper()
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(docs.OpenAPI3, &doc); err != nil {
		t.Fatal(err)
	}
	methods := []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}
	var ops []string
	for path, item := range doc.Paths {
		for method := range item {
			if slices.Contains(methods, method) {
				ops = append(ops, strings.ToUpper(method)+" "+path)
			}
		}
	}
	slices.Sort(ops)
	if len(ops) == 0 {
		t.Fatal("the served document has no operation")
	}
	return ops
}

// TestSwaggerUIInBrowser opens the API's Swagger UI in a real headless
// Chromium, as a partner developer would, and checks that it loads the
// OpenAPI 3 document and shows every one of its operations, asking
// nothing of any other host.
func TestSwaggerUIInBrowser(t *testing.T) {
	want := specOperations(t)
	engines(t, func(t *testing.T, c *client) {
		b := browsertest.Start(t, 2*time.Minute)
		if err := chromedp.Do(b.Ctx, chromedp.Navigate(c.url+"/swagger/index.html")); err != nil {
			t.Fatal(err)
		}
		// The UI finishes either way: with every operation drawn, or with
		// its error; waiting for either keeps a failure quick and clear.
		finished := fmt.Sprintf(`document.querySelectorAll('.opblock').length >= %d || document.body.innerText.includes('Failed to load API definition')`, len(want))
		if _, err := chromedp.Run(b.Ctx, chromedp.Poll[bool](finished, chromedp.WithPollingTimeout(time.Minute))); err != nil {
			text, _ := chromedp.Run(b.Ctx, chromedp.Evaluate[string](`document.body.innerText`))
			t.Fatalf("Swagger UI did not show %d operations: %v; the page reads:\n%s", len(want), err, text)
		}
		text, err := chromedp.Run(b.Ctx, chromedp.Evaluate[string](`document.body.innerText`))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(text, "Failed to load API definition") {
			t.Fatalf("Swagger UI failed to load the API definition; the page reads:\n%s", text)
		}
		// Each operation is drawn as a block with its method and path;
		// only blocks on screen (laid out, not hidden) count.
		shown, err := chromedp.Run(b.Ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('.opblock')].filter(op => op.getClientRects().length > 0 && getComputedStyle(op).visibility !== 'hidden').map(op =>
			op.querySelector('.opblock-summary-method').innerText.trim().toUpperCase() + ' ' +
			op.querySelector('.opblock-summary-path').getAttribute('data-path'))`))
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(shown)
		if !slices.Equal(shown, want) {
			t.Errorf("Swagger UI shows:\n%s\n\nthe served document has:\n%s", strings.Join(shown, "\n"), strings.Join(want, "\n"))
		}
		// The definition it loaded is the served OpenAPI 3 document.
		if !slices.Contains(b.Requests(), c.url+"/openapi.json") {
			t.Errorf("the page did not load /openapi.json; it requested:\n%s", strings.Join(b.Requests(), "\n"))
		}
		b.OnlyHost(t, c.url)
		b.Screenshot(t, "swagger-"+filepath.Base(t.Name()))
	})
}

// TestSwaggerDocAddresses: echo-swagger's own addresses for the document
// lead to the served OpenAPI document instead of failing.
func TestSwaggerDocAddresses(t *testing.T) {
	engines(t, func(t *testing.T, c *client) {
		for _, path := range []string{"/swagger/doc.json", "/swagger/doc.yaml"} {
			res, err := http.Get(c.url + path)
			if err != nil {
				t.Fatal(err)
			}
			body, err := io.ReadAll(res.Body)
			res.Body.Close()
			if err != nil {
				t.Fatal(err)
			}
			if res.StatusCode != http.StatusOK || res.Request.URL.Path != "/openapi.json" || !bytes.Equal(body, docs.OpenAPI3) {
				t.Errorf("GET %s: status %d at %s, want the OpenAPI document at /openapi.json", path, res.StatusCode, res.Request.URL.Path)
			}
		}
	})
}
