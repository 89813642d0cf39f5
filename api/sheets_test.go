package api_test

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/text/encoding/unicode"

	"github.com/hanoicreative/registry/api"
)

// Hand-made sheets: only some of the export's columns.
func TestImportSomeColumns(t *testing.T) {
	engines(t, func(t *testing.T, c *client) {
		body := valid("Xưởng Gốm Cũ")
		body["contact"] = map[string]any{"email": "cu@gom.example.vn", "phone": "024 3874 0123"}
		body["address"] = map[string]any{"ward": "Bát Tràng", "street": "Thôn 3"}
		body["founded_year"] = 1990
		before := c.create(body)
		var res api.ImportResult

		// By slug: only the phone changes, every other field is kept.
		importBody(c, "slug,phone\nxuong-gom-cu,0912 345 678\n", "text/csv", "").want(http.StatusOK).decode(&res)
		if res != (api.ImportResult{Updated: 1}) {
			t.Fatalf("phone only: %+v", res)
		}
		after := c.do("GET", "/v1/entities/"+before.ID, nil).want(http.StatusOK).entity()
		if *after.Contact.Phone != "+84 912 345 678" || *after.Contact.Email != "cu@gom.example.vn" || after.Name != before.Name ||
			*after.Address.Ward != "Bát Tràng" || *after.Address.Street != "Thôn 3" || *after.FoundedYear != 1990 ||
			after.Kind != before.Kind || strings.Join(after.Sectors, ",") != "design" || after.Version != 2 {
			t.Errorf("after a phone-only import: %+v", after)
		}
		// By name (the slug derived from it), in any case of the header.
		importBody(c, "Name,Email\nXưởng Gốm Cũ,moi@gom.example.vn\n", "text/csv", "").want(http.StatusOK).decode(&res)
		if res != (api.ImportResult{Updated: 1}) {
			t.Fatalf("by name: %+v", res)
		}
		importBody(c, "name,email\nXưởng Gốm Cũ,moi@gom.example.vn\n", "text/csv", "").want(http.StatusOK).decode(&res)
		if res != (api.ImportResult{Unchanged: 1}) {
			t.Fatalf("again: %+v", res)
		}
		// A new entity gets the given columns and nothing else.
		importBody(c, "name,kind,sectors,ward\nNhà Mới,designer,design;film,Hoàn Kiếm\n", "text/csv", "").want(http.StatusOK).decode(&res)
		if res != (api.ImportResult{Created: 1}) {
			t.Fatalf("create: %+v", res)
		}
		created := c.do("GET", "/v1/entities/nha-moi", nil).want(http.StatusOK).entity()
		if created.Contact.Email != nil || created.FoundedYear != nil || *created.Address.Ward != "Hoàn Kiếm" || len(created.Sectors) != 2 {
			t.Errorf("created %+v", created)
		}
		// A row that would create needs name, kind and sectors.
		p := importBody(c, "slug,email\nkhong-co,a@b.example.vn\n", "text/csv", "").problem(http.StatusUnprocessableEntity)
		if codes := fieldCodes(p); codes["name"] != "required" || codes["kind"] != "required" || codes["sectors"] != "required" || *p.Errors[0].Row != 2 {
			t.Errorf("create without required columns: %+v", p.Errors)
		}
		// Headers: a name or slug column is needed, lat and lon go together, unknown columns are refused.
		for header, want := range map[string]string{"email\n": "name", "name,lat\n": "lon", "name,colour\n": "colour"} {
			p := importBody(c, header+"x\n", "text/csv", "").problem(http.StatusUnprocessableEntity)
			if len(p.Errors) != 1 || p.Errors[0].Field != want || *p.Errors[0].Row != 1 {
				t.Errorf("header %q: %+v", header, p.Errors)
			}
		}
	})
}

// Errors of a CSV import name the spreadsheet's columns; a JSON import's
// keep the JSON paths.
func TestImportErrorsNameColumns(t *testing.T) {
	engines(t, func(t *testing.T, c *client) {
		csvBody := "name,kind,sectors,ward,email,website,lat,lon\n" +
			"Một,designer,design;cooking,Hoàn Kiếm,not-an-email,ftp://x,21.03,105.85\n" +
			"Hai,designer,design,Van Mieu,,,abc,105.85\n" +
			"Ba,designer,design,,,,10.0,10.0\n"
		p := importBody(c, csvBody, "text/csv", "").problem(http.StatusUnprocessableEntity)
		got := map[string]string{}
		for _, e := range p.Errors {
			got[strconv.Itoa(*e.Row)+":"+e.Field] = e.Code
			if strings.Contains(e.Message, "contact.") || strings.Contains(e.Message, "address.ward") || strings.Contains(e.Message, "location.lat") {
				t.Errorf("message names a JSON path: %+v", e)
			}
		}
		want := map[string]string{"2:sectors": "unknown", "2:email": "email", "2:website": "url", "3:ward": "unknown", "3:lat": "type", "4:lat": "outside_hanoi"}
		for k, code := range want {
			if got[k] != code {
				t.Errorf("%s: code %q, want %q (all: %v)", k, got[k], code, got)
			}
		}
		for _, e := range p.Errors {
			if *e.Row == 3 && e.Field == "ward" && !strings.Contains(e.Message, "Văn Miếu - Quốc Tử Giám") {
				t.Errorf("no suggestion: %+v", e)
			}
		}
		p = importBody(c, `[{"name":"Một","kind":"designer","sectors":["design"],"contact":{"email":"nope"},"address":{"ward":"Van Mieu"}}]`,
			"application/json", "").problem(http.StatusUnprocessableEntity)
		if codes := fieldCodes(p); codes["contact.email"] != "email" || codes["address.ward"] != "unknown" {
			t.Errorf("JSON import errors: %+v", p.Errors)
		}
	})
}

