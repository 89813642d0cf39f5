// Package api is the registry's HTTP edge: routes, handlers, DTOs, problem
// errors and middleware. It speaks HTTP and JSON and nothing else; the
// domain (internal/registry) knows nothing of it.
package api

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/go-playground/validator/v10"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	echoSwagger "github.com/swaggo/echo-swagger"

	"github.com/hanoicreative/registry/internal/registry"
)

// Config is what the HTTP edge needs to know.
type Config struct {
	// OpenAPI is the OpenAPI 3 document served at /openapi.json.
	OpenAPI []byte
	// Version is the build's version, for /healthz.
	Version string
	// RequestTimeout bounds a request's work (0: 30 s).
	RequestTimeout time.Duration
}

// Server is the registry's HTTP handler.
type Server struct {
	echo     *echo.Echo
	svc      *registry.Service
	log      *slog.Logger
	cfg      Config
	validate *validator.Validate
}

// New builds the HTTP handler over the service.
func New(svc *registry.Service, log *slog.Logger, cfg Config) *Server {
	if cfg.RequestTimeout == 0 {
		cfg.RequestTimeout = 30 * time.Second
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	s := &Server{echo: e, svc: svc, log: log, cfg: cfg, validate: newValidator()}
	e.HTTPErrorHandler = s.errorHandler
	e.JSONSerializer = compactJSON{}
	e.Use(s.requestID, s.accessLog, middleware.Recover(), s.timeout)
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
	e.GET("/swagger/*", echoSwagger.EchoWrapHandler(echoSwagger.URL("/openapi.json")))
	e.GET("/problems/:code", s.problemDoc)

	v1 := e.Group("/v1")
	v1.GET("/sectors", s.listSectors)
	v1.GET("/sectors/:slug", s.getSector)
	v1.GET("/kinds", s.listKinds)
	v1.GET("/wards", s.listWards)

	body := middleware.BodyLimit("1M")
	v1.GET("/entities", s.listEntities)
	v1.POST("/entities", s.createEntity, body)
	v1.GET("/entities/:id", s.getEntity)
	v1.PATCH("/entities/:id", s.patchEntity, body)
	v1.DELETE("/entities/:id", s.archiveEntity)
	v1.POST("/entities/:id/restore", s.restoreEntity, body)
	v1.GET("/entities/:id/history", s.entityHistory)
	v1.GET("/entities/:id/history/:version", s.entityVersion)
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

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
