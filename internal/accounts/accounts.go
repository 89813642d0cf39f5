// Package accounts is the staff's accounts and sessions: the people who
// keep the records sign in to the console with an email address and a
// password (programs use API keys: package auth).
//
// Passwords are hashed with argon2id (password.go). Sign-in is throttled
// per account (signin.go). A session's id and a set-password token are 256
// random bits, shown once and stored only as their SHA-256 hash, like API
// keys: they cannot be guessed, only stolen (sessions.go, tokens.go).
//
// What a front door (the console) does with it: SignIn with the form's
// email and password, ending any session the browser already had
// (SignOut), and sets the returned id as the cookie; Authenticate on
// every request, which only reads; SignOut on sign-out. The server runs
// RecordUses in a goroutine and FlushUses at shutdown, as it does for API
// keys. A set-password link opens PUBLIC_URL/console/set-password?token=…:
// TokenAccount shows whose password it sets, SetPasswordWithToken sets it
// (that page should send Referrer-Policy: no-referrer, the token being in
// its address).
package accounts

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-playground/validator/v10"
	"github.com/google/uuid"

	"github.com/hanoicreative/registry/internal/auth"
	"github.com/hanoicreative/registry/internal/lastuse"
	"github.com/hanoicreative/registry/internal/registry"
)

// Account is a member of staff. Role is the same as an API key's: an
// editor keeps entities, an admin also accounts, keys and sectors.
type Account struct {
	ID          string
	Email       string // as given; unique regardless of case
	Name        string // recorded as the actor of the account's changes
	Role        auth.Role
	CreatedAt   time.Time
	DisabledAt  *time.Time
	HasPassword bool // false until the account's first password is set
	// LastUsedAt is when the account last signed in or used a session (as
	// recorded: up to a minute behind); nil when never.
	LastUsedAt *time.Time
}

// Disabled reports whether the account may no longer sign in.
func (a Account) Disabled() bool { return a.DisabledAt != nil }

// String describes an account for logs.
func (a Account) String() string {
	return fmt.Sprintf("%s <%s> (%s, %s)", a.Name, a.Email, a.Role, a.ID)
}

// Credentials are what sign-in checks of an account.
type Credentials struct {
	PasswordHash string     // argon2id, in its PHC string form; "" when none is set
	LockedUntil  *time.Time // sign-ins are refused until then
}

// Session is a signed-in member of staff's session (without its id,
// which only its holder knows).
type Session struct {
	AccountID  string
	CreatedAt  time.Time
	LastSeenAt time.Time // as recorded: up to a minute behind the last use
}

// ExpiresAt is when the session ends unless it is used before: idle
// timeout after its last use, and never after its absolute lifetime.
func (s Session) ExpiresAt() time.Time {
	idle, absolute := s.LastSeenAt.Add(IdleTimeout), s.CreatedAt.Add(AbsoluteTimeout)
	if idle.Before(absolute) {
		return idle
	}
	return absolute
}

