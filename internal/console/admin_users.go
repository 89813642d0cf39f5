package console

import (
	"net/http"
	"time"

	"github.com/hanoicreative/registry/internal/accounts"
	"github.com/hanoicreative/registry/internal/auth"
	"github.com/hanoicreative/registry/internal/problem"
	"github.com/hanoicreative/registry/internal/registry"
)

// adminUserRoutes are the admin's pages of staff accounts: the list, an
// invitation (a one-time link to set a password), a role change,
// disabling (after a confirmation) or enabling an account, and a password
// reset (after a confirmation: a new one-time link, the account's
// sessions ended at once).
func (c *Console) adminUserRoutes(m *http.ServeMux) {
	m.HandleFunc("GET /console/admin/users", c.requireRole(auth.Admin, c.users))
	m.HandleFunc("POST /console/admin/users", c.requireRole(auth.Admin, c.inviteUser))
	m.HandleFunc("POST /console/admin/users/{id}/role", c.requireRole(auth.Admin, c.changeRole))
	m.HandleFunc("GET /console/admin/users/{id}/disable", c.requireRole(auth.Admin, c.confirmDisable))
	m.HandleFunc("POST /console/admin/users/{id}/disable", c.requireRole(auth.Admin, c.disableUser))
	m.HandleFunc("POST /console/admin/users/{id}/enable", c.requireRole(auth.Admin, c.enableUser))
	m.HandleFunc("GET /console/admin/users/{id}/reset", c.requireRole(auth.Admin, c.confirmReset))
	m.HandleFunc("POST /console/admin/users/{id}/reset", c.requireRole(auth.Admin, c.resetPassword))
}

const adminUsersPath = Prefix + "admin/users"

// usersPage is the accounts' page: the list, the invitation form with
// what was typed and its errors, and the link of the account just invited
// or whose password was just reset.
type usersPage struct {
	Accounts []accounts.Account
	Roles    []auth.Role
	Invite   accounts.NewAccount
	Errors   map[string]string
	Invited  *invitation
	Reset    *invitation
}

// invitation is the one-time link of a new account (or of a reset
// password), shown once.
type invitation struct {
	Account accounts.Account
	Link    string
	Expires time.Time
}

// Invalid reports whether the invitation's field failed.
func (p *usersPage) Invalid(field string) bool { return p.Errors[field] != "" }

func (c *Console) users(w http.ResponseWriter, r *http.Request) {
	c.showUsers(w, r, http.StatusOK, &usersPage{Invite: accounts.NewAccount{Role: auth.Editor}})
}

func (c *Console) showUsers(w http.ResponseWriter, r *http.Request, status int, p *usersPage) {
	list, err := c.accounts.Accounts(r.Context())
	if err != nil {
		c.fail(w, r, err)
		return
	}
	p.Accounts, p.Roles = list, []auth.Role{auth.Editor, auth.Admin}
	c.render(w, status, "admin_users", c.newView(r, "Staff accounts", p))
}

// inviteUser makes an account without a password and shows, once, the
// link that sets it.
func (c *Console) inviteUser(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	n := accounts.NewAccount{Name: r.PostFormValue("name"), Email: r.PostFormValue("email"), Role: auth.Role(r.PostFormValue("role"))}
	a, err := c.accounts.Create(ctx, n)
	if err != nil {
		c.refusedInvite(w, r, n, err)
		return
	}
	token, expires, err := c.accounts.IssuePasswordToken(ctx, a.ID)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.showUsers(w, r, http.StatusCreated, &usersPage{Invite: accounts.NewAccount{Role: auth.Editor},
		Invited: &invitation{Account: a, Link: c.publicBase(r) + "/console/set-password?token=" + token, Expires: expires}})
}

