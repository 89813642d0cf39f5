package console

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hanoicreative/registry/internal/accounts"
	"github.com/hanoicreative/registry/internal/auth"
	"github.com/hanoicreative/registry/internal/store/storetest"
)

func TestSignInAndOut(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		b := e.browser()
		b.get("/console/entities?q=g%E1%BB%91m").redirectsTo(t, "/console/login?next=%2Fconsole%2Fentities")
		login := b.get("/console/login").want(t, http.StatusOK)
		if !strings.Contains(login.body, `<html lang="vi">`) || !strings.Contains(login.body, "Đăng nhập") {
			t.Errorf("the sign-in page is not in Vietnamese:\n%s", login.body)
		}
		for _, want := range []string{`autocomplete="username"`, `autocomplete="current-password"`, `<label for="email">`, `<label for="password">`} {
			if !strings.Contains(login.body, want) {
				t.Errorf("the sign-in form has no %s", want)
			}
		}
		// Without the form's token: refused, even with the right password.
		b.do("POST", "/console/login", url.Values{"email": {editorEmail}, "password": {password}}).want(t, http.StatusForbidden)

		wrong := b.signIn(editorEmail, "not the password").want(t, http.StatusUnauthorized)
		if !strings.Contains(wrong.body, "Địa chỉ email hoặc mật khẩu không đúng") && !strings.Contains(wrong.body, `aria-invalid="true"`) {
			t.Errorf("no clear message for a wrong password:\n%s", wrong.body)
		}
		ok := b.signIn(editorEmail, password)
		ok.redirectsTo(t, "/console/")
		first := b.cookie(sessionCookie)
		setCookie := ok.header.Get("Set-Cookie")
		for _, want := range []string{"HttpOnly", "SameSite=Lax", "Path=/console/"} {
			if !strings.Contains(setCookie, want) {
				t.Errorf("session cookie %q has no %s", setCookie, want)
			}
		}
		if strings.Contains(setCookie, "Secure") {
			t.Errorf("session cookie %q is Secure over plain HTTP", setCookie)
		}
		overview := b.get("/console/").want(t, http.StatusOK)
		if !strings.Contains(overview.body, "Nguyễn Thị Lan") {
			t.Errorf("the overview does not name who is signed in")
		}

		// Signing in again gives a new session id and ends the old one.
		b.signIn(editorEmail, password).redirectsTo(t, "/console/")
		if second := b.cookie(sessionCookie); second == first || second == "" {
			t.Errorf("the session id did not change at sign-in")
		}
		if _, _, err := e.accounts.Authenticate(context.Background(), first); err == nil {
			t.Errorf("the earlier session still works after a new sign-in")
		}

		// Signing out needs the token, and ends the session at once.
		b.do("POST", "/console/logout", url.Values{}).want(t, http.StatusForbidden)
		b.do("POST", "/console/logout", url.Values{"csrf": {"forged"}}).want(t, http.StatusForbidden)
		token := b.get("/console/").want(t, http.StatusOK).csrf(t)
		ended := b.cookie(sessionCookie)
		b.do("POST", "/console/logout", url.Values{"csrf": {token}}).redirectsTo(t, "/console/login")
		if _, _, err := e.accounts.Authenticate(context.Background(), ended); err == nil {
			t.Errorf("the session still works after signing out")
		}
		replay := e.browser()
		u, _ := url.Parse(e.url + Prefix)
		replay.http.Jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: ended, Path: Prefix}})
		replay.get("/console/").redirectsTo(t, "/console/login")
	})
}

func TestSignInReturnsToTheAskedPage(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		b := e.browser()
		login := b.get("/console/login?next=%2Fconsole%2Fentities%3Fq%3Dx").want(t, http.StatusOK)
		b.do("POST", "/console/login", url.Values{"csrf": {login.csrf(t)}, "email": {adminEmail}, "password": {password},
			"next": {"/console/entities?q=x"}}).redirectsTo(t, "/console/entities?q=x")
		// Another site is never a destination.
		b.do("POST", "/console/login", url.Values{"csrf": {login.csrf(t)}, "email": {adminEmail}, "password": {password},
			"next": {"//evil.example/console/"}}).redirectsTo(t, "/console/")
		if loc := b.signIn(adminEmail, password).header.Get("Location"); loc != "/console/" {
			t.Errorf("Location %q", loc)
		}
	})
}

func TestLockOutAfterFiveFailures(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		b := e.browser()
		for i := range accounts.MaxFailedSignIns {
			if p := b.signIn(editorEmail, "wrong password "+string(rune('a'+i))); p.status != http.StatusUnauthorized {
				t.Fatalf("failure %d: status %d", i+1, p.status)
			}
		}
		locked := b.signIn(editorEmail, password).want(t, http.StatusTooManyRequests)
		if !strings.Contains(locked.body, "15") || !strings.Contains(locked.body, `role="alert"`) {
			t.Errorf("no clear lock-out message:\n%s", locked.body)
		}
		e.clock.Add(accounts.LockDuration + time.Second)
		b.signIn(editorEmail, password).redirectsTo(t, "/console/")
	})
}

func TestSessionExpires(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		b := e.browser()
		b.signIn(editorEmail, password).redirectsTo(t, "/console/")
		e.clock.Add(accounts.IdleTimeout - time.Minute)
		b.get("/console/").want(t, http.StatusOK)
		if err := e.accounts.FlushUses(context.Background()); err != nil {
			t.Fatal(err)
		}
		e.clock.Add(accounts.IdleTimeout - time.Minute) // used since: still alive
		b.get("/console/").want(t, http.StatusOK)
		e.clock.Add(accounts.IdleTimeout + time.Minute) // idle too long
		b.get("/console/").redirectsTo(t, "/console/login")
	})
}

