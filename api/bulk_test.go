package api_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/hanoicreative/registry/api"
)

// tricky entities: Vietnamese text, formula-like cells, multi-line
// descriptions, locations, several sectors and links.
func seedTricky(t *testing.T, c *client) {
	t.Helper()
	bodies := []map[string]any{
		{"name": "Xưởng Gốm Bát Tràng", "name_en": "Bat Trang Pottery", "kind": "artisan", "sectors": []string{"crafts", "cultural-tourism"},
			"description": "=SUM(A1:A9) là công thức,\nkhông phải mô tả; \"ngoặc kép\"", "address": map[string]any{"street": "Thôn 3", "ward": "Bát Tràng"},
			"location": map[string]any{"lat": 20.976, "lon": 105.913}, "contact": map[string]any{"phone": "024 3874 0123", "email": "a@gom.example.vn"},
			"links": []string{"https://facebook.com/gom", "https://instagram.com/gom"}, "founded_year": 1998},
		{"name": "@Studio Mười", "kind": "designer", "sectors": []string{"design"}, "description": "-gạch đầu dòng\t(tab)",
			"description_en": "'=already quoted", "address": map[string]any{"ward": "Hoàn Kiếm"}},
		{"name": "Nhà hát Đồng Đội", "kind": "organization", "sectors": []string{"performing-arts"}, "location": map[string]any{"lat": 21.0287, "lon": 105.8524}},
		{"name": "+Plus Gallery", "kind": "business", "sectors": []string{"visual-arts", "design"}, "founded_year": 2020},
	}
	for _, b := range bodies {
		c.create(b)
	}
}

func exportCSV(t *testing.T, c *client, query string) []byte {
	t.Helper()
	res := c.do("GET", "/v1/entities?"+query, nil, "Accept", "text/csv").want(http.StatusOK)
	if ct := res.header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Fatalf("Content-Type %q", ct)
	}
	if cd := res.header.Get("Content-Disposition"); !strings.HasPrefix(cd, `attachment; filename="hanoi-creative-registry-`) || !strings.HasSuffix(cd, `.csv"`) {
		t.Fatalf("Content-Disposition %q", cd)
	}
	return res.body
}

func importBody(c *client, body any, contentType string, query string, headers ...string) *response {
	return c.do("POST", "/v1/imports"+query, body, append([]string{"Content-Type", contentType}, headers...)...)
}

