package store

import (
	"encoding/json"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// migration0004FeedAndSectors gives revisions the slug the entity had (the
// change feed shows it without reading snapshots) and lets admins retire
// sectors.
func migration0004FeedAndSectors(engine Engine) *gormigrate.Migration {
	type revision struct {
		EntityID string
		Version  int
		Snapshot string
	}
	return &gormigrate.Migration{
		ID: "0004_feed_and_sectors",
		Migrate: func(tx *gorm.DB) error {
			err := execAll(tx, dialectSQL(engine, `
ALTER TABLE revisions ADD COLUMN slug text NOT NULL DEFAULT '';
ALTER TABLE sectors ADD COLUMN retired_at {{ts}};
`))
			if err != nil {
				return err
			}
			// Backfill from the snapshots, in batches.
			var batch []revision
			return tx.Table("revisions").Select("entity_id, version, snapshot").
				FindInBatches(&batch, 500, func(tx *gorm.DB, _ int) error {
					for _, r := range batch {
						var s struct{ Slug string }
						if err := json.Unmarshal([]byte(r.Snapshot), &s); err != nil {
							return err
						}
						if err := tx.Exec("UPDATE revisions SET slug = ? WHERE entity_id = ? AND version = ?", s.Slug, r.EntityID, r.Version).Error; err != nil {
							return err
						}
					}
					return nil
				}).Error
		},
	}
}
