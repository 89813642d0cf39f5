package index

import (
	"slices"
	"testing"
	"time"

	"github.com/hanoicreative/registry/internal/registry"
)

// TestLentWordsComeBackClear: the words-by-token slice a phrase search
// borrows has its query's bits while in use, and none once given back, so
// that the next search that borrows it does not find its tokens in words
// it never had.
func TestLentWordsComeBackClear(t *testing.T) {
	ix := newIndex()
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := ix.put([]registry.Entity{
		{ID: "0199a000-0000-7000-8000-000000000001", Name: "Xưởng Gốm Bát Tràng", Kind: "artisan", Status: registry.StatusActive, Version: 1, CreatedAt: at, UpdatedAt: at},
		{ID: "0199a000-0000-7000-8000-000000000002", Name: "Nhà Hát Chèo", Kind: "space", Status: registry.StatusActive, Version: 1, CreatedAt: at, UpdatedAt: at},
	}); err != nil {
		t.Fatal(err)
	}
	_, p := ix.match(registry.Filter{Words: []string{"gom", "bat"}})
	ix.tokenWords(p)
	set := 0
	for _, bits := range p.words {
		if bits != 0 {
			set++
		}
	}
	if set == 0 {
		t.Fatal("no token has the query's words")
	}
	lent := p.lent
	ix.releaseWords(p)
	if p.words != nil || p.lent != nil {
		t.Error("the plan keeps the words it gave back")
	}
	if i := slices.IndexFunc(*lent, func(bits uint16) bool { return bits != 0 }); i >= 0 {
		t.Fatalf("token %d still has bits %b once given back", i, (*lent)[i])
	}
}