// Store keeps accounts, sessions, sign-in failures and set-password
// tokens. Hashes of secrets are stored, never secrets.
type Store interface {
	// CreateAccount stores an account with its password's hash ("" for
	// none yet); ECONFLICT naming the email when it is taken.
	CreateAccount(ctx context.Context, a Account, emailKey, passwordHash string) error
	// Account returns an account by id; ENOTFOUND when unknown.
	Account(ctx context.Context, id string) (Account, error)
	// AccountByEmail returns the account whose EmailKey is emailKey, with
	// its credentials; ENOTFOUND when unknown.
	AccountByEmail(ctx context.Context, emailKey string) (Account, Credentials, error)
	// Accounts returns every account, oldest first.
	Accounts(ctx context.Context) ([]Account, error)
	// SetAccountRole changes an account's role.
	SetAccountRole(ctx context.Context, id string, role auth.Role) (Account, error)
	// DisableAccount marks an account disabled (keeping the first date)
	// and deletes its sessions and tokens, in one transaction.
	DisableAccount(ctx context.Context, id string, at time.Time) (Account, error)
	// EnableAccount clears an account's disabled mark.
	EnableAccount(ctx context.Context, id string) (Account, error)
	// SetPassword replaces an account's password hash, deletes its
	// sessions, tokens and sign-in failures and lifts its lock, in one
	// transaction.
	SetPassword(ctx context.Context, id, passwordHash string) error

	// RecordSignInFailure records a failed sign-in at at, one account's
	// failures one after another: unless the account is locked at at
	// (then it returns 0 and the lock), it forgets the failures before
	// since, adds this one and counts them; at limit, it locks the account
	// until lockUntil and forgets them (they do not count again once the
	// lock ends). It returns the count and the lock, nil when none.
	RecordSignInFailure(ctx context.Context, accountID string, at, since time.Time, limit int, lockUntil time.Time) (int, *time.Time, error)

	// CreateSession stores a session under its id's hash, forgets the
	// account's sign-in failures and records the sign-in as the account's
	// last use.
	CreateSession(ctx context.Context, idHash []byte, s Session) error
	// Session returns the session stored under idHash and its account;
	// ENOTFOUND when there is none. It only reads.
	Session(ctx context.Context, idHash []byte) (Session, Account, error)
	// DeleteSession deletes a session; deleting none is no error.
	DeleteSession(ctx context.Context, idHash []byte) error
	// DeleteSessionsBefore deletes the sessions last seen before idle or
	// created before absolute: expired ones.
	DeleteSessionsBefore(ctx context.Context, idle, absolute time.Time) (int64, error)
	// TouchSessions records sessions' last uses (id hash in hex → time),
	// and their accounts', in one transaction; a session or account whose
	// recorded use is later keeps it.
	TouchSessions(ctx context.Context, uses map[string]time.Time) error

	// CreatePasswordToken stores a set-password token under its hash,
	// replacing the account's earlier tokens.
	CreatePasswordToken(ctx context.Context, hash []byte, accountID string, created, expires time.Time) error
	// ResetPassword stores a set-password token as CreatePasswordToken
	// does and deletes the account's sessions, in one transaction; it
	// returns how many sessions it ended.
	ResetPassword(ctx context.Context, hash []byte, accountID string, created, expires time.Time) (int64, error)
	// PasswordToken returns the account a token (by hash) sets the password
	// of, while it is unused and not expired at at; ENOTFOUND otherwise.
	PasswordToken(ctx context.Context, hash []byte, at time.Time) (Account, error)
	// UsePasswordToken deletes the token and, if it was unused and not
	// expired at at, sets its account's password as SetPassword does, in
	// one transaction; ENOTFOUND otherwise (so a token works once).
	UsePasswordToken(ctx context.Context, hash []byte, at time.Time, passwordHash string) (Account, error)
}

// The contract's time limits.
const (
	// IdleTimeout ends a session that has not been used for this long.
	IdleTimeout = 12 * time.Hour
	// AbsoluteTimeout ends every session this long after sign-in.
	AbsoluteTimeout = 7 * 24 * time.Hour
	// TokenLifetime is how long a set-password link works.
	TokenLifetime = 24 * time.Hour
	// seenResolution is how stale a session's recorded last use may grow
	// before a use is written (off the request path, by lastuse): idle
	// timeouts are exact to within it.
	seenResolution = time.Minute
)

// Options tune a Service.
type Options struct {
	// Now is the clock (tests move it); time.Now by default.
	Now func() time.Time
	// Logger receives sign-ins and failed sign-ins, never a secret.
	Logger *slog.Logger
	// Hashing is how passwords are hashed; DefaultHashing when nil.
	Hashing *Hashing
}

// Service manages accounts, signs staff in and out and checks sessions.
type Service struct {
	store     Store
	now       func() time.Time
	log       *slog.Logger
	passwords *passwords
	seen      *lastuse.Recorder // sessions' last uses waiting to be written
	emails    *validator.Validate
}

// NewService returns a Service over store.
func NewService(store Store, opts Options) *Service {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Hashing == nil {
		opts.Hashing = DefaultHashing
	}
	now := opts.Now
	return &Service{
		store:     store,
		now:       func() time.Time { return now().UTC().Truncate(time.Microsecond) },
		log:       opts.Logger,
		passwords: newPasswords(*opts.Hashing),
		seen:      lastuse.New("staff sessions", seenResolution, store.TouchSessions),
		emails:    validator.New(),
	}
}

// NewAccount is what Create needs. Password is optional: without one the
// account signs in once its password is set through a link.
type NewAccount struct {
	Email, Name string
	Role        auth.Role
	Password    string
}

// Limits of an account's fields.
const (
	MaxNameLength  = 100
	MaxEmailLength = registry.MaxEmailLength
)

