package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/hanoicreative/registry/api"
)

// total counts the entities of every status.
func total(c *client) int {
	c.t.Helper()
	var list api.EntityList
	c.do("GET", "/v1/entities?status=all&limit=1", nil, "Authorization", "Bearer "+c.editor).want(http.StatusOK).decode(&list)
	return list.Page.Total
}

func TestBodiesThatWouldBeReadWithLoss(t *testing.T) {
	engines(t, func(t *testing.T, c *client) {
		e := c.create(valid("Xưởng Gốm"))
		admin := []string{"Authorization", "Bearer " + c.admin}
		ifMatch := []string{"If-Match", `"1"`}
		for _, tc := range []struct {
			name, method, path, body, wantDetail string
			headers                              []string
		}{
			{"invalid UTF-8 in a new entity", "POST", "/v1/entities", `{"name":"X` + "\xff\xfe" + `ng","kind":"creative-space","sectors":["design"]}`, "not valid UTF-8 (at byte 11)", nil},
			{"invalid UTF-8 in a patch", "PATCH", "/v1/entities/" + e.ID, `{"name":"X` + "\xc3" + `ng"}`, "not valid UTF-8", ifMatch},
			{"invalid UTF-8 in a sector", "POST", "/v1/sectors", `{"slug":"games","name":"Tr` + "\xe1\xbb" + `","name_en":"Games"}`, "not valid UTF-8", admin},
			{"invalid UTF-8 in a key", "POST", "/v1/keys", `{"name":"k` + "\x80" + `","role":"editor"}`, "not valid UTF-8", admin},
			{"invalid UTF-8 in a JSON import dry run", "POST", "/v1/imports?dry_run=true", `[{"name":"X` + "\xff" + `ng","kind":"creative-space","sectors":["design"]}]`, "not valid UTF-8", nil},
			{"a member twice", "POST", "/v1/entities", `{"name":"A","name":"B","kind":"creative-space","sectors":["design"]}`, `member "name" twice`, nil},
			{"an escaped member twice", "POST", "/v1/entities", `{"name":"A","n\u0061me":"B","kind":"creative-space","sectors":["design"]}`, `member "name" twice`, nil},
			{"a nested member twice", "PATCH", "/v1/entities/" + e.ID, `{"address":{"street":"1","ward":"Bát Tràng","street":"2"}}`, `member "street" twice`, ifMatch},
			{"a member twice in an import row", "POST", "/v1/imports", `[{"name":"A","kind":"creative-space","sectors":["design"]},{"name":"B","kind":"x","kind":"creative-space","sectors":["design"]}]`, `member "kind" twice`, nil},
			{"a member twice in a sector", "POST", "/v1/sectors", `{"slug":"games","name":"Trò chơi","name_en":"Games","slug":"toys"}`, `member "slug" twice`, admin},
		} {
			t.Run(tc.name, func(t *testing.T) {
				p := c.do(tc.method, tc.path, tc.body, tc.headers...).problem(http.StatusBadRequest)
				if p.Type != "/problems/malformed" || !strings.Contains(p.Detail, tc.wantDetail) {
					t.Errorf("problem %+v, want detail with %q", p, tc.wantDetail)
				}
			})
		}
		// Nothing was stored: no new entity, the patched one unchanged, no sector.
		if n := total(c); n != 1 {
			t.Errorf("%d entities, want 1", n)
		}
		if got := c.do("GET", "/v1/entities/"+e.ID, nil).want(http.StatusOK).entity(); got.Version != 1 || got.Name != "Xưởng Gốm" {
			t.Errorf("entity changed: %+v", got)
		}
		c.do("GET", "/v1/sectors/games", nil).problem(http.StatusNotFound)
		// The same member name in different objects is no duplicate.
		c.do("POST", "/v1/imports?dry_run=true", `[{"name":"A","kind":"creative-space","sectors":["design"]},{"name":"B","kind":"creative-space","sectors":["design"]}]`).want(http.StatusOK)
		// Valid multi-byte text is accepted as before.
		c.do("PATCH", "/v1/entities/"+e.ID, `{"name":"Xưởng Gốm Bát Tràng"}`, ifMatch...).want(http.StatusOK)
	})
}

