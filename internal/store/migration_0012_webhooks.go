package store

import (
	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// migration0012Webhooks adds webhook endpoints, their signing secrets, the
// delivery log and the dispatcher's position in the change feed.
//
// events is a comma-separated list of event types. A secret with an
// expires_at was rotated out and signs until then. A delivery row is one
// attempt; payload is the body sent, so a manual retry sends it again.
// webhook_dispatch holds the last change seq turned into deliveries; it
// starts at the feed's current end, so that history is not replayed.
func migration0012Webhooks(engine Engine) *gormigrate.Migration {
	const ddl = `
CREATE TABLE webhooks (
	id {{text_c}} PRIMARY KEY,
	url text NOT NULL,
	events text NOT NULL,
	description text NOT NULL DEFAULT '',
	disabled boolean NOT NULL DEFAULT false,
	disabled_reason text NOT NULL DEFAULT '',
	failing_since {{ts}},
	created_at {{ts}} NOT NULL,
	updated_at {{ts}} NOT NULL
);
CREATE TABLE webhook_secrets (
	webhook_id {{text_c}} NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
	secret text NOT NULL,
	created_at {{ts}} NOT NULL,
	expires_at {{ts}}
);
CREATE INDEX webhook_secrets_webhook ON webhook_secrets (webhook_id);
CREATE TABLE webhook_deliveries (
	id {{text_c}} PRIMARY KEY,
	webhook_id {{text_c}} NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
	event_id text NOT NULL,
	type text NOT NULL,
	seq bigint NOT NULL,
	payload {{bytes}} NOT NULL,
	attempt integer NOT NULL,
	status_code integer NOT NULL,
	error text NOT NULL DEFAULT '',
	at {{ts}} NOT NULL,
	next_attempt_at {{ts}},
	state text NOT NULL CHECK (state IN ('pending', 'succeeded', 'failed'))
);
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, id);
CREATE INDEX webhook_deliveries_event ON webhook_deliveries (webhook_id, event_id);
CREATE TABLE webhook_dispatch (
	id integer PRIMARY KEY CHECK (id = 1),
	seq bigint NOT NULL
);
INSERT INTO webhook_dispatch (id, seq) SELECT 1, seq FROM change_counter WHERE id = 1;
`
	return &gormigrate.Migration{
		ID: "0012_webhooks",
		Migrate: func(tx *gorm.DB) error {
			return execAll(tx, dialectSQL(engine, ddl))
		},
	}
}
