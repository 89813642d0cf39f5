package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
)

// corpus is what the targets are made of, gathered from a running server
// before the load: every page of every sector, every slug and its ETag,
// and the reference data.
type corpus struct {
	Sectors   []string
	Kinds     []string
	Wards     []string // ward names without diacritics, lower case ("hoan kiem")
	ListPaths []string // /v1/entities?sector=S&limit=50[&cursor=C], sectors interleaved
	Slugs     []string // shuffled
	ETags     []string // ETags[i] is Slugs[i]'s; only when collected
}

type pageJSON struct {
	Data []struct {
		Slug string `json:"slug"`
	} `json:"data"`
	Page struct {
		NextCursor *string `json:"next_cursor"`
		Total      int     `json:"total"`
	} `json:"page"`
}

// gatherCorpus reads the reference data and walks every sector's pages, or
// the first maxPages of each (0: all). A walk that stops early has not seen
// every entity: then the slugs come from the change feed.
func gatherCorpus(ctx context.Context, c *apiClient, maxPages int) (*corpus, error) {
	var cp corpus
	var sectors, kinds struct {
		Data []struct {
			Slug string `json:"slug"`
		} `json:"data"`
	}
	var wards struct {
		Data []struct {
			NameEn string `json:"name_en"`
		} `json:"data"`
	}
	for path, out := range map[string]any{"/v1/sectors": &sectors, "/v1/kinds": &kinds, "/v1/wards": &wards} {
		if err := c.getJSON(ctx, path, out); err != nil {
			return nil, err
		}
	}
	for _, s := range sectors.Data {
		cp.Sectors = append(cp.Sectors, s.Slug)
	}
	for _, k := range kinds.Data {
		cp.Kinds = append(cp.Kinds, k.Slug)
	}
	for _, w := range wards.Data {
		cp.Wards = append(cp.Wards, lowerASCII(w.NameEn))
	}
	if len(cp.Sectors) == 0 || len(cp.Kinds) == 0 {
		return nil, fmt.Errorf("the server lists no sectors or no kinds")
	}

	// Walk the sectors concurrently, each page after the other.
	pages := make([][]string, len(cp.Sectors))
	slugSets := make([][]string, len(cp.Sectors))
	errs := make([]error, len(cp.Sectors))
	limit := make(chan struct{}, 4)
	var wg sync.WaitGroup
	for i, sector := range cp.Sectors {
		wg.Go(func() {
			limit <- struct{}{}
			defer func() { <-limit }()
			pages[i], slugSets[i], errs[i] = walkSector(ctx, c, sector, maxPages)
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	// Interleave the sectors: consecutive requests ask for different
	// sectors and pages.
	for depth := 0; ; depth++ {
		added := false
		for _, p := range pages {
			if depth < len(p) {
				cp.ListPaths = append(cp.ListPaths, p[depth])
				added = true
			}
		}
		if !added {
			break
		}
	}
	if maxPages > 0 {
		// The capped sectors' last pages were not seen: take every slug
		// from the change feed instead.
		feed, err := feedSlugs(ctx, c)
		if err != nil {
			return nil, err
		}
		slugSets = [][]string{feed}
	}
	seen := map[string]bool{}
	for _, set := range slugSets {
		for _, s := range set {
			if !seen[s] {
				seen[s] = true
				cp.Slugs = append(cp.Slugs, s)
			}
		}
	}
	if len(cp.Slugs) == 0 {
		return nil, fmt.Errorf("walking the sectors found no entity")
	}
	rng := rand.New(rand.NewPCG(1, 2))
	rng.Shuffle(len(cp.Slugs), func(i, j int) { cp.Slugs[i], cp.Slugs[j] = cp.Slugs[j], cp.Slugs[i] })
	return &cp, nil
}

// walkSector follows next_cursor from the sector's first page to its last,
// or to its maxPages-th (0: no limit), and returns each page's path and the
// slugs seen.
func walkSector(ctx context.Context, c *apiClient, sector string, maxPages int) (paths, slugs []string, err error) {
	first := "/v1/entities?sector=" + url.QueryEscape(sector) + "&limit=50"
	path := first
	for {
		var page pageJSON
		if err := c.getJSON(ctx, path, &page); err != nil {
			return nil, nil, err
		}
		paths = append(paths, path)
		for _, e := range page.Data {
			slugs = append(slugs, e.Slug)
		}
		if page.Page.NextCursor == nil || *page.Page.NextCursor == "" || len(paths) == maxPages {
			return paths, slugs, nil
		}
		if len(paths) > 100000 {
			return nil, nil, fmt.Errorf("sector %s: more than 100000 pages: next_cursor loops?", sector)
		}
		path = first + "&cursor=" + url.QueryEscape(*page.Page.NextCursor)
	}
}

// feedSlugs reads the whole change feed, 1000 changes a page, and returns
// the slugs it names.
func feedSlugs(ctx context.Context, c *apiClient) ([]string, error) {
	var slugs []string
	seen := map[string]bool{}
	after := int64(0)
	for {
		var page struct {
			Data []struct {
				Slug string `json:"slug"`
			} `json:"data"`
			NextAfter int64 `json:"next_after"`
		}
		if err := c.getJSON(ctx, fmt.Sprintf("/v1/changes?after=%d&limit=1000", after), &page); err != nil {
			return nil, err
		}
		for _, ch := range page.Data {
			if !seen[ch.Slug] {
				seen[ch.Slug] = true
				slugs = append(slugs, ch.Slug)
			}
		}
		if len(page.Data) == 0 || page.NextAfter <= after {
			return slugs, nil
		}
		after = page.NextAfter
	}
}

// collectETags fetches every slug once and keeps its ETag.
func (cp *corpus) collectETags(ctx context.Context, c *apiClient) error {
	cp.ETags = make([]string, len(cp.Slugs))
	var next atomic.Int64
	var mu sync.Mutex
	var firstErr error
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= len(cp.Slugs) || ctx.Err() != nil {
					return
				}
				path := "/v1/entities/" + url.PathEscape(cp.Slugs[i])
				resp, body, err := c.get(ctx, path)
				if err == nil && (resp.StatusCode != http.StatusOK || resp.Header.Get("ETag") == "") {
					err = fmt.Errorf("GET %s: %s, ETag %q: %s", path, resp.Status, resp.Header.Get("ETag"), snippet(body))
				}
				if err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					next.Store(int64(len(cp.Slugs))) // stop the others
					return
				}
				cp.ETags[i] = resp.Header.Get("ETag")
			}
		})
	}
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	return ctx.Err()
}

// lowerASCII lower-cases ASCII letters.
func lowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
