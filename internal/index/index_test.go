package index_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"math/rand/v2"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hanoicreative/registry/internal/fold"
	"github.com/hanoicreative/registry/internal/index"
	"github.com/hanoicreative/registry/internal/pgtest"
	"github.com/hanoicreative/registry/internal/registry"
	"github.com/hanoicreative/registry/internal/sample"
	"github.com/hanoicreative/registry/internal/store"
	"github.com/hanoicreative/registry/internal/store/storetest"
)

var pg *pgtest.Server

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m, &pg)) }

// env is one engine's database with two services over it: one answering
// from the index, one from SQL, which the index must agree with.
type env struct {
	dsn   string
	db    *store.DB
	idx   *index.Store
	viaIx *registry.Service
	viaDB *registry.Service
	ctx   context.Context
}

func engines(t *testing.T, fn func(t *testing.T, e env)) {
	t.Helper()
	storetest.Engines(t, pg, func(t *testing.T, dsn string) {
		db, w := storetest.Open(t, dsn)
		idx := index.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)))
		fn(t, env{dsn: dsn, db: db, idx: idx, viaIx: registry.NewService(idx, w), viaDB: registry.NewService(db, w), ctx: context.Background()})
	})
}

// seed imports the sample data set, then makes the cases the sample does
// not have: equal folded names, entities without a ward or year, archived
// ones.
func (e env) seed(t *testing.T) []registry.Entity {
	t.Helper()
	w, err := storetest.Wards()
	if err != nil {
		t.Fatal(err)
	}
	var rows []registry.ImportRow
	for i, d := range sample.Sample(w) {
		rows = append(rows, registry.ImportRow{Row: i, Draft: d})
	}
	if _, err := e.viaDB.Import(e.ctx, "tester", rows, false, nil); err != nil {
		t.Fatal(err)
	}
	for i, name := range []string{"Đình Làng", "Dinh Lang", "dình làng", "Studio 100%", "Xưởng_Gốm"} {
		d := registry.EntityDraft{Name: name, Slug: fmt.Sprintf("tie-%d", i), Kind: "artisan", Sectors: []string{"crafts"},
			Description: "gốm sứ thủ công"}
		if i%2 == 0 {
			d.Ward, d.FoundedYear = "Hoàn Kiếm", ptr(2000+i)
		}
		if _, err := e.viaDB.CreateEntity(e.ctx, "tester", d); err != nil {
			t.Fatal(err)
		}
	}
	all := e.every(t)
	for i, x := range all {
		if i%17 == 0 {
			if _, err := e.viaDB.ArchiveEntity(e.ctx, "tester", x.ID, registry.Precondition{}); err != nil {
				t.Fatal(err)
			}
		}
	}
	return e.every(t)
}

// every lists every entity, from SQL.
func (e env) every(t *testing.T) []registry.Entity {
	t.Helper()
	q := registry.ListQuery{Filter: registry.Filter{Status: registry.StatusFilterAll}, Limit: 100, SkipTotal: true}
	return walk(t, e, q, func(int) *registry.Service { return e.viaDB })
}

func (e env) build(t *testing.T) {
	t.Helper()
	if err := e.idx.Build(e.ctx); err != nil {
		t.Fatal(err)
	}
	if !e.idx.Ready() {
		t.Fatal("built, yet not ready")
	}
}

