package store

import (
	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// migration0006ActorIndex lets the primary tell quickly which change a
// client made last (read-your-writes with a replica).
func migration0006ActorIndex() *gormigrate.Migration {
	return &gormigrate.Migration{
		ID: "0006_actor_index",
		Migrate: func(tx *gorm.DB) error {
			return tx.Exec("CREATE INDEX revisions_actor_seq ON revisions (actor, seq)").Error
		},
	}
}