func TestCSVExportImportRoundTrip(t *testing.T) {
	engines(t, func(t *testing.T, c *client) {
		seedTricky(t, c)
		first := exportCSV(t, c, "sort=created_at")
		if !bytes.HasPrefix(first, []byte("\uFEFFid,slug,name,name_en,kind,sectors,description,description_en,street,ward,ward_code,city,lat,lon,website,email,phone,links,founded_year,status,version,created_at,updated_at,logo_url\n")) {
			t.Fatalf("header: %q", first[:200])
		}
		records, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(first, []byte("\uFEFF")))).ReadAll()
		if err != nil || len(records) != 5 {
			t.Fatalf("%d records, %v", len(records), err)
		}
		// Formula-like cells are neutralised; sectors and links joined.
		gom, studio := records[1], records[2]
		if gom[6] != "'=SUM(A1:A9) là công thức,\nkhông phải mô tả; \"ngoặc kép\"" || gom[5] != "crafts;cultural-tourism" ||
			gom[17] != "https://facebook.com/gom https://instagram.com/gom" || gom[16] != "'+84 24 3874 0123" || gom[12] != "20.976" || gom[13] != "105.913" {
			t.Errorf("row: %q", gom)
		}
		if studio[2] != "'@Studio Mười" || studio[6] != "'-gạch đầu dòng\t(tab)" || studio[7] != "''=already quoted" {
			t.Errorf("row: %q", studio)
		}
		if noBOM := exportCSV(t, c, "bom=false&sort=created_at"); !bytes.Equal(noBOM, bytes.TrimPrefix(first, []byte("\uFEFF"))) {
			t.Error("bom=false should drop only the byte-order mark")
		}
		if f := exportCSV(t, c, "format=csv&sector=design"); bytes.Count(f, []byte("\n"))-bytes.Count(f, []byte("\"\n")) < 2 || bytes.Contains(f, []byte("Bát Tràng")) {
			t.Errorf("filtered export:\n%s", f)
		}

		// The export imports back as unchanged, dry run first, and exports again identically.
		var res api.ImportResult
		importBody(c, first, "text/csv", "?dry_run=true").want(200).decode(&res)
		if res != (api.ImportResult{Unchanged: 4, DryRun: true}) {
			t.Fatalf("dry run: %+v", res)
		}
		importBody(c, first, "text/csv; charset=utf-8", "").want(200).decode(&res)
		if res != (api.ImportResult{Unchanged: 4}) {
			t.Fatalf("import: %+v", res)
		}
		if again := exportCSV(t, c, "sort=created_at"); !bytes.Equal(again, first) {
			t.Fatalf("the round trip changed the file:\n%s\n---\n%s", first, again)
		}

		// Edited in a spreadsheet (semicolons, no BOM): one row changed, one added.
		edited := strings.ReplaceAll(string(bytes.TrimPrefix(first, []byte("\uFEFF"))), "Nhà hát Đồng Đội", "Nhà hát Đồng Đội Mới")
		rows, _ := csv.NewReader(strings.NewReader(edited)).ReadAll()
		rows = append(rows, []string{"", "", "Làng Lụa Vạn Phúc", "", "artisan", "crafts", "", "", "", "Hà Đông", "", "", "", "", "", "", "", "", "", "", "", "", "", ""})
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		w.Comma = ';'
		w.WriteAll(rows)
		importBody(c, buf.Bytes(), "text/csv", "").want(200).decode(&res)
		if res != (api.ImportResult{Created: 1, Updated: 1, Unchanged: 3}) {
			t.Fatalf("edited import: %+v", res)
		}
		var hist api.RevisionList
		c.do("GET", "/v1/entities/nha-hat-dong-doi/history", nil).want(200).decode(&hist)
		if len(hist.Data) != 2 || hist.Data[0].Changes["name"].To != "Nhà hát Đồng Đội Mới" || hist.Data[0].Actor == "" {
			t.Errorf("history after import: %+v", hist.Data)
		}
		c.do("GET", "/v1/entities/lang-lua-van-phuc", nil).want(200)
	})
}

func TestImportIsAllOrNothing(t *testing.T) {
	engines(t, func(t *testing.T, c *client) {
		var b strings.Builder
		b.WriteString("slug,name,name_en,kind,sectors,description,description_en,street,ward,city,lat,lon,website,email,phone,links,founded_year\n")
		for i := range 1000 {
			email := fmt.Sprintf("row%d@example.vn", i)
			if i == 736 {
				email = "not-an-email"
			}
			fmt.Fprintf(&b, ",Đơn vị số %d,,designer,design,,,,,,,,,%s,,,\n", i, email)
		}
		p := importBody(c, b.String(), "text/csv", "").problem(http.StatusUnprocessableEntity)
		if len(p.Errors) != 1 || p.Errors[0].Row == nil || *p.Errors[0].Row != 738 || p.Errors[0].Field != "email" {
			t.Fatalf("errors %+v", p.Errors)
		}
		var list api.EntityList
		c.do("GET", "/v1/entities", nil).want(200).decode(&list)
		if list.Page.Total != 0 {
			t.Fatalf("%d entities written by a failed import", list.Page.Total)
		}
		good := strings.Replace(b.String(), "not-an-email", "fixed@example.vn", 1)
		var res api.ImportResult
		importBody(c, good, "text/csv", "").want(200).decode(&res)
		if res.Created != 1000 {
			t.Fatalf("import: %+v", res)
		}
	})
}

