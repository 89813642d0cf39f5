package index

import (
	"slices"

	"github.com/maypok86/otter/v2"

	"github.com/hanoicreative/registry/internal/registry"
)

// The caches' bounds are part of the server's memory budget (see
// cmd/registry's memory.go): at 100,000 entities the index takes some 45
// MiB of the 112 MiB limit, and what the caches take the collector cannot
// use to run seldom.
const (
	// wordCacheBytes bounds the documents kept per search word (a common
	// word of 100,000 entities takes 50 to 150 KB).
	wordCacheBytes = 5 << 20
	// entityCacheBytes bounds the entities kept for pages and reads.
	entityCacheBytes = 5 << 20
	// listedSlots bounds the entities listed once that the entity cache's
	// doorkeeper remembers (128 KiB).
	listedSlots = 1 << 14
)

func newWordCache() *otter.Cache[string, *wordHits] {
	return otter.Must(&otter.Options[string, *wordHits]{
		MaximumWeight: wordCacheBytes,
		Weigher:       func(w string, h *wordHits) uint32 { return h.weight },
	})
}

// newEntityCache keeps entities as read from the database, by id; one is
// good while the index holds it at the same version.
func newEntityCache() *otter.Cache[string, registry.Entity] {
	return otter.Must(&otter.Options[string, registry.Entity]{
		MaximumWeight: entityCacheBytes,
		Weigher: func(ref string, e registry.Entity) uint32 {
			n := len(ref) + len(e.ID) + len(e.Slug) + len(e.Name) + len(e.NameEn) + len(e.Kind) + len(e.Description) +
				len(e.DescriptionEn) + len(e.Address.Street) + len(e.Address.Ward) + len(e.Address.City) +
				len(e.Contact.Website) + len(e.Contact.Email) + len(e.Contact.Phone) + 400
			for _, s := range e.Sectors {
				n += len(s) + 16
			}
			for _, l := range e.Links {
				n += len(l) + 16
			}
			n += (len(e.Photos) + 1) * 300 // an image's hashes, types and sizes
			return uint32(n)
		},
	})
}

func newSlugCache() *otter.Cache[string, string] {
	return otter.Must(&otter.Options[string, string]{
		MaximumWeight: 2 << 20,
		Weigher:       func(slug, id string) uint32 { return uint32(len(slug) + len(id) + 64) },
	})
}

// cloneEntity copies e deeply enough that the caller may change it.
func cloneEntity(e registry.Entity) registry.Entity {
	e.Sectors, e.Links = slices.Clone(e.Sectors), slices.Clone(e.Links)
	if e.FoundedYear != nil {
		y := *e.FoundedYear
		e.FoundedYear = &y
	}
	if e.Location != nil {
		l := *e.Location
		e.Location = &l
	}
	if e.Logo != nil {
		logo := *e.Logo
		e.Logo = &logo
	}
	e.Photos = slices.Clone(e.Photos)
	return e
}
