package api

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/hanoicreative/registry/internal/auth"
	"github.com/hanoicreative/registry/internal/registry"
)

// APIKey is an API key as admins see it: never its secret.
type APIKey struct {
	ID   string `json:"id" example:"0193b0c4-5d1e-7c2a-9f00-3c1d2e4f5a6b"`
	Name string `json:"name" example:"so-van-hoa-editor"`
	Role string `json:"role" enums:"editor,admin" example:"editor"`
	// When the key was created, last used (to the minute) and revoked.
	CreatedAt  time.Time  `json:"created_at" example:"2026-11-20T08:30:00Z"`
	LastUsedAt *time.Time `json:"last_used_at" example:"2026-11-22T10:15:00Z"`
	RevokedAt  *time.Time `json:"revoked_at" example:"2026-11-25T09:00:00Z"`
} // @name APIKey

// NewAPIKey is a created key with its secret, shown this once.
type NewAPIKey struct {
	APIKey
	// The key to send as Authorization: Bearer <secret>. It is not stored and cannot be shown again.
	Secret string `json:"secret" example:"hcr_0193b0c45d1e7c2a9f003c1d2e4f5a6b_q7Vf0mJ1c9sYtq1Lr3VxN2b8kQe5Hn0aWz4Yd6Ug1Rk"`
} // @name NewAPIKey

// APIKeyInput asks for a new key.
type APIKeyInput struct {
	// Who the key is for: recorded as the actor of every change it makes. Unique.
	Name string `json:"name" example:"so-van-hoa-editor" binding:"required" maxLength:"100"`
	Role string `json:"role" example:"editor" binding:"required" enums:"editor,admin"`
} // @name APIKeyInput

// APIKeyList is every API key.
type APIKeyList struct {
	Data []APIKey `json:"data"`
} // @name APIKeyList

func keyDTO(k auth.Key) APIKey {
	return APIKey{ID: k.ID, Name: k.Name, Role: string(k.Role), CreatedAt: k.CreatedAt, LastUsedAt: k.LastUsedAt, RevokedAt: k.RevokedAt}
}

// listKeys lists the API keys.
//
//	@Summary		List API keys
//	@ID			listKeys
//	@Description	Every API key (revoked ones too), newest first, without secrets. Admin only.
//	@Tags			keys
//	@Produce		json
//	@Security		BearerKey
//	@Success		200	{object}	APIKeyList
//	@Failure		401	{object}	Problem	"no or bad API key"
//	@Failure		403	{object}	Problem	"not an admin key"
//	@Failure		429	{object}	Problem	"rate limited"
//	@Failure		503	{object}	Problem	"database unavailable"
//	@Router			/v1/keys [get]
func (s *Server) listKeys(c echo.Context) error {
	onAnswer(c, cachePrivate, "")
	keys, err := s.auth.Keys(c.Request().Context())
	if err != nil {
		return err
	}
	out := APIKeyList{Data: make([]APIKey, len(keys))}
	for i, k := range keys {
		out.Data[i] = keyDTO(k)
	}
	return c.JSON(http.StatusOK, out)
}

// createKey makes an API key.
//
//	@Summary		Create an API key
//	@ID			createKey
//	@Description	Makes a key and returns its secret, this once (only a hash is stored). Admin only.
//	@Tags			keys
//	@Accept			json
//	@Produce		json
//	@Security		BearerKey
//	@Param			key	body		APIKeyInput	true	"name and role"
//	@Success		201	{object}	NewAPIKey
//	@Header			201	{string}	Location		"/v1/keys/{id}"
//	@Header			201	{string}	Cache-Control	"no-store: the answer holds a secret"
//	@Failure		400	{object}	Problem	"malformed JSON"
//	@Failure		401	{object}	Problem	"no or bad API key"
//	@Failure		403	{object}	Problem	"not an admin key"
//	@Failure		409	{object}	Problem	"name taken"
//	@Failure		413	{object}	Problem	"body too large"
//	@Failure		415	{object}	Problem	"Content-Type is not application/json"
//	@Failure		422	{object}	Problem	"invalid fields"
//	@Failure		429	{object}	Problem	"rate limited"
//	@Failure		503	{object}	Problem	"database unavailable"
//	@Router			/v1/keys [post]
func (s *Server) createKey(c echo.Context) error {
	body, err := readJSONBody(c, "application/json")
	if err != nil {
		return err
	}
	var in APIKeyInput
	ferrs, err := decodeObject(body, &in)
	if err != nil {
		return err
	}
	if len(ferrs) > 0 {
		// Report what the rules of keys reject too, all in one answer.
		return registry.Invalid(registry.MergeFieldErrors(ferrs, auth.CheckKey(in.Name, auth.Role(in.Role))))
	}
	k, secret, err := s.auth.Create(c.Request().Context(), in.Name, auth.Role(in.Role))
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/v1/keys/"+k.ID)
	c.Response().Header().Set("Cache-Control", cacheNoStore) // the secret, shown this once
	return c.JSON(http.StatusCreated, NewAPIKey{APIKey: keyDTO(k), Secret: secret})
}

// revokeKey revokes an API key.
//
//	@Summary		Revoke an API key
//	@ID			revokeKey
//	@Description	Revokes a key: its next request is refused (401). Revoking a revoked key changes nothing. Admin only.
//	@Tags			keys
//	@Security		BearerKey
//	@Param			id	path	string	true	"key id"
//	@Success		204	"revoked"
//	@Failure		401	{object}	Problem	"no or bad API key"
//	@Failure		403	{object}	Problem	"not an admin key"
//	@Failure		404	{object}	Problem	"no such key"
//	@Failure		429	{object}	Problem	"rate limited"
//	@Failure		503	{object}	Problem	"database unavailable"
//	@Router			/v1/keys/{id} [delete]
func (s *Server) revokeKey(c echo.Context) error {
	if _, err := s.auth.Revoke(c.Request().Context(), c.Param("id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
