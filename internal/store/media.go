package store

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/hanoicreative/registry/internal/registry"
)

// mediaRow is a row of the media table: one image file.
type mediaRow struct {
	Hash        string
	ContentType string
	Size        int
	Data        []byte
	CreatedAt   time.Time `gorm:"autoCreateTime:false"`
}

func (mediaRow) TableName() string { return "media" }

var _ registry.MediaStore = (*DB)(nil)

// PutMedia stores a file; a file with the same hash is already there
// (the same bytes), so storing it again does nothing.
func (db *DB) PutMedia(ctx context.Context, m registry.Media) error {
	row := mediaRow{Hash: m.Hash, ContentType: m.Type, Size: len(m.Data), Data: m.Data, CreatedAt: time.Now().UTC()}
	err := db.gorm.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error
	return translate(err)
}

// Media returns the file with this hash. A replica may not have a file
// just stored: the primary is asked before saying there is none.
func (db *DB) Media(ctx context.Context, hash string) (registry.Media, error) {
	m, err := db.media(db.reader(ctx), hash)
	if registry.ErrorCode(err) == registry.ENOTFOUND && db.HasReplica() && !registry.PrimaryOnly(ctx) {
		return db.media(db.gorm.WithContext(ctx), hash)
	}
	return m, err
}

func (db *DB) media(conn *gorm.DB, hash string) (registry.Media, error) {
	var row mediaRow
	err := conn.Where("hash = ?", hash).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return registry.Media{}, registry.Errorf(registry.ENOTFOUND, "There is no media file with hash %q.", hash)
	}
	if err != nil {
		return registry.Media{}, translate(err)
	}
	return registry.Media{MediaFile: registry.MediaFile{Hash: row.Hash, Type: row.ContentType}, Data: row.Data}, nil
}
