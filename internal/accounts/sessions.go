package accounts

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"log/slog"

	"time"

	"github.com/hanoicreative/registry/internal/registry"
)

// A session id (and a set-password token) is 32 random bytes in base64url
// without padding: 43 characters.
const secretLength = 43

func newSecret() (text string, hash []byte, err error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", nil, registry.Internal(err)
	}
	text = base64.RawURLEncoding.EncodeToString(b)
	return text, hashSecret(text), nil
}

func hashSecret(text string) []byte {
	sum := sha256.Sum256([]byte(text))
	return sum[:]
}

// wellFormed reports whether text could be a secret of ours, before any
// lookup.
func wellFormed(text string) bool {
	if len(text) != secretLength {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(text)
	return err == nil
}

// startSession stores a new session: a new id at every sign-in, so that
// an id planted before sign-in is worth nothing after it. Expired
// sessions (of anyone) are deleted on the way.
func (s *Service) startSession(ctx context.Context, a Account, now time.Time) (Session, string, error) {
	token, hash, err := newSecret()
	if err != nil {
		return Session{}, "", err
	}
	sess := Session{AccountID: a.ID, CreatedAt: now, LastSeenAt: now}
	if err := s.store.CreateSession(ctx, hash, sess); err != nil {
		return Session{}, "", err
	}
	if _, err := s.store.DeleteSessionsBefore(ctx, now.Add(-IdleTimeout), now.Add(-AbsoluteTimeout)); err != nil {
		s.log.WarnContext(ctx, "deleting expired staff sessions", "err", err)
	}
	return sess, token, nil
}

// Authenticate returns the session whose id is token and its account, or
// EUNAUTHORIZED when it is unknown, ended, expired or its account is
// disabled. It only reads: the use is queued for RecordUses to write when
// the recorded one is stale, so that a request never waits for SQLite's
// writer.
func (s *Service) Authenticate(ctx context.Context, token string) (Session, Account, error) {
	ended := registry.Errorf(registry.EUNAUTHORIZED, "Your session has ended: sign in again.")
	if !wellFormed(token) {
		return Session{}, Account{}, ended
	}
	hash := hashSecret(token)
	sess, a, err := s.store.Session(ctx, hash)
	if registry.ErrorCode(err) == registry.ENOTFOUND {
		return Session{}, Account{}, ended
	}
	if err != nil {
		return Session{}, Account{}, err
	}
	now := s.now()
	if a.Disabled() || !now.Before(sess.ExpiresAt()) {
		return Session{}, Account{}, ended
	}
	s.seen.Note(hex.EncodeToString(hash), &sess.LastSeenAt, now)
	return sess, a, nil
}

// SignOut ends the session whose id is token, at once. Signing out of a
// session that has ended already is no error.
func (s *Service) SignOut(ctx context.Context, token string) error {
	if !wellFormed(token) {
		return nil
	}
	if err := s.store.DeleteSession(ctx, hashSecret(token)); err != nil {
		return err
	}
	s.log.InfoContext(ctx, "staff signed out")
	return nil
}

// RecordUses writes sessions' last uses as they are queued, until ctx
// ends; then it writes what is left. Run it in a goroutine of its own;
// without it, uses stay queued until FlushUses.
func (s *Service) RecordUses(ctx context.Context, log *slog.Logger) { s.seen.Run(ctx, log) }

// FlushUses writes the queued uses now: at shutdown, and in tests.
func (s *Service) FlushUses(ctx context.Context) error { return s.seen.Flush(ctx) }

// PendingUses reports how many sessions' uses wait to be written.
func (s *Service) PendingUses() int { return s.seen.Pending() }
