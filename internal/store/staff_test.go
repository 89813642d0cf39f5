package store_test

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/hanoicreative/registry/internal/accounts"
	"github.com/hanoicreative/registry/internal/auth"
	"github.com/hanoicreative/registry/internal/registry"
	"github.com/hanoicreative/registry/internal/store"
)

// testClock is a clock the test moves.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// cheapHashing keeps the suite quick; the parameters themselves are
// tested in package accounts.
var cheapHashing = &accounts.Hashing{Memory: 1024, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}

// staffEnv is an accounts service over one engine's database, on a test clock.
type staffEnv struct {
	env
	staff *accounts.Service
	clock *testClock
	log   *bytes.Buffer
}

func staffEngines(t *testing.T, fn func(t *testing.T, s staffEnv)) {
	t.Helper()
	engines(t, func(t *testing.T, e env) {
		clock := &testClock{t: time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)}
		var log bytes.Buffer
		staff := accounts.NewService(e.db, accounts.Options{Now: clock.Now, Hashing: cheapHashing,
			Logger: slog.New(slog.NewTextHandler(&log, nil))})
		fn(t, staffEnv{env: e, staff: staff, clock: clock, log: &log})
	})
}

const goodPassword = "Hồ Gươm vào thu 2026"

func (s staffEnv) account(t *testing.T, email string, role auth.Role) accounts.Account {
	t.Helper()
	a, err := s.staff.Create(s.ctx, accounts.NewAccount{Email: email, Name: "Nguyễn Thị Lan", Role: role, Password: goodPassword})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func (s staffEnv) signIn(t *testing.T, email, password string) string {
	t.Helper()
	_, token, err := s.staff.SignIn(s.ctx, email, password, "192.0.2.1")
	if err != nil {
		t.Fatalf("sign in %s: %v", email, err)
	}
	return token
}

func TestStaffAccounts(t *testing.T) {
	staffEngines(t, func(t *testing.T, s staffEnv) {
		// Every invalid field at once.
		_, err := s.staff.Create(s.ctx, accounts.NewAccount{Email: "not an address", Name: " ", Role: "owner", Password: "short"})
		wantCode(t, err, registry.EINVALID)
		fields := map[string]string{}
		for _, f := range registry.AsError(err).Fields {
			fields[f.Field] = f.Code
		}
		want := map[string]string{"email": "email", "name": "required", "role": "oneof", "password": "min"}
		if len(fields) != len(want) {
			t.Errorf("fields %v, want %v", fields, want)
		}
		for f, c := range want {
			if fields[f] != c {
				t.Errorf("%s: %q, want %q", f, fields[f], c)
			}
		}

		admin := s.account(t, "Lan.Nguyen@Example.vn", auth.Admin)
		if !admin.HasPassword || admin.Disabled() || admin.Role != auth.Admin {
			t.Errorf("created %+v", admin)
		}
		// The address is unique in any case.
		_, err = s.staff.Create(s.ctx, accounts.NewAccount{Email: "lan.nguyen@example.VN", Name: "Lan", Role: auth.Editor})
		wantCode(t, err, registry.ECONFLICT)
		if f := registry.AsError(err).Fields; len(f) != 1 || f[0].Field != "email" || f[0].Code != "taken" {
			t.Errorf("conflict fields %+v", f)
		}
		editor, err := s.staff.Create(s.ctx, accounts.NewAccount{Email: "minh@example.vn", Name: "Trần Minh", Role: auth.Editor})
		if err != nil || editor.HasPassword {
			t.Fatalf("an account without a password: %+v %v", editor, err)
		}
		list, err := s.staff.Accounts(s.ctx)
		if err != nil || len(list) != 2 || list[0].ID != admin.ID || list[1].ID != editor.ID {
			t.Fatalf("accounts %+v %v", list, err)
		}
		for _, ref := range []string{"LAN.NGUYEN@example.vn", admin.ID} {
			if got, err := s.staff.Find(s.ctx, ref); err != nil || got.ID != admin.ID {
				t.Errorf("find %q: %+v %v", ref, got, err)
			}
		}
		for _, ref := range []string{"nobody@example.vn", "not-an-id", "0193b0c4-5d1e-7c2a-9f00-3c1d2e4f5a6b"} {
			_, err := s.staff.Find(s.ctx, ref)
			wantCode(t, err, registry.ENOTFOUND)
		}
		promoted, err := s.staff.SetRole(s.ctx, editor.ID, auth.Admin)
		if err != nil || promoted.Role != auth.Admin {
			t.Errorf("set role: %+v %v", promoted, err)
		}
	})
}

func TestStaffSignInLockOut(t *testing.T) {
	staffEngines(t, func(t *testing.T, s staffEnv) {
		a := s.account(t, "lan@example.vn", auth.Editor)
		wrong := func() error {
			_, _, err := s.staff.SignIn(s.ctx, "lan@example.vn", "not the password", "192.0.2.7")
			return err
		}
		// Failures older than 15 minutes do not count.
		for range 4 {
			wantCode(t, wrong(), registry.EUNAUTHORIZED)
		}
		s.clock.Advance(16 * time.Minute)
		for range 4 {
			wantCode(t, wrong(), registry.EUNAUTHORIZED)
			s.clock.Advance(time.Minute)
		}
		// The fifth failure within 15 minutes locks the account for 15
		// minutes: further tries are refused, the right password too, with
		// a clear message.
		wantCode(t, wrong(), registry.EUNAUTHORIZED)
		_, _, err := s.staff.SignIn(s.ctx, "lan@example.vn", goodPassword, "192.0.2.7")
		wantCode(t, err, registry.ETOOMANY)
		if msg := registry.AsError(err).Message; !strings.Contains(msg, "15 more minutes") || !strings.Contains(msg, "08:35 UTC") {
			t.Errorf("lock-out message %q", msg)
		}
		wantCode(t, wrong(), registry.ETOOMANY)
		s.clock.Advance(14*time.Minute + 59*time.Second)
		_, _, err = s.staff.SignIn(s.ctx, "LAN@example.vn", goodPassword, "192.0.2.7")
		wantCode(t, err, registry.ETOOMANY)
		if msg := registry.AsError(err).Message; !strings.Contains(msg, "1 more minutes") {
			t.Errorf("lock-out message a second before its end: %q", msg)
		}
		// Released after 15 minutes; the failures before the lock are forgotten.
		s.clock.Advance(time.Second)
		s.signIn(t, "LAN@example.vn", goodPassword)
		for range 4 {
			wantCode(t, wrong(), registry.EUNAUTHORIZED)
		}
		// A successful sign-in forgets the failures before it.
		s.signIn(t, "lan@example.vn", goodPassword)
		for range 5 {
			wantCode(t, wrong(), registry.EUNAUTHORIZED)
		}
		wantCode(t, wrong(), registry.ETOOMANY)
		// Setting a password lifts the lock.
		if err := s.staff.SetPassword(s.ctx, a.ID, "a new password, 2026"); err != nil {
			t.Fatal(err)
		}
		s.signIn(t, "lan@example.vn", "a new password, 2026")

		// An unknown address and an account without a password fail as a
		// wrong password does.
		_, _, err = s.staff.SignIn(s.ctx, "nobody@example.vn", goodPassword, "192.0.2.7")
		wantCode(t, err, registry.EUNAUTHORIZED)
		if _, err := s.staff.Create(s.ctx, accounts.NewAccount{Email: "minh@example.vn", Name: "Minh", Role: auth.Editor}); err != nil {
			t.Fatal(err)
		}
		_, _, err = s.staff.SignIn(s.ctx, "minh@example.vn", "", "192.0.2.7")
		wantCode(t, err, registry.EUNAUTHORIZED)

		// Sign-ins and failures are logged, without the password.
		log := s.log.String()
		for _, want := range []string{"staff signed in", "staff sign-in failed", "account locked", "unknown email address", "192.0.2.7"} {
			if !strings.Contains(log, want) {
				t.Errorf("the log lacks %q", want)
			}
		}
		for _, secret := range []string{goodPassword, "not the password", "a new password"} {
			if strings.Contains(log, secret) {
				t.Errorf("the log shows a password: %q", secret)
			}
		}
	})
}

// TestStaffSignInsAtOnce: many tries at once learn no more than five
// tries one after another; those after the fifth failure are refused as
// locked, right password or wrong.
func TestStaffSignInsAtOnce(t *testing.T) {
	staffEngines(t, func(t *testing.T, s staffEnv) {
		s.account(t, "lan@example.vn", auth.Editor)
		var wrong, locked atomic.Int32
		var wg sync.WaitGroup
		for range 12 {
			wg.Go(func() {
				_, _, err := s.staff.SignIn(s.ctx, "lan@example.vn", "not the password", "")
				switch registry.ErrorCode(err) {
				case registry.EUNAUTHORIZED:
					wrong.Add(1)
				case registry.ETOOMANY:
					locked.Add(1)
				default:
					t.Errorf("a try: %v", err)
				}
			})
		}
		wg.Wait()
		if wrong.Load() != MaxWrong || locked.Load() != 12-MaxWrong {
			t.Errorf("12 tries at once: %d told wrong, %d locked; want %d and %d", wrong.Load(), locked.Load(), MaxWrong, 12-MaxWrong)
		}
		_, _, err := s.staff.SignIn(s.ctx, "lan@example.vn", goodPassword, "")
		wantCode(t, err, registry.ETOOMANY)
	})
}

// MaxWrong is how many failed tries are told "wrong": the lock comes
// with the last of them.
const MaxWrong = accounts.MaxFailedSignIns

func TestStaffSessions(t *testing.T) {
	staffEngines(t, func(t *testing.T, s staffEnv) {
		a := s.account(t, "lan@example.vn", auth.Admin)
		token := s.signIn(t, "lan@example.vn", goodPassword)
		other := s.signIn(t, "lan@example.vn", goodPassword)
		if token == other || len(token) != 43 {
			t.Fatalf("session ids %q, %q: a new one at every sign-in", token, other)
		}
		use := func(token string) error {
			_, got, err := s.staff.Authenticate(s.ctx, token)
			if err == nil && got.ID != a.ID {
				t.Fatalf("session of %s, want %s", got.ID, a.ID)
			}
			if ferr := s.staff.FlushUses(s.ctx); ferr != nil {
				t.Fatal(ferr)
			}
			return err
		}
		if err := use(token); err != nil {
			t.Fatal(err)
		}
		for _, bad := range []string{"", "x", strings.Repeat("A", 43), token + "A"} {
			wantCode(t, use(bad), registry.EUNAUTHORIZED)
		}

		// Idle timeout: 12 hours after the last use.
		s.clock.Advance(11 * time.Hour)
		if err := use(token); err != nil {
			t.Fatalf("after 11 h: %v", err)
		}
		s.clock.Advance(11 * time.Hour) // other: 22 h idle; token: 11 h
		wantCode(t, use(other), registry.EUNAUTHORIZED)
		if err := use(token); err != nil {
			t.Fatalf("11 h after its last use: %v", err)
		}
		s.clock.Advance(12 * time.Hour)
		wantCode(t, use(token), registry.EUNAUTHORIZED)

		// Absolute timeout: 7 days after sign-in, however often it is used.
		token = s.signIn(t, "lan@example.vn", goodPassword)
		for range 27 { // 6 days and 18 hours
			s.clock.Advance(6 * time.Hour)
			if err := use(token); err != nil {
				t.Fatalf("used every 6 h: %v", err)
			}
		}
		s.clock.Advance(5*time.Hour + 59*time.Minute)
		if err := use(token); err != nil {
			t.Fatalf("a minute before 7 days: %v", err)
		}
		s.clock.Advance(time.Minute)
		wantCode(t, use(token), registry.EUNAUTHORIZED)

		// Signing out ends that session only, at once.
		one, two := s.signIn(t, "lan@example.vn", goodPassword), s.signIn(t, "lan@example.vn", goodPassword)
		if err := s.staff.SignOut(s.ctx, one); err != nil {
			t.Fatal(err)
		}
		wantCode(t, use(one), registry.EUNAUTHORIZED)
		if err := use(two); err != nil {
			t.Fatal(err)
		}
		if err := s.staff.SignOut(s.ctx, one); err != nil {
			t.Errorf("signing out twice: %v", err)
		}

		// Disabling ends every session of the account at once, for good:
		// enabling it again does not bring them back.
		three := s.signIn(t, "lan@example.vn", goodPassword)
		if _, err := s.staff.Disable(s.ctx, a.ID); err != nil {
			t.Fatal(err)
		}
		wantCode(t, use(two), registry.EUNAUTHORIZED)
		wantCode(t, use(three), registry.EUNAUTHORIZED)
		_, _, err := s.staff.SignIn(s.ctx, "lan@example.vn", goodPassword, "")
		wantCode(t, err, registry.EFORBIDDEN)
		_, _, err = s.staff.SignIn(s.ctx, "lan@example.vn", "not the password", "")
		wantCode(t, err, registry.EUNAUTHORIZED) // disabled says nothing until the password is right
		enabled, err := s.staff.Enable(s.ctx, a.ID)
		if err != nil || enabled.Disabled() {
			t.Fatalf("enable: %+v %v", enabled, err)
		}
		wantCode(t, use(three), registry.EUNAUTHORIZED)
		s.signIn(t, "lan@example.vn", goodPassword)

		// Expired sessions are deleted at the next sign-in.
		var n int64
		if err := s.db.Gorm().Table("staff_sessions").Count(&n).Error; err != nil || n != 1 {
			t.Errorf("%d sessions stored (%v); expired ones should be gone", n, err)
		}
	})
}

func TestStaffPasswordTokens(t *testing.T) {
	staffEngines(t, func(t *testing.T, s staffEnv) {
		a, err := s.staff.Create(s.ctx, accounts.NewAccount{Email: "minh@example.vn", Name: "Trần Minh", Role: auth.Editor})
		if err != nil {
			t.Fatal(err)
		}
		first, _, err := s.staff.IssuePasswordToken(s.ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		token, expires, err := s.staff.IssuePasswordToken(s.ctx, a.ID)
		if err != nil || !expires.Equal(s.clock.Now().Add(24*time.Hour)) {
			t.Fatalf("token expires %v (%v)", expires, err)
		}
		// A new link replaces the earlier ones.
		_, err = s.staff.TokenAccount(s.ctx, first)
		wantCode(t, err, registry.ENOTFOUND)
		if got, err := s.staff.TokenAccount(s.ctx, token); err != nil || got.ID != a.ID {
			t.Fatalf("token account %+v %v", got, err)
		}
		// A refused password leaves the token usable.
		_, err = s.staff.SetPasswordWithToken(s.ctx, token, "minh@example.vn")
		wantCode(t, err, registry.EINVALID)
		// Of two uses at once, one wins.
		var wins atomic.Int32
		var wg sync.WaitGroup
		for range 2 {
			wg.Go(func() {
				if _, err := s.staff.SetPasswordWithToken(s.ctx, token, goodPassword); err == nil {
					wins.Add(1)
				} else if registry.ErrorCode(err) != registry.ENOTFOUND {
					t.Errorf("a concurrent use: %v", err)
				}
			})
		}
		wg.Wait()
		if wins.Load() != 1 {
			t.Fatalf("%d uses of one token succeeded", wins.Load())
		}
		_, err = s.staff.SetPasswordWithToken(s.ctx, token, "another password 2026")
		wantCode(t, err, registry.ENOTFOUND)
		session := s.signIn(t, "minh@example.vn", goodPassword)

		// Setting a password with a link ends the account's sessions.
		token, _, err = s.staff.IssuePasswordToken(s.ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.staff.SetPasswordWithToken(s.ctx, token, "another password 2026"); err != nil {
			t.Fatal(err)
		}
		_, _, err = s.staff.Authenticate(s.ctx, session)
		wantCode(t, err, registry.EUNAUTHORIZED)
		s.signIn(t, "minh@example.vn", "another password 2026")

		// Expiry: 24 hours.
		token, _, err = s.staff.IssuePasswordToken(s.ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		s.clock.Advance(24*time.Hour - time.Second)
		if _, err := s.staff.TokenAccount(s.ctx, token); err != nil {
			t.Fatalf("a second before expiry: %v", err)
		}
		s.clock.Advance(time.Second)
		_, err = s.staff.SetPasswordWithToken(s.ctx, token, "yet another password")
		wantCode(t, err, registry.ENOTFOUND)
		for _, bad := range []string{"", "short", strings.Repeat("A", 43)} {
			_, err = s.staff.SetPasswordWithToken(s.ctx, bad, goodPassword)
			wantCode(t, err, registry.ENOTFOUND)
		}
		// A disabled account's links are gone.
		token, _, _ = s.staff.IssuePasswordToken(s.ctx, a.ID)
		if _, err := s.staff.Disable(s.ctx, a.ID); err != nil {
			t.Fatal(err)
		}
		_, err = s.staff.TokenAccount(s.ctx, token)
		wantCode(t, err, registry.ENOTFOUND)
	})
}

// countWrites counts the statements that may write, through GORM's
// callbacks: creates, updates, deletes and raw statements.
func countWrites(t *testing.T, db *store.DB) *atomic.Int64 {
	t.Helper()
	var n atomic.Int64
	count := func(*gorm.DB) { n.Add(1) }
	cb := db.Gorm().Callback()
	for _, err := range []error{
		cb.Create().Before("gorm:create").Register("test:count_create", count),
		cb.Update().Before("gorm:update").Register("test:count_update", count),
		cb.Delete().Before("gorm:delete").Register("test:count_delete", count),
		cb.Raw().Before("gorm:raw").Register("test:count_raw", count),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	return &n
}

// TestStaffSessionUseWritesNothing: checking a session only reads; a
// stale last use is queued and written apart from the request.
func TestStaffSessionUseWritesNothing(t *testing.T) {
	staffEngines(t, func(t *testing.T, s staffEnv) {
		s.account(t, "lan@example.vn", auth.Editor)
		token := s.signIn(t, "lan@example.vn", goodPassword)
		writes := countWrites(t, s.db)
		for range 50 {
			s.clock.Advance(time.Second)
			if _, _, err := s.staff.Authenticate(s.ctx, token); err != nil {
				t.Fatal(err)
			}
		}
		if n := writes.Load(); n != 0 || s.staff.PendingUses() != 0 {
			t.Fatalf("checking a session 50 times within a minute: %d writes, %d uses queued", n, s.staff.PendingUses())
		}
		// Once the recorded use is a minute old, a use is queued, not written.
		s.clock.Advance(15 * time.Second)
		for range 3 {
			if _, _, err := s.staff.Authenticate(s.ctx, token); err != nil {
				t.Fatal(err)
			}
		}
		if n := writes.Load(); n != 0 || s.staff.PendingUses() != 1 {
			t.Fatalf("a stale use: %d writes, %d uses queued; want none written, one queued", n, s.staff.PendingUses())
		}
		if err := s.staff.FlushUses(s.ctx); err != nil {
			t.Fatal(err)
		}
		if writes.Load() == 0 {
			t.Fatal("the queued use was not written")
		}
		var seen time.Time
		if err := s.db.Gorm().Table("staff_sessions").Select("last_seen_at").Row().Scan(&seen); err != nil {
			t.Fatal(err)
		}
		if want := s.clock.Now(); !seen.Equal(want) {
			t.Errorf("last seen %v, want %v", seen, want)
		}

		if s.db.Engine() != store.SQLite {
			return
		}
		// On SQLite, with another connection holding the writer (as an
		// import does), checking a session, stale or not, does not wait.
		probe := holdWriter(t, s.db)
		defer probe()
		ctx, cancel := context.WithTimeout(s.ctx, 2*time.Second)
		defer cancel()
		for _, step := range []time.Duration{time.Second, 2 * time.Minute} {
			s.clock.Advance(step)
			start := time.Now()
			if _, _, err := s.staff.Authenticate(ctx, token); err != nil {
				t.Fatalf("while the writer is held: %v", err)
			}
			if d := time.Since(start); d > time.Second {
				t.Errorf("checking a session waited %v for the writer", d)
			}
		}
	})
}

// holdWriter takes SQLite's write lock in a connection of its own and
// returns the function that releases it.
func holdWriter(t *testing.T, db *store.DB) func() {
	t.Helper()
	path := strings.TrimPrefix(strings.SplitN(db.String(), " ", 2)[0], "sqlite:")
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(0)")
	q.Set("_txlock", "immediate")
	conn, err := sql.Open("sqlite", path+"?"+q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	tx, err := conn.Begin()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec("UPDATE change_counter SET seq = seq"); err != nil {
		t.Fatal(err)
	}
	return func() { tx.Rollback(); conn.Close() }
}

// TestStaffSignInTakesAsLongForUnknownAddresses: with the real argon2id
// cost, an unknown address and an account without a password take as
// long to refuse as a wrong password, so that timing does not tell which
// addresses have accounts.
func TestStaffSignInTakesAsLongForUnknownAddresses(t *testing.T) {
	engines(t, func(t *testing.T, e env) {
		staff := accounts.NewService(e.db, accounts.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		if _, err := staff.Create(e.ctx, accounts.NewAccount{Email: "lan@example.vn", Name: "Lan", Role: auth.Editor, Password: goodPassword}); err != nil {
			t.Fatal(err)
		}
		if _, err := staff.Create(e.ctx, accounts.NewAccount{Email: "minh@example.vn", Name: "Minh", Role: auth.Editor}); err != nil {
			t.Fatal(err)
		}
		// The fastest of five runs: a loaded machine only ever adds time, so
		// the minimum is the run's own cost. Without the dummy hash an
		// unknown address would take a hundredth of a wrong password's time
		// (no argon2id at all), so a factor of three tells them apart
		// without failing on a noisy machine.
		fastest := func(email string) time.Duration {
			var ds []time.Duration
			for range 5 {
				start := time.Now()
				_, _, err := staff.SignIn(e.ctx, email, "not the password", "")
				ds = append(ds, time.Since(start))
				wantCode(t, err, registry.EUNAUTHORIZED)
			}
			return slices.Min(ds)
		}
		fastest("nobody@example.vn") // the first sign-in makes the dummy hash
		wrong := fastest("lan@example.vn")
		for _, email := range []string{"nobody@example.vn", "minh@example.vn"} {
			if d := fastest(email); d < wrong/3 || d > wrong*3 {
				t.Errorf("refusing %s took %v; a wrong password %v", email, d, wrong)
			}
		}
		t.Logf("a refused sign-in takes %v", wrong)
	})
}
