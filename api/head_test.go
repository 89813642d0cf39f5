package api_test

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/hanoicreative/registry/api"
	"github.com/hanoicreative/registry/docs"
	"github.com/hanoicreative/registry/internal/store/storetest"
)

// getExample is a request that answers 200 for a GET route.
type getExample struct {
	path   string
	header []string // name, value pairs
}

// getExamples gives every GET route of the router (by its pattern) a
// request that answers 200; a route without one fails the test, so that
// the tests driven by it cover every route.
func getExamples(t *testing.T, c *client, cfg api.Config) map[string]getExample {
	t.Helper()
	e := c.create(valid("Xưởng HEAD " + c.suffix))
	logo := c.upload("PUT", "/v1/entities/"+e.ID+"/logo", "image/png", pngFile(t, 40, 20), 1).want(http.StatusOK).entity().Logo
	admin := []string{"Authorization", "Bearer " + c.admin}
	var hook api.Webhook
	c.do("POST", "/v1/webhooks", map[string]any{"url": "https://partner.example.org/hook"}, "Authorization", "Bearer "+c.admin).want(http.StatusCreated).decode(&hook)
	known := map[string]getExample{
		"/healthz":                          {path: "/healthz"},
		"/readyz":                           {path: "/readyz"},
		"/openapi.json":                     {path: "/openapi.json"},
		"/swagger/*":                        {path: "/swagger/index.html"},
		"/swagger/doc.json":                 {path: "/swagger/doc.json"},
		"/swagger/doc.yaml":                 {path: "/swagger/doc.yaml"},
		"/problems/:code":                   {path: "/problems/invalid"},
		"/v1/imports/template.csv":          {path: "/v1/imports/template.csv"},
		"/bench/ceiling":                    {path: "/bench/ceiling"},
		"/v1/sectors":                       {path: "/v1/sectors"},
		"/v1/sectors/:slug":                 {path: "/v1/sectors/design"},
		"/v1/kinds":                         {path: "/v1/kinds"},
		"/v1/wards":                         {path: "/v1/wards"},
		"/v1/entities":                      {path: "/v1/entities?sector=design&limit=5"},
		"/v1/entities/:id":                  {path: "/v1/entities/" + e.ID},
		"/v1/entities/:id/history":          {path: "/v1/entities/" + e.ID + "/history"},
		"/v1/entities/:id/history/:version": {path: "/v1/entities/" + e.ID + "/history/1"},
		"/v1/stats":                         {path: "/v1/stats?group_by=sector"},
		"/v1/changes":                       {path: "/v1/changes?limit=10"},
		"/v1/catalog":                       {path: "/v1/catalog"},
		"/v1/keys":                          {path: "/v1/keys", header: admin},
		"/media/:name":                      {path: logo.URL},
		"/v1/webhooks":                      {path: "/v1/webhooks", header: admin},
		"/v1/webhooks/:id":                  {path: "/v1/webhooks/" + hook.ID, header: admin},
		"/v1/webhooks/:id/deliveries":       {path: "/v1/webhooks/" + hook.ID + "/deliveries", header: admin},
	}
	out := map[string]getExample{}
	for _, route := range api.GETRoutes(cfg) {
		ex, ok := known[route]
		if !ok {
			t.Errorf("GET %s has no example request here: add one", route)
			continue
		}
		out[route] = ex
	}
	// An entity's other representation, at the same address.
	out["/v1/entities/:id (JSON-LD)"] = getExample{path: "/v1/entities/" + e.ID, header: []string{"Accept", "application/ld+json"}}
	return out
}

// headersApart are the headers that may differ between two answers to
// the same request: when, which request, and the length of a body that
// GET may send chunked.
var headersApart = []string{"Date", "X-Request-Id", "Content-Length"}

