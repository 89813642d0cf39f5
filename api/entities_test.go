package api_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hanoicreative/registry/api"
)

func TestCreateReadConditionalGet(t *testing.T) {
	engines(t, func(t *testing.T, c *client) {
		res := c.do("POST", "/v1/entities", map[string]any{
			"name": "Xưởng Gốm Bát Tràng", "name_en": "Bat Trang Pottery", "kind": "artisan",
			"sectors":      []string{"crafts", "design"},
			"description":  "Gốm thủ công gia truyền.",
			"address":      map[string]any{"street": "Thôn 3", "ward": "BAT TRANG"},
			"location":     map[string]any{"lat": 20.976, "lon": 105.913},
			"contact":      map[string]any{"website": "https://gom.example", "email": "lienhe@gom.example", "phone": "0912.345.678"},
			"links":        []string{"https://facebook.com/gom"},
			"founded_year": 1998,
		}).want(http.StatusCreated)
		e := res.entity()
		if res.header.Get("Location") != "/v1/entities/"+e.ID || res.header.Get("ETag") != `"1"` {
			t.Fatalf("Location %q ETag %q", res.header.Get("Location"), res.header.Get("ETag"))
		}
		if e.Slug != "xuong-gom-bat-trang" || *e.Address.Ward != "Bát Tràng" || *e.Address.WardCode != "00577" ||
			*e.Contact.Phone != "+84 912 345 678" || e.Version != 1 || e.Status != "active" ||
			!slices.Equal(e.Sectors, []string{"design", "crafts"}) || e.CreatedAt.Location() != time.UTC {
			t.Fatalf("created: %s", res.body)
		}
		if _, err := time.Parse(time.RFC3339, strings.Trim(fmt.Sprint(e.CreatedAt.Format(time.RFC3339Nano)), `"`)); err != nil {
			t.Fatal(err)
		}

		for _, ref := range []string{e.ID, e.Slug} {
			got := c.do("GET", "/v1/entities/"+ref, nil).want(http.StatusOK)
			if got.header.Get("ETag") != `"1"` || string(got.body) != string(res.body) {
				t.Errorf("GET %s: ETag %q body %s", ref, got.header.Get("ETag"), got.body)
			}
		}
		c.do("GET", "/v1/entities/"+e.Slug, nil, "If-None-Match", `"1"`).want(http.StatusNotModified)
		c.do("GET", "/v1/entities/"+e.Slug, nil, "If-None-Match", `W/"1"`).want(http.StatusNotModified)
		c.do("GET", "/v1/entities/"+e.Slug, nil, "If-None-Match", `"0", "1"`).want(http.StatusNotModified)
		c.do("GET", "/v1/entities/"+e.Slug, nil, "If-None-Match", `"2"`).want(http.StatusOK)
		c.do("GET", "/v1/entities/no-such-thing", nil).problem(http.StatusNotFound)
		c.do("GET", "/v1/entities/01234567-89ab-7def-8123-456789abcdef", nil).problem(http.StatusNotFound)

		// Absent optional values are null, lists are [].
		bare := c.do("POST", "/v1/entities", valid("Bare")).want(http.StatusCreated)
		for _, want := range []string{`"name_en":null`, `"location":null`, `"links":[]`, `"founded_year":null`,
			`"address":{"street":null,"ward":null,"ward_code":null,"city":null}`} {
			if !strings.Contains(string(bare.body), want) {
				t.Errorf("missing %s in %s", want, bare.body)
			}
		}
	})
}

