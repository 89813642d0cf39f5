package store

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"

	"github.com/hanoicreative/registry/internal/auth"
	"github.com/hanoicreative/registry/internal/registry"
)

var _ auth.Store = (*DB)(nil)

type keyRow struct {
	ID         string
	Name       string
	Role       string
	SecretHash []byte
	CreatedAt  time.Time `gorm:"autoCreateTime:false"`
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

func (keyRow) TableName() string { return "api_keys" }

func (r keyRow) key() auth.Key {
	k := auth.Key{ID: r.ID, Name: r.Name, Role: auth.Role(r.Role), CreatedAt: r.CreatedAt.UTC()}
	if r.LastUsedAt != nil {
		t := r.LastUsedAt.UTC()
		k.LastUsedAt = &t
	}
	if r.RevokedAt != nil {
		t := r.RevokedAt.UTC()
		k.RevokedAt = &t
	}
	return k
}

// CreateKey stores a key with the hash of its secret.
func (db *DB) CreateKey(ctx context.Context, k auth.Key, hash []byte) error {
	err := db.gorm.WithContext(ctx).Create(&keyRow{ID: k.ID, Name: k.Name, Role: string(k.Role), SecretHash: hash, CreatedAt: k.CreatedAt}).Error
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return &registry.Error{Code: registry.ECONFLICT, Message: "A key named \"" + k.Name + "\" exists: key names must be unique, since they name the actor of changes.",
			Fields: []registry.FieldError{{Field: "name", Code: "taken", Message: "name is taken."}}}
	}
	return translate(err)
}

// Key returns a key and its secret's hash.
func (db *DB) Key(ctx context.Context, id string) (auth.Key, []byte, error) {
	var r keyRow
	err := db.gorm.WithContext(ctx).Where("id = ?", id).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return auth.Key{}, nil, registry.Errorf(registry.ENOTFOUND, "There is no key %q.", id)
	}
	if err != nil {
		return auth.Key{}, nil, translate(err)
	}
	return r.key(), r.SecretHash, nil
}

// Keys returns every key, newest first.
func (db *DB) Keys(ctx context.Context) ([]auth.Key, error) {
	var rows []keyRow
	if err := db.gorm.WithContext(ctx).Omit("secret_hash").Order("created_at DESC, id DESC").Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	keys := make([]auth.Key, len(rows))
	for i, r := range rows {
		keys[i] = r.key()
	}
	return keys, nil
}

// RevokeKey marks a key revoked; revoking a revoked key keeps its first date.
func (db *DB) RevokeKey(ctx context.Context, id string, at time.Time) (auth.Key, error) {
	err := db.gorm.WithContext(ctx).Model(&keyRow{}).Where("id = ? AND revoked_at IS NULL", id).Update("revoked_at", at).Error
	if err != nil {
		return auth.Key{}, translate(err)
	}
	k, _, err := db.Key(ctx, id)
	return k, err
}

// TouchKeys records when keys were last used, in one transaction. Keys
// whose recorded use is later (another instance wrote it) keep theirs.
func (db *DB) TouchKeys(ctx context.Context, uses map[string]time.Time) error {
	return db.write(ctx, func(tx *gorm.DB) error {
		for id, at := range uses {
			err := tx.Model(&keyRow{}).
				Where("id = ? AND (last_used_at IS NULL OR last_used_at < ?)", id, at).
				Update("last_used_at", at).Error
			if err != nil {
				return err
			}
		}
		return nil
	})
}
