package index

import (
	"fmt"
	"runtime"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/hanoicreative/registry/internal/registry"
	"github.com/hanoicreative/registry/internal/sample"
	"github.com/hanoicreative/registry/internal/wards"
)

// BenchmarkSearch ranks searches over 100,000 synthetic entities held in
// an index built in memory (no database, so it sets up in seconds):
// two-word searches of the search box's words paired at random, each
// word's documents not cached (cold, as the load benchmark's searchcold),
// and misspelt words (typo matches through the FST).
func BenchmarkSearch(b *testing.B) {
	x, err := wards.Load()
	if err != nil {
		b.Fatal(err)
	}
	var heap0 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&heap0)
	ix := newIndex()
	ix.building = true
	var es []registry.Entity
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i, d := range sample.Synthetic(x, 100000, 1) {
		es = append(es, registry.Entity{ID: uuid.NewSHA1(uuid.NameSpaceOID, fmt.Append(nil, i)).String(),
			Name: d.Name, NameEn: d.NameEn, Kind: d.Kind, Sectors: d.Sectors, Description: d.Description,
			Address: registry.Address{Ward: d.Ward, WardCode: d.Ward, Street: d.Street}, Status: registry.StatusActive,
			Version: 1, CreatedAt: at, UpdatedAt: at})
		if len(es) == 2000 {
			if err := ix.put(es); err != nil {
				b.Fatal(err)
			}
			es = es[:0]
		}
	}
	if err := ix.put(es); err != nil {
		b.Fatal(err)
	}
	if err := ix.built(); err != nil {
		b.Fatal(err)
	}
	var heap1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&heap1)
	b.Logf("live heap grew by %.1f MiB while the index was built", float64(heap1.HeapAlloc-heap0.HeapAlloc)/(1<<20))
	b.Logf("index of %d entities: %d tokens, %.1f MiB (vocabulary %.1f, postings %.1f, FST %.1f, token arena %.1f, pairs %.1f)",
		len(ix.docs), len(ix.vocab.starts), float64(ix.size())/(1<<20), float64(ix.vocab.size())/(1<<20),
		float64(ix.posts.size())/(1<<20), float64(ix.lex.bytes)/(1<<20), float64(ix.arena.size())/(1<<20), float64(ix.pairs.size())/(1<<20))
	words := []string{"gom", "bat", "trang", "lua", "khong", "gian", "thiet", "ke", "studio", "nha", "hat", "cheo",
		"phim", "sach", "lang", "nghe", "pho", "co", "di", "san", "thoi", "gallery", "sang", "tao", "ha", "dong", "pottery", "silk"}
	typos := []string{"xuongg", "thiet kee", "khongg gian", "nghee", "galery", "sangtao", "studioo", "pottry", "lacqur", "trienlam"}
	run := func(b *testing.B, query func(i int) string, cold bool) {
		i := 0
		// The process's CPU time per search: on a shared machine the wall
		// clock measures the neighbours too.
		var before syscall.Rusage
		_ = syscall.Getrusage(syscall.RUSAGE_SELF, &before)
		defer func() {
			var after syscall.Rusage
			_ = syscall.Getrusage(syscall.RUSAGE_SELF, &after)
			cpu := time.Duration(after.Utime.Nano() + after.Stime.Nano() - before.Utime.Nano() - before.Stime.Nano())
			b.ReportMetric(float64(cpu.Microseconds())/1000/float64(max(i, 1)), "cpu-ms/op")
		}()
		for b.Loop() {
			if cold {
				ix.wordCache.InvalidateAll()
			}
			ws, err := registry.ParseSearch(query(i))
			if err != nil {
				b.Fatal(err)
			}
			if _, err := ix.list(registry.ListQuery{Filter: registry.Filter{Words: ws}, Limit: 10 + i%21}); err != nil {
				b.Fatal(err)
			}
			i++
		}
	}
	b.Run("cold-two-words", func(b *testing.B) {
		run(b, func(i int) string { return words[(i*7)%len(words)] + " " + words[(i*13+i/len(words))%len(words)] }, true)
	})
	b.Run("cold-one-word", func(b *testing.B) { run(b, func(i int) string { return words[i%len(words)] }, true) })
	b.Run("warm-two-words", func(b *testing.B) {
		run(b, func(i int) string { return words[(i*7)%len(words)] + " " + words[(i*13+i/len(words))%len(words)] }, false)
	})
	b.Run("typo", func(b *testing.B) { run(b, func(i int) string { return typos[i%len(typos)] }, true) })
	// The search box's phrases of the load benchmark (cmd/registry-load),
	// whose words are often adjacent in descriptions.
	phrases := []string{"bat trang", "khong gian", "thiet ke", "son mai", "tranh dan gian", "giay do", "xuong gom",
		"nha hat", "mua roi", "nha sach", "tro choi", "lang nghe", "pho co", "di san", "thoi trang", "tho cam", "tre may",
		"minh hoa", "hoc vien", "sang tao", "trien lam", "thang long", "hoa sua", "van mieu", "design studio",
		"khong gian sang tao", "nhà hát", "Lụa Hà Đông", "xuong phim"}
	b.Run("cold-phrases", func(b *testing.B) { run(b, func(i int) string { return phrases[i%len(phrases)] }, true) })
	for _, q := range benchQueries {
		b.Run("cold-"+q, func(b *testing.B) { run(b, func(int) string { return q }, true) })
	}
}

// benchQueries are searches of their own to measure (set by a test).
var benchQueries []string
