package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/hanoicreative/registry/internal/registry"
)

var _ registry.WebhookStore = (*DB)(nil)

type webhookRow struct {
	ID             string
	URL            string
	Events         string
	Description    string
	Disabled       bool
	DisabledReason string
	FailingSince   *time.Time
	CreatedAt      time.Time `gorm:"autoCreateTime:false"`
	UpdatedAt      time.Time `gorm:"autoUpdateTime:false"`
}

func (webhookRow) TableName() string { return "webhooks" }

func toWebhookRow(w registry.Webhook) webhookRow {
	return webhookRow{ID: w.ID, URL: w.URL, Events: strings.Join(w.Events, ","), Description: w.Description,
		Disabled: w.Disabled, DisabledReason: w.DisabledReason, FailingSince: w.FailingSince, CreatedAt: w.CreatedAt, UpdatedAt: w.UpdatedAt}
}

func (r webhookRow) webhook() registry.Webhook {
	w := registry.Webhook{ID: r.ID, URL: r.URL, Events: strings.Split(r.Events, ","), Description: r.Description,
		Disabled: r.Disabled, DisabledReason: r.DisabledReason, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
	if r.FailingSince != nil {
		t := r.FailingSince.UTC()
		w.FailingSince = &t
	}
	return w
}

type webhookSecretRow struct {
	WebhookID string
	Secret    string
	CreatedAt time.Time `gorm:"autoCreateTime:false"`
	ExpiresAt *time.Time
}

func (webhookSecretRow) TableName() string { return "webhook_secrets" }

type deliveryRow struct {
	ID            string
	WebhookID     string
	EventID       string
	Type          string
	Seq           int64
	Payload       []byte
	Attempt       int
	StatusCode    int
	Error         string
	At            time.Time
	NextAttemptAt *time.Time
	State         string
}

func (deliveryRow) TableName() string { return "webhook_deliveries" }

func (r deliveryRow) delivery() registry.Delivery {
	d := registry.Delivery{ID: r.ID, WebhookID: r.WebhookID, EventID: r.EventID, Type: r.Type, Seq: r.Seq, Payload: r.Payload,
		Attempt: r.Attempt, StatusCode: r.StatusCode, Error: r.Error, At: r.At.UTC(), State: r.State}
	if r.NextAttemptAt != nil {
		t := r.NextAttemptAt.UTC()
		d.NextAttemptAt = &t
	}
	return d
}

// CreateWebhook stores an endpoint with its first secret.
func (db *DB) CreateWebhook(ctx context.Context, w registry.Webhook, secret string) error {
	return db.write(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(ptr(toWebhookRow(w))).Error; err != nil {
			return err
		}
		return tx.Create(&webhookSecretRow{WebhookID: w.ID, Secret: secret, CreatedAt: w.CreatedAt}).Error
	})
}

// Webhooks returns every endpoint, newest first.
func (db *DB) Webhooks(ctx context.Context) ([]registry.Webhook, error) {
	var rows []webhookRow
	if err := db.gorm.WithContext(ctx).Order("created_at DESC, id DESC").Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]registry.Webhook, len(rows))
	for i, r := range rows {
		out[i] = r.webhook()
	}
	return out, nil
}

// Webhook returns one endpoint.
func (db *DB) Webhook(ctx context.Context, id string) (registry.Webhook, error) {
	var r webhookRow
	err := db.gorm.WithContext(ctx).Where("id = ?", id).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return registry.Webhook{}, registry.Errorf(registry.ENOTFOUND, "There is no webhook %q.", id)
	}
	if err != nil {
		return registry.Webhook{}, translate(err)
	}
	return r.webhook(), nil
}

