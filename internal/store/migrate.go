package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// migrations is the schema's history: append only. A migration, once
// released, is never edited; each one carries its own frozen structs and
// SQL, so that it means the same thing whatever the code around it becomes.
func (db *DB) migrations() []*gormigrate.Migration {
	return []*gormigrate.Migration{
		migration0001Schema(db.engine),
		migration0002ReferenceData(db.wards),
		migration0003Access(db.engine),
		migration0004FeedAndSectors(db.engine),
		migration0005DataVersion(),
		migration0006ActorIndex(),
		migration0007NarrowRows(db.engine),
		migration0008StaffAccounts(db.engine),
		migration0009Images(db.engine),
		migration0011AccountLastUse(db.engine),
		migration0012Webhooks(db.engine),
		migration0013DropSearchText(db.engine),
	}
}

// migrationLockKey is an arbitrary constant: the PostgreSQL advisory lock
// that makes instances starting together migrate one after another.
const migrationLockKey = 7_410_2025

// Migrate brings the schema up to date and inserts the reference data
// (sectors, kinds, wards). It is safe to run from several instances at once.
func (db *DB) Migrate(ctx context.Context) error {
	return db.gorm.WithContext(ctx).Connection(func(conn *gorm.DB) error {
		if db.engine == Postgres {
			if err := conn.Exec("SELECT pg_advisory_lock(?)", migrationLockKey).Error; err != nil {
				return translate(err)
			}
			defer conn.Exec("SELECT pg_advisory_unlock(?)", migrationLockKey)
		}
		if err := db.migrator(conn).Migrate(); err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		return nil
	})
}

// migrator runs the migrations over conn, each in its own transaction.
func (db *DB) migrator(conn *gorm.DB) *gormigrate.Gormigrate {
	return gormigrate.New(conn, &gormigrate.Options{
		TableName:      "schema_migrations",
		IDColumnName:   "id",
		IDColumnSize:   255,
		UseTransaction: true,
	}, db.migrations())
}

// dialectSQL fills an engine-neutral DDL template: {{text_c}} is text that
// sorts byte-wise (ids, folded names: both engines must order them alike),
// {{ts}} a UTC timestamp, {{float}} a double, {{bytes}} binary.
func dialectSQL(engine Engine, ddl string) string {
	var r *strings.Replacer
	switch engine {
	case Postgres:
		r = strings.NewReplacer("{{text_c}}", `text COLLATE "C"`, "{{ts}}", "timestamptz", "{{float}}", "double precision", "{{bytes}}", "bytea")
	default:
		r = strings.NewReplacer("{{text_c}}", "text", "{{ts}}", "datetime", "{{float}}", "real", "{{bytes}}", "blob")
	}
	return r.Replace(ddl)
}

// execAll runs statements separated by ";\n" lines.
func execAll(tx *gorm.DB, script string) error {
	for _, stmt := range strings.Split(script, ";\n") {
		if stmt = strings.TrimSpace(stmt); stmt == "" {
			continue
		}
		if err := tx.Exec(stmt).Error; err != nil {
			return fmt.Errorf("%w\nin: %s", err, stmt)
		}
	}
	return nil
}
