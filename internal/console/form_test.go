package console

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/hanoicreative/registry/internal/registry"
)

// inputValue returns the value attribute of the input named name.
func inputValue(t *testing.T, body, name string) string {
	t.Helper()
	return html.UnescapeString(regexpFind(t, body, `name="`+regexp.QuoteMeta(name)+`" type="text" value="([^"]*)"`))
}

// wantInvalid checks that the input named name is marked invalid and
// names its message, which the page shows.
func wantInvalid(t *testing.T, body, name, message string) {
	t.Helper()
	id := inputID(name)
	tag := regexp.MustCompile(`<(?:input|select|textarea|fieldset) id="` + regexp.QuoteMeta(id) + `"[^>]*>`).FindString(body)
	if !strings.Contains(tag, `aria-invalid="true"`) || !strings.Contains(tag, id+"-error") {
		t.Errorf("%s is not marked invalid with its message: %s", name, tag)
	}
	msg := regexp.MustCompile(`<p class="field-error" id="` + regexp.QuoteMeta(id) + `-error">([^<]*)</p>`).FindStringSubmatch(body)
	if msg == nil || !strings.Contains(msg[1], message) {
		t.Errorf("the message of %s is %v, want …%s…", name, msg, message)
	}
}

// TestEntityFormCreate: a refused save shows every error next to its
// field, in Vietnamese, with what was typed; the fixed form saves and
// goes to the record, with the account's name as the revision's actor.
func TestEntityFormCreate(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		b := e.browser()
		b.signIn(editorEmail, password).redirectsTo(t, "/console/")
		form := b.get("/console/entities/new").want(t, http.StatusOK)
		for _, f := range formFields {
			if f.name == "sectors" {
				continue
			}
			if !strings.Contains(form.body, `<label for="`+inputID(f.name)+`">`) || !strings.Contains(form.body, `name="`+f.name+`"`) {
				t.Errorf("no labelled input named %s", f.name)
			}
		}
		for _, want := range []string{`name="sectors" value="design"`, `<option value="artisan">`, `class="wardmap"`, `data-origin-lat=`} {
			if !strings.Contains(form.body, want) {
				t.Errorf("the form has no %s", want)
			}
		}
		token := form.csrf(t)
		typed := url.Values{"csrf": {token}, "name": {""}, "name_en": {"Silk Print Studio"}, "kind": {""},
			"contact.email": {"lụa@@example"}, "contact.website": {"javascript:alert(1)"}, "location.lat": {"hai mốt"}, "location.lon": {"105.85"},
			"founded_year": {"năm ngoái"}, "address.ward": {"Hoan Kiem Moi"}, "address.street": {"12 Hàng Gai"}}
		bad := b.do("POST", "/console/entities/new", typed).want(t, http.StatusUnprocessableEntity)
		for field, msg := range map[string]string{
			"name": "", "kind": "", "sectors": "", "contact.email": "", "contact.website": "",
			"location.lat": "Hãy viết một số đo bằng độ", "founded_year": "Năm phải là số nguyên", "address.ward": "",
		} {
			wantInvalid(t, bad.body, field, msg)
		}
		for field, v := range map[string]string{"name_en": "Silk Print Studio", "contact.email": "lụa@@example",
			"location.lat": "hai mốt", "location.lon": "105.85", "founded_year": "năm ngoái", "address.street": "12 Hàng Gai"} {
			if got := inputValue(t, bad.body, field); got != v {
				t.Errorf("%s kept as %q, want %q", field, got, v)
			}
		}
		if strings.Contains(bad.body, `<html lang="vi"`) == false {
			t.Error("the page is not in Vietnamese")
		}

		typed.Set("name", "Xưởng in lụa Hàng Gai")
		typed.Set("kind", "artisan")
		typed["sectors"] = []string{"crafts", "design"}
		typed.Set("contact.email", "lua@example.vn")
		typed.Set("contact.website", "https://lua.example.vn")
		typed.Set("location.lat", "21,03330")
		typed.Set("location.lon", "105.85000")
		typed.Set("founded_year", "2015")
		// A point outside the ward is said beside the latitude.
		typed.Set("address.ward", "Ba Vì")
		outside := b.do("POST", "/console/entities/new", typed).want(t, http.StatusUnprocessableEntity)
		wantInvalid(t, outside.body, "location.lat", "Hoàn Kiếm")
		if strings.Count(outside.body, `aria-invalid="true"`) != 1 {
			t.Errorf("%d fields marked invalid, want the location only", strings.Count(outside.body, `aria-invalid="true"`))
		}
		typed.Set("address.ward", "hoan kiem")
		b.do("POST", "/console/entities/new", typed).redirectsTo(t, "/console/entities/xuong-in-lua-hang-gai")
		got, err := e.svc.Entity(context.Background(), "xuong-in-lua-hang-gai")
		if err != nil {
			t.Fatal(err)
		}
		if got.Address.Ward != "Hoàn Kiếm" || got.Location == nil || got.Location.Lat != 21.0333 || *got.FoundedYear != 2015 || len(got.Sectors) != 2 {
			t.Errorf("saved %+v", got)
		}
		revs, _ := e.svc.History(context.Background(), got.ID)
		if len(revs) != 1 || revs[0].Actor != "Nguyễn Thị Lan" {
			t.Errorf("history %+v, want one revision by the editor", revs)
		}
	})
}

