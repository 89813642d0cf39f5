package store

import (
	"context"
	"encoding/hex"
	"errors"
	"time"

	"gorm.io/gorm"

	"github.com/hanoicreative/registry/internal/accounts"
	"github.com/hanoicreative/registry/internal/auth"
	"github.com/hanoicreative/registry/internal/registry"
)

var _ accounts.Store = (*DB)(nil)

// Staff accounts are read and written on the primary only: a replica that
// lags would let an ended session live on, or refuse one just started.

type staffAccountRow struct {
	ID           string
	Email        string
	EmailKey     string
	Name         string
	Role         string
	PasswordHash string
	CreatedAt    time.Time `gorm:"autoCreateTime:false"`
	DisabledAt   *time.Time
	LockedUntil  *time.Time
	LastUsedAt   *time.Time
}

func (staffAccountRow) TableName() string { return "staff_accounts" }

func (r staffAccountRow) account() accounts.Account {
	a := accounts.Account{ID: r.ID, Email: r.Email, Name: r.Name, Role: auth.Role(r.Role), CreatedAt: r.CreatedAt.UTC(), HasPassword: r.PasswordHash != ""}
	if r.DisabledAt != nil {
		t := r.DisabledAt.UTC()
		a.DisabledAt = &t
	}
	if r.LastUsedAt != nil {
		t := r.LastUsedAt.UTC()
		a.LastUsedAt = &t
	}
	return a
}

type staffSessionRow struct {
	IDHash     []byte `gorm:"column:id_hash"`
	AccountID  string
	CreatedAt  time.Time `gorm:"autoCreateTime:false"`
	LastSeenAt time.Time
}

func (staffSessionRow) TableName() string { return "staff_sessions" }

type staffFailureRow struct {
	AccountID string
	FailedAt  time.Time
}

func (staffFailureRow) TableName() string { return "staff_sign_in_failures" }

type staffTokenRow struct {
	TokenHash []byte
	AccountID string
	CreatedAt time.Time `gorm:"autoCreateTime:false"`
	ExpiresAt time.Time
}

func (staffTokenRow) TableName() string { return "staff_password_tokens" }

func noAccount(id string) error {
	return registry.Errorf(registry.ENOTFOUND, "There is no account %q.", id)
}

// CreateAccount stores an account with its password's hash.
func (db *DB) CreateAccount(ctx context.Context, a accounts.Account, emailKey, passwordHash string) error {
	err := db.gorm.WithContext(ctx).Create(&staffAccountRow{ID: a.ID, Email: a.Email, EmailKey: emailKey, Name: a.Name,
		Role: string(a.Role), PasswordHash: passwordHash, CreatedAt: a.CreatedAt}).Error
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		e := registry.Errorf(registry.ECONFLICT, "There is an account with the email address %q already.", a.Email)
		e.Fields = []registry.FieldError{registry.Fieldf("email", "taken", "email is taken.")}
		return e
	}
	return translate(err)
}

func (db *DB) accountRow(tx *gorm.DB, id string) (staffAccountRow, error) {
	var r staffAccountRow
	err := tx.Where("id = ?", id).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return r, noAccount(id)
	}
	return r, translate(err)
}

// Account returns an account by id.
func (db *DB) Account(ctx context.Context, id string) (accounts.Account, error) {
	r, err := db.accountRow(db.gorm.WithContext(ctx), id)
	return r.account(), err
}

// AccountByEmail returns the account with this email key and its credentials.
func (db *DB) AccountByEmail(ctx context.Context, emailKey string) (accounts.Account, accounts.Credentials, error) {
	var r staffAccountRow
	err := db.gorm.WithContext(ctx).Where("email_key = ?", emailKey).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return accounts.Account{}, accounts.Credentials{}, noAccount(emailKey)
	}
	if err != nil {
		return accounts.Account{}, accounts.Credentials{}, translate(err)
	}
	c := accounts.Credentials{PasswordHash: r.PasswordHash}
	if r.LockedUntil != nil {
		t := r.LockedUntil.UTC()
		c.LockedUntil = &t
	}
	return r.account(), c, nil
}

// Accounts returns every account, oldest first.
func (db *DB) Accounts(ctx context.Context) ([]accounts.Account, error) {
	var rows []staffAccountRow
	if err := db.gorm.WithContext(ctx).Order("created_at, id").Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]accounts.Account, len(rows))
	for i, r := range rows {
		out[i] = r.account()
	}
	return out, nil
}

// updateAccount changes an account's columns in tx and reads it back.
//
// Every write transaction here starts with a write: on SQLite the driver
// begins transactions DEFERRED (its _txlock setting is ignored when
// _time_format is given), and a transaction that reads before it writes
// fails at once with SQLITE_BUSY when another writer commits in between,
// where a first write waits for the writer (busy_timeout).
func (db *DB) updateAccount(ctx context.Context, id string, fn func(tx *gorm.DB) error) (accounts.Account, error) {
	var r staffAccountRow
	err := db.write(ctx, func(tx *gorm.DB) error {
		if err := fn(tx); err != nil {
			return err
		}
		var err error
		r, err = db.accountRow(tx, id)
		return err
	})
	return r.account(), err
}

