package api

import (
	"bytes"
	stdjson "encoding/json"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/hanoicreative/registry/internal/linkeddata"
	"github.com/hanoicreative/registry/internal/registry"
	"github.com/hanoicreative/registry/internal/sample"
	"github.com/hanoicreative/registry/internal/wards"
)

// TestEncoderAsStandard holds writeJSON (goccy/go-json) to encoding/json
// byte for byte, on what the API answers: pages of the sample entities
// (Vietnamese in NFC and NFD, English, URLs with &), their linked data,
// problems, stats rows (their own MarshalJSON), revisions (any values),
// facets (maps, whose keys encoding/json sorts), and the strings and
// numbers where encoders part ways: invalid UTF-8, U+2028 and U+2029,
// control characters, HTML's <>&, floats written with an exponent.
func TestEncoderAsStandard(t *testing.T) {
	x, err := wards.Load()
	if err != nil {
		t.Fatal(err)
	}
	odd := []string{"", "a\xffb", "\xe2\x80", "line\u2028sep\u2029", "\x00\x01\x1f\x7f", `"quoted" \back\slash/`,
		"<script>&amp;</script>", "Ha\u0300 No\u0323\u0302i", "Lụa Hà Đông 🎨", "\ufeffbom", "tab\tnew\nline\r"}
	var page EntityList
	at := time.Date(2026, 11, 20, 8, 30, 0, 123456789, time.FixedZone("ICT", 7*3600))
	for i, d := range sample.Sample(x) {
		e := registry.Entity{ID: fmt.Sprintf("0193b0c4-5d1e-7c2a-9f00-%012d", i), Slug: d.Slug, Name: d.Name, NameEn: d.NameEn,
			Kind: d.Kind, Sectors: d.Sectors, Description: d.Description, DescriptionEn: d.DescriptionEn,
			Address:  registry.Address{Street: d.Street, Ward: d.Ward, WardCode: "00070", City: d.City},
			Location: d.Location, Contact: registry.Contact{Website: d.Website + "?a=1&b=<2>", Email: d.Email, Phone: d.Phone},
			Links: d.Links, FoundedYear: d.FoundedYear, Status: registry.StatusActive, Version: i + 1,
			CreatedAt: at.Add(time.Duration(i) * time.Second), UpdatedAt: at.UTC()}
		if i%3 == 0 {
			img := registry.Image{File: registry.MediaFile{Hash: "9f86d081", Type: registry.MediaJPEG}, Width: 1200, Height: 800,
				Thumbnail: registry.MediaFile{Hash: "60303ae2", Type: registry.MediaJPEG}}
			e.Logo = &img
			e.Photos = []registry.Photo{{ID: "p1", Caption: odd[i%len(odd)], Image: img}, {ID: "p2", Image: img}}
		}
		if i%5 == 0 {
			e.Name += odd[i%len(odd)]
		}
		page.Data = append(page.Data, entityDTO(e))
		same(t, fmt.Sprintf("linked data of %s", d.Slug), linkeddata.Entity(e, map[string]registry.Sector{
			"crafts": {Slug: "crafts", Name: "Thủ công mỹ nghệ", NameEn: "Crafts"}}, linkeddata.Links{Base: "https://registry.example?x=1&y=2"}))
	}
	next := "eyJmIjoiYWJjIn0"
	page.Page = PageInfo{Limit: 200, Total: len(page.Data), NextCursor: &next}
	page.Facets = map[string]map[string]int{"ward": {"Đống Đa": 3, "Ba Đình": 2, "": 1, "Hoàn Kiếm": 7}, "kind": {"artisan": 4, "designer": 1}}
	same(t, "a page of the sample", page)
	same(t, "an empty page", EntityList{Data: []Entity{}})

	row := 3
	same(t, "a problem", Problem{Type: "/problems/invalid", Title: "Invalid input", Status: 422, Detail: "Dữ liệu không hợp lệ: <name> & " + odd[3],
		Instance: "/v1/entities", RequestID: "r1", Errors: []ProblemField{{Row: &row, Field: "contact.email", Code: "email", Message: odd[1]}}})

	ward, sector, year := "Bát Tràng", "crafts", "1998"
	var rows []StatRow
	for _, dims := range [][]string{{registry.FacetSector, registry.FacetWard, registry.StatFoundedYear}, {registry.FacetWard}} {
		rows = append(rows, statRow(registry.StatRow{Values: map[string]*string{registry.FacetSector: &sector, registry.FacetWard: &ward,
			registry.StatFoundedYear: &year}, Count: 12}, dims), statRow(registry.StatRow{Values: map[string]*string{}, Count: 1}, dims))
	}
	same(t, "stats rows", rows)

	same(t, "a revision", Revision{Version: 2, Action: "updated", Actor: "so-van-hoa", At: at, Changes: map[string]FieldChange{
		"name": {From: "Gốm", To: odd[2]}, "sectors": {From: []string{"crafts"}, To: nil}, "founded_year": {From: 1998, To: 2001.5},
		"location": {From: map[string]any{"lon": 105.9, "lat": 20.97}, To: nil}}})

	var nums []any
	for _, f := range []float64{0, math.Copysign(0, -1), 20.975, 105.912, 1e20, 1e21, 1e-6, 1e-7, 123456789.123456789, math.MaxFloat64,
		math.SmallestNonzeroFloat64, -3.5e-9, float64(float32(0.1))} {
		nums = append(nums, f)
		if f32 := float32(f); !math.IsInf(float64(f32), 0) {
			nums = append(nums, f32)
		}
	}
	same(t, "numbers", nums)
	same(t, "odd strings", odd)
	same(t, "odd keys", map[string]string{odd[1]: "a", odd[3]: "b", odd[6]: "c", odd[7]: "d"})
}

// same fails t unless writeJSON writes v as encoding/json does.
func same(t *testing.T, what string, v any) {
	t.Helper()
	var want, got bytes.Buffer
	enc := stdjson.NewEncoder(&want)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatalf("%s: encoding/json: %v", what, err)
	}
	if err := writeJSON(&got, v); err != nil {
		t.Fatalf("%s: writeJSON: %v", what, err)
	}
	if !bytes.Equal(got.Bytes(), want.Bytes()) {
		g, w := got.Bytes(), want.Bytes()
		i := 0
		for i < min(len(g), len(w)) && g[i] == w[i] {
			i++
		}
		t.Errorf("%s: writeJSON differs from encoding/json at byte %d:\n got %q\nwant %q", what, i,
			g[max(0, i-40):min(len(g), i+40)], w[max(0, i-40):min(len(w), i+40)])
	}
}
