package api_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/hanoicreative/registry/api"
	"github.com/hanoicreative/registry/docs"
	"github.com/hanoicreative/registry/internal/store/storetest"
)

// notData are the GET routes that serve no registry data: the service's
// own pages and probes, which the caching conventions do not cover.
var notData = map[string]bool{
	"/metrics": true, "/healthz": true, "/readyz": true, "/openapi.json": true,
	"/swagger/*": true, "/swagger/doc.json": true, "/swagger/doc.yaml": true,
	"/problems/:code": true, "/bench/ceiling": true,
}

// keyed are the GET routes whose answers depend on the caller's key.
var keyed = map[string]bool{"/v1/keys": true, "/v1/webhooks": true, "/v1/webhooks/:id": true, "/v1/webhooks/:id/deliveries": true}

// immutable are the GET routes whose answers never change (their address
// is their content): caches keep them a year without revalidating.
var immutable = map[string]bool{"/media/:name": true}

// TestEveryReadSaysHowToCacheIt: every 200 to a GET of public data, on
// every route the router has, carries an ETag and Cache-Control: public,
// no-cache; the tag sent back as If-None-Match gets a 304 with the same
// headers and no body, and a stale tag gets the answer. Answers that
// depend on the caller's key are private. The tags do not need the
// response cache: they hold with it off too.
func TestEveryReadSaysHowToCacheIt(t *testing.T) {
	for _, cacheBytes := range []uint64{8 << 20, 0} {
		cfg := api.Config{OpenAPI: docs.OpenAPI3, Version: "test", CacheBytes: cacheBytes, BenchCeiling: true}
		t.Run(fmt.Sprintf("cache=%d", cacheBytes), func(t *testing.T) { everyReadSaysHowToCacheIt(t, cfg) })
	}
}

func everyReadSaysHowToCacheIt(t *testing.T, cfg api.Config) {
	storetest.Engines(t, pg, func(t *testing.T, dsn string) {
		db, _ := storetest.Open(t, dsn)
		c := serve(t, db, cfg)
		for route, ex := range getExamples(t, c, cfg) {
			if notData[route] {
				continue
			}
			res := c.do("GET", ex.path, nil, ex.header...).want(http.StatusOK)
			cc, tag := res.header.Get("Cache-Control"), res.header.Get("ETag")
			if keyed[route] {
				if cc != "private, no-cache" {
					t.Errorf("%s: Cache-Control %q, want private, no-cache", route, cc)
				}
				continue
			}
			want := "public, no-cache"
			if immutable[route] {
				want = "public, max-age=31536000, immutable"
			}
			if cc != want || tag == "" {
				t.Errorf("%s: Cache-Control %q, ETag %q; want %s and a tag", route, cc, tag, want)
				continue
			}
			for _, method := range []string{"GET", "HEAD"} {
				again := c.do(method, ex.path, nil, append(ex.header, "If-None-Match", tag)...)
				if again.status != http.StatusNotModified || again.header.Get("ETag") != tag ||
					again.header.Get("Cache-Control") != cc || len(again.body) != 0 {
					t.Errorf("%s: %s with If-None-Match %s: status %d, ETag %q, Cache-Control %q, body %q",
						route, method, tag, again.status, again.header.Get("ETag"), again.header.Get("Cache-Control"), again.body)
				}
			}
			// A list of tags matches when one of them does (weakly, too).
			c.do("GET", ex.path, nil, append(ex.header, "If-None-Match", `"0-old", W/`+tag)...).want(http.StatusNotModified)
			if stale := c.do("GET", ex.path, nil, append(ex.header, "If-None-Match", `"0-old"`)...).want(http.StatusOK); stale.header.Get("ETag") != tag {
				t.Errorf("%s: a stale tag got ETag %q, want %q", route, stale.header.Get("ETag"), tag)
			}
		}
	})
}

// TestTagsFollowWrites: the tags of listings, stats, the change feed,
// histories and reference data change with every write, so that a copy
// revalidated after a write is replaced (200, a new tag); a tag is of the
// query too.
func TestTagsFollowWrites(t *testing.T) {
	engines(t, func(t *testing.T, c *client) {
		e := c.create(valid("Xưởng Gốm Thẻ " + c.suffix))
		paths := []string{
			"/v1/entities?q=gom",
			"/v1/entities?sector=design&format=csv",
			"/v1/stats?group_by=sector",
			"/v1/changes",
			"/v1/entities/" + e.ID + "/history",
			"/v1/entities/" + e.ID,
			"/v1/sectors",
			"/v1/kinds",
		}
		before := map[string]string{}
		for _, p := range paths {
			tag := c.do("GET", p, nil).want(http.StatusOK).header.Get("ETag")
			if tag == "" {
				t.Fatalf("GET %s: no ETag", p)
			}
			if again := c.do("GET", p, nil).want(http.StatusOK).header.Get("ETag"); again != tag {
				t.Errorf("GET %s twice, nothing written: ETag %q then %q", p, tag, again)
			}
			c.do("GET", p, nil, "If-None-Match", tag).want(http.StatusNotModified)
			before[p] = tag
		}
		if a, b := before["/v1/entities?q=gom"], c.do("GET", "/v1/entities?q=gom&limit=5", nil).want(http.StatusOK).header.Get("ETag"); a == b {
			t.Errorf("two queries at one version have one ETag %s", a)
		}

		// An entity's change moves the data version.
		c.do("PATCH", "/v1/entities/"+e.ID, `{"description":"men lam"}`, "If-Match", `"1"`).want(http.StatusOK)
		// A change of reference data does too.
		c.do("POST", "/v1/sectors", map[string]any{"name": "Thẻ " + c.suffix, "name_en": "Tag " + c.suffix, "slug": "tag-" + c.suffix},
			"Authorization", "Bearer "+c.admin).want(http.StatusCreated)
		for _, p := range paths {
			res := c.do("GET", p, nil, "If-None-Match", before[p]).want(http.StatusOK)
			if tag := res.header.Get("ETag"); tag == "" || tag == before[p] {
				t.Errorf("GET %s after writes: ETag %q, before them %q", p, tag, before[p])
			}
		}
	})
}