// SetAccountRole changes an account's role.
func (db *DB) SetAccountRole(ctx context.Context, id string, role auth.Role) (accounts.Account, error) {
	return db.updateAccount(ctx, id, func(tx *gorm.DB) error {
		return tx.Model(&staffAccountRow{}).Where("id = ?", id).Update("role", string(role)).Error
	})
}

// DisableAccount marks an account disabled and ends its sessions and tokens.
func (db *DB) DisableAccount(ctx context.Context, id string, at time.Time) (accounts.Account, error) {
	return db.updateAccount(ctx, id, func(tx *gorm.DB) error {
		if err := tx.Model(&staffAccountRow{}).Where("id = ? AND disabled_at IS NULL", id).Update("disabled_at", at).Error; err != nil {
			return err
		}
		return endSessionsAndTokens(tx, id)
	})
}

// EnableAccount clears an account's disabled mark.
func (db *DB) EnableAccount(ctx context.Context, id string) (accounts.Account, error) {
	return db.updateAccount(ctx, id, func(tx *gorm.DB) error {
		return tx.Model(&staffAccountRow{}).Where("id = ?", id).Update("disabled_at", nil).Error
	})
}

func endSessionsAndTokens(tx *gorm.DB, accountID string) error {
	if err := tx.Where("account_id = ?", accountID).Delete(&staffSessionRow{}).Error; err != nil {
		return err
	}
	return tx.Where("account_id = ?", accountID).Delete(&staffTokenRow{}).Error
}

// setPassword sets a password hash in tx, ends the account's sessions and
// tokens and forgets its failures and lock.
func setPassword(tx *gorm.DB, accountID, passwordHash string) error {
	err := tx.Model(&staffAccountRow{}).Where("id = ?", accountID).
		Updates(map[string]any{"password_hash": passwordHash, "locked_until": nil}).Error
	if err != nil {
		return err
	}
	if err := tx.Where("account_id = ?", accountID).Delete(&staffFailureRow{}).Error; err != nil {
		return err
	}
	return endSessionsAndTokens(tx, accountID)
}

// SetPassword replaces an account's password hash.
func (db *DB) SetPassword(ctx context.Context, id, passwordHash string) error {
	_, err := db.updateAccount(ctx, id, func(tx *gorm.DB) error { return setPassword(tx, id, passwordHash) })
	return err
}

// RecordSignInFailure records a failed sign-in, counts the recent ones
// and locks the account at limit, in one transaction.
func (db *DB) RecordSignInFailure(ctx context.Context, accountID string, at, since time.Time, limit int, lockUntil time.Time) (int, *time.Time, error) {
	var n int64
	var locked *time.Time
	err := db.write(ctx, func(tx *gorm.DB) error {
		// Locks the account's row (PostgreSQL; SQLite has one writer), so
		// that failures at the same time are counted one after another.
		if err := tx.Exec("UPDATE staff_accounts SET locked_until = locked_until WHERE id = ?", accountID).Error; err != nil {
			return err
		}
		r, err := db.accountRow(tx, accountID)
		if err != nil {
			return err
		}
		if r.LockedUntil != nil && at.Before(*r.LockedUntil) {
			t := r.LockedUntil.UTC()
			locked = &t
			return nil
		}
		if err := tx.Where("account_id = ? AND failed_at < ?", accountID, since).Delete(&staffFailureRow{}).Error; err != nil {
			return err
		}
		if err := tx.Create(&staffFailureRow{AccountID: accountID, FailedAt: at}).Error; err != nil {
			return err
		}
		if err := tx.Model(&staffFailureRow{}).Where("account_id = ?", accountID).Count(&n).Error; err != nil {
			return err
		}
		if n < int64(limit) {
			return nil
		}
		if err := tx.Model(&staffAccountRow{}).Where("id = ?", accountID).Update("locked_until", lockUntil).Error; err != nil {
			return err
		}
		locked = &lockUntil
		return tx.Where("account_id = ?", accountID).Delete(&staffFailureRow{}).Error
	})
	if err != nil {
		return 0, nil, err
	}
	return int(n), locked, nil
}

// CreateSession stores a session, forgets the account's failures and
// records the sign-in as the account's last use.
func (db *DB) CreateSession(ctx context.Context, idHash []byte, s accounts.Session) error {
	return db.write(ctx, func(tx *gorm.DB) error {
		if err := tx.Where("account_id = ?", s.AccountID).Delete(&staffFailureRow{}).Error; err != nil {
			return err
		}
		if err := tx.Model(&staffAccountRow{}).Where("id = ?", s.AccountID).Update("last_used_at", s.CreatedAt).Error; err != nil {
			return err
		}
		return tx.Create(&staffSessionRow{IDHash: idHash, AccountID: s.AccountID, CreatedAt: s.CreatedAt, LastSeenAt: s.LastSeenAt}).Error
	})
}