func TestDisablingEndsSessionsAtOnce(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		b := e.browser()
		b.signIn(editorEmail, password).redirectsTo(t, "/console/")
		token := b.get("/console/").want(t, http.StatusOK).csrf(t)
		a, err := e.accounts.Find(context.Background(), editorEmail)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.accounts.Disable(context.Background(), a.ID); err != nil {
			t.Fatal(err)
		}
		b.get("/console/").redirectsTo(t, "/console/login")
		b.do("POST", "/console/logout", url.Values{"csrf": {token}}).redirectsTo(t, "/console/login")
		refused := b.signIn(editorEmail, password).want(t, http.StatusForbidden)
		if !strings.Contains(refused.body, `role="alert"`) {
			t.Errorf("no message for a disabled account:\n%s", refused.body)
		}
	})
}

func TestSecureCookieBehindTLS(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		b := e.browser()
		login := b.get("/console/login", "X-Forwarded-Proto", "https")
		if sc := login.header.Get("Set-Cookie"); !strings.Contains(sc, "Secure") {
			t.Errorf("behind a trusted TLS proxy the cookie %q is not Secure", sc)
		}
	})
	// Served over TLS directly.
	storetest.Engines(t, pg, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn, nil)
		srv := httptest.NewTLSServer(e.console)
		defer srv.Close()
		resp, err := srv.Client().Get(srv.URL + "/console/login")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if sc := resp.Header.Get("Set-Cookie"); !strings.Contains(sc, "Secure") {
			t.Errorf("over TLS the cookie %q is not Secure", sc)
		}
	})
	// An untrusted peer cannot claim TLS (no proxy trusted here).
	c := &Console{}
	r, _ := http.NewRequest("GET", "/console/login", nil)
	r.RemoteAddr = "192.0.2.7:5000"
	r.Header.Set("X-Forwarded-Proto", "https")
	if c.overTLS(r) {
		t.Error("an untrusted peer's X-Forwarded-Proto was believed")
	}
}

func TestEditorsCannotOpenAdminPages(t *testing.T) {
	storetest.Engines(t, pg, func(t *testing.T, dsn string) {
		e := newEnv(t, dsn, func(c *Console, mux *http.ServeMux) {
			mux.HandleFunc("GET /console/admin-only", c.requireRole(auth.Admin, func(w http.ResponseWriter, r *http.Request) {
				w.Write([]byte("admin page"))
			}))
		})
		editor, admin := e.browser(), e.browser()
		editor.signIn(editorEmail, password).redirectsTo(t, "/console/")
		admin.signIn(adminEmail, password).redirectsTo(t, "/console/")
		editor.get("/console/admin-only").want(t, http.StatusForbidden)
		admin.get("/console/admin-only").want(t, http.StatusOK)
		e.browser().get("/console/admin-only").redirectsTo(t, "/console/login")
	})
	if !mayAct(auth.Admin, auth.Editor) || mayAct(auth.Editor, auth.Admin) || !mayAct(auth.Editor, auth.Editor) {
		t.Error("mayAct is wrong")
	}
}

func TestSecurityHeadersAndAssets(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		b := e.browser()
		login := b.get("/console/login").want(t, http.StatusOK)
		csp := login.header.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'none'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("CSP %q has no %s", csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(login.body, "<script>") || strings.Contains(login.body, "style=") {
			t.Errorf("inline script or style")
		}
		for h, want := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Cache-Control": "no-store"} {
			if got := login.header.Get(h); got != want {
				t.Errorf("%s = %q, want %q", h, got, want)
			}
		}
		css := regexpFind(t, login.body, `href="(/console/assets/console\.[0-9a-f]{12}\.css)"`)
		// Go's client asks for gzip and unzips it by itself.
		asset := b.get(css).want(t, http.StatusOK)
		if cc := asset.header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
			t.Errorf("asset Cache-Control %q", cc)
		}
		if !strings.Contains(asset.body, ":focus-visible") {
			t.Errorf("the style sheet was not served")
		}
		zipped := b.get(css, "Accept-Encoding", "gzip")
		if zipped.header.Get("Content-Encoding") != "gzip" || len(zipped.body) >= len(asset.body) {
			t.Errorf("the style sheet is not served gzipped (%s, %d bytes)", zipped.header.Get("Content-Encoding"), len(zipped.body))
		}
		b.get("/console/assets/console.000000000000.css").want(t, http.StatusNotFound)
	})
}

func TestLanguageSwitch(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		b := e.browser()
		if p := b.get("/console/login", "Accept-Language", "en-GB,en;q=0.8"); !strings.Contains(p.body, `<html lang="en">`) {
			t.Errorf("Accept-Language en did not give English")
		}
		b.get("/console/language?lang=en&next=%2Fconsole%2Flogin").redirectsTo(t, "/console/login")
		if p := b.get("/console/login", "Accept-Language", "vi"); !strings.Contains(p.body, `<html lang="en">`) || !strings.Contains(p.body, "Sign in") {
			t.Errorf("the switch to English was not remembered")
		}
		b.get("/console/language?lang=vi&next=https%3A%2F%2Fevil.example%2F").redirectsTo(t, "/console/")
		if p := b.get("/console/login", "Accept-Language", "en"); !strings.Contains(p.body, `<html lang="vi">`) {
			t.Errorf("the switch to Vietnamese was not remembered")
		}
	})
}
