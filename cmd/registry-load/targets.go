package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sync/atomic"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// getTargets are GET base+path for each path, round-robin.
func getTargets(base string, paths []string) vegeta.Targeter {
	return vegeta.NewStaticTargeter(getTargetList(base, paths)...)
}

func getTargetList(base string, paths []string) []vegeta.Target {
	out := make([]vegeta.Target, len(paths))
	for i, p := range paths {
		out[i] = vegeta.Target{Method: http.MethodGet, URL: base + p}
	}
	return out
}

// entityPaths are /v1/entities/{slug} for each slug.
func entityPaths(slugs []string) []string {
	out := make([]string, len(slugs))
	for i, s := range slugs {
		out[i] = "/v1/entities/" + url.PathEscape(s)
	}
	return out
}

// conditionalTargets are GET /v1/entities/{slug} with If-None-Match: the
// slug's ETag, round-robin.
func conditionalTargets(base string, slugs, etags []string) vegeta.Targeter {
	out := getTargetList(base, entityPaths(slugs))
	for i := range out {
		out[i].Header = http.Header{"If-None-Match": {etags[i]}}
	}
	return vegeta.NewStaticTargeter(out...)
}

// createTargets make a new entity per request: POST /v1/entities with the
// editor key and a body with a name of its own, "Tải RUN N".
func createTargets(base, key, run string) vegeta.Targeter {
	header := http.Header{"Authorization": {"Bearer " + key}, "Content-Type": {"application/json"}}
	var n atomic.Int64
	return func(t *vegeta.Target) error {
		if t == nil {
			return vegeta.ErrNilTarget
		}
		body, err := json.Marshal(map[string]any{
			"name": fmt.Sprintf("Tải %s %d", run, n.Add(1)), "kind": "designer", "sectors": []string{"design"},
		})
		if err != nil {
			return err
		}
		*t = vegeta.Target{Method: http.MethodPost, URL: base + "/v1/entities", Body: body, Header: header}
		return nil
	}
}

// mixPattern is the share of each kind of request in a mix: of ten
// requests, 3 list pages, 4 entities, 2 searches and 1 facet count.
const mixPattern = "lgslgflgsg"

// mixTargets interleave list pages, entities, searches and facets after
// mixPattern, each kind cycling through its own paths.
func mixTargets(base string, list, get, search, facets []string) vegeta.Targeter {
	pools := map[byte][]string{'l': list, 'g': get, 's': search, 'f': facets}
	longest := 0
	for _, p := range pools {
		longest = max(longest, len(p))
	}
	// Long enough for every path of the largest pool to come up, at most
	// 100,000 targets (then each pool starts over where it stopped).
	n := min(100000, longest*len(mixPattern)/3+len(mixPattern))
	next := map[byte]int{}
	paths := make([]string, 0, n)
	for i := range n {
		k := mixPattern[i%len(mixPattern)]
		p := pools[k]
		paths = append(paths, p[next[k]%len(p)])
		next[k]++
	}
	return getTargets(base, paths)
}
