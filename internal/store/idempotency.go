package store

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/hanoicreative/registry/internal/idempotency"
)

var _ idempotency.Store = (*DB)(nil)

type idempotencyRow struct {
	APIKeyID    string
	Key         string
	RequestHash string
	State       string
	Status      int
	Headers     string
	Body        []byte
	CreatedAt   time.Time `gorm:"autoCreateTime:false"`
	ExpiresAt   time.Time
}

func (idempotencyRow) TableName() string { return "idempotency_keys" }

func (r idempotencyRow) record() idempotency.Record {
	rec := idempotency.Record{APIKeyID: r.APIKeyID, Key: r.Key, RequestHash: r.RequestHash, State: idempotency.State(r.State),
		Status: r.Status, Body: r.Body, CreatedAt: r.CreatedAt.UTC(), ExpiresAt: r.ExpiresAt.UTC()}
	_ = json.Unmarshal([]byte(r.Headers), &rec.Headers) // written by Complete
	return rec
}

// Reserve inserts a running record unless a live one holds the key.
func (db *DB) Reserve(ctx context.Context, r idempotency.Record, now time.Time) (idempotency.Record, bool, error) {
	var existing idempotency.Record
	reserved := false
	err := db.writeTx(ctx, func(tx *gorm.DB) error {
		err := tx.Where("api_key_id = ? AND key = ? AND (expires_at < ? OR (state = 'running' AND created_at < ?))",
			r.APIKeyID, r.Key, now, now.Add(-idempotency.Lease)).Delete(&idempotencyRow{}).Error
		if err != nil {
			return err
		}
		row := idempotencyRow{APIKeyID: r.APIKeyID, Key: r.Key, RequestHash: r.RequestHash, State: string(idempotency.Running),
			Headers: "{}", CreatedAt: now, ExpiresAt: now.Add(idempotency.TTL)}
		res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&row)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 1 {
			reserved = true
			existing = row.record()
			return nil
		}
		var found idempotencyRow
		if err := tx.Where("api_key_id = ? AND key = ?", r.APIKeyID, r.Key).Take(&found).Error; err != nil {
			return err
		}
		existing = found.record()
		return nil
	})
	if errors.Is(err, gorm.ErrRecordNotFound) {
		// Released between our insert attempt and read: the caller retries.
		return idempotency.Record{}, false, nil
	}
	return existing, reserved, translate(err)
}

// Complete stores the response of a reserved request.
func (db *DB) Complete(ctx context.Context, r idempotency.Record) error {
	headers, _ := json.Marshal(r.Headers) // a map of strings always marshals
	return translate(db.gorm.WithContext(ctx).Model(&idempotencyRow{}).
		Where("api_key_id = ? AND key = ? AND state = 'running'", r.APIKeyID, r.Key).
		Updates(map[string]any{"state": string(idempotency.Done), "status": r.Status, "headers": string(headers), "body": r.Body}).Error)
}

// Release forgets a running request.
func (db *DB) Release(ctx context.Context, apiKeyID, key string) error {
	return translate(db.gorm.WithContext(ctx).Where("api_key_id = ? AND key = ? AND state = 'running'", apiKeyID, key).
		Delete(&idempotencyRow{}).Error)
}

// PurgeExpired deletes expired records.
func (db *DB) PurgeExpired(ctx context.Context, now time.Time) (int64, error) {
	res := db.gorm.WithContext(ctx).Where("expires_at < ?", now).Delete(&idempotencyRow{})
	return res.RowsAffected, translate(res.Error)
}