func TestImportFormatsAndErrors(t *testing.T) {
	engines(t, func(t *testing.T, c *client) {
		c.create(valid("Đã Có"))
		// JSON array: rows are indexes from 0; every row's every field is reported.
		p := importBody(c, `[{"name":"Tốt","kind":"designer","sectors":["design"]},
			{"name":"","kind":"robot","sectors":["design"],"colour":1},
			5,
			{"name":"Tốt","kind":"designer","sectors":["design"]}]`, "application/json", "").problem(422)
		got := map[string]string{}
		for _, e := range p.Errors {
			got[fmt.Sprintf("%d:%s", *e.Row, e.Field)] = e.Code
		}
		want := map[string]string{"1:name": "required", "1:kind": "unknown", "1:colour": "unknown", "2:": "type", "3:slug": "duplicate"}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("errors %v, want %v", got, want)
		}
		var res api.ImportResult
		importBody(c, `[{"name":"Đã Có","kind":"creative-space","sectors":["design"]},{"name":"Mới","kind":"designer","sectors":["film"]}]`,
			"application/json", "").want(200).decode(&res)
		if res != (api.ImportResult{Created: 1, Unchanged: 1}) {
			t.Errorf("json import: %+v", res)
		}
		// CSV header problems are row 1.
		p = importBody(c, "name,kind,sectors,colour\nA,designer,design,red\n", "text/csv", "").problem(422)
		if *p.Errors[0].Row != 1 || len(p.Errors) != 1 || fieldCodes(p)["colour"] != "unknown_column" {
			t.Errorf("header errors %+v", p.Errors)
		}
		importBody(c, "", "text/csv", "").problem(400)
		importBody(c, "a,\"b\n", "text/csv", "").problem(400)
		importBody(c, `{"name":"x"}`, "application/json", "").problem(400)
		importBody(c, `[]`, "text/plain", "").problem(415)
		importBody(c, `[]`, "application/json", "?dry_run=maybe").problem(400)
		importBody(c, `[]`, "application/json", "?limit=3").problem(400)
		importBody(c, `[]`, "application/json", "", "Authorization", "").problem(401)
		importBody(c, `[]`, "application/json", "", "Authorization", "Bearer "+c.admin).want(200)
		huge := "[" + strings.Repeat(`{"name":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"},`, 120000) + "{}]"
		importBody(c, huge, "application/json", "").problem(413)
		// Idempotent imports.
		body := `[{"name":"Một Lần Nhập","kind":"designer","sectors":["design"]}]`
		a := importBody(c, body, "application/json", "", "Idempotency-Key", "imp-1").want(200)
		b := importBody(c, body, "application/json", "", "Idempotency-Key", "imp-1").want(200)
		if !bytes.Equal(a.body, b.body) || b.header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("replay: %s / %s", a.body, b.body)
		}
	})
}

func TestGeoJSONExport(t *testing.T) {
	engines(t, func(t *testing.T, c *client) {
		seedTricky(t, c)
		res := c.do("GET", "/v1/entities?format=geojson&sort=name", nil).want(200)
		if res.header.Get("Content-Type") != "application/geo+json" || !strings.HasSuffix(res.header.Get("Content-Disposition"), `.geojson"`) {
			t.Fatalf("headers %v", res.header)
		}
		var fc struct {
			Type     string
			Features []struct {
				Type     string
				ID       string
				Geometry struct {
					Type        string
					Coordinates []float64
				}
				Properties map[string]any
			}
		}
		res.decode(&fc)
		if fc.Type != "FeatureCollection" || len(fc.Features) != 2 {
			t.Fatalf("collection: %s", res.body)
		}
		f := fc.Features[0] // Nhà hát Đồng Đội sorts first (folded "nha" < "xuong")
		if f.Type != "Feature" || f.Geometry.Type != "Point" || len(f.Geometry.Coordinates) != 2 ||
			f.Geometry.Coordinates[0] != 105.8524 || f.Geometry.Coordinates[1] != 21.0287 {
			t.Errorf("feature: %+v", f)
		}
		if f.Properties["name"] != "Nhà hát Đồng Đội" || f.Properties["id"] != f.ID || f.Properties["kind"] != "organization" ||
			f.Properties["address"].(map[string]any)["ward"] != "Hoàn Kiếm" || f.Properties["location"] != nil {
			t.Errorf("properties: %v", f.Properties)
		}
		// Accept works too, and filters apply.
		var one struct{ Features []any }
		c.do("GET", "/v1/entities?ward=bat+trang", nil, "Accept", "application/geo+json").want(200).decode(&one)
		if len(one.Features) != 1 {
			t.Errorf("filtered geojson: %d features", len(one.Features))
		}
		c.do("GET", "/v1/entities", nil, "Accept", "application/xml").problem(http.StatusNotAcceptable)
		c.do("GET", "/v1/entities?format=xlsx", nil).problem(http.StatusBadRequest)
		c.do("GET", "/v1/entities?format=csv&sector=cooking", nil).problem(http.StatusBadRequest)
		c.do("GET", "/v1/entities", nil, "Accept", "text/html, */*;q=0.1").want(200)
	})
}

