package store

import (
	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// migration0001Schema creates the registry's tables.
//
// Folded columns (name_folded, search_text) are written by the application
// on every write, so both engines search and sort the same strings.
// entities.sectors repeats entity_sectors in display order so that a page
// of entities is read with one query; entity_sectors serves filters and
// counts. Every change takes the next number of change_counter inside its
// transaction: the row lock makes the feed's sequence gap-free and in
// commit order.
func migration0001Schema(engine Engine) *gormigrate.Migration {
	const ddl = `
CREATE TABLE kinds (
	slug text PRIMARY KEY,
	name text NOT NULL,
	name_en text NOT NULL,
	position integer NOT NULL
);
CREATE TABLE sectors (
	slug text PRIMARY KEY,
	name text NOT NULL,
	name_en text NOT NULL,
	description text NOT NULL DEFAULT '',
	description_en text NOT NULL DEFAULT '',
	position integer NOT NULL,
	created_at {{ts}} NOT NULL,
	updated_at {{ts}} NOT NULL
);
CREATE TABLE wards (
	code text PRIMARY KEY,
	name text NOT NULL,
	name_en text NOT NULL,
	full_name text NOT NULL,
	full_name_en text NOT NULL,
	code_name text NOT NULL
);
CREATE TABLE entities (
	id {{text_c}} PRIMARY KEY,
	slug text NOT NULL,
	name text NOT NULL,
	name_en text NOT NULL DEFAULT '',
	name_folded {{text_c}} NOT NULL,
	search_text text NOT NULL,
	kind text NOT NULL REFERENCES kinds (slug),
	sectors text NOT NULL,
	description text NOT NULL DEFAULT '',
	description_en text NOT NULL DEFAULT '',
	street text NOT NULL DEFAULT '',
	ward_code text REFERENCES wards (code),
	city text NOT NULL DEFAULT '',
	lat {{float}},
	lon {{float}},
	website text NOT NULL DEFAULT '',
	email text NOT NULL DEFAULT '',
	phone text NOT NULL DEFAULT '',
	links text NOT NULL DEFAULT '[]',
	founded_year integer,
	status text NOT NULL CHECK (status IN ('active', 'archived')),
	version integer NOT NULL,
	created_at {{ts}} NOT NULL,
	updated_at {{ts}} NOT NULL
);
CREATE UNIQUE INDEX entities_slug ON entities (slug);
CREATE INDEX entities_status_name ON entities (status, name_folded, id);
CREATE INDEX entities_status_created ON entities (status, created_at, id);
CREATE INDEX entities_status_updated ON entities (status, updated_at, id);
CREATE INDEX entities_status_founded ON entities (status, founded_year, id);
CREATE INDEX entities_kind ON entities (kind);
CREATE INDEX entities_ward ON entities (ward_code);
CREATE TABLE entity_sectors (
	entity_id {{text_c}} NOT NULL REFERENCES entities (id),
	sector_slug text NOT NULL REFERENCES sectors (slug),
	PRIMARY KEY (entity_id, sector_slug)
);
CREATE INDEX entity_sectors_sector ON entity_sectors (sector_slug, entity_id);
CREATE TABLE revisions (
	entity_id {{text_c}} NOT NULL REFERENCES entities (id),
	version integer NOT NULL,
	seq bigint NOT NULL,
	action text NOT NULL,
	actor text NOT NULL,
	at {{ts}} NOT NULL,
	changes text NOT NULL,
	snapshot text NOT NULL,
	PRIMARY KEY (entity_id, version)
);
CREATE UNIQUE INDEX revisions_seq ON revisions (seq);
CREATE TABLE change_counter (
	id integer PRIMARY KEY CHECK (id = 1),
	seq bigint NOT NULL
);
INSERT INTO change_counter (id, seq) VALUES (1, 0);
`
	// Trigram indexes let PostgreSQL answer LIKE '%word%' without reading
	// every row; SQLite scans, which is fine at the sizes it is used for.
	const postgresOnly = `
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX entities_search_trgm ON entities USING gin (search_text gin_trgm_ops);
`
	return &gormigrate.Migration{
		ID: "0001_schema",
		Migrate: func(tx *gorm.DB) error {
			if err := execAll(tx, dialectSQL(engine, ddl)); err != nil {
				return err
			}
			if engine == Postgres {
				return execAll(tx, postgresOnly)
			}
			return nil
		},
	}
}
