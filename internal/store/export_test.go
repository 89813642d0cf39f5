package store

import (
	"context"
	"fmt"
)

// MigrateTo brings the schema up to the migration id and no further, as
// the release whose last migration it was left it: the start of an
// upgrade test.
func (db *DB) MigrateTo(ctx context.Context, id string) error {
	if err := db.migrator(db.gorm.WithContext(ctx)).MigrateTo(id); err != nil {
		return fmt.Errorf("migrate to %s: %w", id, err)
	}
	return nil
}

// MigrationIDs lists the ids of the migrations, in order.
func (db *DB) MigrationIDs() []string {
	var ids []string
	for _, m := range db.migrations() {
		ids = append(ids, m.ID)
	}
	return ids
}