// TestEntityFormConflict: a save over a version a colleague changed saves
// nothing and shows their values beside the typed ones, with their name;
// fields only they changed come into the form, fields both changed keep
// what was typed, and saving again carries the new version.
func TestEntityFormConflict(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		ent := e.create("Nhà sách Tràng Tiền", "creative-space", []string{"publishing"}, "Hoàn Kiếm")
		b := e.browser()
		b.signIn(editorEmail, password).redirectsTo(t, "/console/")
		form := b.get("/console/entities/"+ent.Slug+"/edit").want(t, http.StatusOK)
		if v := regexpFind(t, form.body, `name="version" value="(\d+)"`); v != "1" {
			t.Fatalf("version %s", v)
		}
		if got := inputValue(t, form.body, "name"); got != ent.Name {
			t.Fatalf("name %q", got)
		}
		// A colleague saves through the service meanwhile.
		_, err := e.svc.UpdateEntity(ctx, "Phạm Quốc Huy", ent.Slug, registry.Precondition{}, func(cur registry.Entity) (registry.EntityDraft, []registry.FieldError) {
			d := cur.Draft()
			d.Description = "Hiệu sách lâu đời nhất phố Tràng Tiền."
			d.Phone = "024 3826 1234"
			return d, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		mine := url.Values{"csrf": {form.csrf(t)}, "version": {"1"}, "name": {"Nhà sách Tràng Tiền (cơ sở 1)"}, "slug": {ent.Slug},
			"kind": {"creative-space"}, "sectors": {"publishing"}, "address.ward": {"Hoàn Kiếm"},
			"description": {"Hiệu sách của Nhà xuất bản."}}
		c := b.do("POST", "/console/entities/"+ent.Slug+"/edit", mine).want(t, http.StatusConflict)
		for _, want := range []string{"Phạm Quốc Huy", "Hiệu sách lâu đời nhất phố Tràng Tiền.", "Hiệu sách của Nhà xuất bản.",
			"+84 24 3826 1234", "chưa có gì được lưu", `name="version" value="2"`,
			"của bạn (chỉ bạn sửa)", "của họ (chỉ họ sửa)", "của bạn (cả hai cùng sửa)"} {
			if !strings.Contains(html.UnescapeString(c.body), want) {
				t.Errorf("the conflict page does not show %q", want)
			}
		}
		now, _ := e.svc.Entity(ctx, ent.Slug)
		if now.Version != 2 || now.Name != ent.Name {
			t.Fatalf("something was saved: %+v", now)
		}
		// Only the colleague changed the phone: theirs is in the form. Both
		// changed the description: the form keeps what was typed.
		if got := inputValue(t, c.body, "contact.phone"); got != "+84 24 3826 1234" {
			t.Errorf("phone in the form %q, want the colleague's", got)
		}
		if got := inputValue(t, c.body, "name"); got != "Nhà sách Tràng Tiền (cơ sở 1)" {
			t.Errorf("name in the form %q, want the typed one", got)
		}
		if !strings.Contains(c.body, ">Hiệu sách của Nhà xuất bản.</textarea>") {
			t.Error("the typed description is not kept in the form")
		}
		// Merge and save again with the new version.
		mine.Set("version", "2")
		mine.Set("contact.phone", "+84 24 3826 1234")
		mine.Set("description", "Hiệu sách lâu đời nhất phố Tràng Tiền, của Nhà xuất bản.")
		b.do("POST", "/console/entities/"+ent.Slug+"/edit", mine).redirectsTo(t, "/console/entities/"+ent.Slug)
		now, _ = e.svc.Entity(ctx, ent.Slug)
		if now.Version != 3 || now.Contact.Phone != "+84 24 3826 1234" || now.Name != "Nhà sách Tràng Tiền (cơ sở 1)" {
			t.Errorf("saved %+v", now)
		}
	})
}

// TestEntityFormNeedsCSRF: without the session's token nothing is saved.
func TestEntityFormNeedsCSRF(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		ent := e.create("Gallery Tông Đản", "creative-space", []string{"visual-arts"}, "Hoàn Kiếm")
		b := e.browser()
		b.signIn(editorEmail, password).redirectsTo(t, "/console/")
		b.do("POST", "/console/entities/new", url.Values{"name": {"Không token"}, "kind": {"artisan"}, "sectors": {"crafts"}}).want(t, http.StatusForbidden)
		b.do("POST", "/console/entities/"+ent.Slug+"/edit", url.Values{"csrf": {"forged"}, "version": {"1"}, "name": {"Đổi tên"}}).want(t, http.StatusForbidden)
		if now, _ := e.svc.Entity(context.Background(), ent.Slug); now.Version != 1 {
			t.Errorf("saved without a token: %+v", now)
		}
		if _, err := e.svc.Entity(context.Background(), "khong-token"); registry.ErrorCode(err) != registry.ENOTFOUND {
			t.Errorf("created without a token (%v)", err)
		}
	})
}

// TestWardList: the suggestions' list has the 126 wards.
func TestWardList(t *testing.T) {
	engines(t, func(t *testing.T, e *env) {
		b := e.browser()
		b.signIn(editorEmail, password)
		p := b.get("/console/wards.json").want(t, http.StatusOK)
		if n := strings.Count(p.body, `"full_name"`); n != 126 || !strings.Contains(p.body, `"Phường Hoàn Kiếm"`) {
			t.Errorf("%d wards: %.200s", n, p.body)
		}
	})
}