// Session returns a session by its id's hash, and its account: two reads
// by primary key, and no write.
func (db *DB) Session(ctx context.Context, idHash []byte) (accounts.Session, accounts.Account, error) {
	var s staffSessionRow
	err := db.gorm.WithContext(ctx).Where("id_hash = ?", idHash).Take(&s).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return accounts.Session{}, accounts.Account{}, registry.Errorf(registry.ENOTFOUND, "Not found.")
	}
	if err != nil {
		return accounts.Session{}, accounts.Account{}, translate(err)
	}
	a, err := db.Account(ctx, s.AccountID)
	if err != nil {
		return accounts.Session{}, accounts.Account{}, err
	}
	return accounts.Session{AccountID: s.AccountID, CreatedAt: s.CreatedAt.UTC(), LastSeenAt: s.LastSeenAt.UTC()}, a, nil
}

// DeleteSession deletes a session.
func (db *DB) DeleteSession(ctx context.Context, idHash []byte) error {
	return translate(db.gorm.WithContext(ctx).Where("id_hash = ?", idHash).Delete(&staffSessionRow{}).Error)
}

// DeleteSessionsBefore deletes expired sessions.
func (db *DB) DeleteSessionsBefore(ctx context.Context, idle, absolute time.Time) (int64, error) {
	res := db.gorm.WithContext(ctx).Where("last_seen_at < ? OR created_at < ?", idle, absolute).Delete(&staffSessionRow{})
	return res.RowsAffected, translate(res.Error)
}

// TouchSessions records sessions' last uses, and their accounts', in one
// transaction.
func (db *DB) TouchSessions(ctx context.Context, uses map[string]time.Time) error {
	return db.write(ctx, func(tx *gorm.DB) error {
		for id, at := range uses {
			hash, err := hex.DecodeString(id)
			if err != nil {
				continue // not a session's: nothing to record
			}
			err = tx.Model(&staffSessionRow{}).Where("id_hash = ? AND last_seen_at < ?", hash, at).Update("last_seen_at", at).Error
			if err != nil {
				return err
			}
			err = tx.Exec("UPDATE staff_accounts SET last_used_at = ? WHERE id = (SELECT account_id FROM staff_sessions WHERE id_hash = ?)"+
				" AND (last_used_at IS NULL OR last_used_at < ?)", at, hash, at).Error
			if err != nil {
				return err
			}
		}
		return nil
	})
}

// CreatePasswordToken stores a token, replacing the account's earlier ones
// and deleting expired ones.
func (db *DB) CreatePasswordToken(ctx context.Context, hash []byte, accountID string, created, expires time.Time) error {
	return db.write(ctx, func(tx *gorm.DB) error {
		if err := tx.Where("account_id = ? OR expires_at <= ?", accountID, created).Delete(&staffTokenRow{}).Error; err != nil {
			return err
		}
		return tx.Create(&staffTokenRow{TokenHash: hash, AccountID: accountID, CreatedAt: created, ExpiresAt: expires}).Error
	})
}

// ResetPassword stores a token as CreatePasswordToken does and ends the
// account's sessions, in one transaction.
func (db *DB) ResetPassword(ctx context.Context, hash []byte, accountID string, created, expires time.Time) (int64, error) {
	var ended int64
	err := db.write(ctx, func(tx *gorm.DB) error {
		if err := tx.Where("account_id = ? OR expires_at <= ?", accountID, created).Delete(&staffTokenRow{}).Error; err != nil {
			return err
		}
		res := tx.Where("account_id = ?", accountID).Delete(&staffSessionRow{})
		if res.Error != nil {
			return res.Error
		}
		ended = res.RowsAffected
		return tx.Create(&staffTokenRow{TokenHash: hash, AccountID: accountID, CreatedAt: created, ExpiresAt: expires}).Error
	})
	return ended, err
}

// PasswordToken returns the account of a usable token.
func (db *DB) PasswordToken(ctx context.Context, hash []byte, at time.Time) (accounts.Account, error) {
	var t staffTokenRow
	err := db.gorm.WithContext(ctx).Where("token_hash = ? AND expires_at > ?", hash, at).Take(&t).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return accounts.Account{}, registry.Errorf(registry.ENOTFOUND, "Not found.")
	}
	if err != nil {
		return accounts.Account{}, translate(err)
	}
	return db.Account(ctx, t.AccountID)
}

// UsePasswordToken deletes a token and, if it was usable, sets the password.
func (db *DB) UsePasswordToken(ctx context.Context, hash []byte, at time.Time, passwordHash string) (accounts.Account, error) {
	var r staffAccountRow
	err := db.write(ctx, func(tx *gorm.DB) error {
		// Only the transaction that deletes the token may use it: of two
		// uses at once, the second deletes nothing.
		var ids []string
		err := tx.Raw("DELETE FROM staff_password_tokens WHERE token_hash = ? AND expires_at > ? RETURNING account_id", hash, at).Scan(&ids).Error
		if err != nil {
			return err
		}
		if len(ids) != 1 {
			return registry.Errorf(registry.ENOTFOUND, "Not found.")
		}
		t := staffTokenRow{AccountID: ids[0]}
		if err := setPassword(tx, t.AccountID, passwordHash); err != nil {
			return err
		}
		r, err = db.accountRow(tx, t.AccountID)
		return err
	})
	return r.account(), err
}
