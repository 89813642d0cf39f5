package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/hanoicreative/registry/internal/auth"
	"github.com/hanoicreative/registry/internal/idempotency"
	"github.com/hanoicreative/registry/internal/registry"
)

// replayedHeaders are the response headers stored with a response and sent
// again on a replay.
var replayedHeaders = []string{echo.HeaderContentType, echo.HeaderLocation, "ETag"}

// idempotent makes a POST safe to retry: with an Idempotency-Key header, a
// retry with the same key and body gets the first response back, byte for
// byte, and changes nothing; the same key with another body is a 422; a
// retry that arrives while the first request runs waits for it, or gets a
// 409 with Retry-After if it takes too long. Keys belong to the API key
// that sent them (the route requires one) and are kept 24 h.
func (s *Server) idempotent(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		key := c.Request().Header.Get("Idempotency-Key")
		if key == "" {
			return next(c)
		}
		if len(key) > 255 || !saneRequestID(key) {
			return malformed("Idempotency-Key must be 1 to 255 printable ASCII characters (a UUID is a good choice).")
		}
		owner := apiKey(c)
		if owner == nil {
			return checkRole(c, auth.Editor)
		}
		body, err := io.ReadAll(c.Request().Body)
		if err != nil {
			return err
		}
		c.Request().Body = io.NopCloser(bytes.NewReader(body))
		sum := sha256.New()
		io.WriteString(sum, c.Request().Method+" "+c.Request().URL.RequestURI()+"\n")
		sum.Write(body)
		rec := idempotency.Record{APIKeyID: owner.ID, Key: key, RequestHash: hex.EncodeToString(sum.Sum(nil))}

		ctx := c.Request().Context()
		deadline := time.Now().Add(10 * time.Second)
		for {
			found, reserved, err := s.idem.Reserve(ctx, rec, time.Now().UTC())
			if err != nil {
				return err
			}
			switch {
			case reserved:
				return s.recordResponse(c, next, rec)
			case found.Key == "":
				continue // released meanwhile: try to reserve again
			case found.RequestHash != rec.RequestHash:
				return &registry.Error{Code: registry.EINVALID, Message: "This Idempotency-Key was used with another request: use a new key for a new request.",
					Fields: []registry.FieldError{{Field: "Idempotency-Key", Code: "reused", Message: "the key was sent before with a different body."}}}
			case found.State == idempotency.Done:
				return replay(c, found)
			}
			// The first request is still running: wait for it.
			if time.Now().After(deadline) {
				c.Response().Header().Set("Retry-After", "1")
				return registry.Errorf(registry.ECONFLICT, "A request with this Idempotency-Key is still being processed; retry shortly.")
			}
			select {
			case <-ctx.Done():
				return registry.Errorf(registry.EUNAVAILABLE, "Timed out waiting for the first request with this Idempotency-Key.")
			case <-time.After(25 * time.Millisecond):
			}
		}
	}
}

// recordResponse runs the request, capturing its response, and stores it.
// A 5xx is not stored: the request may be retried with the same key.
func (s *Server) recordResponse(c echo.Context, next echo.HandlerFunc, rec idempotency.Record) error {
	res := c.Response()
	capture := &teeWriter{ResponseWriter: res.Writer}
	res.Writer = capture
	if err := next(c); err != nil {
		c.Error(err) // write the problem now, so that it is captured
	}
	// Store even if the client has gone: its retry must find the result.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(c.Request().Context()), 5*time.Second)
	defer cancel()
	if res.Status >= 500 {
		if err := s.idem.Release(ctx, rec.APIKeyID, rec.Key); err != nil {
			s.log.ErrorContext(ctx, "releasing idempotency key", "err", err, "request_id", requestID(c))
		}
		return nil
	}
	rec.Status, rec.Body, rec.Headers = res.Status, capture.body.Bytes(), map[string]string{}
	for _, h := range replayedHeaders {
		if v := res.Header().Get(h); v != "" {
			rec.Headers[h] = v
		}
	}
	if err := s.idem.Complete(ctx, rec); err != nil {
		s.log.ErrorContext(ctx, "storing idempotent response", "err", err, "request_id", requestID(c))
	}
	return nil
}

// replay sends a stored response again.
func replay(c echo.Context, rec idempotency.Record) error {
	h := c.Response().Header()
	for k, v := range rec.Headers {
		h.Set(k, v)
	}
	h.Set("Idempotent-Replayed", "true")
	c.Response().WriteHeader(rec.Status)
	_, err := c.Response().Write(rec.Body)
	return err
}

// teeWriter copies what is written to the client.
type teeWriter struct {
	http.ResponseWriter
	body bytes.Buffer
}

func (w *teeWriter) Write(b []byte) (int, error) {
	w.body.Write(b)
	return w.ResponseWriter.Write(b)
}
