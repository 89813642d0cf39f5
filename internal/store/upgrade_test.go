package store_test

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/hanoicreative/registry/internal/auth"
	"github.com/hanoicreative/registry/internal/registry"
	"github.com/hanoicreative/registry/internal/store"
	"github.com/hanoicreative/registry/internal/store/storetest"
	"github.com/hanoicreative/registry/internal/wards"
)

// Sizes of the databases earlier releases are made to leave behind: over
// 500 revisions, the batch size at which migration 0004 once failed.
const (
	oldEntities  = 250
	oldRevisions = 3 * oldEntities // created, renamed, archived
	oldKeys      = 4
)

// TestUpgradeFromEarlierReleases builds, for every earlier release (the
// schema as each migration left it), a database filled as that release
// would have filled it, then migrates it to the current schema and checks
// that entities, their histories, the change feed and the keys survive.
func TestUpgradeFromEarlierReleases(t *testing.T) {
	storetest.Engines(t, pg, func(t *testing.T, dsn string) {
		probe, _ := openUnmigrated(t, dsn)
		ids := probe.MigrationIDs()
		probe.Close()
		// 0001 alone was never released: 0002's reference data came with it.
		for i, last := range ids[1 : len(ids)-1] {
			t.Run("from_"+last, func(t *testing.T) {
				dsn := dsn
				if strings.HasPrefix(dsn, "sqlite:") {
					dsn = fmt.Sprintf("%s.%d", dsn, i)
				} else {
					dsn = pg.NewDatabase(t)
				}
				db, w := openUnmigrated(t, dsn)
				ctx := context.Background()
				if err := db.MigrateTo(ctx, last); err != nil {
					t.Fatal(err)
				}
				old := fillOldRelease(t, db.Gorm(), last)
				if err := db.Migrate(ctx); err != nil {
					t.Fatalf("upgrade from %s: %v", last, err)
				}
				checkUpgraded(t, db, registry.NewService(db, w), old)
			})
		}
	})
}

func openUnmigrated(t *testing.T, dsn string) (*store.DB, *wards.Index) {
	t.Helper()
	w, err := storetest.Wards()
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(context.Background(), dsn, w, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, w
}

// oldData is what fillOldRelease wrote, to check against.
type oldData struct {
	entityIDs []string
	tokens    []string // of active keys
	revoked   string   // token of a revoked key
}

// fillOldRelease writes entities, revisions and keys with plain SQL, in
// the columns the schema had after migration last: the code of that
// release, not today's.
func fillOldRelease(t *testing.T, g *gorm.DB, last string) oldData {
	t.Helper()
	has := func(id string) bool { return last >= id }
	base := time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)
	var old oldData
	var entities, sectors, revisions []map[string]any
	type step struct {
		action, slug, status string
		changes              map[string]any
	}
	for i := range oldEntities {
		id := uuid.Must(uuid.NewV7()).String()
		old.entityIDs = append(old.entityIDs, id)
		name := fmt.Sprintf("Cơ sở %03d", i)
		slug := fmt.Sprintf("co-so-%03d", i)
		at := base.Add(time.Duration(i) * time.Minute)
		entities = append(entities, map[string]any{
			"id": id, "slug": slug, "name": name, "name_en": "", "name_folded": strings.ToLower(name),
			"search_text": strings.ToLower(name), "kind": "creative-space", "sectors": "design crafts",
			"description": "", "description_en": "", "street": "", "city": "Hà Nội",
			"website": "", "email": "", "phone": "", "links": "[]",
			"status": "archived", "version": 3, "created_at": at, "updated_at": at.Add(2 * time.Hour),
		})
		sectors = append(sectors, map[string]any{"entity_id": id, "sector_slug": "design"}, map[string]any{"entity_id": id, "sector_slug": "crafts"})
		steps := []step{
			{"created", "cs-" + slug, "active", map[string]any{"name": map[string]any{"from": nil, "to": name}}},
			{"updated", slug, "active", map[string]any{"slug": map[string]any{"from": "cs-" + slug, "to": slug}}},
			{"archived", slug, "archived", map[string]any{"status": map[string]any{"from": "active", "to": "archived"}}},
		}
		for v, s := range steps {
			snap, _ := json.Marshal(map[string]any{"id": id, "slug": s.slug, "name": name, "kind": "creative-space",
				"sectors": []string{"design", "crafts"}, "city": "Hà Nội", "status": s.status, "version": v + 1,
				"created_at": at, "updated_at": at.Add(time.Duration(v) * time.Hour)})
			changes, _ := json.Marshal(s.changes)
			rev := map[string]any{
				"entity_id": id, "version": v + 1,
				// Creations first, then renames, then archivals: the feed interleaves entities.
				"seq": int64(v*oldEntities + i + 1), "action": s.action, "actor": "cán bộ",
				"at": at.Add(time.Duration(v) * time.Hour), "changes": string(changes), "snapshot": string(snap),
			}
			if has("0004") {
				rev["slug"] = s.slug
			}
			revisions = append(revisions, rev)
		}
	}
	insert(t, g, "entities", entities)
	insert(t, g, "entity_sectors", sectors)
	insert(t, g, "revisions", revisions)
	if err := g.Exec("UPDATE change_counter SET seq = ?", oldRevisions).Error; err != nil {
		t.Fatal(err)
	}
	if has("0004") {
		if err := g.Exec("UPDATE sectors SET retired_at = ? WHERE slug = 'publishing'", base).Error; err != nil {
			t.Fatal(err)
		}
	}
	if has("0005") {
		if err := g.Exec("UPDATE change_counter SET ref_version = 7").Error; err != nil {
			t.Fatal(err)
		}
	}
	if !has("0003") {
		return old
	}
	var keys []map[string]any
	for i := range oldKeys {
		id := uuid.Must(uuid.NewV7())
		secret := make([]byte, 32)
		rand.Read(secret)
		text := base64.RawURLEncoding.EncodeToString(secret)
		sum := sha256.Sum256([]byte(text))
		token := "hcr_" + strings.ReplaceAll(id.String(), "-", "") + "_" + text
		key := map[string]any{"id": id.String(), "name": fmt.Sprintf("khoá %d", i), "role": "editor",
			"secret_hash": sum[:], "created_at": base, "last_used_at": nil, "revoked_at": nil}
		if i == 0 {
			key["role"], key["revoked_at"], old.revoked = "admin", base.Add(time.Hour), token
		} else {
			old.tokens = append(old.tokens, token)
		}
		keys = append(keys, key)
	}
	insert(t, g, "api_keys", keys)
	return old
}

