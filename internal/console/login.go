package console

import (
	"net/http"
	"strings"

	"github.com/hanoicreative/registry/internal/problem"
)

// loginPage is what the sign-in form shows.
type loginPage struct {
	Email, Next string
	Error       string
	CSRF        string
	PasswordSet bool // just set with a link: sign in with it

}

// loginForm shows the sign-in form, also to someone signed in already:
// signing in again (as someone else) ends the earlier session.
func (c *Console) loginForm(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	c.showLogin(w, r, http.StatusOK, loginPage{Next: q.Get("next"), PasswordSet: q.Get("password") == "set"})
}

func (c *Console) showLogin(w http.ResponseWriter, r *http.Request, status int, p loginPage) {
	p.CSRF = c.preSessionToken(w, r)
	if p.Next != "" {
		p.Next = localPath(p.Next)
	}
	c.render(w, status, "login", c.newView(r, "Sign in", p))
}

// signIn checks the form, ends the browser's earlier session and starts a
// new one under a new id.
func (c *Console) signIn(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	ck, err := r.Cookie(preSessionCookie)
	if err != nil || !c.validCSRF(r, ck.Value) {
		c.forbidden(w, r)
		return
	}
	email, password, next := strings.TrimSpace(r.PostFormValue("email")), r.PostFormValue("password"), r.PostFormValue("next")
	if old, err := r.Cookie(sessionCookie); err == nil {
		if err := c.accounts.SignOut(r.Context(), old.Value); err != nil {
			c.fail(w, r, err)
			return
		}
	}
	_, token, err := c.accounts.SignIn(r.Context(), email, password, c.client(r))
	if err != nil {
		status := problem.Status(err)
		if status >= 500 {
			c.fail(w, r, err)
			return
		}
		c.clearCookie(w, r, sessionCookie)
		c.showLogin(w, r, status, loginPage{Email: email, Next: next, Error: c.msgs.Error(c.language(r), err).Message})
		return
	}
	c.setCookie(w, r, sessionCookie, token, 0)
	http.Redirect(w, r, localPath(next), http.StatusSeeOther)
}

// signOut ends the session at once.
func (c *Console) signOut(w http.ResponseWriter, r *http.Request) {
	if err := c.accounts.SignOut(r.Context(), staffOf(r.Context()).token); err != nil {
		c.fail(w, r, err)
		return
	}
	c.clearCookie(w, r, sessionCookie)
	http.Redirect(w, r, Prefix+"login", http.StatusSeeOther)
}
