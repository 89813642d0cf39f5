// Package sample makes entity drafts for demos and load tests: a fixed
// sample data set of about 250 plausible members of Hà Nội's creative
// community, and synthetic data sets of any size. Everything is invented
// (and says so in its description); the same seed gives the same data.
package sample

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hanoicreative/registry/internal/fold"
	"github.com/hanoicreative/registry/internal/registry"
	"github.com/hanoicreative/registry/internal/wards"
)

// Marker starts the description of every sample entity.
const (
	Marker   = "[Dữ liệu mẫu] "
	MarkerEn = "[Sample data] "
)

// archetype is a kind of member: how its names are made and what it does.
type archetype struct {
	kind     string
	sectors  []string // drawn from, 1 to 3
	prefixes []string // Vietnamese name heads
	en       string   // English name head ("" for none)
	does     string   // what it does, in Vietnamese
	doesEn   string
}

var archetypes = []archetype{
	{"artisan", []string{"crafts", "cultural-tourism"}, []string{"Xưởng Gốm", "Lò Gốm", "Nghệ nhân Gốm"}, "Pottery Workshop", "làm gốm sứ thủ công, men lam và men rạn", "handmade ceramics"},
	{"artisan", []string{"crafts", "design"}, []string{"Xưởng Lụa", "Khung Dệt", "Nhà Lụa"}, "Silk Studio", "dệt lụa tơ tằm và nhuộm màu tự nhiên", "silk weaving and natural dyeing"},
	{"artisan", []string{"crafts", "visual-arts"}, []string{"Xưởng Sơn Mài", "Nhà Sơn Ta"}, "Lacquer Studio", "sơn mài truyền thống và khảm trai", "traditional lacquer and mother-of-pearl inlay"},
	{"artisan", []string{"crafts", "visual-arts", "cultural-tourism"}, []string{"Xưởng Tranh Dân Gian", "Nhà Tranh Giấy Dó"}, "Folk Print Workshop", "in tranh dân gian trên giấy dó", "folk woodblock prints on dó paper"},
	{"designer", []string{"design"}, []string{"Studio Thiết Kế", "Nhà Thiết Kế"}, "Design Studio", "thiết kế nhận diện thương hiệu và bao bì", "brand identity and packaging design"},
	{"designer", []string{"design", "visual-arts"}, []string{"Xưởng Đồ Hoạ", "Phòng Minh Hoạ"}, "Illustration Studio", "minh hoạ sách và áp phích", "book and poster illustration"},
	{"design-brand", []string{"design", "crafts"}, []string{"Thương Hiệu", "Nhãn Hàng"}, "", "đồ gia dụng thiết kế từ tre và mây", "homeware designed in bamboo and rattan"},
	{"design-brand", []string{"design"}, []string{"Thời Trang", "Nhà Mốt"}, "Fashion House", "thời trang ứng dụng chất liệu thổ cẩm", "fashion with brocade textiles"},
	{"creative-space", []string{"design", "visual-arts", "performing-arts"}, []string{"Không Gian Sáng Tạo", "Trạm Sáng Tạo", "Nhà Văn Hoá Sáng Tạo"}, "Creative Hub", "không gian làm việc chung, triển lãm và hội thảo", "co-working, exhibitions and talks"},
	{"creative-space", []string{"visual-arts", "cultural-tourism"}, []string{"Phòng Tranh", "Gallery"}, "Gallery", "trưng bày mỹ thuật đương đại", "contemporary art exhibitions"},
	{"organization", []string{"performing-arts"}, []string{"Nhà Hát", "Đoàn Chèo", "Nhóm Múa Đương Đại"}, "Theatre", "biểu diễn chèo, múa rối nước và kịch đương đại", "chèo, water puppetry and contemporary theatre"},
	{"business", []string{"film"}, []string{"Hãng Phim", "Xưởng Phim"}, "Film Studio", "sản xuất phim tài liệu và phim ngắn", "documentaries and short films"},
	{"business", []string{"publishing", "design"}, []string{"Nhà Sách", "Nhà Xuất Bản"}, "Books", "xuất bản sách mỹ thuật và sách thiếu nhi", "art books and children's books"},
	{"business", []string{"software-games"}, []string{"Studio Trò Chơi", "Xưởng Game"}, "Games", "phát triển trò chơi điện tử lấy cảm hứng từ văn hoá Việt", "video games inspired by Vietnamese culture"},
	{"business", []string{"cultural-tourism", "crafts"}, []string{"Lữ Hành Di Sản", "Hành Trình Làng Nghề"}, "Heritage Tours", "tour làng nghề và phố cổ", "craft-village and old-quarter tours"},
	{"training-institution", []string{"design", "visual-arts"}, []string{"Trường Nghệ Thuật", "Học Viện Thiết Kế", "Lớp Mỹ Thuật"}, "Art School", "đào tạo thiết kế, hội hoạ và nhiếp ảnh", "design, painting and photography courses"},
	{"training-institution", []string{"software-games", "film"}, []string{"Trung Tâm Đào Tạo Số", "Học Viện Đa Phương Tiện"}, "Media Academy", "đào tạo làm phim, hoạt hình và lập trình trò chơi", "film, animation and game programming courses"},
	{"organization", []string{"visual-arts", "performing-arts", "publishing"}, []string{"Hội", "Câu Lạc Bộ", "Quỹ Văn Hoá"}, "Association", "kết nối và hỗ trợ người làm sáng tạo", "connecting and supporting creative people"},
}