func TestCreateReportsEveryInvalidField(t *testing.T) {
	engines(t, func(t *testing.T, c *client) {
		links := make([]string, 11)
		for i := range links {
			links[i] = fmt.Sprintf("https://example.com/%d", i)
		}
		p := c.do("POST", "/v1/entities", map[string]any{
			"id":           "x",
			"version":      3,
			"slug":         "01234567-89ab-7def-8123-456789abcdef",
			"name_en":      strings.Repeat("a", 201),
			"kind":         "robot",
			"sectors":      []string{"design", "design", "cooking"},
			"description":  strings.Repeat("ô", 5001),
			"address":      map[string]any{"ward": "Quận 1", "ward_code": "00070", "city": "Paris"},
			"location":     map[string]any{"lat": 10.77, "lon": 106.70},
			"contact":      map[string]any{"website": "ftp://x", "email": "not-an-email", "phone": "12"},
			"links":        links,
			"founded_year": 999,
			"colour":       "red",
		}).problem(http.StatusUnprocessableEntity)
		got := fieldCodes(p)
		want := map[string]string{
			"id": "read_only", "version": "read_only", "address.ward_code": "read_only", "colour": "unknown",
			"slug": "slug_uuid", "name": "required", "name_en": "max", "kind": "unknown",
			"sectors[1]": "duplicate", "sectors[2]": "unknown", "description": "max",
			"address.ward": "unknown", "address.city": "city", "location": "outside_hanoi",
			"contact.website": "url", "contact.email": "email", "contact.phone": "phone",
			"links": "max", "founded_year": "min",
		}
		for field, code := range want {
			if got[field] != code {
				t.Errorf("field %s: code %q, want %q", field, got[field], code)
			}
		}
		if len(got) != len(want) {
			t.Errorf("got %d field errors, want %d: %v", len(got), len(want), got)
		}
		if p.Type != "/problems/invalid" {
			t.Errorf("type %q", p.Type)
		}

		// Wrong JSON types are field errors too, all of them.
		p = c.do("POST", "/v1/entities", `{"name": 5, "kind": ["x"], "sectors": "design", "location": "here", "founded_year": "1990"}`).
			problem(http.StatusUnprocessableEntity)
		for _, f := range []string{"name", "kind", "sectors", "location", "founded_year"} {
			if fieldCodes(p)[f] != "type" {
				t.Errorf("field %s: %v", f, fieldCodes(p))
			}
		}

		// A founded_year after this year, a location in Hà Nội but far from its ward.
		future := time.Now().Year() + 1
		body := valid("Tương Lai")
		body["founded_year"] = future
		body["address"] = map[string]any{"ward": "Hoàn Kiếm"}
		body["location"] = map[string]any{"lat": 20.976, "lon": 105.913} // Bát Tràng
		p = c.do("POST", "/v1/entities", body).problem(http.StatusUnprocessableEntity)
		if got := fieldCodes(p); got["founded_year"] != "max" || got["location"] != "outside_ward" || len(got) != 2 {
			t.Errorf("got %v", got)
		}
		if !strings.Contains(p.Errors[len(p.Errors)-1].Message+p.Errors[0].Message, "Bát Tràng") {
			t.Errorf("the message should say which ward the point is in: %+v", p.Errors)
		}
		// A name with nothing to derive a slug from needs a slug.
		p = c.do("POST", "/v1/entities", valid("北京")).problem(http.StatusUnprocessableEntity)
		if fieldCodes(p)["slug"] != "required" {
			t.Errorf("got %v", fieldCodes(p))
		}
		body = valid("北京")
		body["slug"] = "bac-kinh"
		c.do("POST", "/v1/entities", body).want(http.StatusCreated)
		// Nothing of the invalid requests was written.
		var list api.EntityList
		c.do("GET", "/v1/entities", nil).want(http.StatusOK).decode(&list)
		if list.Page.Total != 1 {
			t.Errorf("%d entities, want 1", list.Page.Total)
		}
	})
}

func TestWardAndLocation(t *testing.T) {
	engines(t, func(t *testing.T, c *client) {
		// A location without a ward fills the ward in.
		body := valid("Hồ Gươm Studio")
		body["location"] = map[string]any{"lat": 21.0287, "lon": 105.8524}
		e := c.create(body)
		if e.Address.Ward == nil || *e.Address.Ward != "Hoàn Kiếm" || *e.Address.City != "Hà Nội" {
			t.Fatalf("address %+v", e.Address)
		}
		// Ward given by code.
		body = valid("Theo Mã")
		body["address"] = map[string]any{"ward": "00004"}
		if e := c.create(body); *e.Address.Ward != "Ba Đình" {
			t.Fatalf("ward %v", *e.Address.Ward)
		}
		// Decomposed (NFD) text is stored composed (NFC).
		e = c.create(valid("Nha\u0300 Ve\u0302\u0301 Xu\u031bo\u031b\u0300ng"))
		if e.Name != "Nhà Vế Xường" || e.Slug != "nha-ve-xuong" {
			t.Fatalf("name %q slug %q: want NFC", e.Name, e.Slug)
		}
	})
}

func TestSlugTakenIs409(t *testing.T) {
	engines(t, func(t *testing.T, c *client) {
		c.create(valid("Nhà Sàn Đức"))
		p := c.do("POST", "/v1/entities", valid("Nhà sàn Đức")).problem(http.StatusConflict)
		if fieldCodes(p)["slug"] != "taken" {
			t.Errorf("%+v", p)
		}
		body := valid("Other")
		body["slug"] = "nha-san-duc"
		c.do("POST", "/v1/entities", body).problem(http.StatusConflict)
	})
}

