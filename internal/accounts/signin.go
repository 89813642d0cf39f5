package accounts

import (
	"context"
	"math"
	"time"

	"github.com/hanoicreative/registry/internal/registry"
)

// Throttling, as the contract says: five failed sign-ins for one account
// within 15 minutes lock further tries for 15 minutes.
const (
	MaxFailedSignIns = 5
	FailureWindow    = 15 * time.Minute
	LockDuration     = 15 * time.Minute
)

// SignIn checks an email address and a password and starts a new session:
// it returns the session and its id, the cookie's value, which is never
// stored. client (an address) is only logged. An unknown address, an
// account without a password and a wrong password all take one argon2id
// verification and fail alike (EUNAUTHORIZED); the fifth failure within
// FailureWindow locks the account: tries after it fail with ETOOMANY
// until LockDuration has passed. A disabled account, once its password is
// right, fails with EFORBIDDEN.
func (s *Service) SignIn(ctx context.Context, email, password, client string) (Session, string, error) {
	if _, err := s.passwords.dummy(); err != nil { // made before any timing can depend on it
		return Session{}, "", registry.Internal(err)
	}
	wrong := registry.Errorf(registry.EUNAUTHORIZED, "The email address or the password is wrong.")
	now := s.now()
	a, cred, err := s.store.AccountByEmail(ctx, EmailKey(email))
	if registry.ErrorCode(err) == registry.ENOTFOUND {
		if _, err := s.passwords.verify(ctx, password, ""); err != nil {
			return Session{}, "", err
		}
		s.log.WarnContext(ctx, "staff sign-in failed", "reason", "unknown email address", "client", client)
		return Session{}, "", wrong
	}
	if err != nil {
		return Session{}, "", err
	}
	if cred.LockedUntil != nil && now.Before(*cred.LockedUntil) {
		// The same work as any try, and the password is not even looked at.
		if _, err := s.passwords.verify(ctx, password, ""); err != nil {
			return Session{}, "", err
		}
		s.log.WarnContext(ctx, "staff sign-in refused", "reason", "locked", "account", a.ID, "locked_until", *cred.LockedUntil, "client", client)
		return Session{}, "", lockedError(*cred.LockedUntil, now)
	}
	ok, err := s.passwords.verify(ctx, password, cred.PasswordHash)
	if err != nil {
		return Session{}, "", err
	}
	if !ok {
		return Session{}, "", s.failed(ctx, a, now, client, wrong)
	}
	// Tries that were under way when another one locked the account are
	// refused too, right or wrong: otherwise many tries at once would each
	// learn whether their password is right, however many failed before.
	if _, cred, err = s.store.AccountByEmail(ctx, EmailKey(email)); err != nil {
		return Session{}, "", err
	}
	if cred.LockedUntil != nil && now.Before(*cred.LockedUntil) {
		s.log.WarnContext(ctx, "staff sign-in refused", "reason", "locked meanwhile", "account", a.ID, "locked_until", *cred.LockedUntil, "client", client)
		return Session{}, "", lockedError(*cred.LockedUntil, now)
	}
	if a.Disabled() {
		s.log.WarnContext(ctx, "staff sign-in refused", "reason", "disabled", "account", a.ID, "client", client)
		return Session{}, "", registry.Errorf(registry.EFORBIDDEN, "This account is disabled: ask an administrator.")
	}
	sess, token, err := s.startSession(ctx, a, now)
	if err != nil {
		return Session{}, "", err
	}
	s.log.InfoContext(ctx, "staff signed in", "account", a.ID, "email", a.Email, "role", a.Role, "client", client)
	return sess, token, nil
}

// failed records a failed sign-in; the fifth within FailureWindow locks
// the account.
func (s *Service) failed(ctx context.Context, a Account, now time.Time, client string, wrong error) error {
	n, locked, err := s.store.RecordSignInFailure(ctx, a.ID, now, now.Add(-FailureWindow), MaxFailedSignIns, now.Add(LockDuration))
	if err != nil {
		return err
	}
	switch {
	case n == 0: // locked by a try under way at the same time
		s.log.WarnContext(ctx, "staff sign-in refused", "reason", "wrong password; locked meanwhile", "account", a.ID, "client", client)
		return lockedError(*locked, now)
	case locked != nil:
		s.log.WarnContext(ctx, "staff sign-in failed; account locked", "reason", "wrong password", "account", a.ID, "failures", n, "locked_until", *locked, "client", client)
	default:
		s.log.WarnContext(ctx, "staff sign-in failed", "reason", "wrong password", "account", a.ID, "failures", n, "client", client)
	}
	// The fifth failure is a failed sign-in like the others; the tries
	// after it are locked.
	return wrong
}

// lockedError says how long to wait, in whole minutes rounded up.
func lockedError(until, now time.Time) error {
	minutes := int(math.Ceil(until.Sub(now).Minutes()))
	return registry.Errorf(registry.ETOOMANY, "Too many failed sign-ins: this account is locked for %d more minutes. Try again after %s.", minutes, until.UTC().Format("15:04 UTC"))
}
