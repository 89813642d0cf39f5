package accounts

import (
	"context"
	"time"

	"github.com/hanoicreative/registry/internal/registry"
)

// IssuePasswordToken returns a one-time token that sets the password of
// the account with this id, valid for TokenLifetime: the secret of a
// link to the console. It replaces the account's earlier tokens; the
// account's current password (if any) keeps working until the token is
// used.
func (s *Service) IssuePasswordToken(ctx context.Context, accountID string) (string, time.Time, error) {
	a, err := s.store.Account(ctx, accountID)
	if err != nil {
		return "", time.Time{}, err
	}
	token, hash, err := newSecret()
	if err != nil {
		return "", time.Time{}, err
	}
	now := s.now()
	expires := now.Add(TokenLifetime)
	if err := s.store.CreatePasswordToken(ctx, hash, a.ID, now, expires); err != nil {
		return "", time.Time{}, err
	}
	s.log.InfoContext(ctx, "set-password link issued", "account", a.ID, "expires", expires)
	return token, expires, nil
}

// invalidToken is the one answer to any token that cannot be used.
func invalidToken() error {
	return registry.Errorf(registry.ENOTFOUND, "This link to set a password is not valid: it is unknown, used already or expired (links work once, for 24 hours). Ask an administrator for a new one.")
}

// TokenAccount returns the account a set-password token is for, while it
// may be used: what the page that asks for the new password shows.
func (s *Service) TokenAccount(ctx context.Context, token string) (Account, error) {
	if !wellFormed(token) {
		return Account{}, invalidToken()
	}
	a, err := s.store.PasswordToken(ctx, hashSecret(token), s.now())
	if registry.ErrorCode(err) == registry.ENOTFOUND {
		return Account{}, invalidToken()
	}
	return a, err
}

// SetPasswordWithToken sets the password of a token's account and uses
// the token up. It ends the account's sessions and lifts a lock-out.
func (s *Service) SetPasswordWithToken(ctx context.Context, token, password string) (Account, error) {
	a, err := s.TokenAccount(ctx, token)
	if err != nil {
		return Account{}, err
	}
	if errs := CheckPassword(password, a.Email); len(errs) > 0 {
		return Account{}, registry.Invalid(errs)
	}
	hash, err := s.passwords.hash(ctx, password)
	if err != nil {
		return Account{}, err
	}
	// Hashed before the write, so the writer is not held meanwhile; the
	// token is checked again inside it (another use may have won).
	a, err = s.store.UsePasswordToken(ctx, hashSecret(token), s.now(), hash)
	if registry.ErrorCode(err) == registry.ENOTFOUND {
		return Account{}, invalidToken()
	}
	if err != nil {
		return Account{}, err
	}
	s.log.InfoContext(ctx, "staff password set with a link; sessions ended", "account", a.ID)
	return a, nil
}

// SetPassword sets an account's password directly (the command line's
// --password-stdin). It ends the account's sessions and lifts a lock-out.
func (s *Service) SetPassword(ctx context.Context, accountID, password string) error {
	a, err := s.store.Account(ctx, accountID)
	if err != nil {
		return err
	}
	if errs := CheckPassword(password, a.Email); len(errs) > 0 {
		return registry.Invalid(errs)
	}
	hash, err := s.passwords.hash(ctx, password)
	if err != nil {
		return err
	}
	if err := s.store.SetPassword(ctx, a.ID, hash); err != nil {
		return err
	}
	s.log.InfoContext(ctx, "staff password set; sessions ended", "account", a.ID)
	return nil
}

// ResetPassword is an admin's password reset: it ends the account's
// sessions at once (on every device) and returns a new one-time token
// that sets its password, valid for TokenLifetime, replacing the
// account's earlier tokens. The current password keeps working until the
// token is used, so that a reset made by mistake locks no one out; a
// disabled account cannot be reset (enable it first). by names the admin,
// for the log.
func (s *Service) ResetPassword(ctx context.Context, accountID, by string) (string, time.Time, error) {
	a, err := s.store.Account(ctx, accountID)
	if err != nil {
		return "", time.Time{}, err
	}
	if a.Disabled() {
		return "", time.Time{}, registry.Errorf(registry.ECONFLICT, "The account of %s is disabled: enable it before resetting its password.", a.Name)
	}
	token, hash, err := newSecret()
	if err != nil {
		return "", time.Time{}, err
	}
	now := s.now()
	expires := now.Add(TokenLifetime)
	ended, err := s.store.ResetPassword(ctx, hash, a.ID, now, expires)
	if err != nil {
		return "", time.Time{}, err
	}
	s.log.InfoContext(ctx, "staff password reset: set-password link issued, sessions ended",
		"account", a.ID, "by", by, "sessions_ended", ended, "expires", expires)
	return token, expires, nil
}
