package index

import (
	"reflect"
	"strings"
	"unsafe"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/maypok86/otter/v2"

	"github.com/hanoicreative/registry/internal/registry"
)

// The results cache keeps the first documents of plain searches (words,
// the default status, nothing else) by relevance, as of a generation of
// the index, as Solr's query result cache does: the search box's popular
// queries come back with other page sizes (a partner's list of 12, a map
// of 30), and a page of fewer documents is the first part of a page of
// more, relevance being a total order. Ranking the first page is the
// costly part of a search of three or four words (some 2.5 ms of CPU at
// 100,000 entities, ten times one of two words); the total, facets and
// entities are still read for every request.

// resultsCacheBytes bounds the results cache (some 400 first pages).
const resultsCacheBytes = 1 << 20

// rankedPage is the first documents of a search, as of generation gen;
// complete when they are all its documents.
type rankedPage struct {
	gen      uint64
	docs     []position // never changed: shared by readers
	complete bool
}

func newResultsCache() *otter.Cache[string, *rankedPage] {
	return otter.Must(&otter.Options[string, *rankedPage]{
		MaximumWeight: resultsCacheBytes,
		Weigher: func(key string, r *rankedPage) uint32 {
			return uint32(len(key) + len(r.docs)*int(unsafe.Sizeof(position{})) + 64)
		},
	})
}

// resultsKey names the first page of a plain search; ok is false for any
// other listing (a cursor, a filter besides the words and the status).
func resultsKey(q registry.ListQuery, after *position) (key string, ok bool) {
	f := q.Filter
	// Compared whole, so that a filter field added later is never left
	// out of the key: a search that has one is not cached.
	if after != nil || len(f.Words) == 0 || !reflect.DeepEqual(f, registry.Filter{Words: f.Words, Status: f.Status}) {
		return "", false
	}
	return string(f.Status) + "\x00" + strings.Join(f.Words, "\x00"), true
}

// relevant returns the first k documents of set by relevance after the
// cursor, from the results cache when q is a plain search's first page
// and the index has not changed since it was ranked. Never change them.
func (ix *index) relevant(set *roaring.Bitmap, p *plan, q registry.ListQuery, after *position, k int) []position {
	key, cacheable := resultsKey(q, after)
	if cacheable {
		if r, ok := ix.results.GetIfPresent(key); ok && r.gen == ix.gen && (len(r.docs) >= k || r.complete) {
			return r.docs[:min(k, len(r.docs)):min(k, len(r.docs))]
		}
	}
	docs, ok := ix.tiered(set, p, after, k)
	if !ok {
		docs = ix.ranked(set, p, after, k)
	}
	if cacheable {
		ix.results.Set(key, &rankedPage{gen: ix.gen, docs: docs, complete: len(docs) < k})
	}
	return docs
}