func TestMalformedBodies(t *testing.T) {
	engines(t, func(t *testing.T, c *client) {
		for _, body := range []string{`{"name": "x",`, `[1,2]`, `"text"`, ``, `{"a":1} {"b":2}`, `nul`} {
			c.do("POST", "/v1/entities", body).problem(http.StatusBadRequest)
		}
		c.do("POST", "/v1/entities", `{"name":"x"}`, "Content-Type", "text/plain").problem(http.StatusUnsupportedMediaType)
		c.do("POST", "/v1/entities", `{"name":"x"}`, "Content-Type", "application/json; charset=latin1").problem(http.StatusUnsupportedMediaType)
		c.do("POST", "/v1/entities", `{"name":"x"}`, "Content-Type", "").problem(http.StatusUnsupportedMediaType)
		c.do("POST", "/v1/entities", valid("Charset"), "Content-Type", "application/json; charset=UTF-8").want(http.StatusCreated)
		huge := `{"name": "` + strings.Repeat("a", 1<<20) + `"}`
		c.do("POST", "/v1/entities", huge).problem(http.StatusRequestEntityTooLarge)
	})
}

func TestPatch(t *testing.T) {
	engines(t, func(t *testing.T, c *client) {
		body := valid("Không Gian Xanh")
		body["contact"] = map[string]any{"email": "a@xanh.vn", "website": "https://xanh.vn"}
		body["description"] = "Mô tả"
		e := c.create(body)
		path := "/v1/entities/" + e.Slug

		c.do("PATCH", path, `{"name":"X"}`).problem(http.StatusPreconditionRequired)
		c.do("PATCH", path, `{"name":"X"}`, "If-Match", `1`).problem(http.StatusBadRequest)
		c.do("PATCH", path, `{"name":"X"}`, "If-Match", `"1"`, "Content-Type", "text/plain").problem(http.StatusUnsupportedMediaType)
		c.do("PATCH", "/v1/entities/nope", `{"name":"X"}`, "If-Match", `"1"`).problem(http.StatusNotFound)

		// Merge patch: set, remove with null, merge nested objects.
		res := c.do("PATCH", path, `{"name":"Không Gian Xanh Lá","description":null,"contact":{"phone":"024 3826 1234"}}`,
			"If-Match", `"1"`, "Content-Type", "application/merge-patch+json").want(http.StatusOK)
		got := res.entity()
		if res.header.Get("ETag") != `"2"` || got.Version != 2 || got.Name != "Không Gian Xanh Lá" || got.Description != nil ||
			*got.Contact.Email != "a@xanh.vn" || *got.Contact.Phone != "+84 24 3826 1234" || got.Slug != e.Slug {
			t.Fatalf("patched: %s", res.body)
		}
		// A stale version is refused; the entity is unchanged.
		c.do("PATCH", path, `{"name":"Stale"}`, "If-Match", `"1"`).problem(http.StatusPreconditionFailed)
		// Read-only and unknown fields are rejected even as null; nothing changes.
		p := c.do("PATCH", path, `{"version":null,"status":"archived","nope":null,"name":""}`, "If-Match", `"2"`).problem(http.StatusUnprocessableEntity)
		if codes := fieldCodes(p); codes["version"] != "read_only" || codes["status"] != "read_only" || codes["nope"] != "unknown" || codes["name"] != "required" {
			t.Errorf("codes %v", codes)
		}
		// A patch that changes nothing keeps the version.
		same := c.do("PATCH", path, `{"name":"Không Gian Xanh Lá"}`, "If-Match", `"2"`).want(http.StatusOK)
		if same.header.Get("ETag") != `"2"` {
			t.Errorf("no-op patch ETag %q", same.header.Get("ETag"))
		}
		// If-Match: * matches any version.
		c.do("PATCH", path, `{"founded_year":2001}`, "If-Match", `*`).want(http.StatusOK)
		// A location without a ward: the ward follows the location.
		c.do("PATCH", path, `{"location":{"lat":21.0287,"lon":105.8524}}`, "If-Match", `"3"`).want(http.StatusOK)
		moved := c.do("PATCH", path, `{"location":{"lat":20.976,"lon":105.913}}`, "If-Match", `"4"`).want(http.StatusOK).entity()
		if *moved.Address.Ward != "Bát Tràng" {
			t.Errorf("ward after moving: %v", *moved.Address.Ward)
		}
		// Naming a ward that does not contain the location is an error.
		c.do("PATCH", path, `{"address":{"ward":"Ba Đình"}}`, "If-Match", `"5"`).problem(http.StatusUnprocessableEntity)
		// Renaming the slug to a taken one is a conflict.
		c.create(valid("Đã Có"))
		c.do("PATCH", path, `{"slug":"da-co"}`, "If-Match", `"5"`).problem(http.StatusConflict)
		c.do("PATCH", path, `[1]`, "If-Match", `"5"`).problem(http.StatusBadRequest)
	})
}

