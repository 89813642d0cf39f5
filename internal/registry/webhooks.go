package registry

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"strings"
	"time"

	"github.com/google/uuid"
)

// The event types of webhooks: one for each action of the change feed,
// and ping, sent on request to check an endpoint.
const (
	EventCreated  = "entity.created"
	EventUpdated  = "entity.updated"
	EventArchived = "entity.archived"
	EventRestored = "entity.restored"
	EventPing     = "ping"
)

// EventTypes are the types an endpoint may subscribe to.
var EventTypes = []string{EventCreated, EventUpdated, EventArchived, EventRestored}

// EventType is the webhook event of a change's action.
func EventType(a Action) string { return "entity." + string(a) }

// SecretOverlap is how long a rotated-out secret still signs deliveries,
// so that a receiver can switch to the new one without missing any.
const SecretOverlap = 24 * time.Hour

// Webhook is an endpoint that receives events.
type Webhook struct {
	ID          string
	URL         string
	Events      []string // the subscribed types; never empty
	Description string
	Disabled    bool
	// DisabledReason says why delivery stopped: "", "manual", "gone" (410)
	// or "failing" (five days of failures).
	DisabledReason string
	// FailingSince is the first failure since the last success.
	FailingSince *time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Subscribes reports whether the endpoint wants events of this type.
func (w Webhook) Subscribes(eventType string) bool {
	if eventType == EventPing {
		return true
	}
	for _, e := range w.Events {
		if e == eventType {
			return true
		}
	}
	return false
}

// WebhookSecret is a signing secret; Expires is set on one rotated out.
type WebhookSecret struct {
	Secret  string
	Expires *time.Time
}

// Delivery states.
const (
	DeliveryPending   = "pending"   // failed, another attempt is scheduled
	DeliverySucceeded = "succeeded" // the endpoint answered 2xx
	DeliveryFailed    = "failed"    // failed, and no attempt will follow
)

// Delivery is one attempt to deliver one event to one endpoint.
type Delivery struct {
	ID            string
	WebhookID     string
	EventID       string
	Type          string
	Seq           int64
	Payload       []byte // the body sent, kept so a manual retry sends the same
	Attempt       int
	StatusCode    int // 0 when no answer came
	Error         string
	At            time.Time
	NextAttemptAt *time.Time
	State         string
}

// WebhookPatch is a partial update: nil fields stay as they are.
type WebhookPatch struct {
	URL         *string
	Events      *[]string
	Description *string
	Disabled    *bool
}

// WebhookStore keeps endpoints, their secrets and the delivery log.
type WebhookStore interface {
	CreateWebhook(ctx context.Context, w Webhook, secret string) error
	Webhooks(ctx context.Context) ([]Webhook, error)
	Webhook(ctx context.Context, id string) (Webhook, error)
	UpdateWebhook(ctx context.Context, w Webhook) error
	DeleteWebhook(ctx context.Context, id string) error
	// RotateWebhookSecret adds secret and lets the others expire at expires.
	RotateWebhookSecret(ctx context.Context, id, secret string, expires time.Time) error
	// WebhookSecrets returns the secrets that sign at now, newest first.
	WebhookSecrets(ctx context.Context, id string, now time.Time) ([]string, error)
	Deliveries(ctx context.Context, webhookID string, limit int) ([]Delivery, error)
	Delivery(ctx context.Context, webhookID, id string) (Delivery, error)
}

// WebhookQueue sends events later, durably.
type WebhookQueue interface {
	// Enqueue schedules a delivery of an event (a manual retry or a ping).
	Enqueue(ctx context.Context, webhookID, eventID, eventType string, seq int64, payload []byte) error
}

// Webhooks is the service of webhook endpoints.
type Webhooks struct {
	store        WebhookStore
	queue        WebhookQueue
	allowPrivate bool
	now          func() time.Time
}

// NewWebhooks builds the service; allowPrivate lets endpoints be http and
// on private addresses (development and tests). Without a queue (nil),
// endpoints can be managed but nothing is sent.
func NewWebhooks(store WebhookStore, queue WebhookQueue, allowPrivate bool) *Webhooks {
	return &Webhooks{store: store, queue: queue, allowPrivate: allowPrivate, now: func() time.Time { return time.Now().UTC() }}
}

// AllowPrivate reports whether private targets are allowed.
func (s *Webhooks) AllowPrivate() bool { return s.allowPrivate }

// WebhookInput is what creating an endpoint takes.
type WebhookInput struct {
	URL         string
	Events      []string // empty: every type
	Description string
}

// Create registers an endpoint and returns it with its secret, which is
// shown only this once.
func (s *Webhooks) Create(ctx context.Context, in WebhookInput) (Webhook, string, error) {
	w := Webhook{URL: strings.TrimSpace(in.URL), Events: in.Events, Description: in.Description}
	if len(w.Events) == 0 {
		w.Events = EventTypes
	}
	if errs := s.check(w); len(errs) > 0 {
		return Webhook{}, "", Invalid(errs)
	}
	id, err := uuid.NewV7()
	if err != nil {
		return Webhook{}, "", Internal(err)
	}
	w.ID = id.String()
	w.CreatedAt = s.now()
	w.UpdatedAt = w.CreatedAt
	secret := NewWebhookSecret()
	if err := s.store.CreateWebhook(ctx, w, secret); err != nil {
		return Webhook{}, "", err
	}
	return w, secret, nil
}

// List returns every endpoint, newest first.
func (s *Webhooks) List(ctx context.Context) ([]Webhook, error) { return s.store.Webhooks(ctx) }

// Get returns one endpoint.
func (s *Webhooks) Get(ctx context.Context, id string) (Webhook, error) {
	if !IsUUID(id) {
		return Webhook{}, noWebhook(id)
	}
	return s.store.Webhook(ctx, id)
}

// Update changes an endpoint. Enabling a disabled one clears its failures.
func (s *Webhooks) Update(ctx context.Context, id string, p WebhookPatch) (Webhook, error) {
	w, err := s.Get(ctx, id)
	if err != nil {
		return Webhook{}, err
	}
	if p.URL != nil {
		w.URL = strings.TrimSpace(*p.URL)
	}
	if p.Events != nil {
		w.Events = *p.Events
		if len(w.Events) == 0 {
			w.Events = EventTypes
		}
	}
	if p.Description != nil {
		w.Description = *p.Description
	}
	if p.Disabled != nil && *p.Disabled != w.Disabled {
		w.Disabled = *p.Disabled
		w.DisabledReason = ""
		w.FailingSince = nil
		if w.Disabled {
			w.DisabledReason = "manual"
		}
	}
	if errs := s.check(w); len(errs) > 0 {
		return Webhook{}, Invalid(errs)
	}
	w.UpdatedAt = s.now()
	if err := s.store.UpdateWebhook(ctx, w); err != nil {
		return Webhook{}, err
	}
	return w, nil
}

// Delete removes an endpoint, its secrets and its delivery log; pending
// deliveries to it are dropped when they come up.
func (s *Webhooks) Delete(ctx context.Context, id string) error {
	if !IsUUID(id) {
		return noWebhook(id)
	}
	return s.store.DeleteWebhook(ctx, id)
}

// RotateSecret makes a new secret; the old ones keep signing for
// SecretOverlap, so deliveries carry both signatures meanwhile.
func (s *Webhooks) RotateSecret(ctx context.Context, id string) (Webhook, string, error) {
	w, err := s.Get(ctx, id)
	if err != nil {
		return Webhook{}, "", err
	}
	secret := NewWebhookSecret()
	if err := s.store.RotateWebhookSecret(ctx, id, secret, s.now().Add(SecretOverlap)); err != nil {
		return Webhook{}, "", err
	}
	return w, secret, nil
}

// Deliveries returns the endpoint's delivery log, newest first.
func (s *Webhooks) Deliveries(ctx context.Context, id string, limit int) ([]Delivery, error) {
	if _, err := s.Get(ctx, id); err != nil {
		return nil, err
	}
	return s.store.Deliveries(ctx, id, limit)
}

// Retry sends a delivery's event again now (same webhook-id and body).
func (s *Webhooks) Retry(ctx context.Context, id, deliveryID string) (Delivery, error) {
	if _, err := s.Get(ctx, id); err != nil {
		return Delivery{}, err
	}
	if !IsUUID(deliveryID) {
		return Delivery{}, Errorf(ENOTFOUND, "The webhook has no delivery %q.", deliveryID)
	}
	d, err := s.store.Delivery(ctx, id, deliveryID)
	if err != nil {
		return Delivery{}, err
	}
	if s.queue == nil {
		return Delivery{}, errNoQueue
	}
	return d, s.queue.Enqueue(ctx, id, d.EventID, d.Type, d.Seq, d.Payload)
}

// Ping sends a ping event to the endpoint now, even when it is disabled,
// and returns the event's id.
func (s *Webhooks) Ping(ctx context.Context, id string) (string, error) {
	if _, err := s.Get(ctx, id); err != nil {
		return "", err
	}
	if s.queue == nil {
		return "", errNoQueue
	}
	eventID := "msg_ping_" + strings.ReplaceAll(uuid.Must(uuid.NewV7()).String(), "-", "")
	payload, err := EventPayload(EventPing, s.now(), nil)
	if err != nil {
		return "", Internal(err)
	}
	return eventID, s.queue.Enqueue(ctx, id, eventID, EventPing, 0, payload)
}

func (s *Webhooks) check(w Webhook) []FieldError {
	var errs []FieldError
	errs = append(errs, CheckWebhookURL(w.URL, s.allowPrivate)...)
	for i, e := range w.Events {
		if !contains(EventTypes, e) {
			errs = append(errs, Fieldf("events", "oneof", "events[%d] must be one of entity.created, entity.updated, entity.archived, entity.restored.", i))
		}
	}
	if len([]rune(w.Description)) > 500 {
		errs = append(errs, FieldError{Field: "description", Code: "max", Message: "description must be at most 500 characters long."})
	}
	return errs
}

// errNoQueue answers a send on a server built without the delivery queue.
var errNoQueue = Errorf(EUNAVAILABLE, "Webhooks are not running on this server.")

func noWebhook(id string) error {
	return Errorf(ENOTFOUND, "There is no webhook %q.", id)
}

// NewWebhookSecret returns a new signing secret: whsec_ and the base64 of
// 32 random bytes, as the Standard Webhooks specification writes them.
func NewWebhookSecret() string {
	b := make([]byte, 32)
	rand.Read(b) // never fails (crypto/rand)
	return "whsec_" + base64.StdEncoding.EncodeToString(b)
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
