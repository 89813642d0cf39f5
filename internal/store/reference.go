package store

import (
	"context"

	"github.com/hanoicreative/registry/internal/registry"
)

type sectorRow struct {
	Slug, Name, NameEn, Description, DescriptionEn string
	Position                                       int
}

// Sectors returns the sectors in display order.
func (db *DB) Sectors(ctx context.Context) ([]registry.Sector, error) {
	var rows []sectorRow
	if err := db.gorm.WithContext(ctx).Table("sectors").Order("position, slug").Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]registry.Sector, len(rows))
	for i, r := range rows {
		out[i] = registry.Sector{Slug: r.Slug, Name: r.Name, NameEn: r.NameEn,
			Description: r.Description, DescriptionEn: r.DescriptionEn, Position: r.Position}
	}
	return out, nil
}

// SectorCounts counts active entities by sector.
func (db *DB) SectorCounts(ctx context.Context) (map[string]int, error) {
	var rows []struct {
		Slug string
		N    int
	}
	err := db.gorm.WithContext(ctx).Raw(`SELECT es.sector_slug AS slug, count(*) AS n
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
	if err := db.gorm.WithContext(ctx).Table("kinds").Order("position, slug").Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	out := make([]registry.Kind, len(rows))
	for i, r := range rows {
		out[i] = registry.Kind{Slug: r.Slug, Name: r.Name, NameEn: r.NameEn}
	}
	return out, nil
}