// UpdateWebhook replaces an endpoint's fields.
func (db *DB) UpdateWebhook(ctx context.Context, w registry.Webhook) error {
	res := db.gorm.WithContext(ctx).Model(&webhookRow{}).Where("id = ?", w.ID).
		Select("*").Omit("id", "created_at").Updates(ptr(toWebhookRow(w)))
	if res.Error == nil && res.RowsAffected == 0 {
		return registry.Errorf(registry.ENOTFOUND, "There is no webhook %q.", w.ID)
	}
	return translate(res.Error)
}

// DeleteWebhook removes an endpoint with its secrets and deliveries.
func (db *DB) DeleteWebhook(ctx context.Context, id string) error {
	return db.write(ctx, func(tx *gorm.DB) error {
		// Explicitly, not by cascade: SQLite enforces foreign keys only
		// when asked on each connection.
		for _, table := range []string{"webhook_deliveries", "webhook_secrets"} {
			if err := tx.Exec("DELETE FROM "+table+" WHERE webhook_id = ?", id).Error; err != nil {
				return err
			}
		}
		res := tx.Exec("DELETE FROM webhooks WHERE id = ?", id)
		if res.Error == nil && res.RowsAffected == 0 {
			return registry.Errorf(registry.ENOTFOUND, "There is no webhook %q.", id)
		}
		return res.Error
	})
}

// RotateWebhookSecret adds a secret; the current ones expire at expires
// (an earlier expiry is kept).
func (db *DB) RotateWebhookSecret(ctx context.Context, id, secret string, expires time.Time) error {
	now := time.Now().UTC()
	return db.write(ctx, func(tx *gorm.DB) error {
		err := tx.Exec("UPDATE webhook_secrets SET expires_at = ? WHERE webhook_id = ? AND (expires_at IS NULL OR expires_at > ?)", expires, id, expires).Error
		if err != nil {
			return err
		}
		return tx.Create(&webhookSecretRow{WebhookID: id, Secret: secret, CreatedAt: now}).Error
	})
}

// WebhookSecrets returns the secrets that sign at now, newest first.
func (db *DB) WebhookSecrets(ctx context.Context, id string, now time.Time) ([]string, error) {
	var secrets []string
	err := db.gorm.WithContext(ctx).Model(&webhookSecretRow{}).
		Where("webhook_id = ? AND (expires_at IS NULL OR expires_at > ?)", id, now).
		Order("created_at DESC").Pluck("secret", &secrets).Error
	return secrets, translate(err)
}

// Deliveries returns up to limit of an endpoint's deliveries, newest first.
func (db *DB) Deliveries(ctx context.Context, webhookID string, limit int) ([]registry.Delivery, error) {
	var rows []deliveryRow
	err := db.gorm.WithContext(ctx).Omit("payload").Where("webhook_id = ?", webhookID).Order("id DESC").Limit(limit).Find(&rows).Error
	if err != nil {
		return nil, translate(err)
	}
	out := make([]registry.Delivery, len(rows))
	for i, r := range rows {
		out[i] = r.delivery()
	}
	return out, nil
}

// Delivery returns one delivery with its payload.
func (db *DB) Delivery(ctx context.Context, webhookID, id string) (registry.Delivery, error) {
	var r deliveryRow
	err := db.gorm.WithContext(ctx).Where("webhook_id = ? AND id = ?", webhookID, id).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return registry.Delivery{}, registry.Errorf(registry.ENOTFOUND, "The webhook has no delivery %q.", id)
	}
	if err != nil {
		return registry.Delivery{}, translate(err)
	}
	return r.delivery(), nil
}

// AttemptsMade counts the attempts already logged for an event.
func (db *DB) AttemptsMade(ctx context.Context, webhookID, eventID string) (int, error) {
	var n int64
	err := db.gorm.WithContext(ctx).Model(&deliveryRow{}).Where("webhook_id = ? AND event_id = ?", webhookID, eventID).Count(&n).Error
	return int(n), translate(err)
}

