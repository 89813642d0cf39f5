// Package auth is the registry's access control: API keys with roles.
//
// A key's secret is shown once, when the key is made; only its SHA-256
// hash is stored (a 256-bit random secret needs no slow hash: it cannot be
// guessed, only stolen). A token names its key, so verifying it is one
// lookup by id and a constant-time comparison of hashes.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/hanoicreative/registry/internal/lastuse"
	"github.com/hanoicreative/registry/internal/registry"
)

// Role is what a key may do. Anonymous clients (no key) may read.
type Role string

const (
	Editor Role = "editor" // entities and imports
	Admin  Role = "admin"  // everything an editor may, and keys and sectors
)

// ParseRole parses a role name.
func ParseRole(s string) (Role, error) {
	switch Role(s) {
	case Editor, Admin:
		return Role(s), nil
	}
	return "", registry.Errorf(registry.EINVALID, "role must be editor or admin.")
}

// Allows reports whether a key of role r may do what needs role need.
func (r Role) Allows(need Role) bool {
	return r == Admin || r == need
}

// Key is an API key, without its secret.
type Key struct {
	ID         string
	Name       string
	Role       Role
	CreatedAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

// Active reports whether the key may still be used.
func (k Key) Active() bool { return k.RevokedAt == nil }

// Store keeps API keys.
type Store interface {
	// CreateKey stores a key and the hash of its secret; ECONFLICT when the name is taken.
	CreateKey(ctx context.Context, k Key, hash []byte) error
	// Key returns a key and its secret's hash; ENOTFOUND when unknown.
	Key(ctx context.Context, id string) (Key, []byte, error)
	// Keys returns every key, newest first.
	Keys(ctx context.Context) ([]Key, error)
	// RevokeKey marks a key revoked (once; revoking again changes nothing).
	RevokeKey(ctx context.Context, id string, at time.Time) (Key, error)
	// TouchKeys records when keys (by id) were last used, in one
	// transaction; a key whose recorded use is later keeps it.
	TouchKeys(ctx context.Context, uses map[string]time.Time) error
}

// tokenPrefix marks registry keys, so that secret scanners can find leaked ones.
const tokenPrefix = "hcr_"

var tokenPattern = regexp.MustCompile(`^hcr_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$`)

// Service creates, verifies and revokes keys.
type Service struct {
	store Store
	now   func() time.Time
	uses  *lastuse.Recorder // last uses waiting to be written
}

// NewService returns a Service over store.
func NewService(store Store) *Service {
	return &Service{store: store, now: func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) },
		uses: lastuse.New("API keys", useResolution, store.TouchKeys)}
}

// Create makes a key and returns it with its token, the only time the
// token is ever available.
func (s *Service) Create(ctx context.Context, name string, role Role) (Key, string, error) {
	name = strings.TrimSpace(name)
	if errs := CheckKey(name, role); len(errs) > 0 {
		return Key{}, "", registry.Invalid(errs)
	}
	id, err := uuid.NewV7()
	if err != nil {
		return Key{}, "", registry.Internal(err)
	}
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		return Key{}, "", registry.Internal(err)
	}
	secretText := base64.RawURLEncoding.EncodeToString(secret)
	k := Key{ID: id.String(), Name: name, Role: role, CreatedAt: s.now()}
	if err := s.store.CreateKey(ctx, k, hash(secretText)); err != nil {
		return Key{}, "", err
	}
	return k, tokenPrefix + strings.ReplaceAll(k.ID, "-", "") + "_" + secretText, nil
}

// MaxNameLength is the longest name a key may have.
const MaxNameLength = 100

// CheckKey returns every failing field of a new key: every front door
// (API, command line) gets the same rules, and Create applies them.
func CheckKey(name string, role Role) []registry.FieldError {
	name = strings.TrimSpace(name)
	var errs []registry.FieldError
	switch fe := registry.CheckText("name", name, false); {
	case fe != nil:
		errs = append(errs, *fe)
	case name == "":
		errs = append(errs, registry.Fieldf("name", "required", "name is required: it is recorded as the actor of every change the key makes."))
	case utf8.RuneCountInString(name) > MaxNameLength:
		errs = append(errs, registry.Fieldf("name", "max", "%s must have at most %d characters.", "name", MaxNameLength))
	}
	switch _, err := ParseRole(string(role)); {
	case role == "":
		errs = append(errs, registry.Fieldf("role", "required", "role is required: editor or admin."))
	case err != nil:
		errs = append(errs, registry.Fieldf("role", "oneof", "role must be editor or admin."))
	}
	return errs
}

// Authenticate returns the active key a token belongs to, or EUNAUTHORIZED.
// It only reads: the use is queued for RecordUses to write.
func (s *Service) Authenticate(ctx context.Context, token string) (Key, error) {
	bad := registry.Errorf(registry.EUNAUTHORIZED, "The API key is not valid (unknown, malformed or revoked).")
	m := tokenPattern.FindStringSubmatch(token)
	if m == nil {
		return Key{}, bad
	}
	id, err := uuid.Parse(m[1])
	if err != nil {
		return Key{}, bad
	}
	k, stored, err := s.store.Key(ctx, id.String())
	if registry.ErrorCode(err) == registry.ENOTFOUND {
		return Key{}, bad
	}
	if err != nil {
		return Key{}, err
	}
	if subtle.ConstantTimeCompare(stored, hash(m[2])) != 1 || !k.Active() {
		return Key{}, bad
	}
	s.uses.Note(k.ID, k.LastUsedAt, s.now())
	return k, nil
}

// Keys lists every key.
func (s *Service) Keys(ctx context.Context) ([]Key, error) { return s.store.Keys(ctx) }

// Revoke revokes a key; it takes effect on the key's next request.
func (s *Service) Revoke(ctx context.Context, id string) (Key, error) {
	if _, err := uuid.Parse(id); err != nil {
		return Key{}, registry.Errorf(registry.ENOTFOUND, "There is no key %q.", id)
	}
	return s.store.RevokeKey(ctx, id, s.now())
}

func hash(secret string) []byte {
	sum := sha256.Sum256([]byte(secret))
	return sum[:]
}

// String describes a key for logs: never its secret.
func (k Key) String() string { return fmt.Sprintf("%s (%s, %s)", k.Name, k.Role, k.ID) }

// KeyID returns the id of the key a token names, without looking it up,
// or false when the token is malformed: what a rate limiter counts a
// request against before anything reaches the database.
func KeyID(token string) (string, bool) {
	m := tokenPattern.FindStringSubmatch(token)
	if m == nil {
		return "", false
	}
	id, err := uuid.Parse(m[1])
	if err != nil {
		return "", false
	}
	return id.String(), true
}
