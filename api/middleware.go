package api

import (
	"context"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/hanoicreative/registry/internal/registry"
)

type ctxKey int

const requestIDKey ctxKey = iota

// requestID gives every request an id, echoing a sane one the client sent
// (up to 128 printable ASCII characters) so that partners can correlate.
func (s *Server) requestID(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		id := c.Request().Header.Get(echo.HeaderXRequestID)
		if !saneRequestID(id) {
			id = uuid.Must(uuid.NewV7()).String()
		}
		c.Response().Header().Set(echo.HeaderXRequestID, id)
		ctx := context.WithValue(c.Request().Context(), requestIDKey, id)
		c.SetRequest(c.Request().WithContext(ctx))
		return next(c)
	}
}

func saneRequestID(id string) bool {
	if id == "" || len(id) > 128 {
		return false
	}
	for i := 0; i < len(id); i++ {
		if id[i] < 0x21 || id[i] > 0x7e {
			return false
		}
	}
	return true
}

// requestID returns the request's id.
func requestID(c echo.Context) string {
	id, _ := c.Request().Context().Value(requestIDKey).(string)
	return id
}

// observe logs one structured line per request, with its id, and counts
// it in the metrics.
func (s *Server) observe(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			// Let the error handler write the problem now, so that the
			// status logged is the one sent.
			c.Error(err)
		}
		req, res := c.Request(), c.Response()
		elapsed := time.Since(start)
		method := sentMethod(req)
		s.metrics.observe(method, c.Path(), res.Status, elapsed)
		level := slog.LevelInfo
		switch {
		case res.Status >= 500 && c.Path() == "/readyz":
			// Not ready is the probe doing its job (at every start, while
			// the listing index is built), not a failure of the server.
			level = slog.LevelWarn
		case res.Status >= 500:
			level = slog.LevelError
		}
		if !s.log.Enabled(req.Context(), level) {
			return nil
		}
		s.log.LogAttrs(req.Context(), level, "request",
			slog.String("request_id", requestID(c)),
			slog.String("method", method),
			slog.String("path", req.URL.Path),
			slog.String("route", c.Path()),
			slog.Int("status", res.Status),
			slog.Int64("bytes", res.Size),
			slog.Duration("duration", elapsed),
			slog.String("remote", c.RealIP()),
		)
		return nil
	}
}

// timeout bounds the work of a request, database queries included, so a
// stuck database yields a quick 503 rather than a hung connection. Exports
// have a bound of their own.
func (s *Server) timeout(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if isExport(c.Request()) {
			return next(c)
		}
		ctx, cancel := context.WithTimeout(c.Request().Context(), s.cfg.RequestTimeout)
		defer cancel()
		c.SetRequest(c.Request().WithContext(ctx))
		return next(c)
	}
}

// rejectControlCharacters refuses paths and query strings holding control
// characters (%00 and the like) or bytes that are not UTF-8 (%91): no
// resource or filter has them, and the database must never see them.
func rejectControlCharacters(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		u := c.Request().URL
		bad := !cleanText(u.Path)
		for name, vs := range u.Query() {
			bad = bad || !cleanText(name)
			for _, v := range vs {
				bad = bad || !cleanText(v)
			}
		}
		if bad {
			return registry.Errorf(registry.EMALFORMED, "The path or query contains control characters or is not UTF-8.")
		}
		return next(c)
	}
}

func cleanText(s string) bool { return utf8.ValidString(s) && !strings.ContainsFunc(s, isControl) }

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }
