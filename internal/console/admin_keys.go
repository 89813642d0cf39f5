package console

import (
	"net/http"

	"github.com/hanoicreative/registry/internal/auth"
	"github.com/hanoicreative/registry/internal/problem"
	"github.com/hanoicreative/registry/internal/registry"
)

// adminKeyRoutes are the admin's pages of API keys: the list, a new key
// (its secret shown once) and revoking one after a confirmation.
func (c *Console) adminKeyRoutes(m *http.ServeMux) {
	m.HandleFunc("GET /console/admin/keys", c.requireRole(auth.Admin, c.keys))
	m.HandleFunc("POST /console/admin/keys", c.requireRole(auth.Admin, c.createKey))
	m.HandleFunc("GET /console/admin/keys/{id}/revoke", c.requireRole(auth.Admin, c.confirmRevoke))
	m.HandleFunc("POST /console/admin/keys/{id}/revoke", c.requireRole(auth.Admin, c.revokeKey))
}

const adminKeysPath = Prefix + "admin/keys"

// keysPage is the keys' page: the list, the new key's form with what was
// typed and its errors, and the secret of the key just made.
type keysPage struct {
	Keys    []auth.Key
	Roles   []auth.Role
	Name    string
	Role    auth.Role
	Errors  map[string]string
	Created *auth.Key
	Secret  string
}

// Invalid reports whether the new key's field failed.
func (p *keysPage) Invalid(field string) bool { return p.Errors[field] != "" }

func (c *Console) keys(w http.ResponseWriter, r *http.Request) {
	c.showKeys(w, r, http.StatusOK, &keysPage{Role: auth.Editor})
}

func (c *Console) showKeys(w http.ResponseWriter, r *http.Request, status int, p *keysPage) {
	list, err := c.apiKeys.Keys(r.Context())
	if err != nil {
		c.fail(w, r, err)
		return
	}
	p.Keys, p.Roles = list, []auth.Role{auth.Editor, auth.Admin}
	// render sends every page with Cache-Control: no-store, the one with
	// the secret included: it must never be kept by a browser or proxy.
	c.render(w, status, "admin_keys", c.newView(r, "API keys", p))
}

// createKey makes a key and shows its secret, this one time only.
func (c *Console) createKey(w http.ResponseWriter, r *http.Request) {
	name, role := r.PostFormValue("name"), auth.Role(r.PostFormValue("role"))
	k, secret, err := c.apiKeys.Create(r.Context(), name, role)
	if err != nil {
		code := registry.ErrorCode(err)
		if code != registry.EINVALID && code != registry.ECONFLICT {
			c.fail(w, r, err)
			return
		}
		e := c.msgs.Error(c.language(r), err)
		p := &keysPage{Name: name, Role: role, Errors: map[string]string{}}
		for _, f := range e.Fields {
			p.Errors[f.Field] = f.Message
		}
		if len(e.Fields) == 0 {
			p.Errors["name"] = e.Message // a name already taken
		}
		c.showKeys(w, r, problem.Status(err), p)
		return
	}
	c.log.InfoContext(r.Context(), "API key created in the console", "key", k.ID, "role", k.Role, "by", staffOf(r.Context()).Account.ID)
	c.showKeys(w, r, http.StatusCreated, &keysPage{Role: auth.Editor, Created: &k, Secret: secret})
}

// key finds a key by its id among the keys.
func (c *Console) key(r *http.Request) (auth.Key, error) {
	list, err := c.apiKeys.Keys(r.Context())
	if err != nil {
		return auth.Key{}, err
	}
	for _, k := range list {
		if k.ID == r.PathValue("id") {
			return k, nil
		}
	}
	return auth.Key{}, registry.Errorf(registry.ENOTFOUND, "There is no key %q.", r.PathValue("id"))
}

// confirmRevoke asks before revoking a key.
func (c *Console) confirmRevoke(w http.ResponseWriter, r *http.Request) {
	k, err := c.key(r)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	v := c.newView(r, "Confirm", nil)
	v.Data = adminConfirm{
		Question: v.T("Revoke the API key %s? The programs that use it are refused from their next request; this cannot be undone.", k.Name),
		Button:   v.T("Revoke"), Action: r.URL.Path, Cancel: adminKeysPath,
	}
	c.render(w, http.StatusOK, "admin_confirm", v)
}

func (c *Console) revokeKey(w http.ResponseWriter, r *http.Request) {
	k, err := c.apiKeys.Revoke(r.Context(), r.PathValue("id"))
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.log.InfoContext(r.Context(), "API key revoked in the console", "key", k.ID, "by", staffOf(r.Context()).Account.ID)
	http.Redirect(w, r, adminKeysPath, http.StatusSeeOther)
}