// RecordDelivery logs an attempt and updates the endpoint's failure state:
// a success clears failing_since, a failure sets it if unset; disable, when
// not "", disables the endpoint with that reason.
func (db *DB) RecordDelivery(ctx context.Context, d registry.Delivery, disable string) error {
	id, err := uuid.NewV7()
	if err != nil {
		return registry.Internal(err)
	}
	return db.write(ctx, func(tx *gorm.DB) error {
		row := deliveryRow{ID: id.String(), WebhookID: d.WebhookID, EventID: d.EventID, Type: d.Type, Seq: d.Seq, Payload: d.Payload,
			Attempt: d.Attempt, StatusCode: d.StatusCode, Error: d.Error, At: d.At, NextAttemptAt: d.NextAttemptAt, State: d.State}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		var q *gorm.DB
		switch {
		case disable != "":
			q = tx.Exec("UPDATE webhooks SET disabled = ?, disabled_reason = ? WHERE id = ?", true, disable, d.WebhookID)
		case d.State == registry.DeliverySucceeded:
			q = tx.Exec("UPDATE webhooks SET failing_since = NULL WHERE id = ? AND failing_since IS NOT NULL", d.WebhookID)
		default:
			q = tx.Exec("UPDATE webhooks SET failing_since = ? WHERE id = ? AND failing_since IS NULL", d.At, d.WebhookID)
		}
		return q.Error
	})
}

// DispatchPending reports whether the change feed has moved past the
// dispatcher's position: a read, so that idle polling takes no write lock.
func (db *DB) DispatchPending(ctx context.Context) (bool, error) {
	var pending bool
	err := db.gorm.WithContext(ctx).Raw("SELECT (SELECT seq FROM change_counter WHERE id = 1) > (SELECT seq FROM webhook_dispatch WHERE id = 1)").Scan(&pending).Error
	return pending, translate(err)
}

// Dispatch turns up to limit changes after the dispatcher's position into
// deliveries, in one transaction: it locks the position, reads the
// changes and the endpoints, calls enqueue with the transaction (so that
// jobs are inserted in it) and moves the position past the changes. Two
// instances dispatching at once queue on the lock, and the second sees
// the moved position: each change is dispatched once. It returns the
// number of changes dispatched.
func (db *DB) Dispatch(ctx context.Context, limit int, enqueue func(tx *sql.Tx, changes []registry.Change, webhooks []registry.Webhook) error) (int, error) {
	n := 0
	err := db.writeTx(ctx, func(tx *gorm.DB) error {
		lock := "SELECT seq FROM webhook_dispatch WHERE id = 1"
		if db.engine == Postgres {
			lock += " FOR UPDATE"
		}
		var after int64
		if err := tx.Raw(lock).Scan(&after).Error; err != nil {
			return err
		}
		var rows []revisionRow
		err := tx.Select("seq, entity_id, slug, action, version, at").Where("seq > ?", after).Order("seq").Limit(limit).Find(&rows).Error
		if err != nil || len(rows) == 0 {
			return err
		}
		changes := make([]registry.Change, len(rows))
		for i, r := range rows {
			changes[i] = registry.Change{Seq: r.Seq, EntityID: r.EntityID, Slug: r.Slug, Action: registry.Action(r.Action), Version: r.Version, At: r.At.UTC()}
		}
		var hooks []webhookRow
		if err := tx.Where("disabled = ?", false).Find(&hooks).Error; err != nil {
			return err
		}
		webhooks := make([]registry.Webhook, len(hooks))
		for i, h := range hooks {
			webhooks[i] = h.webhook()
		}
		sqlTx, ok := tx.Statement.ConnPool.(*sql.Tx)
		if !ok {
			return fmt.Errorf("dispatch: the transaction is a %T, not a *sql.Tx", tx.Statement.ConnPool)
		}
		if err := enqueue(sqlTx, changes, webhooks); err != nil {
			return err
		}
		n = len(changes)
		return tx.Exec("UPDATE webhook_dispatch SET seq = ? WHERE id = 1", changes[len(changes)-1].Seq).Error
	})
	return n, translate(err)
}
