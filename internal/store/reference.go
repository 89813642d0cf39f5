package store

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"

	"github.com/hanoicreative/registry/internal/registry"
)

type sectorRow struct {
	Slug, Name, NameEn, Description, DescriptionEn string
	Position                                       int
	RetiredAt                                      *time.Time
	CreatedAt                                      time.Time `gorm:"autoCreateTime:false"`
	UpdatedAt                                      time.Time `gorm:"autoUpdateTime:false"`
}

func (sectorRow) TableName() string { return "sectors" }

// Sectors returns the sectors in display order.
func (db *DB) Sectors(ctx context.Context) ([]registry.Sector, error) {
	var rows []sectorRow
	if err := db.reader(ctx).Order("position, slug").Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]registry.Sector, len(rows))
	for i, r := range rows {
		out[i] = registry.Sector{Slug: r.Slug, Name: r.Name, NameEn: r.NameEn,
			Description: r.Description, DescriptionEn: r.DescriptionEn, Position: r.Position, Retired: r.RetiredAt != nil}
	}
	return out, nil
}

// SectorCounts counts active entities by sector.
func (db *DB) SectorCounts(ctx context.Context) (map[string]int, error) {
	var rows []struct {
		Slug string
		N    int
	}
	err := db.reader(ctx).Raw(`SELECT es.sector_slug AS slug, count(*) AS n
		FROM entity_sectors es JOIN entities e ON e.id = es.entity_id
		WHERE e.status = 'active' GROUP BY es.sector_slug`).Scan(&rows).Error
	if err != nil {
		return nil, translate(err)
	}
	counts := make(map[string]int, len(rows))
	for _, r := range rows {
		counts[r.Slug] = r.N
	}
	return counts, nil
}

// Kinds returns the kinds of entity in display order.
func (db *DB) Kinds(ctx context.Context) ([]registry.Kind, error) {
	var rows []struct{ Slug, Name, NameEn string }
	if err := db.reader(ctx).Table("kinds").Order("position, slug").Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]registry.Kind, len(rows))
	for i, r := range rows {
		out[i] = registry.Kind{Slug: r.Slug, Name: r.Name, NameEn: r.NameEn}
	}
	return out, nil
}

// CreateSector adds a sector after the others.
func (db *DB) CreateSector(ctx context.Context, s registry.Sector) error {
	return db.write(ctx, func(tx *gorm.DB) error {
		var last int
		if err := tx.Raw("SELECT COALESCE(MAX(position), 0) FROM sectors").Scan(&last).Error; err != nil {
			return err
		}
		now := time.Now().UTC()
		row := sectorRow{Slug: s.Slug, Name: s.Name, NameEn: s.NameEn, Description: s.Description,
			DescriptionEn: s.DescriptionEn, Position: last + 1, CreatedAt: now, UpdatedAt: now}
		if s.Retired {
			row.RetiredAt = &now
		}
		err := tx.Create(&row).Error
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return &registry.Error{Code: registry.ECONFLICT, Message: "The sector slug \"" + s.Slug + "\" is taken.",
				Fields: []registry.FieldError{{Field: "slug", Code: "taken", Message: "slug is taken."}}}
		}
		if err != nil {
			return err
		}
		return bumpRefVersion(tx)
	})
}

// UpdateSector stores a sector's names, descriptions and retirement; a
// sector retired earlier keeps its first retirement date.
func (db *DB) UpdateSector(ctx context.Context, s registry.Sector) error {
	now := time.Now().UTC()
	retired := gorm.Expr("NULL")
	if s.Retired {
		retired = gorm.Expr("COALESCE(retired_at, ?)", now)
	}
	return db.write(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&sectorRow{}).Where("slug = ?", s.Slug).Updates(map[string]any{
			"name": s.Name, "name_en": s.NameEn, "description": s.Description, "description_en": s.DescriptionEn,
			"retired_at": retired, "updated_at": now,
		})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return registry.Errorf(registry.ENOTFOUND, "There is no sector %q.", s.Slug)
		}
		return bumpRefVersion(tx)
	})
}

// DeleteSector removes a sector that no entity, active or archived, has.
func (db *DB) DeleteSector(ctx context.Context, slug string) error {
	return db.write(ctx, func(tx *gorm.DB) error {
		var used int64
		if err := tx.Table("entity_sectors").Where("sector_slug = ?", slug).Count(&used).Error; err != nil {
			return err
		}
		if used > 0 {
			return registry.Errorf(registry.ECONFLICT, "The sector %q is in use by %d entities (archived ones included): it cannot be deleted. Retire it instead (PATCH with \"retired\": true).", slug, used)
		}
		res := tx.Where("slug = ?", slug).Delete(&sectorRow{})
		if res.Error == nil && res.RowsAffected == 0 {
			return registry.Errorf(registry.ENOTFOUND, "There is no sector %q.", slug)
		}
		if errors.Is(res.Error, gorm.ErrForeignKeyViolated) {
			return registry.Errorf(registry.ECONFLICT, "The sector %q is in use: it cannot be deleted.", slug)
		}
		if res.Error != nil {
			return res.Error
		}
		return bumpRefVersion(tx)
	})
}
