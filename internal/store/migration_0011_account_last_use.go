package store

import (
	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// migration0011AccountLastUse records when each staff account last signed
// in or used a session. Sessions carry their own last use, but they are
// deleted at sign-out, expiry and a new password, and with them the
// answer to "when did this person last use the console"; the account
// keeps it. It is written at sign-in and with the sessions' batched last
// uses (never on the request path). Existing accounts start from their
// live sessions.
func migration0011AccountLastUse(engine Engine) *gormigrate.Migration {
	const ddl = `
ALTER TABLE staff_accounts ADD COLUMN last_used_at {{ts}};
UPDATE staff_accounts SET last_used_at = (SELECT max(last_seen_at) FROM staff_sessions WHERE staff_sessions.account_id = staff_accounts.id)
`
	return &gormigrate.Migration{
		ID: "0011_account_last_use",
		Migrate: func(tx *gorm.DB) error {
			return execAll(tx, dialectSQL(engine, ddl))
		},
	}
}
