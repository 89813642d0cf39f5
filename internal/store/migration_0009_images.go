package store

import (
	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// migration0009Images gives entities their logo and photos, and adds the
// table that keeps image files.
//
// entities.images is JSON ({"logo": ..., "photos": [...]}), empty for none:
// images are read with the entity, and never filtered or sorted on.
// media keeps each file once, by the SHA-256 of its bytes (hex); files
// are never changed or removed, since past versions show them. On
// PostgreSQL their bytes are stored out of line uncompressed: PNG and
// JPEG are compressed already, and trying again would only cost time.
func migration0009Images(engine Engine) *gormigrate.Migration {
	const ddl = `
ALTER TABLE entities ADD COLUMN images text NOT NULL DEFAULT '';
CREATE TABLE media (
	hash {{text_c}} PRIMARY KEY,
	content_type text NOT NULL,
	size integer NOT NULL,
	data {{bytes}} NOT NULL,
	created_at {{ts}} NOT NULL
);
`
	return &gormigrate.Migration{
		ID: "0009_images",
		Migrate: func(tx *gorm.DB) error {
			script := dialectSQL(engine, ddl)
			if engine == Postgres {
				script += `ALTER TABLE media ALTER COLUMN data SET STORAGE EXTERNAL;
`
			}
			return execAll(tx, script)
		},
	}
}
