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
		Seq      int64
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
			// Backfill from the snapshots, in batches walked by seq (unique).
			// Not FindInBatches: it pages by the primary key of a model,
			// and this struct has none, so the second batch of 500 failed
			// with "primary key required".
			after := int64(-1)
			for {
				var batch []revision
				err := tx.Table("revisions").Select("seq, snapshot").
					Where("seq > ?", after).Order("seq").Limit(500).Find(&batch).Error
				if err != nil || len(batch) == 0 {
					return err
				}
				for _, r := range batch {
					var s struct{ Slug string }
					if err := json.Unmarshal([]byte(r.Snapshot), &s); err != nil {
						return err
					}
					if err := tx.Exec("UPDATE revisions SET slug = ? WHERE seq = ?", s.Slug, r.Seq).Error; err != nil {
						return err
					}
				}
				after = batch[len(batch)-1].Seq
			}
		},
	}
}
