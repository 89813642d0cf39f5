package store

import (
	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// migration0005DataVersion counts changes of reference data (sectors) next
// to the change sequence, so that caches see those changes too without
// putting them in the entities' change feed.
func migration0005DataVersion() *gormigrate.Migration {
	return &gormigrate.Migration{
		ID: "0005_data_version",
		Migrate: func(tx *gorm.DB) error {
			return tx.Exec("ALTER TABLE change_counter ADD COLUMN ref_version bigint NOT NULL DEFAULT 0").Error
		},
	}
}