// TestHEADEveryGETRoute: HEAD is answered wherever GET is, with the GET's
// status and headers and no body, on every route the router has.
func TestHEADEveryGETRoute(t *testing.T) {
	cfg := api.Config{OpenAPI: docs.OpenAPI3, Version: "test", CacheBytes: 8 << 20, BenchCeiling: true}
	storetest.Engines(t, pg, func(t *testing.T, dsn string) {
		db, _ := storetest.Open(t, dsn)
		c := serve(t, db, cfg)
		examples := getExamples(t, c, cfg)
		// Exports stream at the listing's address: HEAD them too.
		examples["/v1/entities (CSV export)"] = getExample{path: "/v1/entities?sector=design&format=csv"}
		// A key's use is written in the background, so /v1/keys (which shows
		// last uses) could change between the GET and the HEAD: use every
		// key first and write the uses down.
		for _, ex := range examples {
			c.raw(http.MethodGet, ex.path, ex.header...)
		}
		if err := c.keys.FlushUses(context.Background()); err != nil {
			t.Fatal(err)
		}
		for route, ex := range examples {
			get := c.raw(http.MethodGet, ex.path, ex.header...)
			if get.status != http.StatusOK && get.status != http.StatusMovedPermanently {
				t.Fatalf("%s: the example GET %s got %d: %s", route, ex.path, get.status, get.body)
			}
			head := c.raw(http.MethodHead, ex.path, ex.header...)
			if head.status != get.status {
				t.Errorf("%s: HEAD %s got %d, GET %d", route, ex.path, head.status, get.status)
				continue
			}
			if len(head.body) != 0 {
				t.Errorf("%s: HEAD %s sent a body of %d bytes", route, ex.path, len(head.body))
			}
			for name := range mergedKeys(get.header, head.header) {
				if slices.Contains(headersApart, name) {
					continue
				}
				if g, h := get.header.Values(name), head.header.Values(name); !slices.Equal(g, h) {
					t.Errorf("%s: header %s: GET %q, HEAD %q", route, name, g, h)
				}
			}
			if want := strconv.Itoa(len(get.body)); head.header.Get("Content-Length") != want {
				t.Errorf("%s: HEAD Content-Length %q, the GET's body has %s bytes", route, head.header.Get("Content-Length"), want)
			}
		}
		// Logs and metrics name the method the client sent.
		if m := c.scrape(); !strings.Contains(m, `registry_http_requests_total{method="HEAD",route="/v1/kinds",status="200"}`) {
			t.Errorf("/metrics counts no HEAD /v1/kinds")
		}
		// A path with no GET has no HEAD either: nothing else runs.
		c.raw(http.MethodHead, "/v1/imports").want(http.StatusMethodNotAllowed)
		c.raw(http.MethodHead, "/v1/nothing-here").want(http.StatusNotFound)
	})
}

func mergedKeys(a, b http.Header) map[string]bool {
	keys := map[string]bool{}
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	return keys
}

// raw sends a request over a connection of its own, follows no redirect,
// and returns as body every byte the server sent after the headers, so
// that a body sent to a HEAD (which an HTTP client would silently drop) is
// seen.
func (c *client) raw(method, path string, headers ...string) *response {
	c.t.Helper()
	u, err := url.Parse(c.url + path)
	if err != nil {
		c.t.Fatal(err)
	}
	req, err := http.NewRequest(method, u.String(), nil)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Close = true
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		c.t.Fatal(err)
	}
	defer conn.Close()
	if err := req.Write(conn); err != nil {
		c.t.Fatal(err)
	}
	all, err := io.ReadAll(conn)
	if err != nil {
		c.t.Fatal(err)
	}
	br := bufio.NewReader(bytes.NewReader(all))
	res, err := http.ReadResponse(br, req)
	if err != nil {
		c.t.Fatalf("%s %s: %v; the server sent:\n%s", method, path, err, all)
	}
	body, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	rest, _ := io.ReadAll(br) // what came after the message
	return &response{t: c.t, status: res.StatusCode, header: res.Header, body: append(body, rest...)}
}
