package api_test

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hanoicreative/registry/api"
)

func TestListEntities(t *testing.T) {
	engines(t, func(t *testing.T, c *client) {
		fixtures := []map[string]any{
			{"name": "Xưởng Gốm Bát Tràng", "kind": "artisan", "sectors": []string{"crafts"}, "address": map[string]any{"ward": "Bát Tràng"}, "founded_year": 1990},
			{"name": "Hanoi Design Lab", "kind": "creative-space", "sectors": []string{"design", "software-games"}, "address": map[string]any{"ward": "Hoàn Kiếm"}, "founded_year": 2015},
			{"name": "Đồ Thủ Công Việt", "kind": "design-brand", "sectors": []string{"crafts", "design"}, "address": map[string]any{"ward": "Hoàn Kiếm"}},
			{"name": "Nhà hát Đồng Đội", "kind": "organization", "sectors": []string{"performing-arts"}, "founded_year": 2001},
			{"name": "Ánh Sáng Film", "kind": "business", "sectors": []string{"film"}, "founded_year": 2020},
		}
		for _, f := range fixtures {
			c.create(f)
		}
		list := func(query string) (api.EntityList, *response) {
			t.Helper()
			var l api.EntityList
			res := c.do("GET", "/v1/entities?"+query, nil).want(http.StatusOK)
			res.decode(&l)
			return l, res
		}
		namesOf := func(l api.EntityList) []string {
			var out []string
			for _, e := range l.Data {
				out = append(out, e.Name)
			}
			return out
		}
		cases := []struct{ query, want string }{
			{"", "Ánh Sáng Film|Đồ Thủ Công Việt|Hanoi Design Lab|Nhà hát Đồng Đội|Xưởng Gốm Bát Tràng"},
			{"sector=crafts", "Đồ Thủ Công Việt|Xưởng Gốm Bát Tràng"},
			{"sector=crafts,film", "Ánh Sáng Film|Đồ Thủ Công Việt|Xưởng Gốm Bát Tràng"},
			{"sector=crafts&sector=design&match=all", "Đồ Thủ Công Việt"},
			{"kind=artisan&kind=business", "Ánh Sáng Film|Xưởng Gốm Bát Tràng"},
			{"ward=hoan+kiem", "Đồ Thủ Công Việt|Hanoi Design Lab"},
			{"ward=00577", "Xưởng Gốm Bát Tràng"},
			{"founded_from=2001&founded_to=2015", "Hanoi Design Lab|Nhà hát Đồng Đội"},
			{"q=ĐÔNG", "Nhà hát Đồng Đội"},
			{"q=hoan+kiem", "Đồ Thủ Công Việt|Hanoi Design Lab"},
			{"q=cong", "Đồ Thủ Công Việt"},
			{"sort=-name", "Xưởng Gốm Bát Tràng|Nhà hát Đồng Đội|Hanoi Design Lab|Đồ Thủ Công Việt|Ánh Sáng Film"},
			{"sort=founded_year", "Xưởng Gốm Bát Tràng|Nhà hát Đồng Đội|Hanoi Design Lab|Ánh Sáng Film|Đồ Thủ Công Việt"},
			{"sort=-founded_year", "Ánh Sáng Film|Hanoi Design Lab|Nhà hát Đồng Đội|Xưởng Gốm Bát Tràng|Đồ Thủ Công Việt"},
			{"updated_since=2000-01-01T00:00:00Z&status=active", "Ánh Sáng Film|Đồ Thủ Công Việt|Hanoi Design Lab|Nhà hát Đồng Đội|Xưởng Gốm Bát Tràng"},
			{"updated_since=2999-01-01T00:00:00%2B07:00", ""},
		}
		for _, tc := range cases {
			l, _ := list(tc.query)
			if got := strings.Join(namesOf(l), "|"); got != tc.want {
				t.Errorf("?%s:\n got %s\nwant %s", tc.query, got, tc.want)
			}
			if l.Page.Total != len(l.Data) {
				t.Errorf("?%s: total %d for %d rows", tc.query, l.Page.Total, len(l.Data))
			}
		}

		// Paging: Link header and next_cursor walk every entity once.
		var seen []string
		l, res := list("limit=2&sector=crafts,design,film,performing-arts,software-games")
		for {
			seen = append(seen, namesOf(l)...)
			if l.Page.Total != 5 || l.Page.Limit != 2 {
				t.Fatalf("page %+v", l.Page)
			}
			if l.Page.NextCursor == nil {
				if res.header.Get("Link") != "" {
					t.Errorf("Link on the last page: %s", res.header.Get("Link"))
				}
				break
			}
			m := regexp.MustCompile(`^<(/v1/entities\?[^>]+)>; rel="next"$`).FindStringSubmatch(res.header.Get("Link"))
			if m == nil {
				t.Fatalf("Link %q", res.header.Get("Link"))
			}
			u, _ := url.Parse(m[1])
			if u.Query().Get("cursor") != *l.Page.NextCursor || u.Query().Get("limit") != "2" {
				t.Fatalf("Link %q does not carry the cursor and the filters", m[1])
			}
			l, res = list(u.RawQuery)
		}
		if len(seen) != 5 {
			t.Fatalf("walked %v", seen)
		}

		// fields keeps the selected top-level fields (and id), in order.
		res = c.do("GET", "/v1/entities?fields=name,sectors&limit=1", nil).want(http.StatusOK)
		if !regexp.MustCompile(`^\{"data":\[\{"id":"[^"]+","name":"Ánh Sáng Film","sectors":\["film"\]\}\],"page":`).Match(res.body) {
			t.Errorf("fields: %s", res.body)
		}
		// facets count the whole filtered set.
		l, _ = list("facets=sector,kind,ward&limit=1&sector=crafts,design")
		if l.Facets["sector"]["crafts"] != 2 || l.Facets["sector"]["design"] != 2 || l.Facets["sector"]["software-games"] != 1 ||
			l.Facets["kind"]["artisan"] != 1 || l.Facets["ward"]["Hoàn Kiếm"] != 2 || l.Facets["ward"]["Bát Tràng"] != 1 || len(l.Data) != 1 {
			t.Errorf("facets %+v", l.Facets)
		}
		if l, _ := list("limit=1"); l.Facets != nil {
			t.Errorf("facets without asking: %+v", l.Facets)
		}
	})
}

