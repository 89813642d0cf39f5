// Package api is the registry's HTTP edge: routes, handlers, DTOs, problem
// errors and middleware. It speaks HTTP and JSON and nothing else; the
// domain (internal/registry) knows nothing of it.
package api

import (
	"database/sql"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	json "github.com/goccy/go-json"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/hanoicreative/registry/internal/auth"
	"github.com/hanoicreative/registry/internal/idempotency"
	"github.com/hanoicreative/registry/internal/linkeddata"
	"github.com/hanoicreative/registry/internal/messages"
	"github.com/hanoicreative/registry/internal/registry"
)

// Config is what the HTTP edge needs to know.
type Config struct {
	// OpenAPI is the OpenAPI 3 document served at /openapi.json.
	OpenAPI []byte
	// Version is the build's version, for /healthz.
	Version string
	// RequestTimeout bounds a request's work, database queries included (0: 30 s).
	RequestTimeout time.Duration
	// RateLimit is the per-client rate (by API key, else by address); nil: off.
	RateLimit *RateLimit
	// CORSOrigins are the partner origins browsers may call the API from.
	CORSOrigins []string
	// TrustedProxies are the networks (CIDR) of reverse proxies whose
	// X-Forwarded-For names the client; without any, the peer address is
	// the client, so that nobody can choose their rate-limit bucket.
	TrustedProxies []*net.IPNet
	// CacheBytes bounds the response cache; 0 turns it off.
	CacheBytes uint64
	// ReadTurns is how many answers that are not in the response cache
	// are computed at once, the others waiting in line (0: the CPUs + 1).
	ReadTurns int
	// BenchCeiling serves GET /bench/ceiling, the load benchmark's yardstick.
	BenchCeiling bool
	// PublicURL is the address people reach the API at (scheme, host and
	// any path prefix, no trailing slash), which linked-data identifiers
	// start with; empty: the address each request reached.
	PublicURL string
	// Catalog is what GET /v1/catalog says of the data (title, publisher,
	// licence, contact).
	Catalog linkeddata.CatalogInfo
}

// Deps are the services the HTTP edge calls.
type Deps struct {
	Registry    *registry.Service
	Auth        *auth.Service
	Idempotency idempotency.Store
	// SQLDB, when set, has its connection pool statistics in the metrics.
	SQLDB *sql.DB
	// Replication, when set, routes reads between a replica and the primary.
	Replication Replication
	// Index, when set, has its state and size in the metrics.
	Index IndexStats
	// Messages renders errors in the reader's language (built by New when nil).
	Messages *messages.Catalogue
	// Webhooks, when set, serves /v1/webhooks.
	Webhooks *registry.Webhooks
}

// Server is the registry's HTTP handler.
type Server struct {
	echo    *echo.Echo
	svc     *registry.Service
	auth    *auth.Service
	idem    idempotency.Store
	log     *slog.Logger
	cfg     Config
	metrics *metrics
	limiter *limiter
	cache   *responseCache
	turns   *turns
	msgs    *messages.Catalogue
	// versions reads the data version that tags and cached answers are of.
	versions *seqReader
	// replication routes reads (nil: one database).
	replication Replication
	// hooks are the webhook endpoints (nil: no /v1/webhooks).
	hooks *registry.Webhooks
}

// New builds the HTTP handler over the services.
func New(deps Deps, log *slog.Logger, cfg Config) *Server {
	if cfg.RequestTimeout == 0 {
		cfg.RequestTimeout = 30 * time.Second
	}
	cfg.Catalog = cfg.Catalog.WithDefaults()
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	s := &Server{echo: e, svc: deps.Registry, auth: deps.Auth, idem: deps.Idempotency, replication: deps.Replication, log: log, cfg: cfg,
		metrics: newMetrics(deps.SQLDB), msgs: deps.Messages, hooks: deps.Webhooks, turns: newTurns(cfg.ReadTurns)}
	if s.msgs == nil {
		s.msgs = messages.New()
	}
	if deps.Registry != nil {
		s.versions = &seqReader{read: deps.Registry.Store().DataVersion}
		s.cache = newResponseCache(cfg.CacheBytes, s.versions)
	}
	s.metrics.watchIndex(deps.Index, s.CacheBytes)
	if s.cache != nil {
		s.metrics.watchCache(&s.cache.served)
	}
	s.metrics.watchTurns(s.turns)
	e.HTTPErrorHandler = s.errorHandler
	e.JSONSerializer = compactJSON{}
	e.IPExtractor = echo.ExtractIPDirect()
	if len(cfg.TrustedProxies) > 0 {
		var trust []echo.TrustOption
		for _, n := range cfg.TrustedProxies {
			trust = append(trust, echo.TrustIPRange(n))
		}
		e.IPExtractor = echo.ExtractIPFromXFFHeader(trust...)
	}
	e.Pre(answerHEAD)
	e.Use(s.requestID, s.observe, middleware.Recover(), securityHeaders, rejectControlCharacters)
	if len(cfg.CORSOrigins) > 0 {
		e.Use(cors(cfg.CORSOrigins))
	}
	e.Use(s.timeout)
	if cfg.RateLimit != nil { // before authenticate: over the limit, no key is looked up
		s.limiter = newLimiter(*cfg.RateLimit)
		e.Use(s.rateLimit)
	}
	e.Use(s.authenticate, s.rejectBadCredentials, s.routeReads)
	s.routes()
	return s
}

// ServeHTTP makes the Server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.echo.ServeHTTP(w, r) }

func (s *Server) routes() {
	e := s.echo
	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.GET("/openapi.json", s.openAPI)
	e.GET("/swagger/*", swaggerUI())
	e.GET("/swagger/doc.json", toOpenAPI)
	e.GET("/swagger/doc.yaml", toOpenAPI)
	e.GET("/problems/:code", s.problemDoc)
	e.GET("/media/:name", s.getMedia)
	if s.cfg.BenchCeiling {
		e.GET("/bench/ceiling", s.ceiling(ceilingPage()))
	}

	v1 := e.Group("/v1")
	body := middleware.BodyLimit("1M")
	editor, admin := require(auth.Editor), require(auth.Admin)
	v1.GET("/sectors", s.listSectors)
	v1.POST("/sectors", s.createSector, admin, body)
	v1.GET("/sectors/:slug", s.getSector)
	v1.PATCH("/sectors/:slug", s.patchSector, admin, body)
	v1.DELETE("/sectors/:slug", s.deleteSector, admin)
	v1.GET("/kinds", s.listKinds)
	v1.GET("/wards", s.listWards)

	v1.GET("/entities", s.listEntities)
	v1.POST("/entities", s.createEntity, editor, body, s.idempotent)
	v1.GET("/entities/:id", s.getEntity)
	v1.PATCH("/entities/:id", s.patchEntity, editor, body)
	v1.DELETE("/entities/:id", s.archiveEntity, editor)
	v1.POST("/entities/:id/restore", s.restoreEntity, editor, body)
	v1.GET("/entities/:id/history", s.entityHistory)
	v1.GET("/entities/:id/history/:version", s.entityVersion)
	v1.PUT("/entities/:id/logo", s.setLogo, editor)
	v1.DELETE("/entities/:id/logo", s.deleteLogo, editor)
	v1.POST("/entities/:id/photos", s.addPhoto, editor)
	v1.DELETE("/entities/:id/photos/:photo_id", s.deletePhoto, editor)

	v1.POST("/imports", s.importEntities, editor, middleware.BodyLimit("10M"), s.idempotent)
	v1.GET("/imports/template.csv", s.importTemplate)
	v1.GET("/stats", s.stats)
	v1.GET("/changes", s.changes)
	v1.GET("/catalog", s.getCatalog)

	v1.GET("/keys", s.listKeys, admin)
	v1.POST("/keys", s.createKey, admin, body)
	v1.DELETE("/keys/:id", s.revokeKey, admin)

	hooks := func(m ...echo.MiddlewareFunc) []echo.MiddlewareFunc {
		return append([]echo.MiddlewareFunc{admin, s.needWebhooks}, m...)
	}
	v1.GET("/webhooks", s.listWebhooks, hooks()...)
	v1.POST("/webhooks", s.createWebhook, hooks(body)...)
	v1.GET("/webhooks/:id", s.getWebhook, hooks()...)
	v1.PATCH("/webhooks/:id", s.patchWebhook, hooks(body)...)
	v1.DELETE("/webhooks/:id", s.deleteWebhook, hooks()...)
	v1.POST("/webhooks/:id/rotate-secret", s.rotateWebhookSecret, hooks()...)
	v1.GET("/webhooks/:id/deliveries", s.webhookDeliveries, hooks()...)
	v1.POST("/webhooks/:id/deliveries/:delivery_id/retry", s.retryDelivery, hooks()...)
	v1.POST("/webhooks/:id/ping", s.pingWebhook, hooks()...)
}

// compactJSON encodes responses without HTML escaping (URLs keep their &)
// and decodes nothing: handlers read bodies themselves, strictly.
type compactJSON struct{}

func (compactJSON) Serialize(c echo.Context, i any, indent string) error {
	return writeJSON(c.Response(), i)
}

func (compactJSON) Deserialize(c echo.Context, i any) error {
	return echo.NewHTTPError(http.StatusInternalServerError, "bind is not used")
}

// writeJSON writes v as encoding/json would, byte for byte (held to it
// by TestEncoderAsStandard), through goccy/go-json: a page of 30 entities
// in a third less time, most of encoding/json's going on checking the
// UTF-8 of Vietnamese text letter by letter.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
