package api

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

// Health is the answer of /healthz and /readyz.
type Health struct {
	Status  string `json:"status" example:"ok"`
	Version string `json:"version,omitempty" example:"v1.0.0"`
} // @name Health

// healthz reports that the process is up.
//
//	@Summary		Liveness
//	@ID			getHealth
//	@Description	The process is up (it does not touch the database).
//	@Tags			operations
//	@Produce		json
//	@Success		200	{object}	Health
//	@Failure		401	{object}	Problem	"a bad or revoked API key (probes need none)"
//	@Router			/healthz [get]
func (s *Server) healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, Health{Status: "ok", Version: s.cfg.Version})
}

// readyz reports whether the instance is ready for traffic.
//
//	@Summary		Readiness
//	@ID			getReadiness
//	@Description	The database answers and the in-memory listing index is built (it takes a few seconds after a start): 200, else 503 (with Retry-After).
//	@Tags			operations
//	@Produce		json
//	@Success		200	{object}	Health
//	@Failure		401	{object}	Problem	"a bad or revoked API key (probes need none)"
//	@Failure		503	{object}	Problem	"database unavailable, or the index still being built"
//	@Router			/readyz [get]
func (s *Server) readyz(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
	defer cancel()
	if err := s.svc.Store().Ping(ctx); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, Health{Status: "ready", Version: s.cfg.Version})
}

// openAPI serves the OpenAPI 3 document.
//
//	@Summary		OpenAPI document
//	@ID			getOpenAPI
//	@Description	This API's OpenAPI 3 description (generated from the handlers).
//	@Tags			operations
//	@Produce		json
//	@Success		200	{object}	object
//	@Failure		401	{object}	Problem	"a bad or revoked API key (reads need none)"
//	@Failure		429	{object}	Problem	"rate limited (see Retry-After)"
//	@Router			/openapi.json [get]
func (s *Server) openAPI(c echo.Context) error {
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, s.cfg.OpenAPI)
}