func TestTextRulesOverHTTP(t *testing.T) {
	engines(t, func(t *testing.T, c *client) {
		body := valid("Gốm \u202Egro.elpmaxe")
		body["name_en"] = "Pottery\u200B"
		body["description"] = "Xưởng gốm\u2066."
		body["links"] = []string{"https://example.org/a", "https://example.org/a"}
		p := c.do("POST", "/v1/entities", body).problem(http.StatusUnprocessableEntity)
		codes := fieldCodes(p)
		for field, code := range map[string]string{"name": "invisible_characters", "name_en": "invisible_characters",
			"description": "invisible_characters", "links[1]": "duplicate"} {
			if codes[field] != code {
				t.Errorf("%s: %q, want %q (all %v)", field, codes[field], code, codes)
			}
		}
		// The domain's rules reach imports too, CSV included (named by the sheet's columns).
		csvBody := "slug,name,name_en,kind,sectors,description,description_en,street,ward,city,lat,lon,website,email,phone,links,founded_year\n" +
			"gom,Gốm\uFEFF,,creative-space,design,,,,,,,,javascript:alert(1),not-an-email,,https://a.vn https://a.vn,999\n"
		p = importBody(c, csvBody, "text/csv", "?dry_run=true").problem(http.StatusUnprocessableEntity)
		codes = fieldCodes(p)
		for field, code := range map[string]string{"name": "invisible_characters", "website": "url",
			"email": "email", "links": "duplicate", "founded_year": "min"} {
			if codes[field] != code {
				t.Errorf("CSV %s: %q, want %q (all %v)", field, codes[field], code, codes)
			}
		}
		if n := total(c); n != 0 {
			t.Errorf("%d entities stored", n)
		}
	})
}

func TestWeakIfMatch(t *testing.T) {
	engines(t, func(t *testing.T, c *client) {
		e := c.create(valid("Xưởng Gốm"))
		p := c.do("PATCH", "/v1/entities/"+e.ID, `{"name":"Gốm"}`, "If-Match", `W/"1"`).problem(http.StatusPreconditionFailed)
		if strings.Contains(p.Detail, "has changed") || !strings.Contains(p.Detail, "weak") || !strings.Contains(p.Detail, `If-Match: "1"`) {
			t.Errorf("weak tag: %q", p.Detail)
		}
		c.do("DELETE", "/v1/entities/"+e.ID, nil, "If-Match", `W/"1"`).problem(http.StatusPreconditionFailed)
		// A stale tag is a change, weak or not.
		c.do("PATCH", "/v1/entities/"+e.ID, `{"name":"Gốm"}`, "If-Match", `"1"`).want(http.StatusOK)
		p = c.do("PATCH", "/v1/entities/"+e.ID, `{"name":"Gốm 2"}`, "If-Match", `W/"1"`).problem(http.StatusPreconditionFailed)
		if !strings.Contains(p.Detail, "has changed") {
			t.Errorf("stale weak tag: %q", p.Detail)
		}
	})
}

