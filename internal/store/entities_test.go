package store_test

import (
	"reflect"
	"sync"
	"testing"

	"github.com/hanoicreative/registry/internal/registry"
)

func TestCreateAndRead(t *testing.T) {
	engines(t, func(t *testing.T, e env) {
		year := 1998
		d := registry.EntityDraft{
			Name: "  Xưởng Gốm Bát Tràng ", NameEn: "Bat Trang Pottery", Kind: "artisan",
			Sectors:     []string{"cultural-tourism", "crafts"},
			Description: "Gốm thủ công", Street: "Thôn 3", Ward: "bat trang",
			Location: &registry.Location{Lat: 20.976, Lon: 105.913},
			Website:  "https://gom.example", Email: "a@gom.example", Phone: "024 3874 0123",
			Links: []string{"https://facebook.com/gom"}, FoundedYear: &year,
		}
		created := e.create(t, d)
		if created.Slug != "xuong-gom-bat-trang" || created.Name != "Xưởng Gốm Bát Tràng" {
			t.Errorf("slug %q name %q", created.Slug, created.Name)
		}
		if !reflect.DeepEqual(created.Sectors, []string{"crafts", "cultural-tourism"}) {
			t.Errorf("sectors in display order: %v", created.Sectors)
		}
		if created.Address.Ward != "Bát Tràng" || created.Address.WardCode != "00577" || created.Address.City != "Hà Nội" {
			t.Errorf("address %+v", created.Address)
		}
		if created.Contact.Phone != "+84 24 3874 0123" {
			t.Errorf("phone %q", created.Contact.Phone)
		}
		if created.Version != 1 || created.Status != registry.StatusActive {
			t.Errorf("version %d status %s", created.Version, created.Status)
		}
		for _, ref := range []string{created.ID, created.Slug} {
			got, err := e.db.Entity(e.ctx, ref)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, created) {
				t.Errorf("read by %s:\n got %+v\nwant %+v", ref, got, created)
			}
		}
		_, err := e.db.Entity(e.ctx, "no-such-slug")
		wantCode(t, err, registry.ENOTFOUND)
		_, err = e.db.Entity(e.ctx, "01234567-89ab-7def-8123-456789abcdef")
		wantCode(t, err, registry.ENOTFOUND)
	})
}

func TestSlugConflict(t *testing.T) {
	engines(t, func(t *testing.T, e env) {
		e.create(t, draft("Nhà Sàn"))
		_, err := e.svc.CreateEntity(e.ctx, "tester", draft("nhà sàn"))
		wantCode(t, err, registry.ECONFLICT)
		other := e.create(t, draft("Khác"))
		_, err = e.svc.UpdateEntity(e.ctx, "tester", other.Slug, registry.Precondition{Given: true, Versions: []int{1}},
			func(cur registry.Entity) (registry.EntityDraft, []registry.FieldError) {
				d := cur.Draft()
				d.Slug = "nha-san"
				return d, nil
			})
		wantCode(t, err, registry.ECONFLICT)
		// Nothing half-written: the failed update left version 1.
		if got, _ := e.db.Entity(e.ctx, other.ID); got.Version != 1 || got.Slug != "khac" {
			t.Errorf("after a failed update: version %d slug %q", got.Version, got.Slug)
		}
	})
}