// names are the given names that complete an entity's name.
var names = []string{"An Nhiên", "Bảo Ngọc", "Cẩm Tú", "Diệp Chi", "Đông Dương", "Giang Nam", "Hà Thành", "Hoài Thu", "Hồng Hà",
	"Khánh Linh", "Lam Sơn", "Mộc Miên", "Ngọc Lan", "Phù Sa", "Quỳnh Anh", "Sen Hồng", "Tâm Việt", "Thăng Long", "Trúc Xanh",
	"Tuệ Minh", "Uyên Phương", "Vân Khánh", "Xuân Mai", "Yên Bình", "Kẻ Chợ", "Long Biên", "Ô Quan Chưởng", "Đồng Xuân",
	"Hàng Mã", "Bách Thảo", "Tràng Tiền", "Văn Miếu", "Cổ Loa", "Tây Hồ", "Trúc Bạch", "Hương Giang", "Mây Trắng", "Gió Mới",
	"Nắng Sớm", "Hoa Sữa", "Cốm Vòng", "Chuồn Chuồn", "Cánh Diều", "Đèn Lồng", "Mái Ngói", "Gạch Đỏ", "Lá Dó", "Chum Sành"}

var (
	streets    = []string{"Hàng Bạc", "Hàng Gai", "Tràng Tiền", "Lý Quốc Sư", "Phan Đình Phùng", "Kim Mã", "Xuân Diệu", "Nguyễn Thái Học", "Thôn 3", "Xóm Chùa", "Đê La Thành", "Phố Huế"}
	mailHosts  = []string{"example.vn", "example.com"}
	landlines  = []string{"024 3826 %04d", "024 3971 %04d", "024 6253 %04d"}
	mobiles    = []string{"0912 %03d %03d", "0983 %03d %03d", "0904 %03d %03d", "0868 %03d %03d"}
	descrWords = strings.Fields("không gian sáng tạo thủ công truyền thống đương đại thiết kế làng nghề gốm lụa tre mây sơn mài triển lãm biểu diễn âm nhạc điện ảnh xuất bản trò chơi du lịch văn hoá di sản cộng đồng nghệ nhân hội thảo lớp học trẻ em phố cổ sông Hồng Hà Nội")
)

// generator draws drafts from a seeded source. It is not safe for
// concurrent use; each call of Sample or Synthetic makes its own.
type generator struct {
	rng    *rand.Rand
	wards  *wards.Index
	all    []wards.Ward
	points map[string][][2]float64 // ward code → interior points (lat, lon), drawn once
}

func newGenerator(x *wards.Index, seed uint64) *generator {
	return &generator{rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), wards: x, all: x.All(), points: map[string][][2]float64{}}
}

func (g *generator) pick(list []string) string { return list[g.rng.IntN(len(list))] }

// interior returns a point strictly inside the ward, from a small set of
// points drawn once per ward (rejection sampling in its bounding box).
func (g *generator) interior(w wards.Ward) ([2]float64, bool) {
	pts, drawn := g.points[w.Code]
	if !drawn {
		minLon, minLat, maxLon, maxLat, ok := g.wards.Bounds(w.Code)
		for tries := 0; ok && len(pts) < 24 && tries < 2000; tries++ {
			lat := minLat + g.rng.Float64()*(maxLat-minLat)
			lon := minLon + g.rng.Float64()*(maxLon-minLon)
			// Round as clients send them (6 decimals, ~0.1 m), then check.
			lat, lon = float64(int64(lat*1e6))/1e6, float64(int64(lon*1e6))/1e6
			if in, ok := g.wards.Locate(lat, lon); ok && in.Code == w.Code {
				pts = append(pts, [2]float64{lat, lon})
			}
		}
		g.points[w.Code] = pts
	}
	if len(pts) == 0 {
		return [2]float64{}, false
	}
	return pts[g.rng.IntN(len(pts))], true
}