// randomQuery draws a listing query from the values the data has.
func randomQuery(rng *rand.Rand, all []registry.Entity) registry.ListQuery {
	pick := func(pool []string, most int) []string {
		var out []string
		for range rng.IntN(most + 1) {
			if v := pool[rng.IntN(len(pool))]; !slices.Contains(out, v) {
				out = append(out, v)
			}
		}
		return out
	}
	words := []string{"gom", "bat", "trang", "lua", "ha", "dong", "a", "o", "thu", "cong", "studio", "nghe", "lang",
		"kiem", "xyz", "19", "[du", "mau]", "sang", "tao", "ng", "100%", "_", "dinh", "ho", "khong gian",
		// Typos: one or two edits, and words too short for them.
		"xuongg", "thiet kee", "khôngg", "nghệe", "sangtao", "thu congg", "gomm", "heritge", "traditionl", "craftsmnship"}
	for range 5 { // pieces of real names and descriptions, some misspelt
		x := all[rng.IntN(len(all))]
		ws := fold.Words(x.Name + " " + x.Description)
		if len(ws) > 0 {
			w := ws[rng.IntN(len(ws))]
			i := rng.IntN(len(w))
			words = append(words, w[i:i+1+rng.IntN(len(w)-i)])
			if len(w) >= 5 {
				words = append(words, w[:i]+"q"+w[i+1:])
			}
		}
	}
	var wards []string
	for _, x := range all {
		if x.Address.WardCode != "" && !slices.Contains(wards, x.Address.WardCode) {
			wards = append(wards, x.Address.WardCode)
		}
	}
	q := registry.ListQuery{Limit: 1 + rng.IntN(30)}
	f := &q.Filter
	if rng.IntN(4) > 0 {
		for _, w := range pick(words, 3) {
			ws, _ := registry.ParseSearch(w)
			f.Words = append(f.Words, ws...)
		}
	}
	if rng.IntN(3) == 0 {
		f.Sectors = pick([]string{"design", "crafts", "visual-arts", "performing-arts", "film", "publishing", "software-games", "cultural-tourism"}, 2)
		f.MatchAll = rng.IntN(2) == 0
	}
	if rng.IntN(4) == 0 {
		f.Kinds = pick([]string{"creative-space", "designer", "artisan", "design-brand", "training-institution", "business", "organization"}, 2)
	}
	if rng.IntN(4) == 0 {
		f.WardCodes = pick(wards, 3)
	}
	if rng.IntN(5) == 0 {
		f.FoundedFrom = ptr(1990 + rng.IntN(30))
	}
	if rng.IntN(5) == 0 {
		f.FoundedTo = ptr(2000 + rng.IntN(26))
	}
	switch rng.IntN(12) {
	case 0, 1:
		t := all[rng.IntN(len(all))].UpdatedAt
		f.UpdatedSince = &t
	case 2:
		f.UpdatedSince = ptr(time.Date(2999, 1, 1, 0, 0, 0, 0, time.UTC))
	case 3:
		f.UpdatedSince = ptr(time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC))
	}
	f.HasLocation = rng.IntN(6) == 0
	switch rng.IntN(6) {
	case 0:
		f.Status = registry.StatusFilterAll
	case 1:
		f.Status = registry.StatusFilterArchived
	}
	if rng.IntN(2) == 0 {
		q.Sort = registry.Sorts[rng.IntN(len(registry.Sorts))]
	}
	q.Facets = pick(registry.Facets, 3)
	q.SkipTotal = rng.IntN(8) == 0
	return q
}

// agree walks every page of q through both services and fails where the
// index's answer differs from SQL's in anything a client sees.
func (e env) agree(t *testing.T, q registry.ListQuery) int {
	t.Helper()
	seen := 0
	for pages := 0; ; pages++ {
		got, err := e.viaIx.Entities(e.ctx, q)
		if err != nil {
			t.Fatalf("%s: index: %v", describe(q), err)
		}
		want, err := e.viaDB.Entities(e.ctx, q)
		if err != nil {
			t.Fatalf("%s: SQL: %v", describe(q), err)
		}
		if g, w := ids(got.Entities), ids(want.Entities); !slices.Equal(g, w) {
			t.Fatalf("%s, page %d:\nindex %q\nSQL   %q", describe(q), pages, names(got.Entities), names(want.Entities))
		}
		if !reflect.DeepEqual(got.Entities, want.Entities) {
			t.Fatalf("%s, page %d: the entities' fields differ", describe(q), pages)
		}
		if got.Total != want.Total {
			t.Fatalf("%s, page %d: total %d, SQL %d", describe(q), pages, got.Total, want.Total)
		}
		if cursor(got.Next) != cursor(want.Next) {
			t.Fatalf("%s, page %d: next cursor %q, SQL %q", describe(q), pages, cursor(got.Next), cursor(want.Next))
		}
		if !maps.EqualFunc(got.Facets, want.Facets, maps.Equal) {
			t.Fatalf("%s, page %d: facets %v, SQL %v", describe(q), pages, got.Facets, want.Facets)
		}
		seen += len(got.Entities)
		if got.Next == nil {
			return seen
		}
		if pages > 500 {
			t.Fatalf("%s: endless paging", describe(q))
		}
		q.After = got.Next
	}
}