func TestStatsAgreeWithFacetsAndRows(t *testing.T) {
	engines(t, func(t *testing.T, c *client) {
		seedTricky(t, c)
		c.create(valid("Không Phường"))
		for _, filter := range []string{"", "&sector=design", "&q=gom", "&founded_from=2000"} {
			var list api.EntityList
			c.do("GET", "/v1/entities?limit=100&facets=sector,kind,ward"+filter, nil).want(200).decode(&list)
			for _, dim := range []string{"sector", "kind", "ward"} {
				var stats struct {
					Data []map[string]any
				}
				c.do("GET", "/v1/stats?group_by="+dim+filter, nil).want(200).decode(&stats)
				fromStats := map[string]int{}
				total := 0
				for _, row := range stats.Data {
					n := int(row["count"].(float64))
					total += n
					if v, ok := row[dim].(string); ok {
						fromStats[v] = n
					} else if row[dim] != nil || dim != "ward" {
						t.Errorf("row %v", row)
					}
				}
				if fmt.Sprint(fromStats) != fmt.Sprint(list.Facets[dim]) {
					t.Errorf("%s%s: stats %v, facets %v", dim, filter, fromStats, list.Facets[dim])
				}
				// By kind and ward, every entity counts once (a null ward included).
				if dim != "sector" && total != list.Page.Total {
					t.Errorf("%s%s: stats add up to %d, rows %d", dim, filter, total, list.Page.Total)
				}
			}
		}
		var stats struct{ Data []map[string]any }
		c.do("GET", "/v1/stats?group_by=kind,sector&sector=design", nil).want(200).decode(&stats)
		for _, row := range stats.Data {
			if len(row) != 3 || row["kind"] == nil || row["sector"] == nil {
				t.Errorf("row %v", row)
			}
		}
		c.do("GET", "/v1/stats", nil).problem(400)
		c.do("GET", "/v1/stats?group_by=colour", nil).problem(400)
		c.do("GET", "/v1/stats?group_by=kind&limit=3", nil).problem(400)
		c.do("GET", "/v1/stats?group_by=kind&status=all", nil).problem(401)
	})
}

