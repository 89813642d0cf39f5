package console

import (
	"net/http"

	"github.com/hanoicreative/registry/internal/problem"
	"github.com/hanoicreative/registry/internal/registry"
)

// passwordPage is the form that sets a password with a one-time link
// (PUBLIC_URL/console/set-password?token=…, printed by registry users).
type passwordPage struct {
	Token, Name, Email string
	CSRF               string
	// Errors are the password fields' messages, by field name.
	Errors map[string]string
}

// Invalid reports whether field has an error (aria-invalid).
func (p passwordPage) Invalid(field string) bool { return p.Errors[field] != "" }

// noReferrer keeps the token, which is in the page's address, from being
// sent to any page it links to.
func noReferrer(w http.ResponseWriter) { w.Header().Set("Referrer-Policy", "no-referrer") }

func (c *Console) passwordForm(w http.ResponseWriter, r *http.Request) {
	noReferrer(w)
	token := r.URL.Query().Get("token")
	a, err := c.accounts.TokenAccount(r.Context(), token)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.showPasswordForm(w, r, http.StatusOK, passwordPage{Token: token, Name: a.Name, Email: a.Email})
}

func (c *Console) showPasswordForm(w http.ResponseWriter, r *http.Request, status int, p passwordPage) {
	p.CSRF = c.preSessionToken(w, r)
	c.render(w, status, "password", c.newView(r, "Set your password", p))
}

// setPassword sets the password and sends the person to sign in with it;
// a refused password is said next to its field, the link kept.
func (c *Console) setPassword(w http.ResponseWriter, r *http.Request) {
	noReferrer(w)
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	ck, err := r.Cookie(preSessionCookie)
	if err != nil || !c.validCSRF(r, ck.Value) {
		c.forbidden(w, r)
		return
	}
	token, password, again := r.PostFormValue("token"), r.PostFormValue("password"), r.PostFormValue("password_again")
	a, err := c.accounts.TokenAccount(r.Context(), token)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	p := passwordPage{Token: token, Name: a.Name, Email: a.Email, Errors: map[string]string{}}
	lang := c.language(r)
	if password != again {
		p.Errors["password_again"] = c.msgs.Sprintf(lang, "The two passwords differ: type the same password twice.")
	}
	if len(p.Errors) == 0 {
		_, err = c.accounts.SetPasswordWithToken(r.Context(), token, password)
		if err == nil {
			http.Redirect(w, r, Prefix+"login?password=set", http.StatusSeeOther)
			return
		}
		if registry.ErrorCode(err) != registry.EINVALID {
			c.fail(w, r, err)
			return
		}
		v := c.newView(r, "", nil)
		for _, f := range v.formError(err, labelsOf(v, map[string]string{"password": "New password"})).Fields {
			p.Errors[f.Field] = f.Message
		}
	}
	c.showPasswordForm(w, r, problem.Status(registry.Errorf(registry.EINVALID, "The input has invalid fields.")), p)
}
