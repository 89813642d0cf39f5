package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/hanoicreative/registry/internal/registry"
)

// Webhook is an endpoint that receives the registry's events.
type Webhook struct {
	ID  string `json:"id" example:"0193b0c4-5d1e-7c2a-9f00-3c1d2e4f5a6b"`
	URL string `json:"url" example:"https://partner.example.org/hooks/registry"`
	// The event types sent to it.
	Events      []string `json:"events" example:"entity.created,entity.updated"`
	Description string   `json:"description" example:"Festival app"`
	// A disabled endpoint receives nothing (pings excepted).
	Disabled bool `json:"disabled" example:"false"`
	// Why it was disabled: manual (by an admin), gone (it answered 410) or failing (five days of failures).
	DisabledReason string `json:"disabled_reason,omitempty" enums:"manual,gone,failing" example:"gone"`
	// The first failure since the last success, if it is failing.
	FailingSince *time.Time `json:"failing_since,omitempty" example:"2026-11-22T10:15:00Z"`
	CreatedAt    time.Time  `json:"created_at" example:"2026-11-20T08:30:00Z"`
} // @name Webhook

// NewWebhook is a created endpoint with its signing secret, shown this once.
type NewWebhook struct {
	Webhook
	// The signing secret (whsec_ and base64 of 32 bytes). It cannot be shown again.
	Secret string `json:"secret" example:"whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"`
} // @name NewWebhook

// WebhookInput registers an endpoint.
type WebhookInput struct {
	// https on a public address.
	URL string `json:"url" example:"https://partner.example.org/hooks/registry" binding:"required" maxLength:"2000"`
	// The event types to send; all of them when omitted.
	Events      []string `json:"events" example:"entity.created,entity.updated"`
	Description string   `json:"description" example:"Festival app" maxLength:"500"`
} // @name WebhookInput

// WebhookPatch changes an endpoint: members left out stay as they are.
type WebhookPatch struct {
	URL         *string   `json:"url" example:"https://partner.example.org/hooks/registry"`
	Events      *[]string `json:"events" example:"entity.archived"`
	Description *string   `json:"description" example:"Festival app"`
	// false enables a disabled endpoint again (and forgets its failures).
	Disabled *bool `json:"disabled" example:"false"`
} // @name WebhookPatch

// WebhookList is every endpoint.
type WebhookList struct {
	Data []Webhook `json:"data"`
} // @name WebhookList

// Delivery is one attempt to deliver one event.
type Delivery struct {
	ID string `json:"id" example:"0193b0c4-5d1e-7c2a-9f00-3c1d2e4f5a6c"`
	// The webhook-id header: the same on every attempt of one event.
	EventID string `json:"event_id" example:"msg_change_1234"`
	Type    string `json:"type" example:"entity.updated"`
	Attempt int    `json:"attempt" example:"1"`
	// The endpoint's answer; 0 when none came.
	StatusCode int       `json:"status_code" example:"503"`
	Error      string    `json:"error" example:"The endpoint answered 503 Service Unavailable."`
	At         time.Time `json:"at" example:"2026-11-22T10:15:00Z"`
	// When the next attempt is due, while pending.
	NextAttemptAt *time.Time `json:"next_attempt_at" example:"2026-11-22T10:15:05Z"`
	State         string     `json:"state" enums:"pending,succeeded,failed" example:"pending"`
} // @name Delivery

// DeliveryList is an endpoint's delivery log, newest first.
type DeliveryList struct {
	Data []Delivery `json:"data"`
} // @name DeliveryList

// Queued says that an event will be sent now.
type Queued struct {
	// The webhook-id the event is sent with.
	EventID string `json:"event_id" example:"msg_ping_0193b0c45d1e7c2a9f003c1d2e4f5a6b"`
} // @name Queued

func webhookDTO(w registry.Webhook) Webhook {
	return Webhook{ID: w.ID, URL: w.URL, Events: w.Events, Description: w.Description, Disabled: w.Disabled,
		DisabledReason: w.DisabledReason, FailingSince: w.FailingSince, CreatedAt: w.CreatedAt}
}