func insert(t *testing.T, g *gorm.DB, table string, rows []map[string]any) {
	t.Helper()
	for chunk := range slices.Chunk(rows, 100) {
		if err := g.Table(table).Create(chunk).Error; err != nil {
			t.Fatalf("insert into %s: %v", table, err)
		}
	}
}

func checkUpgraded(t *testing.T, db *store.DB, svc *registry.Service, old oldData) {
	t.Helper()
	ctx := context.Background()
	count := func(table string) int64 {
		var n int64
		if err := db.Gorm().Table(table).Count(&n).Error; err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count("entities"); n != oldEntities {
		t.Errorf("%d entities, want %d", n, oldEntities)
	}
	if n := count("revisions"); n != oldRevisions {
		t.Errorf("%d revisions, want %d", n, oldRevisions)
	}
	// Samples: the first, one past the first batch of 500 revisions, the last.
	for _, i := range []int{0, 170, oldEntities - 1} {
		slug := fmt.Sprintf("co-so-%03d", i)
		e, err := svc.Entity(ctx, slug)
		if err != nil {
			t.Fatalf("entity %s: %v", slug, err)
		}
		if e.ID != old.entityIDs[i] || e.Name != fmt.Sprintf("Cơ sở %03d", i) || e.Version != 3 ||
			e.Status != registry.StatusArchived || !slices.Equal(e.Sectors, []string{"design", "crafts"}) {
			t.Errorf("entity %s: %+v", slug, e)
		}
		hist, err := svc.History(ctx, slug)
		if err != nil || len(hist) != 3 || hist[0].Action != registry.ActionArchived || hist[2].Action != registry.ActionCreated {
			t.Fatalf("history of %s: %+v %v", slug, hist, err)
		}
		first, err := svc.EntityAt(ctx, slug, 1)
		if err != nil || first.Slug != "cs-"+slug || first.Status != registry.StatusActive {
			t.Errorf("version 1 of %s: %+v %v", slug, first, err)
		}
	}
	// The change feed: every change, in order, each with the slug its
	// entity had then (0004 fills it from the snapshots).
	feed, err := svc.Changes(ctx, 0, 1000)
	if err != nil || len(feed) != oldRevisions {
		t.Fatalf("feed: %d changes, %v", len(feed), err)
	}
	for i, c := range feed {
		n := i % oldEntities
		want := fmt.Sprintf("co-so-%03d", n)
		if i < oldEntities {
			want = "cs-" + want
		}
		if c.Seq != int64(i+1) || c.Slug != want || c.EntityID != old.entityIDs[n] {
			t.Fatalf("change %d: %+v, want slug %s", i, c, want)
		}
	}
	// Keys still open the door; the revoked one does not.
	keys := auth.NewService(db)
	for _, token := range old.tokens {
		if _, err := keys.Authenticate(ctx, token); err != nil {
			t.Errorf("an old key: %v", err)
		}
	}
	if old.revoked != "" {
		if _, err := keys.Authenticate(ctx, old.revoked); registry.ErrorCode(err) != registry.EUNAUTHORIZED {
			t.Errorf("the revoked key: %v", err)
		}
		if list, err := keys.Keys(ctx); err != nil || len(list) != oldKeys {
			t.Errorf("keys: %d, %v", len(list), err)
		}
	}
	// And the registry goes on: the next change takes the next number.
	e, err := svc.CreateEntity(ctx, "sau nâng cấp", registry.EntityDraft{Name: "Sau Nâng Cấp", Kind: "designer", Sectors: []string{"design"}})
	if err != nil {
		t.Fatal(err)
	}
	if next, err := svc.Changes(ctx, oldRevisions, 10); err != nil || len(next) != 1 || next[0].Seq != oldRevisions+1 || next[0].EntityID != e.ID {
		t.Errorf("after the upgrade: %+v %v", next, err)
	}
}