func TestArchiveRestoreHistory(t *testing.T) {
	engines(t, func(t *testing.T, c *client) {
		e := c.create(valid("Lưu Trữ"))
		path := "/v1/entities/" + e.ID
		c.do("DELETE", path, nil).problem(http.StatusPreconditionRequired)
		c.do("DELETE", path, nil, "If-Match", `"7"`).problem(http.StatusPreconditionFailed)
		del := c.do("DELETE", path, nil, "If-Match", `"1"`).want(http.StatusNoContent)
		if del.header.Get("ETag") != `"2"` || len(del.body) != 0 {
			t.Fatalf("archive: ETag %q body %q", del.header.Get("ETag"), del.body)
		}
		// Archiving again changes nothing.
		c.do("DELETE", path, nil, "If-Match", `"2"`).want(http.StatusNoContent)
		// Still readable, still holds its slug, gone from listings.
		if got := c.do("GET", "/v1/entities/"+e.Slug, nil).want(http.StatusOK).entity(); got.Status != "archived" || got.Version != 2 {
			t.Fatalf("archived entity: %+v", got)
		}
		c.do("POST", "/v1/entities", valid("Lưu Trữ")).problem(http.StatusConflict)
		var list api.EntityList
		c.do("GET", "/v1/entities", nil).want(http.StatusOK).decode(&list)
		if list.Page.Total != 0 {
			t.Fatalf("archived entity listed: %+v", list)
		}
		c.do("GET", "/v1/entities?status=archived", nil).problem(http.StatusUnauthorized)
		c.do("GET", "/v1/entities?status=archived", nil, "Authorization", "Bearer "+c.editor).want(http.StatusOK).decode(&list)
		if list.Page.Total != 1 {
			t.Fatalf("status=archived: %+v", list.Page)
		}

		// Restore: no body, no Content-Type, no If-Match needed; a stale one fails.
		c.do("POST", path+"/restore", nil, "If-Match", `"1"`).problem(http.StatusPreconditionFailed)
		c.do("POST", path+"/restore", `{"x":1}`).problem(http.StatusBadRequest)
		res := c.do("POST", path+"/restore", nil).want(http.StatusOK)
		if res.header.Get("ETag") != `"3"` || res.entity().Status != "active" {
			t.Fatalf("restore: %s", res.body)
		}
		// Restoring an active entity changes nothing.
		if again := c.do("POST", path+"/restore", nil).want(http.StatusOK); again.header.Get("ETag") != `"3"` {
			t.Errorf("restore twice: ETag %q", again.header.Get("ETag"))
		}
		c.do("POST", "/v1/entities/nope/restore", nil).problem(http.StatusNotFound)
		c.do("DELETE", "/v1/entities/nope", nil, "If-Match", `"1"`).problem(http.StatusNotFound)

		var hist api.RevisionList
		c.do("GET", path+"/history", nil).want(http.StatusOK).decode(&hist)
		var actions []string
		for _, r := range hist.Data {
			actions = append(actions, fmt.Sprintf("%d:%s", r.Version, r.Action))
		}
		if strings.Join(actions, " ") != "3:restored 2:archived 1:created" {
			t.Fatalf("history: %v", actions)
		}
		if c := hist.Data[1].Changes["status"]; c.From != "active" || c.To != "archived" {
			t.Errorf("archive changes: %+v", hist.Data[1].Changes)
		}
		if hist.Data[0].Actor == "" || hist.Data[0].At.IsZero() {
			t.Errorf("revision: %+v", hist.Data[0])
		}
		v1 := c.do("GET", path+"/history/1", nil).want(http.StatusOK).entity()
		if v1.Version != 1 || v1.Status != "active" || v1.Name != "Lưu Trữ" {
			t.Errorf("version 1: %+v", v1)
		}
		c.do("GET", path+"/history/0", nil).problem(http.StatusBadRequest)
		c.do("GET", path+"/history/abc", nil).problem(http.StatusBadRequest)
		c.do("GET", path+"/history/99", nil).problem(http.StatusNotFound)
		c.do("GET", "/v1/entities/nope/history", nil).problem(http.StatusNotFound)
	})
}
