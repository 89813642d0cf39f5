package store

import (
	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// migration0003Access adds API keys and the record of idempotent requests.
//
// Only a hash of a key's secret is stored. An idempotency record belongs to
// the API key that sent it; state is 'running' while the first request is
// being handled and 'done' once its response is stored.
func migration0003Access(engine Engine) *gormigrate.Migration {
	const ddl = `
CREATE TABLE api_keys (
	id {{text_c}} PRIMARY KEY,
	name text NOT NULL,
	role text NOT NULL CHECK (role IN ('editor', 'admin')),
	secret_hash {{bytes}} NOT NULL,
	created_at {{ts}} NOT NULL,
	last_used_at {{ts}},
	revoked_at {{ts}}
);
CREATE UNIQUE INDEX api_keys_name ON api_keys (name);
CREATE TABLE idempotency_keys (
	api_key_id {{text_c}} NOT NULL REFERENCES api_keys (id),
	key text NOT NULL,
	request_hash text NOT NULL,
	state text NOT NULL CHECK (state IN ('running', 'done')),
	status integer NOT NULL DEFAULT 0,
	headers text NOT NULL DEFAULT '{}',
	body {{bytes}},
	created_at {{ts}} NOT NULL,
	expires_at {{ts}} NOT NULL,
	PRIMARY KEY (api_key_id, key)
);
CREATE INDEX idempotency_keys_expires ON idempotency_keys (expires_at);
`
	return &gormigrate.Migration{
		ID: "0003_access",
		Migrate: func(tx *gorm.DB) error {
			return execAll(tx, dialectSQL(engine, ddl))
		},
	}
}