// TestListingsAgreeWithSQL: for hundreds of random combinations of
// search words, filters, orders, page sizes and facets, every page the
// index answers is the page SQL answers: the same entities in the same
// order, the same total, facets and next cursor.
func TestListingsAgreeWithSQL(t *testing.T) {
	engines(t, func(t *testing.T, e env) {
		all := e.seed(t)
		e.build(t)
		rng := rand.New(rand.NewPCG(7, uint64(len(all))))
		n := 400
		if testing.Short() {
			n = 100
		}
		found := 0
		for range n {
			found += e.agree(t, randomQuery(rng, all))
		}
		if found == 0 {
			t.Fatal("no query found anything: the comparison proves nothing")
		}
		t.Logf("%d queries over %d entities agreed, %d entities listed", n, len(all), found)
	})
}

// TestCursorsCarryOver: a listing begun on the index goes on in SQL and
// the other way round, since both make the same cursors.
func TestCursorsCarryOver(t *testing.T) {
	engines(t, func(t *testing.T, e env) {
		e.seed(t)
		e.build(t)
		for _, s := range append(slices.Clone(registry.Sorts), "") {
			q := registry.ListQuery{Filter: registry.Filter{Words: []string{"a"}}, Sort: s, Limit: 7}
			want := walk(t, e, q, func(int) *registry.Service { return e.viaDB })
			got := walk(t, e, q, func(page int) *registry.Service {
				if page%2 == 0 {
					return e.viaIx
				}
				return e.viaDB
			})
			if !slices.Equal(ids(got), ids(want)) || len(want) == 0 {
				t.Fatalf("sort %q: alternating gave %d entities, SQL alone %d", s, len(got), len(want))
			}
		}
	})
}

func walk(t *testing.T, e env, q registry.ListQuery, via func(page int) *registry.Service) []registry.Entity {
	t.Helper()
	var out []registry.Entity
	for page := 0; ; page++ {
		p, err := via(page).Entities(e.ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, p.Entities...)
		if p.Next == nil {
			return out
		}
		q.After = p.Next
	}
}

// TestStatsAndSectorCountsAgreeWithSQL: counts grouped by every
// combination of dimensions, over random filters, are SQL's.
func TestStatsAndSectorCountsAgreeWithSQL(t *testing.T) {
	engines(t, func(t *testing.T, e env) {
		all := e.seed(t)
		e.build(t)
		rng := rand.New(rand.NewPCG(3, 4))
		dimSets := [][]string{{"sector"}, {"kind"}, {"ward"}, {"sector", "kind"}, {"ward", "sector"}, {"kind", "ward", "sector"},
			{"founded_year"}, {"founded_year", "sector"}, {"ward", "founded_year"}, {"kind", "founded_year", "ward"}}
		for i := range 120 {
			f := randomQuery(rng, all).Filter
			dims := dimSets[i%len(dimSets)]
			got, err := e.viaIx.Stats(e.ctx, f, dims)
			if err != nil {
				t.Fatal(err)
			}
			want, err := e.viaDB.Stats(e.ctx, f, dims)
			if err != nil {
				t.Fatal(err)
			}
			if g, w := statLines(got), statLines(want); !slices.Equal(g, w) {
				t.Fatalf("stats by %v of %+v:\nindex %q\nSQL   %q", dims, f, g, w)
			}
			// The service orders ties by value: both stores give one order.
			if g, w := statLinesInOrder(got), statLinesInOrder(want); !slices.Equal(g, w) {
				t.Fatalf("stats by %v of %+v in another order:\nindex %q\nSQL   %q", dims, f, g, w)
			}
		}
		// Entities without a year are one row of their own, with a null year.
		byYear, err := e.viaIx.Stats(e.ctx, registry.Filter{Status: registry.StatusFilterAll}, []string{"founded_year"})
		if err != nil {
			t.Fatal(err)
		}
		withYear, total, noYear := 0, 0, 0
		for _, x := range all {
			if x.FoundedYear != nil {
				withYear++
			}
		}
		for _, r := range byYear {
			total += r.Count
			if r.Values["founded_year"] == nil {
				noYear += r.Count
			}
		}
		if total != len(all) || noYear != len(all)-withYear || noYear == 0 || withYear == 0 {
			t.Fatalf("by year: %d counted, %d without a year; want %d, %d", total, noYear, len(all), len(all)-withYear)
		}
		if _, err := e.viaIx.Stats(e.ctx, registry.Filter{}, []string{"colour"}); registry.ErrorCode(err) != registry.EMALFORMED {
			t.Fatalf("unknown dimension: %v", err)
		}
		got, err := e.viaIx.Sectors(e.ctx)
		if err != nil {
			t.Fatal(err)
		}
		want, err := e.viaDB.Sectors(e.ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("sectors with counts:\nindex %v\nSQL   %v", got, want)
		}
	})
}

