package console

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/hanoicreative/registry/internal/accounts"
	"github.com/hanoicreative/registry/internal/auth"
	"github.com/hanoicreative/registry/internal/registry"
)

// Cookie names. All are HttpOnly, SameSite=Lax and limited to the console.
const (
	sessionCookie = "console_session"
	// preSessionCookie carries the sign-in form's CSRF token, before there
	// is a session to tie one to.
	preSessionCookie = "console_presession"
	languageCookie   = "console_lang"
	csrfField        = "csrf"
)

// signedInKey holds the request's session in its context.
type signedInKey struct{}

// staff is who makes a request: their account and their session's id
// (the cookie's value, which the CSRF token is derived from).
type staff struct {
	Account accounts.Account
	token   string
}

func staffOf(ctx context.Context) *staff {
	s, _ := ctx.Value(signedInKey{}).(*staff)
	return s
}

// signedIn lets only a live session through: without one, a page sends
// the browser to the sign-in form (and back here after it). A state
// change needs the session's CSRF token as well (403 without).
func (c *Console) signedIn(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var a accounts.Account
		var err error = registry.Errorf(registry.EUNAUTHORIZED, "Your session has ended: sign in again.")
		cookie, noCookie := r.Cookie(sessionCookie)
		if noCookie == nil {
			_, a, err = c.accounts.Authenticate(r.Context(), cookie.Value)
		}
		if err != nil {
			if registry.ErrorCode(err) != registry.EUNAUTHORIZED {
				c.fail(w, r, err)
				return
			}
			c.clearCookie(w, r, sessionCookie)
			next := ""
			if r.Method == http.MethodGet {
				next = r.URL.RequestURI()
			}
			http.Redirect(w, r, loginURL(next), http.StatusSeeOther)
			return
		}
		s := &staff{Account: a, token: cookie.Value}
		r = r.WithContext(context.WithValue(r.Context(), signedInKey{}, s))
		if !safeMethod(r.Method) && !c.validCSRF(r, s.csrfToken()) {
			c.forbidden(w, r)
			return
		}
		h(w, r)
	}
}

// requireRole lets only accounts of at least role through (403 for the
// others): the admin pages are built on it.
func (c *Console) requireRole(role auth.Role, h http.HandlerFunc) http.HandlerFunc {
	return c.signedIn(func(w http.ResponseWriter, r *http.Request) {
		if !mayAct(staffOf(r.Context()).Account.Role, role) {
			c.forbidden(w, r)
			return
		}
		h(w, r)
	})
}

// mayAct reports whether an account of role has the rights of need: an
// admin has an editor's too.
func mayAct(role, need auth.Role) bool {
	return role == need || role == auth.Admin
}

func safeMethod(m string) bool { return m == http.MethodGet || m == http.MethodHead }

// csrfToken is the session's CSRF token: an HMAC of a fixed label keyed
// by the session's id. Only the holder of the (HttpOnly) session cookie
// can know it, it needs no state of its own, and it dies with the session.
func (s *staff) csrfToken() string {
	m := hmac.New(sha256.New, []byte(s.token))
	m.Write([]byte("registry console CSRF token"))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// validCSRF reports whether the form's token is want, in constant time.
func (c *Console) validCSRF(r *http.Request, want string) bool {
	got := r.PostFormValue(csrfField)
	return want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// preSessionToken returns the sign-in form's CSRF token (double submit:
// the form's field must equal this cookie), setting the cookie when the
// browser has none, so that nobody can sign a victim in to their own
// account from another site.
func (c *Console) preSessionToken(w http.ResponseWriter, r *http.Request) string {
	if ck, err := r.Cookie(preSessionCookie); err == nil && len(ck.Value) == 43 {
		return ck.Value
	}
	b := make([]byte, 32)
	rand.Read(b) // never fails (crypto/rand)
	token := base64.RawURLEncoding.EncodeToString(b)
	c.setCookie(w, r, preSessionCookie, token, 0)
	return token
}

// setCookie sets a console cookie; maxAge 0 makes it last as long as the
// browser session.
func (c *Console) setCookie(w http.ResponseWriter, r *http.Request, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: Prefix, MaxAge: maxAge,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: c.overTLS(r)})
}

func (c *Console) clearCookie(w http.ResponseWriter, r *http.Request, name string) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: Prefix, MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: c.overTLS(r)})
}

// overTLS reports whether the browser reached us over TLS: directly, or
// through a trusted proxy that says so.
func (c *Console) overTLS(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	return c.fromTrustedProxy(r) && strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

func (c *Console) fromTrustedProxy(r *http.Request) bool {
	ip := peerIP(r)
	for _, n := range c.cfg.TrustedProxies {
		if ip != nil && n.Contains(ip) {
			return true
		}
	}
	return false
}

func peerIP(r *http.Request) net.IP {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return net.ParseIP(host)
}

// client is the address sign-ins are logged with: the proxy's client
// when a trusted proxy names one.
func (c *Console) client(r *http.Request) string {
	if c.fromTrustedProxy(r) {
		if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
			parts := strings.Split(xff, ",")
			return strings.TrimSpace(parts[len(parts)-1])
		}
	}
	if ip := peerIP(r); ip != nil {
		return ip.String()
	}
	return r.RemoteAddr
}

// loginURL is the sign-in form, which returns to next after.
func loginURL(next string) string {
	if next == "" || next == Prefix {
		return Prefix + "login"
	}
	return Prefix + "login?next=" + url.QueryEscape(next)
}

// localPath returns next when it is a console address of this site, else
// the overview: a sign-in link cannot send anyone elsewhere.
func localPath(next string) string {
	if strings.HasPrefix(next, Prefix) && !strings.HasPrefix(next, "//") && !strings.ContainsAny(next, "\\\r\n") {
		return next
	}
	return Prefix
}
