package store

import (
	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// migration0008StaffAccounts adds the staff's accounts and what signing
// in needs: sessions, recent failed sign-ins and set-password tokens.
//
// email_key is the address in lower case: unique, so that two addresses
// differing in case are one account. password_hash is argon2id's PHC
// string, empty until a password is set. Sessions and tokens are stored by
// the SHA-256 hash of their secret. Deleting an account (nothing does
// yet) takes its sessions, failures and tokens with it.
func migration0008StaffAccounts(engine Engine) *gormigrate.Migration {
	const ddl = `
CREATE TABLE staff_accounts (
	id {{text_c}} PRIMARY KEY,
	email text NOT NULL,
	email_key {{text_c}} NOT NULL,
	name text NOT NULL,
	role text NOT NULL CHECK (role IN ('editor', 'admin')),
	password_hash text NOT NULL DEFAULT '',
	created_at {{ts}} NOT NULL,
	disabled_at {{ts}},
	locked_until {{ts}}
);
CREATE UNIQUE INDEX staff_accounts_email_key ON staff_accounts (email_key);
CREATE TABLE staff_sign_in_failures (
	account_id {{text_c}} NOT NULL REFERENCES staff_accounts (id) ON DELETE CASCADE,
	failed_at {{ts}} NOT NULL
);
CREATE INDEX staff_sign_in_failures_account ON staff_sign_in_failures (account_id, failed_at);
CREATE TABLE staff_sessions (
	id_hash {{bytes}} PRIMARY KEY,
	account_id {{text_c}} NOT NULL REFERENCES staff_accounts (id) ON DELETE CASCADE,
	created_at {{ts}} NOT NULL,
	last_seen_at {{ts}} NOT NULL
);
CREATE INDEX staff_sessions_account ON staff_sessions (account_id);
CREATE INDEX staff_sessions_last_seen ON staff_sessions (last_seen_at);
CREATE TABLE staff_password_tokens (
	token_hash {{bytes}} PRIMARY KEY,
	account_id {{text_c}} NOT NULL REFERENCES staff_accounts (id) ON DELETE CASCADE,
	created_at {{ts}} NOT NULL,
	expires_at {{ts}} NOT NULL
);
CREATE INDEX staff_password_tokens_account ON staff_password_tokens (account_id);
`
	return &gormigrate.Migration{
		ID: "0008_staff_accounts",
		Migrate: func(tx *gorm.DB) error {
			return execAll(tx, dialectSQL(engine, ddl))
		},
	}
}
