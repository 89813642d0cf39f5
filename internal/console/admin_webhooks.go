package console

import (
	"net/http"
	"strings"

	"github.com/hanoicreative/registry/internal/auth"
	"github.com/hanoicreative/registry/internal/problem"
	"github.com/hanoicreative/registry/internal/registry"
)

// adminWebhookRoutes are the admin's pages of webhook endpoints: the
// list, registering one (its secret shown once), an endpoint's delivery
// log, and deleting one after a confirmation. Changing an endpoint,
// rotating its secret, retries and pings are in the API.
func (c *Console) adminWebhookRoutes(m *http.ServeMux) {
	m.HandleFunc("GET /console/admin/webhooks", c.requireRole(auth.Admin, c.needWebhooks(c.webhooks)))
	m.HandleFunc("POST /console/admin/webhooks", c.requireRole(auth.Admin, c.needWebhooks(c.createWebhook)))
	m.HandleFunc("GET /console/admin/webhooks/{id}", c.requireRole(auth.Admin, c.needWebhooks(c.webhookDeliveries)))
	m.HandleFunc("GET /console/admin/webhooks/{id}/delete", c.requireRole(auth.Admin, c.needWebhooks(c.confirmDeleteWebhook)))
	m.HandleFunc("POST /console/admin/webhooks/{id}/delete", c.requireRole(auth.Admin, c.needWebhooks(c.deleteWebhook)))
}

// needWebhooks answers 503 in a console built without webhooks.
func (c *Console) needWebhooks(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if c.hooks == nil {
			c.fail(w, r, registry.Errorf(registry.EUNAVAILABLE, "Webhooks are not running on this server."))
			return
		}
		next(w, r)
	}
}

const adminWebhooksPath = Prefix + "admin/webhooks"

// webhooksPage is the endpoints' page: the list, the form with what was
// typed and its errors, and the secret of the endpoint just registered.
type webhooksPage struct {
	Webhooks    []registry.Webhook
	URL         string
	Description string
	Errors      map[string]string
	Created     *registry.Webhook
	Secret      string
}

// Invalid reports whether the form's field failed.
func (p *webhooksPage) Invalid(field string) bool { return p.Errors[field] != "" }

func (c *Console) webhooks(w http.ResponseWriter, r *http.Request) {
	c.showWebhooks(w, r, http.StatusOK, &webhooksPage{})
}

func (c *Console) showWebhooks(w http.ResponseWriter, r *http.Request, status int, p *webhooksPage) {
	list, err := c.hooks.List(r.Context())
	if err != nil {
		c.fail(w, r, err)
		return
	}
	p.Webhooks = list
	// render sends Cache-Control: no-store: the page may hold a secret.
	c.render(w, status, "admin_webhooks", c.newView(r, "Webhooks", p))
}

// createWebhook registers an endpoint for every event type and shows its
// secret, this one time only.
func (c *Console) createWebhook(w http.ResponseWriter, r *http.Request) {
	in := registry.WebhookInput{URL: strings.TrimSpace(r.PostFormValue("url")), Description: strings.TrimSpace(r.PostFormValue("description"))}
	hook, secret, err := c.hooks.Create(r.Context(), in)
	if err != nil {
		if registry.ErrorCode(err) != registry.EINVALID {
			c.fail(w, r, err)
			return
		}
		e := c.msgs.Error(c.language(r), err)
		p := &webhooksPage{URL: in.URL, Description: in.Description, Errors: map[string]string{}}
		for _, f := range e.Fields {
			p.Errors[f.Field] = f.Message
		}
		c.showWebhooks(w, r, problem.Status(err), p)
		return
	}
	c.log.InfoContext(r.Context(), "webhook registered in the console", "webhook", hook.ID, "by", staffOf(r.Context()).Account.ID)
	c.showWebhooks(w, r, http.StatusCreated, &webhooksPage{Created: &hook, Secret: secret})
}

// webhookPage is one endpoint with its latest deliveries.
type webhookPage struct {
	Webhook    registry.Webhook
	Deliveries []registry.Delivery
}

func (c *Console) webhookDeliveries(w http.ResponseWriter, r *http.Request) {
	hook, err := c.hooks.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		c.fail(w, r, err)
		return
	}
	ds, err := c.hooks.Deliveries(r.Context(), hook.ID, 100)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.render(w, http.StatusOK, "admin_webhook", c.newView(r, "Deliveries", &webhookPage{Webhook: hook, Deliveries: ds}))
}

// confirmDeleteWebhook asks before deleting an endpoint.
func (c *Console) confirmDeleteWebhook(w http.ResponseWriter, r *http.Request) {
	hook, err := c.hooks.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		c.fail(w, r, err)
		return
	}
	v := c.newView(r, "Confirm", nil)
	v.Data = adminConfirm{
		Question: v.T("Remove the webhook to %s? Nothing more is sent to it, and its delivery log is deleted; this cannot be undone.", hook.URL),
		Button:   v.T("Remove"), Action: r.URL.Path, Cancel: adminWebhooksPath,
	}
	c.render(w, http.StatusOK, "admin_confirm", v)
}

func (c *Console) deleteWebhook(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if err := c.hooks.Delete(r.Context(), id); err != nil {
		c.fail(w, r, err)
		return
	}
	c.log.InfoContext(r.Context(), "webhook deleted in the console", "webhook", id, "by", staffOf(r.Context()).Account.ID)
	http.Redirect(w, r, adminWebhooksPath, http.StatusSeeOther)
}
