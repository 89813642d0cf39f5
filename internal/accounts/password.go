package accounts

import (
	"bufio"
	"context"
	_ "embed"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/alexedwards/argon2id"

	"github.com/hanoicreative/registry/internal/registry"
)

// Password rules: long enough, and not one that attackers try first.
const (
	MinPasswordLength = 10
	// MaxPasswordLength bounds the work one password makes (and what
	// people paste by mistake).
	MaxPasswordLength = 256
)

// commonPasswords is zxcvbn's ranked list of leaked passwords, those of
// MinPasswordLength characters or more (see common_passwords.LICENSE).
//
//go:embed common_passwords.txt
var commonPasswordsText string

var commonPasswords = sync.OnceValue(func() map[string]bool {
	set := map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(commonPasswordsText))
	for sc.Scan() {
		if w := strings.TrimSpace(sc.Text()); w != "" {
			set[w] = true
		}
	}
	return set
})

// IsCommonPassword reports whether password, in any case, is among the
// common passwords.
func IsCommonPassword(password string) bool { return commonPasswords()[strings.ToLower(password)] }

// CheckPassword returns what is wrong with a new password for the account
// with this email address: every front door (console, command line) gets
// the same rules.
func CheckPassword(password, email string) []registry.FieldError {
	n := utf8.RuneCountInString(password)
	switch {
	case password == "":
		return []registry.FieldError{registry.Fieldf("password", "required", "%s is required.", "password")}
	case !utf8.ValidString(password):
		return []registry.FieldError{registry.Fieldf("password", "encoding", "%s is not valid UTF-8 text: save the file as UTF-8.", "password")}
	case n < MinPasswordLength:
		return []registry.FieldError{registry.Fieldf("password", "min", "%s must have at least %d characters.", "password", MinPasswordLength)}
	case n > MaxPasswordLength:
		return []registry.FieldError{registry.Fieldf("password", "max", "%s must have at most %d characters.", "password", MaxPasswordLength)}
	case IsCommonPassword(password):
		return []registry.FieldError{registry.Fieldf("password", "common", "%s is one of the most common passwords, which attackers try first: choose another.", "password")}
	case email != "" && strings.EqualFold(strings.TrimSpace(password), strings.TrimSpace(email)):
		return []registry.FieldError{registry.Fieldf("password", "email", "%s must not be the email address.", "password")}
	}
	return nil
}

// Hashing is argon2id's cost: memory in KiB, passes over it, and lanes,
// with the salt and key lengths in bytes.
type Hashing = argon2id.Params

// DefaultHashing follows OWASP's Password Storage Cheat Sheet (its first
// argon2id setting: 19 MiB, 2 passes, 1 lane): about 50 ms a hash on one
// core here. Memory, not time, is what slows a cracker's GPU; 19 MiB keeps
// two concurrent hashes well inside the server's 112 MiB GOMEMLIMIT. The
// parameters are stored in each hash, so they can grow later without
// invalidating earlier passwords.
var DefaultHashing = &Hashing{Memory: 19 * 1024, Iterations: 2, Parallelism: 1, SaltLength: 16, KeyLength: 32}

// maxConcurrentHashes bounds the memory hashing takes when many sign in
// at once (each hash holds Memory KiB while it runs).
const maxConcurrentHashes = 2

// passwords hashes and verifies passwords, a bounded number at a time.
type passwords struct {
	params Hashing
	slots  chan struct{}
	// dummy is a hash of no one's password: verified against when there is
	// no account, so that a sign-in takes as long whether or not the email
	// address is known.
	dummy func() (string, error)
}

func newPasswords(params Hashing) *passwords {
	p := &passwords{params: params, slots: make(chan struct{}, maxConcurrentHashes)}
	p.dummy = sync.OnceValues(func() (string, error) {
		return argon2id.CreateHash("no account has this password", &p.params)
	})
	return p
}

func (p *passwords) acquire(ctx context.Context) error {
	select {
	case p.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return registry.Internal(ctx.Err())
	}
}

func (p *passwords) release() { <-p.slots }

// hash returns password's argon2id hash in the PHC string form
// ($argon2id$v=19$m=...,t=...,p=...$salt$key).
func (p *passwords) hash(ctx context.Context, password string) (string, error) {
	if err := p.acquire(ctx); err != nil {
		return "", err
	}
	defer p.release()
	h, err := argon2id.CreateHash(password, &p.params)
	if err != nil {
		return "", registry.Internal(err)
	}
	return h, nil
}

// verify reports whether password matches hash, in constant time; with
// no hash ("": no account, or no password set yet) it does the same work
// against the dummy hash and reports false.
func (p *passwords) verify(ctx context.Context, password, hash string) (bool, error) {
	real := hash != ""
	if !real {
		var err error
		if hash, err = p.dummy(); err != nil {
			return false, registry.Internal(err)
		}
	}
	if err := p.acquire(ctx); err != nil {
		return false, err
	}
	defer p.release()
	ok, err := argon2id.ComparePasswordAndHash(password, hash)
	if err != nil {
		return false, registry.Internal(err)
	}
	return ok && real, nil
}