func TestUpdateVersionsAndHistory(t *testing.T) {
	engines(t, func(t *testing.T, e env) {
		ent := e.create(t, draft("Không Gian Một"))
		rename := func(name string) func(registry.Entity) (registry.EntityDraft, []registry.FieldError) {
			return func(cur registry.Entity) (registry.EntityDraft, []registry.FieldError) {
				d := cur.Draft()
				d.Name = name
				return d, nil
			}
		}
		v1 := registry.Precondition{Given: true, Versions: []int{1}}
		up, err := e.svc.UpdateEntity(e.ctx, "editor-a", ent.ID, v1, rename("Không Gian Hai"))
		if err != nil || up.Version != 2 || up.Slug != "khong-gian-mot" {
			t.Fatalf("update: %+v %v (slug stays: URLs are stable)", up, err)
		}
		_, err = e.svc.UpdateEntity(e.ctx, "editor-b", ent.ID, v1, rename("Stale"))
		wantCode(t, err, registry.EPRECONDITION)

		same, err := e.svc.UpdateEntity(e.ctx, "editor-a", ent.ID, registry.Precondition{}, rename("Không Gian Hai"))
		if err != nil || same.Version != 2 {
			t.Fatalf("no-op update: version %d, %v", same.Version, err)
		}
		arch, err := e.svc.ArchiveEntity(e.ctx, "editor-a", ent.ID, registry.Precondition{Given: true, Versions: []int{2}})
		if err != nil || arch.Version != 3 || arch.Status != registry.StatusArchived {
			t.Fatalf("archive: %+v %v", arch, err)
		}
		if again, err := e.svc.ArchiveEntity(e.ctx, "editor-a", ent.ID, registry.Precondition{}); err != nil || again.Version != 3 {
			t.Fatalf("archive twice: version %d %v", again.Version, err)
		}
		rest, err := e.svc.RestoreEntity(e.ctx, "editor-b", ent.Slug, registry.Precondition{})
		if err != nil || rest.Version != 4 || rest.Status != registry.StatusActive {
			t.Fatalf("restore: %+v %v", rest, err)
		}

		hist, err := e.db.History(e.ctx, ent.ID)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range hist {
			got = append(got, string(r.Action)+"/"+r.Actor)
		}
		want := []string{"restored/editor-b", "archived/editor-a", "updated/editor-a", "created/tester"}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("history = %v, want %v", got, want)
		}
		if c := hist[2].Changes["name"]; c.From != "Không Gian Một" || c.To != "Không Gian Hai" || len(hist[2].Changes) != 1 {
			t.Errorf("changes of the update: %+v", hist[2].Changes)
		}
		if c := hist[1].Changes["status"]; c.From != "active" || c.To != "archived" {
			t.Errorf("changes of the archive: %+v", hist[1].Changes)
		}
		for i := 1; i < len(hist); i++ {
			if hist[i-1].Seq <= hist[i].Seq {
				t.Errorf("change numbers must grow with versions: %d then %d", hist[i].Seq, hist[i-1].Seq)
			}
		}
		old, err := e.svc.EntityAt(e.ctx, ent.Slug, 1)
		if err != nil || old.Name != "Không Gian Một" || old.Version != 1 || !old.CreatedAt.Equal(ent.CreatedAt) {
			t.Fatalf("version 1: %+v %v", old, err)
		}
		_, err = e.svc.EntityAt(e.ctx, ent.Slug, 9)
		wantCode(t, err, registry.ENOTFOUND)
	})
}

// TestConcurrentUpdatesOneWins: of many writers holding the same version,
// exactly one succeeds and the rest get EPRECONDITION; no revision is lost
// or doubled.
func TestConcurrentUpdatesOneWins(t *testing.T) {
	engines(t, func(t *testing.T, e env) {
		ent := e.create(t, draft("Tranh Chấp"))
		const writers = 8
		var wg sync.WaitGroup
		errs := make([]error, writers)
		for i := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = e.svc.UpdateEntity(e.ctx, "w", ent.ID, registry.Precondition{Given: true, Versions: []int{1}},
					func(cur registry.Entity) (registry.EntityDraft, []registry.FieldError) {
						d := cur.Draft()
						d.Description = "writer " + string(rune('A'+i))
						return d, nil
					})
			}()
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch registry.ErrorCode(err) {
			case "":
				ok++
			case registry.EPRECONDITION:
			default:
				t.Errorf("unexpected error: %v", err)
			}
		}
		if ok != 1 {
			t.Fatalf("%d writers succeeded, want exactly 1", ok)
		}
		hist, _ := e.db.History(e.ctx, ent.ID)
		if len(hist) != 2 {
			t.Fatalf("%d revisions, want 2", len(hist))
		}
	})
}

func TestChangeSequenceIsGapFree(t *testing.T) {
	engines(t, func(t *testing.T, e env) {
		var wg sync.WaitGroup
		for i := range 12 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := e.svc.CreateEntity(e.ctx, "t", draft("Seq "+string(rune('A'+i)))); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		// A failed write (slug taken) must not use up a number.
		_, err := e.svc.CreateEntity(e.ctx, "t", draft("Seq A"))
		wantCode(t, err, registry.ECONFLICT)
		e.create(t, draft("Seq Last"))
		var seqs []int64
		if err := e.db.Gorm().Table("revisions").Order("seq").Pluck("seq", &seqs).Error; err != nil {
			t.Fatal(err)
		}
		for i, s := range seqs {
			if s != int64(i+1) {
				t.Fatalf("seqs = %v: want 1..%d without gaps", seqs, len(seqs))
			}
		}
		if len(seqs) != 13 {
			t.Fatalf("%d revisions, want 13", len(seqs))
		}
	})
}
