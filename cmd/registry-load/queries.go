package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// searchWords are what people type into the search box: single words and
// phrases, mostly without diacritics, some with, some in capitals.
var searchWords = []string{
	"gom", "bat trang", "lua", "khong gian", "thiet ke", "studio", "son mai", "tranh dan gian",
	"giay do", "xuong gom", "nha hat", "cheo", "mua roi", "phim", "nha sach", "tro choi", "lang nghe",
	"pho co", "di san", "thoi trang", "tho cam", "tre may", "minh hoa", "gallery", "hoc vien",
	"sang tao", "trien lam", "thang long", "hoa sua", "van mieu", "design studio", "pottery", "silk",
	"lacquer", "khong gian sang tao", "Gốm", "nhà hát", "ĐÔNG", "Lụa Hà Đông", "xuong phim",
}

// wardCombos are the words put before a ward's name in two-word queries.
var wardCombos = []string{"gom", "lua", "studio", "thiet ke", "gallery", "nha sach"}

// searchQueries returns the search box's queries: searchWords, ward names
// without diacritics, and a word with a ward.
func searchQueries(cp *corpus) []string {
	qs := append([]string(nil), searchWords...)
	// Every eighth ward, then a word with each of the first few of those.
	var wards []string
	for i := 0; i < len(cp.Wards); i += 8 {
		wards = append(wards, cp.Wards[i])
	}
	qs = append(qs, wards...)
	for i, w := range wards {
		if i >= len(wardCombos) {
			break
		}
		qs = append(qs, wardCombos[i]+" "+w)
	}
	return qs
}

// searchPaths are GET /v1/entities?q=...&limit=20 for each query.
func searchPaths(queries []string) []string {
	var out []string
	for _, q := range queries {
		out = append(out, "/v1/entities?q="+url.QueryEscape(q)+"&limit=20")
	}
	return out
}

// coldSearchPaths are n distinct searches, shuffled: two words of the
// search box's queries, or a query with a ward, each with a page size of
// its own (from 10 to 30), so that the response cache has seen none of
// them when it is asked.
func coldSearchPaths(queries []string, n int) []string {
	var words []string
	for _, q := range queries {
		for _, w := range strings.Fields(strings.ToLower(q)) {
			if !slices.Contains(words, w) {
				words = append(words, w)
			}
		}
	}
	seen := map[string]bool{}
	var out []string
	rng := rand.New(rand.NewPCG(5, 25))
	for tries := 0; len(out) < n && tries < 20*n; tries++ {
		var q string
		if rng.IntN(2) == 0 {
			q = words[rng.IntN(len(words))] + " " + words[rng.IntN(len(words))]
		} else {
			q = queries[rng.IntN(len(queries))]
		}
		p := "/v1/entities?q=" + url.QueryEscape(q) + "&limit=" + strconv.Itoa(10+rng.IntN(21))
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}

// facetPaths ask for the sector, kind and ward counts of everything, of
// each sector, of each kind and of some searches.
func facetPaths(cp *corpus, queries []string) []string {
	const base = "/v1/entities?facets=sector,kind,ward&limit=1"
	out := []string{base}
	for _, s := range cp.Sectors {
		out = append(out, base+"&sector="+url.QueryEscape(s))
	}
	for _, k := range cp.Kinds {
		out = append(out, base+"&kind="+url.QueryEscape(k))
	}
	for i, q := range queries {
		if i%3 == 0 {
			out = append(out, base+"&q="+url.QueryEscape(q))
		}
	}
	return out
}

// checkSearches runs each search once, one at a time, with limit=1 (not
// the URL of the search scenario, whose answers are then not cached yet):
// a query the API refuses is a mistake here (an error); one that finds
// nothing is only worth a note. It also says how long each took.
func checkSearches(ctx context.Context, c *apiClient, queries []string) (zero []string, took []time.Duration, err error) {
	for _, q := range queries {
		var page pageJSON
		begin := time.Now()
		if err := c.getJSON(ctx, "/v1/entities?q="+url.QueryEscape(q)+"&limit=1", &page); err != nil {
			return nil, nil, fmt.Errorf("search %q: %w", q, err)
		}
		took = append(took, time.Since(begin))
		if page.Page.Total == 0 {
			zero = append(zero, q)
		}
	}
	return zero, took, nil
}

// quoteAll quotes each string, for messages.
func quoteAll(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}