func TestMessagesInTheReadersLanguage(t *testing.T) {
	engines(t, func(t *testing.T, c *client) {
		body := `{"name":"","kind":"creative-space","sectors":[],"contact":{"email":"@"},"x":1}`
		en := c.do("POST", "/v1/entities", body, "Accept-Language", "en-US,en;q=0.9,vi;q=0.5")
		vi := c.do("POST", "/v1/entities", body, "Accept-Language", "vi-VN,vi;q=0.9,en;q=0.8")
		none := c.do("POST", "/v1/entities", body)
		for _, r := range []*response{en, vi, none} {
			r.problem(http.StatusUnprocessableEntity)
			if !strings.Contains(r.header.Get("Vary"), "Accept-Language") {
				t.Errorf("Vary %q", r.header.Get("Vary"))
			}
		}
		want := map[*response]struct {
			lang, detail, title string
			fields              map[string]string
		}{
			en: {"en", "The input has invalid fields.", "Invalid input", map[string]string{
				"name": "name is required.", "sectors": "sectors must have at least one sector.",
				"contact.email": "contact.email must be an email address.", "x": "x is not a field of this resource."}},
			vi: {"vi", "Dữ liệu gửi lên có trường không hợp lệ.", "Dữ liệu không hợp lệ", map[string]string{
				"name": "Cần có name.", "sectors": "sectors phải có ít nhất một lĩnh vực.",
				"contact.email": "contact.email phải là một địa chỉ email.", "x": "x không phải là một trường của tài nguyên này."}},
			none: {"en", "The input has invalid fields.", "Invalid input", map[string]string{"name": "name is required."}},
		}
		for r, w := range want {
			var p api.Problem
			r.decode(&p)
			if got := r.header.Get("Content-Language"); got != w.lang {
				t.Errorf("Content-Language %q, want %q", got, w.lang)
			}
			if p.Detail != w.detail || p.Title != w.title {
				t.Errorf("%s: title %q, detail %q", w.lang, p.Title, p.Detail)
			}
			codes := fieldCodes(p)
			for _, f := range p.Errors {
				if msg, ok := w.fields[f.Field]; ok && f.Message != msg {
					t.Errorf("%s: %s: %q, want %q", w.lang, f.Field, f.Message, msg)
				}
			}
			// Codes do not depend on the language.
			if codes["name"] != "required" || codes["sectors"] != "min" || codes["contact.email"] != "email" || codes["x"] != "unknown" {
				t.Errorf("%s: codes %v", w.lang, codes)
			}
		}

		// A 400 in Vietnamese and in English.
		p := c.do("POST", "/v1/entities", `{"name":`, "Accept-Language", "vi").problem(http.StatusBadRequest)
		if !strings.HasPrefix(p.Detail, "Nội dung yêu cầu không phải là JSON hợp lệ") || p.Title != "Yêu cầu sai định dạng" {
			t.Errorf("vi 400: %q / %q", p.Title, p.Detail)
		}
		p = c.do("POST", "/v1/entities", `{"name":`, "Accept-Language", "fr").problem(http.StatusBadRequest)
		if !strings.HasPrefix(p.Detail, "The request body is not valid JSON") || p.Title != "Malformed request" {
			t.Errorf("en 400: %q / %q", p.Title, p.Detail)
		}
		p = c.do("GET", "/v1/entities?limit=0", nil, "Accept-Language", "vi").problem(http.StatusBadRequest)
		if p.Detail != "limit phải là số nguyên từ 1 đến 100." {
			t.Errorf("vi query 400: %q", p.Detail)
		}
		// Errors only HTTP knows, too.
		p = c.do("GET", "/nowhere", nil, "Accept-Language", "vi").problem(http.StatusNotFound)
		if p.Detail != "Không có đường dẫn này. API nằm dưới /v1; xem /openapi.json." {
			t.Errorf("vi 404: %q", p.Detail)
		}
		p = c.do("POST", "/v1/entities", `{}`, "Content-Type", "text/plain", "Accept-Language", "vi").problem(http.StatusUnsupportedMediaType)
		if p.Detail != "Content-Type phải là một trong: application/json (UTF-8)." {
			t.Errorf("vi 415: %q", p.Detail)
		}
		// What a problem type means, too.
		doc := c.do("GET", "/problems/invalid", nil, "Accept-Language", "vi").want(http.StatusOK)
		if !strings.HasPrefix(string(doc.body), "Dữ liệu không hợp lệ\n\nYêu cầu đúng định dạng") || doc.header.Get("Content-Language") != "vi" {
			t.Errorf("vi problem doc: %q", doc.body)
		}
		// An import's errors carry their rows, in the reader's language.
		p = importBody(c, `[{"name":"A","kind":"creative-space","sectors":["design"]},{"name":"B","kind":"creative-space"}]`, "application/json", "", "Accept-Language", "vi").problem(http.StatusUnprocessableEntity)
		if len(p.Errors) != 1 || p.Errors[0].Row == nil || *p.Errors[0].Row != 1 || p.Errors[0].Message != "Cần có sectors: hãy nhập ít nhất một lĩnh vực." {
			t.Errorf("vi import: %+v", p.Errors)
		}
	})
}
