package api_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hanoicreative/registry/api"
	"github.com/hanoicreative/registry/docs"
	"github.com/hanoicreative/registry/internal/store/storetest"
)

func TestOperationsAndProtocol(t *testing.T) {
	engines(t, func(t *testing.T, c *client) {
		var h api.Health
		c.do("GET", "/healthz", nil).want(http.StatusOK).decode(&h)
		c.do("GET", "/readyz", nil).want(http.StatusOK).decode(&h)
		if h.Status != "ready" {
			t.Errorf("readyz %+v", h)
		}
		spec := c.do("GET", "/openapi.json", nil).want(http.StatusOK)
		if string(spec.body) != string(docs.OpenAPI3) || !strings.Contains(string(spec.body), `"/v1/entities/{id}"`) {
			t.Error("openapi.json is not the generated document")
		}
		ui := c.do("GET", "/swagger/index.html", nil).want(http.StatusOK)
		if !strings.Contains(string(ui.body), "swagger-ui") {
			t.Error("no Swagger UI")
		}
		c.do("GET", "/problems/invalid", nil).want(http.StatusOK)
		c.do("GET", "/problems/nonsense", nil).problem(http.StatusNotFound)

		// Unknown paths and methods are problems too.
		p := c.do("GET", "/v2/things", nil).problem(http.StatusNotFound)
		if p.Instance != "/v2/things" {
			t.Errorf("instance %q", p.Instance)
		}
		c.do("PUT", "/v1/sectors", `{}`).problem(http.StatusMethodNotAllowed)

		// X-Request-Id: echoed when sane, made up otherwise.
		if got := c.do("GET", "/healthz", nil, "X-Request-Id", "partner-42").header.Get("X-Request-Id"); got != "partner-42" {
			t.Errorf("echoed id %q", got)
		}
		for _, bad := range []string{strings.Repeat("x", 200), "a b"} {
			if got := c.do("GET", "/healthz", nil, "X-Request-Id", bad).header.Get("X-Request-Id"); got == bad || got == "" {
				t.Errorf("id %q kept or lost: %q", bad, got)
			}
		}
		if c.do("GET", "/v1/kinds", nil).header.Get("X-Request-Id") == "" {
			t.Error("no request id")
		}
	})
}

// TestDatabaseOutageIs503: with the database down, requests get a quick
// 503 problem with Retry-After, /readyz says not ready, and the service
// recovers by itself when the database is back.
func TestDatabaseOutageIs503(t *testing.T) {
	srv, db, _ := storetest.StoppableCluster(t)
	c := serve(t, db, api.Config{OpenAPI: docs.OpenAPI3, RequestTimeout: 5 * time.Second})
	c.create(valid("Trước Sự Cố"))

	if err := srv.Stop(); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/v1/sectors", "/v1/entities", "/v1/entities/truoc-su-co", "/readyz"} {
		start := time.Now()
		res := c.do("GET", path, nil)
		res.problem(http.StatusServiceUnavailable)
		if res.header.Get("Retry-After") == "" {
			t.Errorf("%s: no Retry-After", path)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("%s took %s: not quick", path, d)
		}
	}
	c.do("POST", "/v1/entities", valid("Trong Sự Cố")).problem(http.StatusServiceUnavailable)
	c.do("GET", "/healthz", nil).want(http.StatusOK)

	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(15 * time.Second)
	for c.do("GET", "/readyz", nil).status != http.StatusOK {
		if time.Now().After(deadline) {
			t.Fatal("not ready 15 s after the database came back")
		}
		time.Sleep(100 * time.Millisecond)
	}
	c.create(valid("Sau Sự Cố"))
	c.do("GET", "/v1/entities/truoc-su-co", nil).want(http.StatusOK)
	c.do("GET", "/v1/entities/trong-su-co", nil).problem(http.StatusNotFound)
}
