package refdata_test

import (
	"testing"

	"github.com/hanoicreative/registry/internal/refdata"
)

func TestData(t *testing.T) {
	sectors, err := refdata.Sectors()
	if err != nil || len(sectors) != 8 || sectors[0].Slug != "design" || sectors[0].Name != "Thiết kế sáng tạo" {
		t.Fatalf("Sectors() = %+v, %v", sectors, err)
	}
	kinds, err := refdata.Kinds()
	if err != nil || len(kinds) != 7 || kinds[0].Slug != "creative-space" {
		t.Fatalf("Kinds() = %+v, %v", kinds, err)
	}
}