func deliveryDTO(d registry.Delivery) Delivery {
	return Delivery{ID: d.ID, EventID: d.EventID, Type: d.Type, Attempt: d.Attempt, StatusCode: d.StatusCode, Error: d.Error,
		At: d.At, NextAttemptAt: d.NextAttemptAt, State: d.State}
}

// listWebhooks lists the endpoints.
//
//	@Summary		List webhook endpoints
//	@ID			listWebhooks
//	@Description	Every endpoint, newest first, without secrets. Admin only.
//	@Tags			webhooks
//	@Produce		json
//	@Security		BearerKey
//	@Success		200	{object}	WebhookList
//	@Failure		401	{object}	Problem	"no or bad API key"
//	@Failure		403	{object}	Problem	"not an admin key"
//	@Failure		429	{object}	Problem	"rate limited"
//	@Failure		503	{object}	Problem	"database unavailable"
//	@Router			/v1/webhooks [get]
func (s *Server) listWebhooks(c echo.Context) error {
	onAnswer(c, cachePrivate, "")
	hooks, err := s.hooks.List(c.Request().Context())
	if err != nil {
		return err
	}
	out := WebhookList{Data: make([]Webhook, len(hooks))}
	for i, w := range hooks {
		out.Data[i] = webhookDTO(w)
	}
	return c.JSON(http.StatusOK, out)
}

// createWebhook registers an endpoint.
//
//	@Summary		Register a webhook endpoint
//	@ID			createWebhook
//	@Description	Registers an endpoint for events (all types when events is omitted) and returns its signing secret, this once. The URL must be https on a public address. Admin only.
//	@Tags			webhooks
//	@Accept			json
//	@Produce		json
//	@Security		BearerKey
//	@Param			webhook	body		WebhookInput	true	"url, events, description"
//	@Success		201		{object}	NewWebhook
//	@Header			201		{string}	Location		"/v1/webhooks/{id}"
//	@Header			201		{string}	Cache-Control	"no-store: the answer holds a secret"
//	@Failure		400		{object}	Problem	"malformed JSON"
//	@Failure		401		{object}	Problem	"no or bad API key"
//	@Failure		403		{object}	Problem	"not an admin key"
//	@Failure		413		{object}	Problem	"body too large"
//	@Failure		415		{object}	Problem	"Content-Type is not application/json"
//	@Failure		422		{object}	Problem	"invalid fields"
//	@Failure		429		{object}	Problem	"rate limited"
//	@Failure		503		{object}	Problem	"database unavailable"
//	@Router			/v1/webhooks [post]
func (s *Server) createWebhook(c echo.Context) error {
	body, err := readJSONBody(c, "application/json")
	if err != nil {
		return err
	}
	var in WebhookInput
	ferrs, err := decodeObject(body, &in)
	if err != nil {
		return err
	}
	if len(ferrs) > 0 {
		return registry.Invalid(ferrs)
	}
	w, secret, err := s.hooks.Create(c.Request().Context(), registry.WebhookInput{URL: in.URL, Events: in.Events, Description: in.Description})
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/v1/webhooks/"+w.ID)
	c.Response().Header().Set("Cache-Control", cacheNoStore)
	return c.JSON(http.StatusCreated, NewWebhook{Webhook: webhookDTO(w), Secret: secret})
}

// getWebhook shows an endpoint.
//
//	@Summary		Get a webhook endpoint
//	@ID			getWebhook
//	@Description	One endpoint, without its secret. Admin only.
//	@Tags			webhooks
//	@Produce		json
//	@Security		BearerKey
//	@Param			id	path		string	true	"webhook id"
//	@Success		200	{object}	Webhook
//	@Failure		401	{object}	Problem	"no or bad API key"
//	@Failure		403	{object}	Problem	"not an admin key"
//	@Failure		404	{object}	Problem	"no such webhook"
//	@Failure		429	{object}	Problem	"rate limited"
//	@Failure		503	{object}	Problem	"database unavailable"
//	@Router			/v1/webhooks/{id} [get]
func (s *Server) getWebhook(c echo.Context) error {
	onAnswer(c, cachePrivate, "")
	w, err := s.hooks.Get(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, webhookDTO(w))
}

