package store_test

import (
	"testing"
)

func TestMigrateIsIdempotentAndSeedsReferenceData(t *testing.T) {
	engines(t, func(t *testing.T, e env) {
		// open() migrated once; a second run must change nothing.
		if err := e.db.Migrate(e.ctx); err != nil {
			t.Fatalf("second migrate: %v", err)
		}
		sectors, err := e.db.Sectors(e.ctx)
		if err != nil || len(sectors) != 8 {
			t.Fatalf("sectors = %d, %v; want 8", len(sectors), err)
		}
		if sectors[0].Slug != "design" || sectors[7].Slug != "cultural-tourism" {
			t.Errorf("sector order: %s … %s", sectors[0].Slug, sectors[7].Slug)
		}
		kinds, err := e.db.Kinds(e.ctx)
		if err != nil || len(kinds) != 7 {
			t.Fatalf("kinds = %d, %v; want 7", len(kinds), err)
		}
		var wards int64
		if err := e.db.Gorm().Table("wards").Count(&wards).Error; err != nil || wards != 126 {
			t.Fatalf("wards = %d, %v; want 126", wards, err)
		}
	})
}
