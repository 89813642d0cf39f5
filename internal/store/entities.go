package store

import (
	"context"
	"errors"

	"gorm.io/gorm"

	"github.com/hanoicreative/registry/internal/registry"
)

// Entity returns an entity by id or slug, whatever its status.
func (db *DB) Entity(ctx context.Context, ref string) (registry.Entity, error) {
	column := "slug"
	if registry.IsUUID(ref) {
		column = "id"
	}
	es, err := db.queryEntities(ctx, 1, "SELECT "+entityColumns+" FROM entities e WHERE e."+column+" = "+db.placeholders(1), ref)
	if err != nil {
		return registry.Entity{}, err
	}
	if len(es) == 0 {
		return registry.Entity{}, registry.Errorf(registry.ENOTFOUND, "There is no entity with id or slug %q.", ref)
	}
	return es[0], nil
}

// EntitiesByID returns the entities with these ids, whatever their status.
func (db *DB) EntitiesByID(ctx context.Context, ids []string) ([]registry.Entity, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return db.queryEntities(ctx, len(ids), "SELECT "+entityColumns+" FROM entities e WHERE e.id IN ("+db.placeholders(len(ids))+")", args...)
}

// ScanEntities returns up to limit entities after the id after, in id order.
func (db *DB) ScanEntities(ctx context.Context, after string, limit int) ([]registry.Entity, error) {
	var rows []entityRow
	err := db.reader(ctx).Raw("SELECT "+entityColumns+" FROM entities e WHERE e.id > ? ORDER BY e.id LIMIT ?", after, limit).Scan(&rows).Error
	if err != nil {
		return nil, translate(err)
	}
	return db.entities(rows), nil
}

func (db *DB) entities(rows []entityRow) []registry.Entity {
	out := make([]registry.Entity, len(rows))
	for i, r := range rows {
		out[i] = db.entity(r)
	}
	return out
}

// CreateEntity inserts an entity, its sectors and its first revision.
func (db *DB) CreateEntity(ctx context.Context, e registry.Entity, rev *registry.Revision) error {
	return db.write(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(ptr(toRow(e))).Error; err != nil {
			return slugConflict(err, e.Slug)
		}
		if err := insertSectors(tx, e); err != nil {
			return err
		}
		return appendRevision(tx, rev)
	})
}

// UpdateEntity replaces an entity if it is still at the version before
// e.Version, and records rev.
func (db *DB) UpdateEntity(ctx context.Context, e registry.Entity, rev *registry.Revision) error {
	return db.write(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&entityRow{}).
			Where("id = ? AND version = ?", e.ID, e.Version-1).
			Select("*").Omit("id", "created_at").
			Updates(ptr(toRow(e)))
		if res.Error != nil {
			return slugConflict(res.Error, e.Slug)
		}
		if res.RowsAffected == 0 {
			return registry.Errorf(registry.EPRECONDITION, "The entity was changed meanwhile (it is no longer at version %d). Read it again and re-apply your change.", e.Version-1)
		}
		if err := tx.Exec("DELETE FROM entity_sectors WHERE entity_id = ?", e.ID).Error; err != nil {
			return err
		}
		if err := insertSectors(tx, e); err != nil {
			return err
		}
		return appendRevision(tx, rev)
	})
}

// History returns an entity's revisions, newest first.
func (db *DB) History(ctx context.Context, id string) ([]registry.Revision, error) {
	var rows []revisionRow
	err := db.reader(ctx).Omit("snapshot").Where("entity_id = ?", id).Order("version DESC").Find(&rows).Error
	if err != nil {
		return nil, translate(err)
	}
	revs := make([]registry.Revision, len(rows))
	for i, r := range rows {
		if revs[i], err = db.revision(r, false); err != nil {
			return nil, registry.Internal(err)
		}
	}
	return revs, nil
}

// Revision returns one revision with its snapshot.
func (db *DB) Revision(ctx context.Context, id string, version int) (registry.Revision, error) {
	var r revisionRow
	err := db.reader(ctx).Where("entity_id = ? AND version = ?", id, version).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return registry.Revision{}, registry.Errorf(registry.ENOTFOUND, "The entity has no version %d.", version)
	}
	if err != nil {
		return registry.Revision{}, translate(err)
	}
	rev, err := db.revision(r, true)
	if err != nil {
		return registry.Revision{}, registry.Internal(err)
	}
	return rev, nil
}

// write runs fn in a write transaction and translates its error.
func (db *DB) write(ctx context.Context, fn func(tx *gorm.DB) error) error {
	return translate(db.writeTx(ctx, fn))
}

// writeTx runs fn in a transaction that holds the write lock from its
// start. On SQLite a transaction that reads before it writes fails at once
// (SQLITE_BUSY, or BUSY_SNAPSHOT) when another writer commits in between:
// its snapshot is stale, and waiting would not help. BEGIN IMMEDIATE
// avoids that, but the driver (glebarez/go-sqlite 1.21) ignores
// _txlock=immediate when _time_format is also set, and every BEGIN is
// DEFERRED. So the first statement takes the write lock, waiting on
// busy_timeout like any writer: an update that changes nothing.
func (db *DB) writeTx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	return db.gorm.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if db.engine == SQLite {
			if err := tx.Exec("UPDATE change_counter SET seq = seq WHERE id = 1").Error; err != nil {
				return err
			}
		}
		return fn(tx)
	})
}

func insertSectors(tx *gorm.DB, e registry.Entity) error {
	type entitySector struct{ EntityID, SectorSlug string }
	rows := make([]entitySector, len(e.Sectors))
	for i, s := range e.Sectors {
		rows[i] = entitySector{e.ID, s}
	}
	if len(rows) == 0 {
		return nil
	}
	err := tx.Table("entity_sectors").Create(&rows).Error
	if errors.Is(err, gorm.ErrForeignKeyViolated) {
		return registry.Invalid([]registry.FieldError{{Field: "sectors", Code: "unknown", Message: "a sector was removed meanwhile; GET /v1/sectors lists them."}})
	}
	return err
}

// appendRevision takes the next change number and records rev under it.
// The counter's row lock is held until commit, so numbers are handed out
// in commit order and a rolled-back write leaves no gap. It is the last
// step of every write so that the lock is held as briefly as possible.
func appendRevision(tx *gorm.DB, rev *registry.Revision) error {
	var seq int64
	if err := tx.Raw("UPDATE change_counter SET seq = seq + 1 WHERE id = 1 RETURNING seq").Scan(&seq).Error; err != nil {
		return err
	}
	rev.Seq = seq
	return tx.Create(ptr(toRevisionRow(*rev))).Error
}

// slugConflict reports a taken slug as a conflict naming the field.
func slugConflict(err error, slug string) error {
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return &registry.Error{Code: registry.ECONFLICT, Message: "The slug \"" + slug + "\" is taken by another entity.",
			Fields: []registry.FieldError{{Field: "slug", Code: "taken", Message: "slug \"" + slug + "\" is taken; give another slug."}}}
	}
	return err
}

func ptr[T any](v T) *T { return &v }