// TestWritesAreSeenAtOnce: after every kind of write (create, rename,
// new description, new sectors and ward, archive, restore, import), the
// next listing through the index shows it, on this instance and on
// another over the same database.
func TestWritesAreSeenAtOnce(t *testing.T) {
	engines(t, func(t *testing.T, e env) {
		all := e.seed(t)
		e.build(t)
		// A second instance: its own connections and index.
		db2, w := storetest.Open(t, e.dsn)
		other := index.New(db2, slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err := other.Build(e.ctx); err != nil {
			t.Fatal(err)
		}
		viaOther := registry.NewService(other, w)
		check := func(step string, q registry.ListQuery, want []string) {
			t.Helper()
			for name, svc := range map[string]*registry.Service{"this instance": e.viaIx, "another instance": viaOther} {
				page, err := svc.Entities(e.ctx, q)
				if err != nil {
					t.Fatal(err)
				}
				if got := names(page.Entities); !slices.Equal(got, want) || page.Total != len(want) {
					t.Fatalf("after %s, %s: %s lists %q (total %d), want %q", step, describe(q), name, got, page.Total, want)
				}
			}
		}
		search := func(words string) registry.ListQuery {
			return registry.ListQuery{Filter: registry.Filter{Words: fold.Words(words)}, Limit: 50}
		}
		x, err := e.viaIx.CreateEntity(e.ctx, "tester", registry.EntityDraft{Name: "Xưởng Quạt Giấy Vqxj",
			Kind: "artisan", Sectors: []string{"crafts"}, Description: "quạt giấy thủ công wkzr", Ward: "Hoàn Kiếm"})
		if err != nil {
			t.Fatal(err)
		}
		check("a create", search("quat vqxj wkzr"), []string{"Xưởng Quạt Giấy Vqxj"})
		update := func(change func(d *registry.EntityDraft)) {
			t.Helper()
			x, err = e.viaIx.UpdateEntity(e.ctx, "tester", x.ID, registry.Precondition{}, func(cur registry.Entity) (registry.EntityDraft, []registry.FieldError) {
				d := cur.Draft()
				change(&d)
				return d, nil
			})
			if err != nil {
				t.Fatal(err)
			}
			for name, svc := range map[string]*registry.Service{"this instance": e.viaIx, "another instance": viaOther} {
				for _, ref := range []string{x.ID, x.Slug} {
					got, err := svc.Entity(e.ctx, ref)
					if err != nil || !reflect.DeepEqual(got, x) {
						t.Fatalf("%s reads %s as version %d (%v), want version %d as written", name, ref, got.Version, err, x.Version)
					}
				}
			}
		}
		update(func(d *registry.EntityDraft) { d.Name = "Quạt Lụa Zzyzx" })
		check("a rename", search("vqxj"), nil)
		check("a rename", search("zzyzx wkzr"), []string{"Quạt Lụa Zzyzx"})
		byName := registry.ListQuery{Filter: registry.Filter{Status: registry.StatusFilterAll}, Limit: 100}
		e.agree(t, byName)
		byName.Sort = registry.SortNameDesc
		e.agree(t, byName)
		update(func(d *registry.EntityDraft) { d.Description = "đèn lồng pqrt" })
		check("a new description", search("wkzr"), nil)
		check("a new description", search("zzyzx den long pqrt"), []string{"Quạt Lụa Zzyzx"})
		update(func(d *registry.EntityDraft) { d.Sectors, d.Ward = []string{"film"}, "Tây Hồ" })
		check("new sectors and ward", registry.ListQuery{Filter: registry.Filter{Words: []string{"zzyzx"}, Sectors: []string{"crafts"}}, Limit: 5}, nil)
		check("new sectors and ward", search("zzyzx tay ho"), []string{"Quạt Lụa Zzyzx"})
		if _, err := e.viaIx.ArchiveEntity(e.ctx, "tester", x.ID, registry.Precondition{}); err != nil {
			t.Fatal(err)
		}
		check("an archive", search("zzyzx"), nil)
		archived := search("zzyzx")
		archived.Status = registry.StatusFilterArchived
		check("an archive", archived, []string{"Quạt Lụa Zzyzx"})
		if _, err := e.viaIx.RestoreEntity(e.ctx, "tester", x.ID, registry.Precondition{}); err != nil {
			t.Fatal(err)
		}
		check("a restore", search("zzyzx"), []string{"Quạt Lụa Zzyzx"})
		var rows []registry.ImportRow
		for i := range 40 { // more than the index moves one by one
			rows = append(rows, registry.ImportRow{Row: i, Draft: registry.EntityDraft{Name: fmt.Sprintf("Nhập Khẩu Qwv %02d", i),
				Kind: "designer", Sectors: []string{"design"}}})
		}
		if _, err := e.viaIx.Import(e.ctx, "tester", rows, false, nil); err != nil {
			t.Fatal(err)
		}
		var imported []string
		for _, r := range rows {
			imported = append(imported, r.Draft.Name)
		}
		check("an import", search("qwv"), imported)
		e.agree(t, registry.ListQuery{Filter: registry.Filter{Status: registry.StatusFilterAll}, Limit: 100, Facets: registry.Facets})
		if len(all) == 0 {
			t.Fatal("no data")
		}
	})
}

// TestFallsBackToSQL: before it is built the index lets SQL answer; and
// when the database holds a version the change feed never announced (a
// row changed behind the service's back, or, in production, a write that
// committed after the index caught up), the index does not answer with
// the entity at the version it holds but lets SQL answer.
func TestFallsBackToSQL(t *testing.T) {
	engines(t, func(t *testing.T, e env) {
		e.seed(t)
		q := registry.ListQuery{Filter: registry.Filter{Words: []string{"gom"}}, Limit: 10, Facets: registry.Facets}
		if e.idx.Ready() {
			t.Fatal("ready before it was built")
		}
		e.agree(t, q)
		e.build(t)
		// Read from SQL, so that the index's entity cache has not seen it.
		first, err := e.viaDB.Entities(e.ctx, q)
		if err != nil || len(first.Entities) == 0 {
			t.Fatalf("%v, %d entities", err, len(first.Entities))
		}
		x := first.Entities[0]
		if err := e.db.Gorm().Exec("UPDATE entities SET version = version + 1, website = ? WHERE id = ?", "https://changed.example.vn", x.ID).Error; err != nil {
			t.Fatal(err)
		}
		got, err := e.viaIx.Entities(e.ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		want, err := e.viaDB.Entities(e.ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("first page after a change behind the feed's back:\nindex %q\nSQL   %q", names(got.Entities), names(want.Entities))
		}
		if got.Entities[0].ID != x.ID || got.Entities[0].Contact.Website != "https://changed.example.vn" {
			t.Fatalf("the page does not show the entity as the database has it: %+v", got.Entities[0])
		}
	})
}

func statLines(rows []registry.StatRow) []string {
	var out []string
	for _, r := range rows {
		var parts []string
		for _, k := range slices.Sorted(maps.Keys(r.Values)) {
			v := "null"
			if r.Values[k] != nil {
				v = *r.Values[k]
			}
			parts = append(parts, k+"="+v)
		}
		out = append(out, fmt.Sprintf("%s:%d", strings.Join(parts, ","), r.Count))
	}
	slices.Sort(out)
	return out
}

// statLinesInOrder is statLines in the order the rows came.
func statLinesInOrder(rows []registry.StatRow) []string {
	var out []string
	for _, r := range rows {
		out = append(out, statLines([]registry.StatRow{r})...)
	}
	return out
}

func describe(q registry.ListQuery) string {
	return fmt.Sprintf("words %q sort %q limit %d filter %+v", q.Words, q.EffectiveSort(), q.Limit, q.Filter)
}

func cursor(c *registry.Cursor) string {
	if c == nil {
		return ""
	}
	return c.Encode()
}

func ids(es []registry.Entity) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.ID
	}
	return out
}

func names(es []registry.Entity) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.Name)
	}
	return out
}

func ptr[T any](v T) *T { return &v }