func TestListRejectsBadQueries(t *testing.T) {
	engines(t, func(t *testing.T, c *client) {
		c.create(valid("Một"))
		c.create(valid("Hai"))
		var l api.EntityList
		c.do("GET", "/v1/entities?limit=1", nil).want(http.StatusOK).decode(&l)
		cursor := *l.Page.NextCursor
		for _, q := range []string{
			"limit=0", "limit=101", "limit=abc", "limit=1&limit=2",
			"sector=cooking", "kind=robot", "ward=Quận+1", "match=some",
			"founded_from=abc", "updated_since=yesterday", "status=deleted",
			"sort=color", "fields=name,secret", "facets=colour",
			"cursor=garbage", "cursor=" + cursor + "&sector=design",
			"sectors=design", "q=" + strings.Repeat("a", 201), "q=" + strings.Repeat("a+", 11),
		} {
			p := c.do("GET", "/v1/entities?"+q, nil).problem(http.StatusBadRequest)
			if p.Type != "/problems/malformed" {
				t.Errorf("?%s: type %s", q, p.Type)
			}
		}
		c.do("GET", "/v1/entities?cursor="+cursor+"&limit=5", nil).want(http.StatusOK)
	})
}

func TestReferenceData(t *testing.T) {
	engines(t, func(t *testing.T, c *client) {
		body := valid("Đếm")
		body["sectors"] = []string{"crafts", "film"}
		c.create(body)
		archived := c.create(valid("Cũ"))
		c.do("DELETE", "/v1/entities/"+archived.ID, nil, "If-Match", `"1"`).want(http.StatusNoContent)

		var sectors api.SectorList
		c.do("GET", "/v1/sectors", nil).want(http.StatusOK).decode(&sectors)
		var slugs []string
		for _, s := range sectors.Data {
			slugs = append(slugs, s.Slug)
		}
		if !slices.Equal(slugs, []string{"design", "crafts", "visual-arts", "performing-arts", "film", "publishing", "software-games", "cultural-tourism"}) {
			t.Fatalf("sectors %v", slugs)
		}
		if sectors.Data[0].EntityCount != 0 || sectors.Data[1].EntityCount != 1 || sectors.Data[4].EntityCount != 1 {
			t.Errorf("entity counts (archived excluded): %+v", sectors.Data)
		}
		var one api.Sector
		c.do("GET", "/v1/sectors/crafts", nil).want(http.StatusOK).decode(&one)
		if one.Name != "Thủ công mỹ nghệ" || one.EntityCount != 1 || one.Description != nil {
			t.Errorf("sector %+v", one)
		}
		c.do("GET", "/v1/sectors/cooking", nil).problem(http.StatusNotFound)

		var kinds api.KindList
		c.do("GET", "/v1/kinds", nil).want(http.StatusOK).decode(&kinds)
		if len(kinds.Data) != 7 || kinds.Data[2].Slug != "artisan" || kinds.Data[2].Name != "Nghệ nhân" {
			t.Errorf("kinds %+v", kinds.Data)
		}
		var wards api.WardList
		c.do("GET", "/v1/wards", nil).want(http.StatusOK).decode(&wards)
		if len(wards.Data) != 126 || wards.Data[3] != (api.Ward{Code: "00070", Name: "Hoàn Kiếm", NameEn: "Hoan Kiem"}) {
			t.Errorf("wards: %d, %+v", len(wards.Data), wards.Data[3])
		}
	})
}
