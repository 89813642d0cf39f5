package store

import (
	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// migration0013DropSearchText drops the search_text column and, on
// PostgreSQL, its trigram index. q is matched and ranked by
// internal/search on the entity's own fields (the in-memory index, or the
// store ranking the rows it reads), so the column was written on every
// write, and its GIN index kept up, for nothing.
func migration0013DropSearchText(engine Engine) *gormigrate.Migration {
	return &gormigrate.Migration{
		ID: "0013_drop_search_text",
		Migrate: func(tx *gorm.DB) error {
			script := `ALTER TABLE entities DROP COLUMN search_text;
`
			if engine == Postgres {
				script = `DROP INDEX IF EXISTS entities_search_trgm;
` + script
			}
			return execAll(tx, script)
		},
	}
}
