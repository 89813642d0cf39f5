package index_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hanoicreative/registry/internal/fold"
	"github.com/hanoicreative/registry/internal/index"
	"github.com/hanoicreative/registry/internal/registry"
	"github.com/hanoicreative/registry/internal/store"
	"github.com/hanoicreative/registry/internal/store/storetest"
)

// faulty is the real store with faults injected on demand into the reads
// the index builds and follows the feed with: they fail, or give the
// changes and their entities ids the index cannot take (a corrupt read:
// it fails half way through applying them), or give some entities as
// they were when frozen, as a replica behind would. It counts the
// listings it answers itself: those the index passed on to SQL.
type faulty struct {
	*store.DB
	mu      sync.Mutex
	failing bool
	corrupt bool
	frozen  map[string]registry.Entity

	sqlListings atomic.Int64
}

func (f *faulty) set(change func(f *faulty)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	change(f)
}

func (f *faulty) fault() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.failing {
		return registry.Errorf(registry.EUNAVAILABLE, "Injected failure.")
	}
	return nil
}

func (f *faulty) Changes(ctx context.Context, after int64, limit int) ([]registry.Change, error) {
	if err := f.fault(); err != nil {
		return nil, err
	}
	changes, err := f.DB.Changes(ctx, after, limit)
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := range changes {
		if f.corrupt {
			changes[i].EntityID = strings.ToUpper(changes[i].EntityID)
		}
	}
	return changes, err
}

func (f *faulty) ScanEntities(ctx context.Context, after string, limit int) ([]registry.Entity, error) {
	f.mu.Lock()
	broken := f.failing || f.corrupt
	f.mu.Unlock()
	if broken {
		return nil, registry.Errorf(registry.EUNAVAILABLE, "Injected failure.")
	}
	return f.DB.ScanEntities(ctx, after, limit)
}

func (f *faulty) EntitiesByID(ctx context.Context, ids []string) ([]registry.Entity, error) {
	if err := f.fault(); err != nil {
		return nil, err
	}
	lower := make([]string, len(ids))
	for i, id := range ids {
		lower[i] = strings.ToLower(id)
	}
	es, err := f.DB.EntitiesByID(ctx, lower)
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, e := range es {
		if old, ok := f.frozen[e.ID]; ok {
			es[i] = old
		}
		if f.corrupt {
			es[i].ID = strings.ToUpper(e.ID)
		}
	}
	return es, err
}

func (f *faulty) Entities(ctx context.Context, q registry.ListQuery) (registry.Page, error) {
	f.sqlListings.Add(1)
	return f.DB.Entities(ctx, q)
}

// healEnv is a database, the faulty store over it and an index over that.
type healEnv struct {
	db    *store.DB
	f     *faulty
	idx   *index.Store
	viaIx *registry.Service // through the index
	viaDB *registry.Service // SQL, without faults
	ctx   context.Context
}

func healEngines(t *testing.T, opts index.Options, fn func(t *testing.T, h healEnv)) {
	t.Helper()
	storetest.Engines(t, pg, func(t *testing.T, dsn string) {
		db, w := storetest.Open(t, dsn)
		f := &faulty{DB: db, frozen: map[string]registry.Entity{}}
		idx := index.NewWith(f, slog.New(slog.NewTextHandler(io.Discard, nil)), opts)
		fn(t, healEnv{db: db, f: f, idx: idx, viaIx: registry.NewService(idx, w), viaDB: registry.NewService(db, w), ctx: context.Background()})
	})
}

// start runs the index's background loop until the test ends and waits
// until it is built.
func (h healEnv) start(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithCancel(h.ctx)
	t.Cleanup(cancel)
	h.idx.Start(ctx)
	eventually(t, "the index is built", h.idx.Ready)
}

