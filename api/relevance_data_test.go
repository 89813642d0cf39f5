package api_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"testing"

	"github.com/hanoicreative/registry/api"
)

// The relevance data set (testdata/relevance): some 220 of Hà Nội's
// creative entities with real kinds of names (craft villages, theatres,
// museums, galleries, schools, studios, shops, cafés), the traps of issue
// 11 ("Hanoi Creative City", "Studio Nội Thất Hạ Long", "Smart Living",
// "Chợ Quà Đồng Dao", "Lửa Hồng") and words that differ only in their
// diacritics or in where the tone mark sits.

// loadRelevanceData imports the data set through the API, as a
// department's import would, and archives the entities archived.json names.
func loadRelevanceData(t *testing.T, c *client) {
	t.Helper()
	body, archived := relevanceFiles(t)
	var result struct{ Created int }
	c.do("POST", "/v1/imports", body).want(http.StatusOK).decode(&result)
	if result.Created < 150 {
		t.Fatalf("the import created %d entities", result.Created)
	}
	for _, slug := range archived {
		c.do("DELETE", "/v1/entities/"+slug, nil, "If-Match", `"1"`).want(http.StatusNoContent)
	}
}

// relevanceFiles reads the data set: the import's body and the slugs to
// archive.
func relevanceFiles(t *testing.T) (body []byte, archived []string) {
	t.Helper()
	body, err := os.ReadFile("testdata/relevance/entities.json")
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile("testdata/relevance/archived.json")
	if err != nil {
		t.Fatal(err)
	}
	var a struct{ Archive []string }
	if err := json.Unmarshal(data, &a); err != nil {
		t.Fatal(err)
	}
	return body, a.Archive
}

// readRelevanceData reads the active entities of the data set, in import
// order, as written (without the server).
func readRelevanceData(t *testing.T) []api.Entity {
	t.Helper()
	body, archived := relevanceFiles(t)
	var all []api.Entity
	if err := json.Unmarshal(body, &all); err != nil {
		t.Fatal(err)
	}
	return slices.DeleteFunc(all, func(e api.Entity) bool { return slices.Contains(archived, e.Slug) })
}

// search walks every page of GET /v1/entities?q=query&extra (limit 100)
// and returns the entities in order, with the first page's total.
func (c *client) search(query, extra string) ([]api.Entity, int) {
	c.t.Helper()
	params := "q=" + url.QueryEscape(query)
	if extra != "" {
		params += "&" + extra
	}
	pages := c.walk(params, 100)
	return pages.entities, pages.total
}

// walked is what walking a listing's pages gave.
type walked struct {
	entities []api.Entity
	total    int                       // the first page's total
	facets   map[string]map[string]int // the first page's facets
	pages    int
}

// walk follows next_cursor from the first page of /v1/entities?params to
// the last, with the given page size, checking that every page agrees on
// the total and the facets. headers are sent with every request.
func (c *client) walk(params string, limit int, headers ...string) walked {
	c.t.Helper()
	var out walked
	cursor := ""
	for {
		path := "/v1/entities?limit=" + strconv.Itoa(limit)
		if params != "" {
			path += "&" + params
		}
		if cursor != "" {
			path += "&cursor=" + url.QueryEscape(cursor)
		}
		var page api.EntityList
		c.do("GET", path, nil, headers...).want(http.StatusOK).decode(&page)
		if out.pages == 0 {
			out.total, out.facets = page.Page.Total, page.Facets
		} else if page.Page.Total != out.total {
			c.t.Fatalf("?%s: page %d says total %d, the first page %d", params, out.pages+1, page.Page.Total, out.total)
		}
		out.pages++
		if len(page.Data) > limit {
			c.t.Fatalf("?%s: %d entities on a page of %d", params, len(page.Data), limit)
		}
		out.entities = append(out.entities, page.Data...)
		if page.Page.NextCursor == nil {
			return out
		}
		if len(page.Data) == 0 {
			c.t.Fatalf("?%s: an empty page with a next_cursor", params)
		}
		if out.pages > 1000 {
			c.t.Fatalf("?%s: more than 1000 pages", params)
		}
		cursor = *page.Page.NextCursor
	}
}

// slugsOf lists the entities' slugs in order.
func slugsOf(entities []api.Entity) []string {
	out := make([]string, len(entities))
	for i, e := range entities {
		out[i] = e.Slug
	}
	return out
}