// TestExportTags: an export at the listing's address is another
// representation with a tag of its own, revalidated like the page, and
// the answers say they vary by Accept.
func TestExportTags(t *testing.T) {
	engines(t, func(t *testing.T, c *client) {
		c.create(valid("Xưởng Xuất " + c.suffix))
		page := c.do("GET", "/v1/entities?sector=design", nil).want(http.StatusOK)
		csv := c.do("GET", "/v1/entities?sector=design", nil, "Accept", "text/csv").want(http.StatusOK)
		if page.header.Get("ETag") == csv.header.Get("ETag") || csv.header.Get("ETag") == "" {
			t.Errorf("page ETag %q, CSV export ETag %q: want two tags", page.header.Get("ETag"), csv.header.Get("ETag"))
		}
		for _, r := range []*response{page, csv} {
			if r.header.Get("Vary") != "Accept" || r.header.Get("Cache-Control") != "public, no-cache" {
				t.Errorf("Vary %q, Cache-Control %q", r.header.Get("Vary"), r.header.Get("Cache-Control"))
			}
		}
		c.do("GET", "/v1/entities?sector=design", nil, "Accept", "text/csv", "If-None-Match", csv.header.Get("ETag")).want(http.StatusNotModified)
		// The page's tag is not the export's.
		c.do("GET", "/v1/entities?sector=design", nil, "Accept", "text/csv", "If-None-Match", page.header.Get("ETag")).want(http.StatusOK)
	})
}

// TestPrivateAndSecretAnswers: answers that depend on the caller's key are
// private, the one holding a new key's secret is never stored, and a
// problem is never given a tag or made cacheable as if it were the
// resource.
func TestPrivateAndSecretAnswers(t *testing.T) {
	engines(t, func(t *testing.T, c *client) {
		e := c.create(valid("Xưởng Riêng " + c.suffix))
		c.do("DELETE", "/v1/entities/"+e.ID, nil, "If-Match", `"1"`).want(http.StatusNoContent)
		editor := []string{"Authorization", "Bearer " + c.editor}
		for _, p := range []string{"/v1/entities?status=archived", "/v1/entities?status=all&format=csv", "/v1/stats?group_by=kind&status=all"} {
			res := c.do("GET", p, nil, editor...).want(http.StatusOK)
			tag := res.header.Get("ETag")
			if res.header.Get("Cache-Control") != "private, no-cache" || tag == "" {
				t.Errorf("GET %s with a key: Cache-Control %q, ETag %q; want private, no-cache and a tag", p, res.header.Get("Cache-Control"), tag)
			}
			again := c.do("GET", p, nil, append(editor, "If-None-Match", tag)...).want(http.StatusNotModified)
			if again.header.Get("Cache-Control") != "private, no-cache" {
				t.Errorf("GET %s, 304: Cache-Control %q", p, again.header.Get("Cache-Control"))
			}
		}
		// Public data read with a key is still public: the key changes nothing in it.
		if cc := c.do("GET", "/v1/entities", nil, editor...).want(http.StatusOK).header.Get("Cache-Control"); cc != "public, no-cache" {
			t.Errorf("active listing read with a key: Cache-Control %q", cc)
		}

		created := c.do("POST", "/v1/keys", map[string]string{"name": "bí-mật-" + c.suffix, "role": "editor"}, "Authorization", "Bearer "+c.admin).want(http.StatusCreated)
		if cc := created.header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("POST /v1/keys (the secret): Cache-Control %q, want no-store", cc)
		}

		for _, p := range []string{"/v1/sectors/no-such-sector", "/v1/entities/no-such-entity", "/v1/entities?sector=no-such-sector", "/v1/stats"} {
			res := c.do("GET", p, nil)
			if res.status < 400 || res.header.Get("ETag") != "" || res.header.Get("Cache-Control") != "" {
				t.Errorf("GET %s: status %d, ETag %q, Cache-Control %q; want a problem without them", p, res.status, res.header.Get("ETag"), res.header.Get("Cache-Control"))
			}
		}
	})
}