func (h healEnv) create(t *testing.T, name string) registry.Entity {
	t.Helper()
	e, err := h.viaDB.CreateEntity(h.ctx, "tester", registry.EntityDraft{Name: name, Kind: "artisan",
		Sectors: []string{"crafts"}, Description: "thử nghiệm", Ward: "Hoàn Kiếm"})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func (h healEnv) rename(t *testing.T, id, name string) registry.Entity {
	t.Helper()
	e, err := h.viaDB.UpdateEntity(h.ctx, "tester", id, registry.Precondition{}, func(cur registry.Entity) (registry.EntityDraft, []registry.FieldError) {
		d := cur.Draft()
		d.Name = name
		return d, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// search lists the entities matching words through the index, as a
// request that observed the database's current version does; answered
// says whether the index answered (else SQL did).
func (h healEnv) search(t *testing.T, words string) (found []string, answered bool) {
	t.Helper()
	v, err := h.db.DataVersion(h.ctx)
	if err != nil {
		t.Fatal(err)
	}
	before := h.f.sqlListings.Load()
	page, err := h.viaIx.Entities(registry.WithObserved(h.ctx, v), registry.ListQuery{Filter: registry.Filter{Words: fold.Words(words)}, Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	return names(page.Entities), h.f.sqlListings.Load() == before
}

func (h healEnv) seqOf(t *testing.T, id string) int64 {
	t.Helper()
	changes, err := h.db.Changes(h.ctx, 0, 100000)
	if err != nil {
		t.Fatal(err)
	}
	var seq int64
	for _, c := range changes {
		if c.EntityID == id {
			seq = c.Seq
		}
	}
	return seq
}

func eventually(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 20 s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestLaggingReaderIsNotFollowedPast: while the entity of a change reads
// at an older version (a replica behind the feed it gave), the index does
// not move past that change, and a request that observed it gets SQL's
// answer, not the index's older one; once the entity reads at its
// version the index catches up and answers again.
func TestLaggingReaderIsNotFollowedPast(t *testing.T) {
	healEngines(t, index.Options{ReconcileInterval: -1}, func(t *testing.T, h healEnv) {
		x := h.create(t, "Đèn Lồng Qqcu")
		y := h.create(t, "Quạt Giấy Qqkhac")
		if err := h.idx.Build(h.ctx); err != nil {
			t.Fatal(err)
		}
		h.f.set(func(f *faulty) { f.frozen[x.ID] = x })
		h.rename(t, x.ID, "Đèn Lồng Qqmoi")
		h.rename(t, y.ID, "Quạt Giấy Qqsau") // after x's change in the feed
		for range 3 {
			if got, _ := h.search(t, "qqmoi"); !slices.Equal(got, []string{"Đèn Lồng Qqmoi"}) {
				t.Fatalf("while the reader lags, a search of the new name gives %q", got)
			}
			if got, _ := h.search(t, "qqcu"); len(got) != 0 {
				t.Fatalf("while the reader lags, a search of the old name gives %q", got)
			}
			if got, answered := h.search(t, "qqsau"); !slices.Equal(got, []string{"Quạt Giấy Qqsau"}) || answered {
				t.Fatalf("a change after the one the index waits for: %q (answered by the index: %v)", got, answered)
			}
			time.Sleep(300 * time.Millisecond) // past the pause after a stop
		}
		if seq, want := index.Seq(h.idx), h.seqOf(t, x.ID); seq >= want {
			t.Fatalf("the index reflects change %d, past the change %d it could not read", seq, want)
		}
		if !h.idx.Ready() {
			t.Fatal("a lagging reader took the index out of service")
		}

		h.f.set(func(f *faulty) { clear(f.frozen) })
		eventually(t, "the index answers once the reader caught up", func() bool {
			got, answered := h.search(t, "qqmoi")
			return answered && slices.Equal(got, []string{"Đèn Lồng Qqmoi"})
		})
		if got, answered := h.search(t, "qqsau"); !answered || !slices.Equal(got, []string{"Quạt Giấy Qqsau"}) {
			t.Fatalf("after catching up: %q (answered by the index: %v)", got, answered)
		}
		if got, _ := h.search(t, "qqcu"); len(got) != 0 {
			t.Fatalf("after catching up, a search of the old name gives %q", got)
		}
	})
}

// TestHealsAfterFailures: reads that fail leave the index in service
// (SQL answers what it cannot reach); a read that leaves it half updated
// takes it out of service (not ready) and it is rebuilt in the
// background, once the failures stop, without a restart.
func TestHealsAfterFailures(t *testing.T) {
	healEngines(t, index.Options{ReconcileInterval: -1, RetryAfter: 50 * time.Millisecond}, func(t *testing.T, h healEnv) {
		h.create(t, "Xưởng Gốm Qqmot")
		h.start(t)

		h.f.set(func(f *faulty) { f.failing = true })
		h.create(t, "Xưởng Gốm Qqhai")
		if got, answered := h.search(t, "xuong gom"); len(got) != 2 || answered {
			t.Fatalf("while reads fail: %q (answered by the index: %v)", got, answered)
		}
		if !h.idx.Ready() || h.idx.Ping(h.ctx) != nil {
			t.Fatal("a failed read took the index out of service")
		}

		h.f.set(func(f *faulty) { f.failing, f.corrupt = false, true })
		h.create(t, "Xưởng Gốm Qqba")
		eventually(t, "a corrupt read takes the index out of service", func() bool {
			got, answered := h.search(t, "xuong gom")
			if len(got) != 3 || answered {
				t.Fatalf("while reads are corrupt: %q (answered by the index: %v)", got, answered)
			}
			return !h.idx.Ready()
		})
		if err := h.idx.Ping(h.ctx); registry.ErrorCode(err) != registry.EUNAVAILABLE {
			t.Fatalf("out of service, Ping (/readyz) says %v", err)
		}
		time.Sleep(300 * time.Millisecond) // rebuilds fail meanwhile
		if h.idx.Ready() {
			t.Fatal("rebuilt from failing reads")
		}

		h.f.set(func(f *faulty) { f.corrupt = false })
		eventually(t, "the index is rebuilt", h.idx.Ready)
		if err := h.idx.Ping(h.ctx); err != nil {
			t.Fatal(err)
		}
		if failure, drift := h.idx.Rebuilds(); failure != 1 || drift != 0 {
			t.Fatalf("rebuilds after a failure %d, after a drift %d; want 1, 0", failure, drift)
		}
		h.create(t, "Xưởng Gốm Qqbon")
		if got, answered := h.search(t, "xuong gom"); len(got) != 4 || !answered {
			t.Fatalf("rebuilt: %q (answered by the index: %v)", got, answered)
		}
	})
}

// TestReconcileRepairsDrift: rows changed by hand in SQL, behind the
// feed's back (a new version and name, an archive), are found by the
// periodic comparison and the index is rebuilt; writes through the
// service while the comparisons run are not taken for drift.
func TestReconcileRepairsDrift(t *testing.T) {
	healEngines(t, index.Options{ReconcileInterval: 30 * time.Millisecond}, func(t *testing.T, h healEnv) {
		var made []registry.Entity
		for i := range 30 {
			made = append(made, h.create(t, fmt.Sprintf("Xưởng Lụa Qqd %02d", i)))
		}
		h.start(t)
		for i := range 60 { // writes while it compares, every 30 ms
			h.rename(t, made[i%len(made)].ID, fmt.Sprintf("Xưởng Lụa Qqd %02d v%d", i%len(made), i))
			if i%10 == 0 {
				time.Sleep(40 * time.Millisecond)
			}
		}
		time.Sleep(200 * time.Millisecond)
		if n := h.idx.DriftDetected(); n != 0 {
			t.Fatalf("writes through the service taken for drift %d times", n)
		}

		x, y := made[3], made[4]
		if err := h.db.Gorm().Exec("UPDATE entities SET version = version + 1, name = ? WHERE id = ?", "Tay Sửa Qqtay", x.ID).Error; err != nil {
			t.Fatal(err)
		}
		eventually(t, "the drift is found and repaired", func() bool {
			_, drift := h.idx.Rebuilds()
			return drift >= 1 && h.idx.Ready()
		})
		if got, answered := h.search(t, "qqtay"); !slices.Equal(got, []string{"Tay Sửa Qqtay"}) || !answered {
			t.Fatalf("after the repair: %q (answered by the index: %v)", got, answered)
		}

		if err := h.db.Gorm().Exec("UPDATE entities SET version = version + 1, status = 'archived' WHERE id = ?", y.ID).Error; err != nil {
			t.Fatal(err)
		}
		eventually(t, "an archive by hand is found and repaired", func() bool {
			_, drift := h.idx.Rebuilds()
			return drift >= 2 && h.idx.Ready()
		})
		got, answered := h.search(t, "qqd")
		if len(got) != len(made)-2 || !answered || slices.ContainsFunc(got, func(n string) bool { return strings.HasPrefix(n, "Xưởng Lụa Qqd 04") }) {
			t.Fatalf("after the second repair: %d found (answered by the index: %v): %q", len(got), answered, got)
		}
		if n := h.idx.DriftDetected(); n != 2 {
			t.Fatalf("drift detected %d times, want 2", n)
		}
	})
}

// TestBehindARealReplica runs the index over a real streaming replica
// whose replay is paused while writes go on, comparing itself with the
// database every 30 ms: a writer (reading the primary) finds its write
// through the index; other readers get the replica's state or a newer
// one, never a page the index made from the primary's state with rows as
// the replica has them; and the replica being behind is not taken for
// drift.
func TestBehindARealReplica(t *testing.T) {
	replica, db, w := storetest.Replicated(t)
	ctx := context.Background()
	f := &faulty{DB: db}
	h := healEnv{db: db, f: f, idx: index.NewWith(f, slog.New(slog.NewTextHandler(io.Discard, nil)), index.Options{ReconcileInterval: 30 * time.Millisecond}),
		viaDB: registry.NewService(db, w), ctx: ctx}
	h.viaIx = registry.NewService(h.idx, w)
	replay := func(step func(context.Context) error) {
		t.Helper()
		if err := step(ctx); err != nil {
			t.Fatal(err)
		}
	}
	caughtUp := func() bool {
		onPrimary, err1 := db.DataVersion(registry.WithPrimary(ctx))
		onReplica, err2 := db.ChangeSeq(ctx)
		return err1 == nil && err2 == nil && onReplica >= onPrimary.Seq
	}
	// search answers as a request does: the versions it observed are the
	// replica's, or the primary's for a writer.
	search := func(writer bool, words string) []string {
		t.Helper()
		c := ctx
		if writer {
			c = registry.WithPrimary(ctx)
		}
		v, err := db.DataVersion(c)
		if err != nil {
			t.Fatal(err)
		}
		page, err := h.viaIx.Entities(registry.WithObserved(c, v), registry.ListQuery{Filter: registry.Filter{Words: fold.Words(words)}, Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		return names(page.Entities)
	}

	writer := h // writes read the primary, as the API's do
	writer.ctx = registry.WithPrimary(ctx)
	x := writer.create(t, "Nhà In Qqbansao")
	eventually(t, "the replica catches up", caughtUp)
	h.start(t)
	replay(replica.PauseReplay)
	for i := range 20 {
		writer.rename(t, x.ID, fmt.Sprintf("Nhà In Qqbansao Qqv%d", i))
		if got, want := search(true, fmt.Sprintf("qqv%d", i)), fmt.Sprintf("Nhà In Qqbansao Qqv%d", i); !slices.Equal(got, []string{want}) {
			t.Fatalf("the writer searches its write %q and finds %q", want, got)
		}
		if got := search(false, "qqbansao"); len(got) != 1 || !strings.HasPrefix(got[0], "Nhà In Qqbansao") {
			t.Fatalf("another reader, on the paused replica, finds %q", got)
		}
		word := fmt.Sprintf("qqv%d", i)
		if got := search(false, word); len(got) > 1 || len(got) == 1 && !strings.HasSuffix(fold.String(got[0]), word) {
			t.Fatalf("another reader, on the paused replica, searching %q finds %q", word, got)
		}
		time.Sleep(20 * time.Millisecond)
	}
	replay(replica.ResumeReplay)
	eventually(t, "the replica catches up", caughtUp)
	if got := search(false, "qqbansao"); !slices.Equal(got, []string{"Nhà In Qqbansao Qqv19"}) {
		t.Fatalf("after the replica caught up, another reader finds %q", got)
	}
	if n := h.idx.DriftDetected(); n != 0 || !h.idx.Ready() {
		t.Fatalf("a replica behind taken for drift %d times (ready: %v)", n, h.idx.Ready())
	}
}

// TestStuckBeforeAChangeIsRepaired: when the index stays stuck before a
// change whose entity never reads at that change's version (here a frozen
// read; on the primary, a row changed by hand after its change), two
// comparisons in a row find it stuck and it is rebuilt from a scan of
// the table, which moves it past.
func TestStuckBeforeAChangeIsRepaired(t *testing.T) {
	healEngines(t, index.Options{ReconcileInterval: 30 * time.Millisecond}, func(t *testing.T, h healEnv) {
		x := h.create(t, "Xưởng Mộc Qqcu")
		h.start(t)
		h.f.set(func(f *faulty) { f.frozen[x.ID] = x })
		x = h.rename(t, x.ID, "Xưởng Mộc Qqmoi")
		eventually(t, "the stuck index is rebuilt", func() bool {
			_, drift := h.idx.Rebuilds()
			return drift >= 1 && h.idx.Ready()
		})
		if seq, want := index.Seq(h.idx), h.seqOf(t, x.ID); seq < want {
			t.Fatalf("rebuilt, the index reflects change %d, before %d", seq, want)
		}
		if got, answered := h.search(t, "qqmoi"); !slices.Equal(got, []string{"Xưởng Mộc Qqmoi"}) || answered {
			t.Fatalf("rebuilt while the page's reads lag: %q (answered by the index: %v)", got, answered)
		}
		h.f.set(func(f *faulty) { clear(f.frozen) })
		if got, answered := h.search(t, "qqmoi"); !slices.Equal(got, []string{"Xưởng Mộc Qqmoi"}) || !answered {
			t.Fatalf("after the rebuild: %q (answered by the index: %v)", got, answered)
		}
	})
}