func TestSectorAdministration(t *testing.T) {
	engines(t, func(t *testing.T, c *client) {
		admin := []string{"Authorization", "Bearer " + c.admin}
		c.do("POST", "/v1/sectors", `{"slug":"architecture","name":"Kiến trúc","name_en":"Architecture"}`).problem(403)
		res := c.do("POST", "/v1/sectors", `{"slug":"architecture","name":"Kiến trúc","name_en":"Architecture"}`, admin...).want(201)
		var sec api.Sector
		res.decode(&sec)
		if sec.Slug != "architecture" || sec.Retired || res.header.Get("Location") != "/v1/sectors/architecture" {
			t.Fatalf("created %s", res.body)
		}
		c.do("POST", "/v1/sectors", `{"slug":"architecture","name":"X","name_en":"X"}`, admin...).problem(409)
		p := c.do("POST", "/v1/sectors", `{"slug":"Bad Slug","name":""}`, admin...).problem(422)
		if codes := fieldCodes(p); codes["slug"] != "slug" || codes["name"] != "required" || codes["name_en"] != "required" {
			t.Errorf("codes %v", codes)
		}
		var list api.SectorList
		c.do("GET", "/v1/sectors", nil).want(200).decode(&list)
		if len(list.Data) != 9 || list.Data[8].Slug != "architecture" {
			t.Fatalf("sectors %+v", list.Data)
		}
		// In use: cannot be deleted; retired: kept where it is, refused for new uses.
		body := valid("Nhà Kiến Trúc")
		body["sectors"] = []string{"architecture"}
		e := c.create(body)
		c.do("DELETE", "/v1/sectors/architecture", nil, admin...).problem(409)
		c.do("PATCH", "/v1/sectors/architecture", `{"name":"Kiến trúc và nội thất","retired":true}`, admin...).want(200).decode(&sec)
		if sec.Name != "Kiến trúc và nội thất" || !sec.Retired || sec.EntityCount != 1 {
			t.Errorf("patched %+v", sec)
		}
		c.do("PATCH", "/v1/sectors/architecture", `{"slug":"arch"}`, admin...).problem(422)
		p = c.do("POST", "/v1/entities", map[string]any{"name": "Mới", "kind": "designer", "sectors": []string{"architecture"}}).problem(422)
		if fieldCodes(p)["sectors[0]"] != "retired" {
			t.Errorf("codes %v", fieldCodes(p))
		}
		c.do("PATCH", "/v1/entities/"+e.ID, `{"description":"vẫn giữ ngành đã nghỉ"}`, "If-Match", `"1"`).want(200)
		// Unused sectors can be deleted.
		c.do("POST", "/v1/sectors", `{"slug":"fashion","name":"Thời trang","name_en":"Fashion"}`, admin...).want(201)
		c.do("DELETE", "/v1/sectors/fashion", nil, admin...).want(204)
		c.do("DELETE", "/v1/sectors/fashion", nil, admin...).problem(404)
		c.do("PATCH", "/v1/sectors/fashion", `{"name":"x"}`, admin...).problem(404)
	})
}

func TestChangeFeedPages(t *testing.T) {
	engines(t, func(t *testing.T, c *client) {
		var feed api.ChangeList
		c.do("GET", "/v1/changes", nil).want(200).decode(&feed)
		if len(feed.Data) != 0 || feed.NextAfter != 0 {
			t.Fatalf("empty feed %+v", feed)
		}
		e := c.create(valid("Một"))
		c.do("PATCH", "/v1/entities/"+e.ID, `{"slug":"mot-moi"}`, "If-Match", `"1"`).want(200)
		c.do("DELETE", "/v1/entities/"+e.ID, nil, "If-Match", `"2"`).want(204)
		c.do("GET", "/v1/changes?after=0&limit=2", nil).want(200).decode(&feed)
		if len(feed.Data) != 2 || feed.Data[0].Seq != 1 || feed.Data[1].Seq != 2 || feed.NextAfter != 2 ||
			feed.Data[0].Slug != "mot" || feed.Data[1].Slug != "mot-moi" || feed.Data[1].Action != "updated" {
			t.Fatalf("page 1 %+v", feed)
		}
		c.do("GET", "/v1/changes?after=2", nil).want(200).decode(&feed)
		if len(feed.Data) != 1 || feed.Data[0].Action != "archived" || feed.Data[0].Version != 3 || feed.NextAfter != 3 {
			t.Fatalf("page 2 %+v", feed)
		}
		c.do("GET", "/v1/changes?after=3", nil).want(200).decode(&feed)
		if len(feed.Data) != 0 || feed.NextAfter != 3 {
			t.Fatalf("empty page %+v", feed)
		}
		for _, q := range []string{"after=-1", "after=x", "limit=0", "limit=1001", "since=1", "after=1&after=2"} {
			c.do("GET", "/v1/changes?"+q, nil).problem(400)
		}
	})
}