// patchWebhook changes an endpoint.
//
//	@Summary		Change a webhook endpoint
//	@ID			patchWebhook
//	@Description	Changes url, events, description or disabled; members left out stay. Enabling a disabled endpoint forgets its failures. Admin only.
//	@Tags			webhooks
//	@Accept			json
//	@Produce		json
//	@Security		BearerKey
//	@Param			id		path		string			true	"webhook id"
//	@Param			patch	body		WebhookPatch	true	"the members to change"
//	@Success		200		{object}	Webhook
//	@Failure		400		{object}	Problem	"malformed JSON"
//	@Failure		401		{object}	Problem	"no or bad API key"
//	@Failure		403		{object}	Problem	"not an admin key"
//	@Failure		404		{object}	Problem	"no such webhook"
//	@Failure		413		{object}	Problem	"body too large"
//	@Failure		415		{object}	Problem	"Content-Type is not application/json"
//	@Failure		422		{object}	Problem	"invalid fields"
//	@Failure		429		{object}	Problem	"rate limited"
//	@Failure		503		{object}	Problem	"database unavailable"
//	@Router			/v1/webhooks/{id} [patch]
func (s *Server) patchWebhook(c echo.Context) error {
	body, err := readJSONBody(c, "application/merge-patch+json", "application/json")
	if err != nil {
		return err
	}
	var in WebhookPatch
	ferrs, err := decodeObject(body, &in)
	if err != nil {
		return err
	}
	if len(ferrs) > 0 {
		return registry.Invalid(ferrs)
	}
	w, err := s.hooks.Update(c.Request().Context(), c.Param("id"), registry.WebhookPatch{URL: in.URL, Events: in.Events, Description: in.Description, Disabled: in.Disabled})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, webhookDTO(w))
}