// draft makes one entity draft of archetype a named prefix + given (+
// suffix), in ward w.
func (g *generator) draft(a archetype, prefix, given, suffix string, w wards.Ward, withLocation bool, descWords int) registry.EntityDraft {
	name := strings.TrimSpace(prefix + " " + given + " " + suffix)
	d := registry.EntityDraft{Name: name, Kind: a.kind}
	n := 1 + g.rng.IntN(min(3, len(a.sectors)))
	for _, i := range g.rng.Perm(len(a.sectors))[:n] {
		d.Sectors = append(d.Sectors, a.sectors[i])
	}
	if a.en != "" && g.rng.IntN(3) > 0 {
		d.NameEn = strings.TrimSpace(fold.ASCII(given) + " " + a.en + " " + suffix)
	}
	var desc strings.Builder
	desc.WriteString(Marker + capitalise(a.does) + " tại " + w.Name + ".")
	for i := 0; i < descWords; i++ {
		desc.WriteString(" " + g.pick(descrWords))
	}
	d.Description = desc.String()
	d.DescriptionEn = MarkerEn + capitalise(a.doesEn) + " in " + w.NameEn + ", Hanoi."
	switch g.rng.IntN(4) { // how staff type wards: name, folded name, code
	case 0:
		d.Ward = fold.ASCII(w.Name)
	case 1:
		d.Ward = w.Code
	default:
		d.Ward = w.Name
	}
	if g.rng.IntN(2) == 0 {
		d.Street = fmt.Sprintf("%d %s", 1+g.rng.IntN(120), g.pick(streets))
	}
	if withLocation {
		if p, ok := g.interior(w); ok {
			d.Location = &registry.Location{Lat: p[0], Lon: p[1]}
		}
	}
	slug := fold.Slug(name)
	if g.rng.IntN(3) > 0 {
		d.Website = "https://" + slug + "." + g.pick(mailHosts)
	}
	if g.rng.IntN(2) == 0 {
		d.Email = "lienhe@" + slug + "." + g.pick(mailHosts)
	}
	switch g.rng.IntN(3) {
	case 0:
		d.Phone = fmt.Sprintf(g.pick(landlines), g.rng.IntN(10000))
	case 1:
		d.Phone = fmt.Sprintf(g.pick(mobiles), g.rng.IntN(1000), g.rng.IntN(1000))
	}
	if g.rng.IntN(3) == 0 {
		d.Links = []string{"https://www.facebook.com/" + slug}
	}
	if g.rng.IntN(5) > 0 {
		year := 1950 + g.rng.IntN(76)
		d.FoundedYear = &year
	}
	return d
}

// Sample returns the sample data set: about 250 drafts over every sector
// and kind and many wards, every one marked as sample data.
func Sample(x *wards.Index) []registry.EntityDraft {
	g := newGenerator(x, 2026)
	var out []registry.EntityDraft
	seen := map[string]bool{}
	for i := 0; len(out) < 250; i++ {
		a := archetypes[i%len(archetypes)]
		prefix, given := g.pick(a.prefixes), g.pick(names)
		if slug := fold.Slug(prefix + " " + given); seen[slug] {
			continue
		} else {
			seen[slug] = true
		}
		// Walk the wards so that many are used.
		w := g.all[(i*37)%len(g.all)]
		out = append(out, g.draft(a, prefix, given, "", w, i%5 != 0, 3+g.rng.IntN(12)))
	}
	return out
}

// Synthetic returns n drafts for load tests, deterministic for seed.
func Synthetic(x *wards.Index, n int, seed uint64) []registry.EntityDraft {
	out := make([]registry.EntityDraft, 0, n)
	_ = SyntheticEach(x, n, seed, func(_ int, d registry.EntityDraft) error {
		out = append(out, d)
		return nil
	})
	return out
}

// SyntheticEach calls fn with n synthetic drafts in turn, without holding
// them all: unique names (a name and a number), every sector, kind and
// ward, seven in ten with a location, descriptions of 50 to 800 characters.
func SyntheticEach(x *wards.Index, n int, seed uint64, fn func(i int, d registry.EntityDraft) error) error {
	g := newGenerator(x, seed)
	for i := range n {
		a := archetypes[g.rng.IntN(len(archetypes))]
		w := g.all[g.rng.IntN(len(g.all))]
		if err := fn(i, g.draft(a, g.pick(a.prefixes), g.pick(names), fmt.Sprint(i+1), w, g.rng.IntN(10) < 7, 5+g.rng.IntN(110))); err != nil {
			return err
		}
	}
	return nil
}

// capitalise upper-cases the first letter (which may take several bytes).
func capitalise(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[size:]
}
