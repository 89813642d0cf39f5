package store_test

import (
	"slices"
	"testing"

	"github.com/hanoicreative/registry/internal/registry"
)

// TestVietnameseSearch: q is case- and diacritics-insensitive, every word
// must begin a word of the name, name_en, description, ward or street, and
// entities ranks by relevance (internal/search), here the field first.
func TestVietnameseSearch(t *testing.T) {
	engines(t, func(t *testing.T, e env) {
		fixtures := []registry.EntityDraft{
			{Name: "Xưởng Gốm Bát Tràng", Description: "Gốm sứ thủ công", Ward: "Bát Tràng"},
			{Name: "Đồ Thủ Công Mỹ Nghệ Hà Nội"},
			{Name: "Không Gian Sáng Tạo Đông Dương", NameEn: "Indochina Creative Space"},
			{Name: "Nhà hát Đồng Đội"},
			{Name: "Hanoi Design Lab", Description: "Phòng thí nghiệm thiết kế", Ward: "Hoàn Kiếm"},
			{Name: "Tranh Đông Hồ", Description: "tranh dân gian"},
			{Name: "Phố Sách 19/12", Description: "xuất bản"},
			{Name: "Làng Lụa Vạn Phúc", Description: "lụa tơ tằm"},
			{Name: "Studio Quốc Tử Giám", Location: &registry.Location{Lat: 21.0245, Lon: 105.8412}},
			{Name: "Café Ơ Kìa"},
			{Name: "An Nam Gallery", Description: "trưng bày gốm cổ"},
		}
		for _, d := range fixtures {
			d.Kind, d.Sectors = "creative-space", []string{"design"}
			e.create(t, d)
		}
		cases := []struct {
			q    string
			want []string // in order
		}{
			{"hoan kiem", []string{"Hanoi Design Lab"}},
			{"HOÀN KIẾM", []string{"Hanoi Design Lab"}},
			{"Ho\u0300an Kie\u0302\u0301m", []string{"Hanoi Design Lab"}}, // decomposed input
			{"do thu", []string{"Đồ Thủ Công Mỹ Nghệ Hà Nội"}},
			{"ĐỒ THỦ", []string{"Đồ Thủ Công Mỹ Nghệ Hà Nội"}},
			// "Đông" as typed before "Đồng".
			{"ĐÔNG", []string{"Không Gian Sáng Tạo Đông Dương", "Tranh Đông Hồ", "Nhà hát Đồng Đội"}},
			// Word starts: "ho" occurs in "khong", but does not begin it.
			{"đông hồ", []string{"Tranh Đông Hồ"}},
			{"tranh dong ho", []string{"Tranh Đông Hồ"}},
			{"bat trang", []string{"Xưởng Gốm Bát Tràng"}},
			{"gom", []string{"Xưởng Gốm Bát Tràng", "An Nam Gallery"}}, // name match first
			{"thu cong", []string{"Đồ Thủ Công Mỹ Nghệ Hà Nội", "Xưởng Gốm Bát Tràng"}},
			{"lúa", []string{"Làng Lụa Vạn Phúc"}}, // another tone, same letters
			{"quoc tu giam", []string{"Studio Quốc Tử Giám"}},
			{"van mieu", []string{"Studio Quốc Tử Giám"}}, // ward filled from location
			{"indochina", []string{"Không Gian Sáng Tạo Đông Dương"}},
			{"Creative SPACE", []string{"Không Gian Sáng Tạo Đông Dương"}},
			{"sang tao dong", []string{"Không Gian Sáng Tạo Đông Dương"}},
			{"thiet ke", []string{"Hanoi Design Lab"}},
			{"cafe", []string{"Café Ơ Kìa"}},
			{"ơ kìa", []string{"Café Ơ Kìa"}},
			{"19/12", []string{"Phố Sách 19/12"}},
			{"gom lua", nil},                            // words in different entities
			{"xyz", nil},                                // no match
			{"100%", nil},                               // % is punctuation, not a wildcard
			{"xq_zz", nil},                              // _ too
			{"kiem hoan", []string{"Hanoi Design Lab"}}, // any word order
		}
		for _, c := range cases {
			words, err := registry.ParseSearch(c.q)
			if err != nil {
				t.Fatal(err)
			}
			q := registry.ListQuery{Filter: registry.Filter{Words: words}, Limit: 100}
			page, err := e.svc.Entities(e.ctx, q)
			if err != nil {
				t.Fatalf("q=%q: %v", c.q, err)
			}
			if got := names(page.Entities); !slices.Equal(got, c.want) {
				t.Errorf("q=%q: got %q, want %q", c.q, got, c.want)
			}
			if page.Total != len(c.want) {
				t.Errorf("q=%q: total %d, want %d", c.q, page.Total, len(c.want))
			}
		}
	})
}