// deleteWebhook removes an endpoint.
//
//	@Summary		Delete a webhook endpoint
//	@ID			deleteWebhook
//	@Description	Removes an endpoint with its secrets and delivery log; nothing more is sent to it. Admin only.
//	@Tags			webhooks
//	@Security		BearerKey
//	@Param			id	path	string	true	"webhook id"
//	@Success		204	"deleted"
//	@Failure		401	{object}	Problem	"no or bad API key"
//	@Failure		403	{object}	Problem	"not an admin key"
//	@Failure		404	{object}	Problem	"no such webhook"
//	@Failure		429	{object}	Problem	"rate limited"
//	@Failure		503	{object}	Problem	"database unavailable"
//	@Router			/v1/webhooks/{id} [delete]
func (s *Server) deleteWebhook(c echo.Context) error {
	if err := s.hooks.Delete(c.Request().Context(), c.Param("id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// rotateWebhookSecret gives an endpoint a new secret.
//
//	@Summary		Rotate a webhook's secret
//	@ID			rotateWebhookSecret
//	@Description	Makes a new signing secret and returns it, this once. For 24 hours deliveries carry signatures with both the new and the old secrets, so the receiver can switch without losing any. Admin only.
//	@Tags			webhooks
//	@Produce		json
//	@Security		BearerKey
//	@Param			id	path		string	true	"webhook id"
//	@Success		200	{object}	NewWebhook
//	@Header			200	{string}	Cache-Control	"no-store: the answer holds a secret"
//	@Failure		401	{object}	Problem	"no or bad API key"
//	@Failure		403	{object}	Problem	"not an admin key"
//	@Failure		404	{object}	Problem	"no such webhook"
//	@Failure		429	{object}	Problem	"rate limited"
//	@Failure		503	{object}	Problem	"database unavailable"
//	@Router			/v1/webhooks/{id}/rotate-secret [post]
func (s *Server) rotateWebhookSecret(c echo.Context) error {
	w, secret, err := s.hooks.RotateSecret(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", cacheNoStore)
	return c.JSON(http.StatusOK, NewWebhook{Webhook: webhookDTO(w), Secret: secret})
}

// webhookDeliveries lists an endpoint's delivery log.
//
//	@Summary		List a webhook's deliveries
//	@ID			listWebhookDeliveries
//	@Description	The endpoint's delivery attempts, newest first. Admin only.
//	@Tags			webhooks
//	@Produce		json
//	@Security		BearerKey
//	@Param			id		path		string	true	"webhook id"
//	@Param			limit	query		int		false	"at most this many (1-500)"	default(100)
//	@Success		200		{object}	DeliveryList
//	@Failure		400		{object}	Problem	"malformed limit"
//	@Failure		401		{object}	Problem	"no or bad API key"
//	@Failure		403		{object}	Problem	"not an admin key"
//	@Failure		404		{object}	Problem	"no such webhook"
//	@Failure		429		{object}	Problem	"rate limited"
//	@Failure		503		{object}	Problem	"database unavailable"
//	@Router			/v1/webhooks/{id}/deliveries [get]
func (s *Server) webhookDeliveries(c echo.Context) error {
	onAnswer(c, cachePrivate, "")
	limit := 100
	if v := c.QueryParam("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 500 {
			return registry.Errorf(registry.EMALFORMED, "limit must be a whole number from 1 to 500.")
		}
		limit = n
	}
	ds, err := s.hooks.Deliveries(c.Request().Context(), c.Param("id"), limit)
	if err != nil {
		return err
	}
	out := DeliveryList{Data: make([]Delivery, len(ds))}
	for i, d := range ds {
		out.Data[i] = deliveryDTO(d)
	}
	return c.JSON(http.StatusOK, out)
}

// retryDelivery sends a delivery's event again.
//
//	@Summary		Retry a delivery
//	@ID			retryWebhookDelivery
//	@Description	Sends the delivery's event again now, once, with the same webhook-id and body; the attempt appears in the delivery log. Admin only.
//	@Tags			webhooks
//	@Produce		json
//	@Security		BearerKey
//	@Param			id			path		string	true	"webhook id"
//	@Param			delivery_id	path		string	true	"delivery id"
//	@Success		202			{object}	Queued
//	@Failure		401			{object}	Problem	"no or bad API key"
//	@Failure		403			{object}	Problem	"not an admin key"
//	@Failure		404			{object}	Problem	"no such webhook or delivery"
//	@Failure		429			{object}	Problem	"rate limited"
//	@Failure		503			{object}	Problem	"database unavailable"
//	@Router			/v1/webhooks/{id}/deliveries/{delivery_id}/retry [post]
func (s *Server) retryDelivery(c echo.Context) error {
	d, err := s.hooks.Retry(c.Request().Context(), c.Param("id"), c.Param("delivery_id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusAccepted, Queued{EventID: d.EventID})
}

// pingWebhook sends a ping event.
//
//	@Summary		Ping a webhook endpoint
//	@ID			pingWebhook
//	@Description	Sends a ping event (data is an empty object) now, once, even to a disabled endpoint; the attempt appears in the delivery log. Admin only.
//	@Tags			webhooks
//	@Produce		json
//	@Security		BearerKey
//	@Param			id	path		string	true	"webhook id"
//	@Success		202	{object}	Queued
//	@Failure		401	{object}	Problem	"no or bad API key"
//	@Failure		403	{object}	Problem	"not an admin key"
//	@Failure		404	{object}	Problem	"no such webhook"
//	@Failure		429	{object}	Problem	"rate limited"
//	@Failure		503	{object}	Problem	"database unavailable"
//	@Router			/v1/webhooks/{id}/ping [post]
func (s *Server) pingWebhook(c echo.Context) error {
	id, err := s.hooks.Ping(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusAccepted, Queued{EventID: id})
}

// needWebhooks answers 503 where the server runs without webhooks (a
// tool or test that builds the router alone).
func (s *Server) needWebhooks(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if s.hooks == nil {
			return registry.Errorf(registry.EUNAVAILABLE, "Webhooks are not running on this server.")
		}
		return next(c)
	}
}