// refusedInvite shows the form again with every invalid field.
func (c *Console) refusedInvite(w http.ResponseWriter, r *http.Request, n accounts.NewAccount, err error) {
	code := registry.ErrorCode(err)
	if code != registry.EINVALID && code != registry.ECONFLICT {
		c.fail(w, r, err)
		return
	}
	v := c.newView(r, "", nil)
	e := v.formError(err, labelsOf(v, map[string]string{"name": "Name", "email": "Email address", "role": "Role"}))
	p := &usersPage{Invite: n, Errors: map[string]string{}}
	for _, f := range e.Fields {
		p.Errors[f.Field] = f.Message
	}
	if len(e.Fields) == 0 {
		p.Errors["email"] = e.Message // an address already taken
	}
	c.showUsers(w, r, problem.Status(err), p)
}

func (c *Console) changeRole(w http.ResponseWriter, r *http.Request) {
	if _, err := c.accounts.SetRole(r.Context(), r.PathValue("id"), auth.Role(r.PostFormValue("role"))); err != nil {
		c.fail(w, r, err)
		return
	}
	http.Redirect(w, r, adminUsersPath, http.StatusSeeOther)
}

// confirmDisable asks before disabling an account.
func (c *Console) confirmDisable(w http.ResponseWriter, r *http.Request) {
	a, err := c.accounts.Find(r.Context(), r.PathValue("id"))
	if err != nil {
		c.fail(w, r, err)
		return
	}
	v := c.newView(r, "Confirm", nil)
	v.Data = adminConfirm{
		Question: v.T("Disable the account of %s (%s)? Its sessions end at once and it can no longer sign in; it can be enabled again.", a.Name, a.Email),
		Button:   v.T("Disable"), Action: r.URL.Path, Cancel: adminUsersPath,
	}
	c.render(w, http.StatusOK, "admin_confirm", v)
}

func (c *Console) disableUser(w http.ResponseWriter, r *http.Request) {
	if _, err := c.accounts.Disable(r.Context(), r.PathValue("id")); err != nil {
		c.fail(w, r, err)
		return
	}
	http.Redirect(w, r, adminUsersPath, http.StatusSeeOther)
}

func (c *Console) enableUser(w http.ResponseWriter, r *http.Request) {
	if _, err := c.accounts.Enable(r.Context(), r.PathValue("id")); err != nil {
		c.fail(w, r, err)
		return
	}
	http.Redirect(w, r, adminUsersPath, http.StatusSeeOther)
}

// confirmReset asks before resetting an account's password.
func (c *Console) confirmReset(w http.ResponseWriter, r *http.Request) {
	a, err := c.accounts.Find(r.Context(), r.PathValue("id"))
	if err != nil {
		c.fail(w, r, err)
		return
	}
	v := c.newView(r, "Confirm", nil)
	v.Data = adminConfirm{
		Question: v.T("Reset the password of %s (%s)? Their sessions end at once, on every device, and you get a new link to set a password, shown once, which works once for 24 hours. Their current password keeps working until the link is used.", a.Name, a.Email),
		Button:   v.T("Reset the password"), Action: r.URL.Path, Cancel: adminUsersPath,
	}
	c.render(w, http.StatusOK, "admin_confirm", v)
}

// resetPassword ends the account's sessions and shows, once, a new link
// that sets its password.
func (c *Console) resetPassword(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	admin := staffOf(ctx).Account
	a, err := c.accounts.Find(ctx, r.PathValue("id"))
	if err != nil {
		c.fail(w, r, err)
		return
	}
	token, expires, err := c.accounts.ResetPassword(ctx, a.ID, admin.ID)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.showUsers(w, r, http.StatusOK, &usersPage{Invite: accounts.NewAccount{Role: auth.Editor},
		Reset: &invitation{Account: a, Link: c.publicBase(r) + "/console/set-password?token=" + token, Expires: expires}})
}

// adminConfirm is an admin action's confirmation; Error, when set, is
// why the action was refused.
type adminConfirm struct {
	Question, Button, Action, Cancel string
	Error                            string
}

// publicBase is the address links given to people start with: the
// configured public URL, else the address this request reached.
func (c *Console) publicBase(r *http.Request) string {
	if c.cfg.PublicURL != "" {
		return c.cfg.PublicURL
	}
	scheme := "http"
	if c.overTLS(r) {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