// EmailKey is the form of an email address that must be unique: two
// addresses differing only in case are one person's.
func EmailKey(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// Create makes an account, checking every field at once.
func (s *Service) Create(ctx context.Context, n NewAccount) (Account, error) {
	n.Email, n.Name = strings.TrimSpace(n.Email), strings.TrimSpace(n.Name)
	errs := s.checkAccount(n.Email, n.Name, n.Role)
	if n.Password != "" {
		errs = append(errs, CheckPassword(n.Password, n.Email)...)
	}
	if len(errs) > 0 {
		return Account{}, registry.Invalid(errs)
	}
	id, err := uuid.NewV7()
	if err != nil {
		return Account{}, registry.Internal(err)
	}
	var hash string
	if n.Password != "" {
		if hash, err = s.passwords.hash(ctx, n.Password); err != nil {
			return Account{}, err
		}
	}
	a := Account{ID: id.String(), Email: n.Email, Name: n.Name, Role: n.Role, CreatedAt: s.now(), HasPassword: hash != ""}
	if err := s.store.CreateAccount(ctx, a, EmailKey(n.Email), hash); err != nil {
		return Account{}, err
	}
	s.log.InfoContext(ctx, "staff account created", "account", a.ID, "email", a.Email, "role", a.Role)
	return a, nil
}

// checkAccount returns every failing field of an account's details.
func (s *Service) checkAccount(email, name string, role auth.Role) []registry.FieldError {
	var errs []registry.FieldError
	switch {
	case email == "":
		errs = append(errs, registry.Fieldf("email", "required", "%s is required.", "email"))
	case utf8.RuneCountInString(email) > MaxEmailLength:
		errs = append(errs, registry.Fieldf("email", "max", "%s must have at most %d characters.", "email", MaxEmailLength))
	case s.emails.Var(email, "email") != nil:
		errs = append(errs, registry.Fieldf("email", "email", "%s must be an email address.", "email"))
	}
	switch fe := registry.CheckText("name", name, false); {
	case fe != nil:
		errs = append(errs, *fe)
	case name == "":
		errs = append(errs, registry.Fieldf("name", "required", "%s is required.", "name"))
	case utf8.RuneCountInString(name) > MaxNameLength:
		errs = append(errs, registry.Fieldf("name", "max", "%s must have at most %d characters.", "name", MaxNameLength))
	}
	switch _, err := auth.ParseRole(string(role)); {
	case role == "":
		errs = append(errs, registry.Fieldf("role", "required", "%s is required: editor or admin.", "role"))
	case err != nil:
		errs = append(errs, registry.Fieldf("role", "oneof", "%s must be editor or admin.", "role"))
	}
	return errs
}

// Accounts lists every account, oldest first.
func (s *Service) Accounts(ctx context.Context) ([]Account, error) { return s.store.Accounts(ctx) }

// Find returns the account a person names by its email address (any case)
// or its id.
func (s *Service) Find(ctx context.Context, ref string) (Account, error) {
	ref = strings.TrimSpace(ref)
	if strings.Contains(ref, "@") {
		a, _, err := s.store.AccountByEmail(ctx, EmailKey(ref))
		if registry.ErrorCode(err) == registry.ENOTFOUND {
			return Account{}, registry.Errorf(registry.ENOTFOUND, "There is no account %q.", ref)
		}
		return a, err
	}
	if _, err := uuid.Parse(ref); err != nil {
		return Account{}, registry.Errorf(registry.ENOTFOUND, "There is no account %q.", ref)
	}
	return s.store.Account(ctx, ref)
}

// SetRole changes an account's role; it applies to its sessions at once.
func (s *Service) SetRole(ctx context.Context, id string, role auth.Role) (Account, error) {
	if _, err := auth.ParseRole(string(role)); err != nil {
		return Account{}, registry.Invalid([]registry.FieldError{registry.Fieldf("role", "oneof", "%s must be editor or admin.", "role")})
	}
	a, err := s.store.SetAccountRole(ctx, id, role)
	if err == nil {
		s.log.InfoContext(ctx, "staff account role changed", "account", a.ID, "role", a.Role)
	}
	return a, err
}

// Disable stops an account signing in and ends its sessions at once.
func (s *Service) Disable(ctx context.Context, id string) (Account, error) {
	a, err := s.store.DisableAccount(ctx, id, s.now())
	if err == nil {
		s.log.InfoContext(ctx, "staff account disabled; its sessions ended", "account", a.ID, "email", a.Email)
	}
	return a, err
}

// Enable lets a disabled account sign in again.
func (s *Service) Enable(ctx context.Context, id string) (Account, error) {
	a, err := s.store.EnableAccount(ctx, id)
	if err == nil {
		s.log.InfoContext(ctx, "staff account enabled", "account", a.ID, "email", a.Email)
	}
	return a, err
}
