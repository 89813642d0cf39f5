// Package console is the staff's web console at /console/: server-rendered
// HTML pages over the same domain service as the API (internal/registry)
// and the staff's accounts (internal/accounts). It never calls the JSON API
// and never the store. Its templates and assets are embedded beside it; no
// page asks another host for anything, so it works on an office network
// without internet.
package console

import (
	"log/slog"
	"net"
	"net/http"
	"sync"

	"github.com/hanoicreative/registry/internal/accounts"
	"github.com/hanoicreative/registry/internal/auth"
	"github.com/hanoicreative/registry/internal/importfile"
	"github.com/hanoicreative/registry/internal/messages"
	"github.com/hanoicreative/registry/internal/registry"
	"github.com/hanoicreative/registry/internal/wardmap"
)

// Prefix is where the console is mounted.
const Prefix = "/console/"

// Deps are the services the console calls.
type Deps struct {
	Registry *registry.Service
	Accounts *accounts.Service
	Keys     *auth.Service       // the API keys the admin pages manage
	Messages *messages.Catalogue // built by New when nil
	// JSONImport reads JSON import files: entities as the API's POST
	// /v1/entities takes them (api.ReadJSONRows). When nil, JSON files
	// are refused and CSV still imports.
	JSONImport importfile.JSONRows
	Webhooks   *registry.Webhooks // the webhook endpoints (nil: no page of them)
}

// Config is what the console needs to know of its deployment.
type Config struct {
	// TrustedProxies are the networks of reverse proxies whose
	// X-Forwarded-Proto and X-Forwarded-For are believed (the API's
	// TRUSTED_PROXIES): behind them, a request that reached the proxy over
	// TLS gets Secure cookies.
	TrustedProxies []*net.IPNet
	// PublicURL is the address people reach the server at (scheme, host
	// and any path prefix), which set-password links start with; when
	// empty, the address the admin's request reached.
	PublicURL string
}

// Console is the console's http.Handler.
type Console struct {
	svc      *registry.Service
	accounts *accounts.Service
	apiKeys  *auth.Service
	hooks    *registry.Webhooks // nil: no page of webhooks
	msgs     *messages.Catalogue
	log      *slog.Logger
	cfg      Config
	pages    *pages
	assets   *assets
	mux      *http.ServeMux
	wardMap  func() (*wardmap.Map, error) // drawn at its first use
	pending  *pendingImports              // files previewed, awaiting confirmation
	jsonRows importfile.JSONRows          // reads JSON imports
}

// New builds the console.
func New(deps Deps, log *slog.Logger, cfg Config) (*Console, error) {
	if deps.Messages == nil {
		deps.Messages = messages.New()
	}
	a, err := loadAssets()
	if err != nil {
		return nil, err
	}
	p, err := loadPages(a)
	if err != nil {
		return nil, err
	}
	c := &Console{svc: deps.Registry, accounts: deps.Accounts, apiKeys: deps.Keys, hooks: deps.Webhooks, msgs: deps.Messages, log: log, cfg: cfg, pages: p, assets: a}
	c.pending = newPendingImports()
	c.jsonRows = deps.JSONImport
	if c.jsonRows == nil {
		c.jsonRows = noJSONImport
	}
	c.wardMap = sync.OnceValues(func() (*wardmap.Map, error) { return wardmap.Build(deps.Registry.Wards()) })
	c.routes()
	return c, nil
}

func (c *Console) routes() {
	m := http.NewServeMux()
	m.Handle("GET /console/assets/{name}", c.assets)
	m.HandleFunc("GET /console/login", c.loginForm)
	m.HandleFunc("POST /console/login", c.signIn)
	m.HandleFunc("GET /console/language", c.switchLanguage)
	m.HandleFunc("GET /console/set-password", c.passwordForm)
	m.HandleFunc("POST /console/set-password", c.setPassword)
	m.HandleFunc("POST /console/logout", c.signedIn(c.signOut))
	m.HandleFunc("GET /console/{$}", c.signedIn(c.overview))
	m.HandleFunc("GET /console/entities", c.signedIn(c.entities))
	m.HandleFunc("GET /console/entities/{slug}", c.signedIn(c.entity))
	m.HandleFunc("GET /console/entities/new", c.signedIn(c.newEntityForm))
	m.HandleFunc("POST /console/entities/new", c.signedIn(c.createEntity))
	m.HandleFunc("GET /console/entities/{slug}/edit", c.signedIn(c.editEntityForm))
	m.HandleFunc("POST /console/entities/{slug}/edit", c.signedIn(c.updateEntity))
	m.HandleFunc("GET /console/wards.json", c.signedIn(c.wardList))
	c.exportRoutes(m)
	c.importRoutes(m)
	c.imageRoutes(m)
	m.HandleFunc("/console/", c.notFound)
	c.historyRoutes(m)
	c.adminUserRoutes(m)
	c.adminKeyRoutes(m)
	c.adminSectorRoutes(m)
	c.adminWebhookRoutes(m)
	c.mux = m
}

// ServeHTTP serves every console request with the security headers.
func (c *Console) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	securityHeaders(w.Header())
	c.mux.ServeHTTP(w, r)
}

// securityHeaders forbid every inline script and style and every other
// host (the Content-Security-Policy), framing, MIME sniffing and sending
// the console's addresses elsewhere. Images may be blob: addresses, which
// only the page's own script makes: the preview of a file being uploaded.
func securityHeaders(h http.Header) {
	h.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "+
		"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
}
