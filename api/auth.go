package api

import (
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/hanoicreative/registry/internal/auth"
	"github.com/hanoicreative/registry/internal/registry"
)

// Context keys of what authenticate found.
const (
	keyContextKey     = "registry.key"
	authErrContextKey = "registry.auth_error"
)

// authenticate reads the Authorization header, after the rate limiter has
// counted the request (so that guessing keys is rate limited too). A valid
// key is remembered for the handlers (and names the actor of changes); a
// bad one is remembered as an error that rejectBadCredentials returns. No
// header means anonymous.
func (s *Server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		header := c.Request().Header.Get(echo.HeaderAuthorization)
		if header == "" {
			return next(c)
		}
		scheme, token, _ := strings.Cut(header, " ")
		if !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
			c.Set(authErrContextKey, registry.Errorf(registry.EUNAUTHORIZED, "Send the API key as Authorization: Bearer <key>."))
			return next(c)
		}
		key, err := s.auth.Authenticate(c.Request().Context(), strings.TrimSpace(token))
		switch registry.ErrorCode(err) {
		case "":
			c.Set(keyContextKey, &key)
			c.Set(actorKey, key.Name)
		case registry.EUNAUTHORIZED:
			c.Set(authErrContextKey, err)
		default:
			return err // the database is down: 503, not 401
		}
		return next(c)
	}
}

// rejectBadCredentials answers 401 to a request whose key was invalid,
// even on public reads: a client sending a wrong key should learn so.
func (s *Server) rejectBadCredentials(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if err, ok := c.Get(authErrContextKey).(error); ok {
			return err
		}
		return next(c)
	}
}

// apiKey returns the request's authenticated key, nil for anonymous.
func apiKey(c echo.Context) *auth.Key {
	k, _ := c.Get(keyContextKey).(*auth.Key)
	return k
}

// require lets a route through only for keys whose role allows need.
func require(need auth.Role) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if err := checkRole(c, need); err != nil {
				return err
			}
			return next(c)
		}
	}
}

func checkRole(c echo.Context, need auth.Role) error {
	k := apiKey(c)
	if k == nil {
		return registry.Errorf(registry.EUNAUTHORIZED, "This needs an API key with the %s role: send Authorization: Bearer <key>.", need)
	}
	if !k.Role.Allows(need) {
		return registry.Errorf(registry.EFORBIDDEN, "The key %q has the %s role; this needs %s.", k.Name, k.Role, need)
	}
	return nil
}

// bearerToken is the token of an Authorization: Bearer header.
func bearerToken(c echo.Context) (string, bool) {
	scheme, token, _ := strings.Cut(c.Request().Header.Get(echo.HeaderAuthorization), " ")
	token = strings.TrimSpace(token)
	return token, strings.EqualFold(scheme, "Bearer") && token != ""
}
