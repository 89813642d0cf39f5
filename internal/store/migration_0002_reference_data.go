package store

import (
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/hanoicreative/registry/internal/refdata"
	"github.com/hanoicreative/registry/internal/wards"
)

// migration0002ReferenceData inserts the default sectors, the kinds and the
// 126 wards. Rows already there (say, a sector an admin renamed) are kept.
func migration0002ReferenceData(w *wards.Index) *gormigrate.Migration {
	type kind struct {
		Slug, Name, NameEn string
		Position           int
	}
	type sector struct {
		Slug, Name, NameEn string
		Position           int
		CreatedAt          time.Time
		UpdatedAt          time.Time
	}
	type ward struct {
		Code, Name, NameEn, FullName, FullNameEn, CodeName string
	}
	return &gormigrate.Migration{
		ID: "0002_reference_data",
		Migrate: func(tx *gorm.DB) error {
			kinds, err := refdata.Kinds()
			if err != nil {
				return err
			}
			sectors, err := refdata.Sectors()
			if err != nil {
				return err
			}
			keep := clause.OnConflict{DoNothing: true}
			for i, k := range kinds {
				if err := tx.Table("kinds").Clauses(keep).Create(&kind{k.Slug, k.Name, k.NameEn, i + 1}).Error; err != nil {
					return err
				}
			}
			now := time.Now().UTC()
			for i, s := range sectors {
				if err := tx.Table("sectors").Clauses(keep).Create(&sector{s.Slug, s.Name, s.NameEn, i + 1, now, now}).Error; err != nil {
					return err
				}
			}
			for _, u := range w.All() {
				if err := tx.Table("wards").Clauses(keep).Create(&ward{u.Code, u.Name, u.NameEn, u.FullName, u.FullNameEn, u.CodeName}).Error; err != nil {
					return err
				}
			}
			return nil
		},
	}
}