// Excel's "Unicode Text" (UTF-16 with a byte-order mark, tab-separated,
// CRLF) and tab-separated UTF-8 are read as the CSV they stand for.
func TestImportUnicodeTextAndTabs(t *testing.T) {
	engines(t, func(t *testing.T, c *client) {
		sheet := "name\tkind\tsectors\tdescription\tward\r\n" +
			"Làng Lụa Vạn Phúc\tartisan\tcrafts;cultural-tourism\t\"Lụa tơ tằm,\r\ndệt tay; \"\"truyền thống\"\"\"\tHà Đông\r\n" +
			"Đình Ứng Thiên\torganization\tcultural-tourism\t\tỨng Thiên\r\n"
		for name, enc := range map[string]unicode.Endianness{"little-endian": unicode.LittleEndian, "big-endian": unicode.BigEndian} {
			utf16, err := unicode.UTF16(enc, unicode.UseBOM).NewEncoder().Bytes([]byte(sheet))
			if err != nil {
				t.Fatal(err)
			}
			var res api.ImportResult
			importBody(c, utf16, "text/csv", "?dry_run=true").want(http.StatusOK).decode(&res)
			if res != (api.ImportResult{Created: 2, DryRun: true}) {
				t.Errorf("UTF-16 %s: %+v", name, res)
			}
		}
		utf16, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(sheet))
		var res api.ImportResult
		importBody(c, utf16, "text/csv", "").want(http.StatusOK).decode(&res)
		if res != (api.ImportResult{Created: 2}) {
			t.Fatalf("UTF-16 import: %+v", res)
		}
		e := c.do("GET", "/v1/entities/lang-lua-van-phuc", nil).want(http.StatusOK).entity()
		if e.Name != "Làng Lụa Vạn Phúc" || *e.Description != "Lụa tơ tằm,\ndệt tay; \"truyền thống\"" ||
			strings.Join(e.Sectors, ";") != "crafts;cultural-tourism" || *e.Address.Ward != "Hà Đông" {
			t.Errorf("imported %+v (description %q)", e, *e.Description)
		}
		// The same sheet as tab-separated UTF-8 is unchanged.
		importBody(c, sheet, "text/csv", "").want(http.StatusOK).decode(&res)
		if res != (api.ImportResult{Unchanged: 2}) {
			t.Errorf("UTF-8 tabs: %+v", res)
		}
		// An odd number of bytes is not UTF-16.
		importBody(c, append(utf16, 'x'), "text/csv", "").problem(http.StatusBadRequest)
	})
}

// The import template is the importable columns and an example row that
// imports as it is.
func TestImportTemplate(t *testing.T) {
	engines(t, func(t *testing.T, c *client) {
		res := c.do("GET", "/v1/imports/template.csv", nil).want(http.StatusOK)
		if !strings.HasPrefix(res.header.Get("Content-Type"), "text/csv") || res.header.Get("ETag") == "" ||
			res.header.Get("Cache-Control") != "public, no-cache" || !strings.Contains(res.header.Get("Content-Disposition"), "template.csv") {
			t.Errorf("headers %v", res.header)
		}
		lines := strings.Split(strings.TrimSuffix(string(bytes.TrimPrefix(res.body, []byte("\uFEFF"))), "\n"), "\n")
		if len(lines) != 2 || lines[0] != "slug,name,name_en,kind,sectors,description,description_en,street,ward,city,lat,lon,website,email,phone,links,founded_year" {
			t.Fatalf("template %q", res.body)
		}
		c.do("GET", "/v1/imports/template.csv", nil, "If-None-Match", res.header.Get("ETag")).want(http.StatusNotModified)
		c.do("GET", "/v1/imports/template.csv?lang=vi", nil).problem(http.StatusBadRequest)

		var result api.ImportResult
		importBody(c, res.body, "text/csv", "?dry_run=true").want(http.StatusOK).decode(&result)
		if result != (api.ImportResult{Created: 1, DryRun: true}) {
			t.Fatalf("template dry run: %+v", result)
		}
		importBody(c, res.body, "text/csv", "").want(http.StatusOK).decode(&result)
		if result != (api.ImportResult{Created: 1}) {
			t.Fatalf("template import: %+v", result)
		}
		e := c.do("GET", "/v1/entities/xuong-gom-vi-du", nil).want(http.StatusOK).entity()
		if *e.Contact.Phone != "+84 24 3874 0123" || *e.Address.Ward != "Bát Tràng" || *e.FoundedYear != 1998 || len(e.Links) != 2 {
			t.Errorf("imported template %+v", e)
		}
	})
}

// Sheets as spreadsheets save them: columns and rows once formatted, now
// empty, are nothing; a value under a column with no name is an error.
func TestImportBlankRowsAndColumns(t *testing.T) {
	engines(t, func(t *testing.T, c *client) {
		sheet := "name,kind,sectors,,\n" +
			"Một,designer,design,,\n" +
			",,,,\n" +
			" , ,,,\n" +
			"Hai,designer,design,,\n"
		var res api.ImportResult
		importBody(c, sheet, "text/csv", "?dry_run=true").want(http.StatusOK).decode(&res)
		if res != (api.ImportResult{Created: 2, DryRun: true}) {
			t.Errorf("blank rows and columns: %+v", res)
		}
		p := importBody(c, sheet+"Ba,designer,design,,lost\n", "text/csv", "").problem(http.StatusUnprocessableEntity)
		if len(p.Errors) != 1 || *p.Errors[0].Row != 6 || p.Errors[0].Code != "unnamed_column" || !strings.Contains(p.Errors[0].Message, "column 5") {
			t.Errorf("value under an unnamed column: %+v", p.Errors)
		}
	})
}
